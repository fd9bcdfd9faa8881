use actix_multipart::Multipart;
use actix_web::{delete, get, http::header, patch, post, put, web, HttpRequest, HttpResponse};
use aula_catalog::{
    lessons::{self, Lesson, LessonInput, Upload},
    modules::{self, Module, ModuleInput, Order},
};
use aula_core::{ErrorCode, FieldCode};
use futures_util::StreamExt;
use utoipa::ToSchema;

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    routes::reader::{cached_json, Reader},
    state::AppState,
    upload::{receive, Outcome},
};

/// The outline of a course: modules and lesson titles (public for published courses),
/// in the reader's language when translated (`?lang=`, else `Accept-Language`).
#[utoipa::path(operation_id = "get_course_outline", tag = "content", security((), ("bearer" = [])), params(("code" = String, Path)), responses(
    (status = 200, body = Vec<Module>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/courses/{code}/modules")]
pub async fn outline(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: Reader,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let modules = db(&state, move |conn| {
        Ok(modules::outline(
            conn,
            reader.user.as_ref(),
            &code,
            reader.locale,
        )?)
    })
    .await?;
    cached_json(&req, &modules)
}

/// Appends a module (the course's instructors and administrators).
#[utoipa::path(tag = "content", security(("bearer" = [])), params(("code" = String, Path)), request_body = ModuleInput,
    responses((status = 201, body = Module), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[post("/courses/{code}/modules")]
pub async fn create_module(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
    ApiJson(body): ApiJson<ModuleInput>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let module = db(&state, move |conn| {
        Ok(modules::create(conn, &actor, &code, &body)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(module))
}

/// Puts the course's modules in the order of `ids` (all of them, each once).
#[utoipa::path(tag = "content", security(("bearer" = [])), params(("code" = String, Path)), request_body = Order,
    responses((status = 200, body = Vec<Module>), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/courses/{code}/modules/order")]
pub async fn reorder_modules(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
    ApiJson(body): ApiJson<Order>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let modules = db(&state, move |conn| {
        Ok(modules::reorder(conn, &actor, &code, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(modules))
}

/// Renames a module.
#[utoipa::path(tag = "content", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ModuleInput,
    responses((status = 200, body = Module), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[patch("/modules/{id}")]
pub async fn rename_module(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<ModuleInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let module = db(&state, move |conn| {
        Ok(modules::rename(conn, &actor, id, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(module))
}

/// Removes a module with its lessons.
#[utoipa::path(tag = "content", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[delete("/modules/{id}")]
pub async fn delete_module(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let catalog = state.catalog.clone();
    db(&state, move |conn| {
        Ok(modules::delete(conn, &catalog, &actor, id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Appends a lesson to a module.
#[utoipa::path(tag = "content", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LessonInput,
    responses((status = 201, body = Lesson), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/modules/{id}/lessons")]
pub async fn create_lesson(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<LessonInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, catalog) = (id.into_inner(), state.catalog.clone());
    let lesson = db(&state, move |conn| {
        Ok(lessons::create(conn, &catalog, &actor, id, &body)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(lesson))
}

/// Puts a module's lessons in the order of `ids` (all of them, each once).
#[utoipa::path(tag = "content", security(("bearer" = [])), params(("id" = i64, Path)), request_body = Order,
    responses((status = 200, body = Module), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/modules/{id}/lessons/order")]
pub async fn reorder_lessons(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<Order>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let module = db(&state, move |conn| {
        Ok(lessons::reorder(conn, &actor, id, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(module))
}

/// A lesson with its content: for enrolled learners, the course's instructors and administrators.
#[utoipa::path(tag = "content", security((), ("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Lesson), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/lessons/{id}")]
pub async fn get_lesson(
    state: web::Data<AppState>,
    reader: Reader,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, catalog) = (id.into_inner(), state.catalog.clone());
    let lesson = db(&state, move |conn| {
        Ok(lessons::get(
            conn,
            &catalog,
            reader.user.as_ref(),
            id,
            reader.locale,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(lesson))
}

/// Changes a lesson.
#[utoipa::path(tag = "content", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LessonInput,
    responses((status = 200, body = Lesson), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/lessons/{id}")]
pub async fn update_lesson(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<LessonInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, catalog) = (id.into_inner(), state.catalog.clone());
    let lesson = db(&state, move |conn| {
        Ok(lessons::update(conn, &catalog, &actor, id, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(lesson))
}

/// Removes a lesson and its document.
#[utoipa::path(tag = "content", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[delete("/lessons/{id}")]
pub async fn delete_lesson(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, catalog) = (id.into_inner(), state.catalog.clone());
    db(&state, move |conn| {
        Ok(lessons::delete(conn, &catalog, &actor, id)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Raw bytes of a document, as a request body.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // describes a body in the OpenAPI document
pub struct Binary(Vec<u8>);

/// `multipart/form-data` with the document in a part named `file`.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the form in the OpenAPI document
pub struct UploadForm {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Uploads the lesson's document (PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX or ODT,
/// recognised by content); the lesson becomes a `file` lesson.
#[utoipa::path(operation_id = "upload_lesson_file", tag = "content", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 200, body = Lesson),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 413, body = Problem, content_type = "application/problem+json"),
    (status = 503, body = Problem, content_type = "application/problem+json"),
    (status = 415, body = Problem, content_type = "application/problem+json")))]
#[post("/lessons/{id}/file")]
pub async fn upload_file(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    mut form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let limit = state.config.max_upload_bytes;
    let id = id.into_inner();
    // Who may change this lesson is settled before a byte of the body is read.
    let who = actor.clone();
    db(&state, move |conn| {
        Ok(lessons::require_file_editor(conn, &who, id)?)
    })
    .await?;
    let slot = state.uploads.take()?;
    let mut upload = None;
    while let Some(field) = form.next().await {
        let field = field.map_err(multipart_error)?;
        if field.name() != Some("file") || upload.is_some() {
            // Other parts are not wanted: read past them, within the same bound.
            drain(field, limit).await?;
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename().map(str::to_owned))
            .unwrap_or_default();
        match receive(field, limit, Some(slot), multipart_error).await? {
            Outcome::Complete(received) => upload = Some((name, received)),
            Outcome::TooLarge => {
                return Err(aula_catalog::CatalogError::FileTooLarge { limit }.into())
            }
        }
        break;
    }
    let (name, received) = upload.ok_or_else(|| {
        ApiError::validation(vec![aula_core::FieldError {
            field: "file".into(),
            code: FieldCode::Required,
        }])
    })?;
    let catalog = state.catalog.clone();
    let lesson = db(&state, move |conn| {
        let bytes = received.read().map_err(aula_catalog::CatalogError::from)?;
        let upload = Upload {
            name: &name,
            bytes: &bytes,
            limit,
        };
        Ok(lessons::attach_file(conn, &catalog, &actor, id, upload)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(lesson))
}

/// Downloads the lesson's document (same readers as the lesson).
#[utoipa::path(operation_id = "download_lesson_file", tag = "content", security((), ("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, description = "The document, of one of the accepted types", content(
        (String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"), (String = "image/webp"),
        (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        (String = "application/vnd.oasis.opendocument.text"))),
    (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/lessons/{id}/file")]
pub async fn download_file(
    state: web::Data<AppState>,
    reader: Reader,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, catalog) = (id.into_inner(), state.catalog.clone());
    let (name, content_type, bytes) = db(&state, move |conn| {
        Ok(lessons::file(conn, &catalog, reader.user.as_ref(), id)?)
    })
    .await?;
    Ok(super::attachment(&name, &content_type, bytes))
}

/// A body that is not `multipart/form-data` is the wrong media type; a broken one is
/// the client's error, not the server's.
pub(crate) fn multipart_error(e: actix_multipart::MultipartError) -> ApiError {
    use actix_multipart::MultipartError as E;
    let detail = e.to_string();
    match e {
        E::ContentTypeMissing
        | E::ContentTypeParse
        | E::ContentTypeIncompatible
        | E::BoundaryMissing => ApiError::new(ErrorCode::UnsupportedMediaType),
        _ => ApiError::new(ErrorCode::MalformedBody),
    }
    .with_detail(detail)
}

/// Reads a form part to its end without keeping it, refusing one far past `limit`.
pub(crate) async fn drain(mut field: actix_multipart::Field, limit: usize) -> Result<(), ApiError> {
    let give_up_after = limit.saturating_mul(2).saturating_add(1024 * 1024);
    let mut received = 0usize;
    while let Some(chunk) = field.next().await {
        received += chunk.map_err(multipart_error)?.len();
        if received > give_up_after {
            return Err(aula_catalog::CatalogError::FileTooLarge { limit }.into());
        }
    }
    Ok(())
}
