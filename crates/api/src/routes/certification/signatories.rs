//! The people who sign certificates (administrators).

use actix_web::{delete, get, post, put, web, HttpMessage, HttpRequest, HttpResponse};
use aula_certification::signatories::{self, SignatoryInput, SignatoryView, MAX_SIGNATURE_BYTES};
use aula_core::ErrorCode;

use super::with_certification;
use crate::{
    error::{ApiError, Problem},
    extract::{ApiJson, CurrentUser},
    routes::{enrolments::read_body, inline},
    state::AppState,
};

#[utoipa::path(operation_id = "list_signatories", tag = "certification", security(("bearer" = [])),
    responses((status = 200, body = Vec<SignatoryView>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/signatories")]
pub async fn list(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let list = with_certification(&state, move |conn, _| signatories::list(conn, &actor)).await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(operation_id = "create_signatory", tag = "certification", security(("bearer" = [])), request_body = SignatoryInput,
    responses((status = 201, body = SignatoryView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/signatories")]
pub async fn create(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(body): ApiJson<SignatoryInput>,
) -> Result<HttpResponse, ApiError> {
    let made = with_certification(&state, move |conn, svc| {
        signatories::create(conn, svc, &actor, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(made))
}

#[utoipa::path(operation_id = "update_signatory", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = SignatoryInput,
    responses((status = 200, body = SignatoryView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/signatories/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<SignatoryInput>,
) -> Result<HttpResponse, ApiError> {
    let saved = with_certification(&state, move |conn, svc| {
        signatories::update(conn, svc, &actor, id.into_inner(), body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Removes a signatory; certificates already issued keep the name they print.
#[utoipa::path(operation_id = "delete_signatory", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[delete("/signatories/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    with_certification(&state, move |conn, _| {
        signatories::delete(conn, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Uploads the signature image printed above the name: PNG or JPEG (judged by its
/// bytes), up to 512 KB, sent as `image/png`, `image/jpeg` or `application/octet-stream`.
#[utoipa::path(operation_id = "put_signature", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = inline(crate::routes::content::Binary), content_type = "application/octet-stream"),
    responses((status = 200, body = SignatoryView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/signatories/{id}/signature")]
pub async fn put_signature(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let is_image = req.mime_type().ok().flatten().is_some_and(|m| {
        matches!(
            m.essence_str(),
            "image/png" | "image/jpeg" | "application/octet-stream"
        )
    });
    if !is_image {
        return Err(
            ApiError::new(ErrorCode::UnsupportedMediaType).with_detail("send a PNG or JPEG image")
        );
    }
    let bytes = read_body(payload, MAX_SIGNATURE_BYTES)
        .await?
        .ok_or(ApiError::new(ErrorCode::PayloadTooLarge))?;
    let saved = with_certification(&state, move |conn, svc| {
        signatories::set_signature(conn, svc, &actor, id.into_inner(), &bytes)
    })
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// The signature image (administrators).
#[utoipa::path(operation_id = "get_signature", tag = "certification", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "The image", content_type = "image/png"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/signatories/{id}/signature")]
pub async fn signature(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (kind, bytes) = with_certification(&state, move |conn, _| {
        signatories::signature(conn, &actor, id.into_inner())
    })
    .await?;
    let name = if kind == "image/png" {
        "signature.png"
    } else {
        "signature.jpg"
    };
    Ok(inline(name, &kind, bytes))
}
