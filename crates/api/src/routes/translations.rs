//! Titles of modules, lessons and sessions (and lesson bodies) in other languages.

use actix_web::{put, web, HttpResponse};
use aula_catalog::{
    content_translations::{self, ContentTranslationInput},
    lessons::Lesson,
    modules::{self, Module},
    sessions::{self, Session},
};

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    state::AppState,
};

/// Sets a module's title in one language (the course's instructors and administrators);
/// in the course's primary language it renames the module.
#[utoipa::path(tag = "content", operation_id = "put_module_translation", security(("bearer" = [])),
    params(("id" = i64, Path), ("locale" = String, Path, description = "es, en, pt or fr")),
    request_body = ContentTranslationInput, responses((status = 200, body = Module),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/modules/{id}/translations/{locale}")]
pub async fn put_module_translation(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, String)>,
    ApiJson(body): ApiJson<ContentTranslationInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, locale) = path.into_inner();
    let locale = super::path_locale(&locale)?;
    let module = db(&state, move |conn| {
        Ok(modules::put_translation(conn, &actor, id, locale, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(module))
}

/// Sets a lesson's title and, for a text lesson, its body in one language; in the
/// course's primary language it changes the lesson's own.
#[utoipa::path(tag = "content", operation_id = "put_lesson_translation", security(("bearer" = [])),
    params(("id" = i64, Path), ("locale" = String, Path, description = "es, en, pt or fr")),
    request_body = ContentTranslationInput, responses((status = 200, body = Lesson),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/lessons/{id}/translations/{locale}")]
pub async fn put_lesson_translation(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, String)>,
    ApiJson(body): ApiJson<ContentTranslationInput>,
) -> Result<HttpResponse, ApiError> {
    let ((id, locale), catalog) = (path.into_inner(), state.catalog.clone());
    let locale = super::path_locale(&locale)?;
    let lesson = db(&state, move |conn| {
        Ok(content_translations::put_lesson_translation(
            conn, &catalog, &actor, id, locale, &body,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(lesson))
}

/// Sets a session's title in one language; in the course's primary language it
/// renames the session.
#[utoipa::path(tag = "catalog", operation_id = "put_session_translation", security(("bearer" = [])),
    params(("id" = i64, Path), ("locale" = String, Path, description = "es, en, pt or fr")),
    request_body = ContentTranslationInput, responses((status = 200, body = Session),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/sessions/{id}/translations/{locale}")]
pub async fn put_session_translation(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, String)>,
    ApiJson(body): ApiJson<ContentTranslationInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, locale) = path.into_inner();
    let locale = super::path_locale(&locale)?;
    let session = db(&state, move |conn| {
        Ok(sessions::put_translation(conn, &actor, id, locale, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(session))
}
