//! What anyone may read without signing in: verification by code or by PDF, the
//! signed badge at its id, the issuer profile, its keys and the status lists.

use actix_web::{get, post, web, HttpMessage, HttpRequest, HttpResponse};
use aula_certification::{
    badge, lists,
    verify::{self, Verification},
    StatusPurpose,
};
use aula_core::ErrorCode;

use super::with_certification;
use crate::{
    error::{ApiError, Problem},
    extract::ClientIp,
    routes::enrolments::read_body,
    state::AppState,
};

/// The largest PDF taken for verification.
const MAX_PDF_BYTES: usize = 10 * 1024 * 1024;

/// Verifies a certificate by its code (any case; spaces, O for 0 and I for 1 are
/// read as meant). Throttled per address.
#[utoipa::path(operation_id = "verify_certificate", tag = "verification", params(("code" = String, Path, description = "e.g. CIESS-7K3Q-9XMP-T2RD")),
    responses((status = 200, body = Verification),
        (status = 404, description = "`certificate_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "not a code: `code: invalid_code`", body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
#[get("/verify/{code}")]
pub async fn by_code(
    state: web::Data<AppState>,
    ClientIp(ip): ClientIp,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let found = with_certification(&state, move |conn, svc| {
        verify::by_code(conn, svc, &ip, &code)
    })
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Verifies a PDF by its SHA-256: genuine only if it is byte for byte one this centre
/// issued. The body is the file itself, sent as `application/pdf` or
/// `application/octet-stream`. Throttled per address.
#[utoipa::path(operation_id = "verify_certificate_document", tag = "verification",
    request_body(content = inline(crate::routes::content::Binary), content_type = "application/octet-stream"),
    responses((status = 200, body = Verification),
        (status = 404, description = "`document_not_recognised`", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/verification/document")]
pub async fn by_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    ClientIp(ip): ClientIp,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let is_pdf = req.mime_type().ok().flatten().is_some_and(|m| {
        matches!(
            m.essence_str(),
            "application/pdf" | "application/octet-stream"
        )
    });
    if !is_pdf {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType)
            .with_detail("send the PDF itself as application/pdf"));
    }
    let bytes = read_body(payload, MAX_PDF_BYTES)
        .await?
        .ok_or(ApiError::new(ErrorCode::PayloadTooLarge))?;
    let found = with_certification(&state, move |conn, svc| {
        verify::by_document(conn, svc, &ip, &bytes)
    })
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// The largest badge taken for verification.
const MAX_BADGE_BYTES: usize = 64 * 1024;

/// Verifies a signed badge (the VC-JWT as downloaded): its signature against the
/// centre's keys, then the certificate it names. The body is the badge's text, sent as
/// `text/plain`, `application/jwt` or `application/vc+jwt`. Throttled per address.
#[utoipa::path(operation_id = "verify_certificate_badge", tag = "verification",
    request_body(content = String, content_type = "text/plain"),
    responses((status = 200, body = Verification),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`badge_invalid`: not signed by the centre, cut or altered", body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/verification/badge")]
pub async fn by_badge(
    req: HttpRequest,
    state: web::Data<AppState>,
    ClientIp(ip): ClientIp,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let is_jwt = req.mime_type().ok().flatten().is_some_and(|m| {
        matches!(
            m.essence_str(),
            "application/vc+jwt" | "application/jwt" | "text/plain"
        )
    });
    if !is_jwt {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType)
            .with_detail("send the badge itself as application/vc+jwt"));
    }
    let bytes = read_body(payload, MAX_BADGE_BYTES)
        .await?
        .ok_or(ApiError::new(ErrorCode::PayloadTooLarge))?;
    let text = String::from_utf8(bytes).map_err(|_| ApiError::new(ErrorCode::BadgeInvalid))?;
    let found = with_certification(&state, move |conn, svc| {
        verify::by_badge(conn, svc, &ip, &text)
    })
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// The signed Open Badges 3.0 credential whose id this URL is (VC-JWT).
#[utoipa::path(operation_id = "get_credential", tag = "verification", params(("code" = String, Path)),
    responses((status = 200, description = "The signed credential", body = String, content_type = "application/vc+jwt"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`certificate_pending`", body = Problem, content_type = "application/problem+json")))]
#[get("/credentials/{code}")]
pub async fn credential(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let jwt = with_certification(&state, move |conn, _| lists::public_badge(conn, &code)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vc+jwt")
        .body(jwt))
}

/// A W3C Bitstring Status List credential: bit `i` is set when the certificate whose
/// badge names index `i` is revoked (or suspended).
#[utoipa::path(operation_id = "get_status_list", tag = "verification", params(("purpose" = StatusPurpose, Path)),
    responses((status = 200, description = "BitstringStatusListCredential", body = Object),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/credentials/status/{purpose}")]
pub async fn status_list(
    state: web::Data<AppState>,
    purpose: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let purpose: StatusPurpose = purpose
        .parse()
        .map_err(|_| ApiError::new(ErrorCode::NotFound))?;
    let list = with_certification(&state, move |conn, svc| {
        badge::status_list(conn, svc, purpose)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-cache"))
        .json(list))
}

/// The issuer's Open Badges profile.
#[utoipa::path(operation_id = "get_issuer", tag = "verification",
    responses((status = 200, description = "Open Badges Profile", body = Object)))]
#[get("/issuer")]
pub async fn issuer(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(badge::issuer_profile(&state.certification))
}

/// The public keys badges are signed with (JWK set).
#[utoipa::path(operation_id = "get_jwks", tag = "verification",
    responses((status = 200, description = "JWK set (RFC 7517)", body = Object)))]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let keys = with_certification(&state, badge::jwks).await?;
    Ok(HttpResponse::Ok().json(keys))
}
