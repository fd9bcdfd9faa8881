use actix_web::{get, patch, post, put, web, HttpRequest, HttpResponse};
use aula_catalog::{
    courses::{self, CourseInput, TranslationInput},
    publication::{self, ReviewRequest, SendBack},
    search::{self, CourseCard, CourseFilter},
    view::{self, CourseDetail},
};
use aula_core::{Locale, Page, PageRequest};

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    locale::RequestLocale,
    routes::reader::{cached_json, Reader},
    state::AppState,
};

/// The catalog: published courses (administrators may ask for others with `status`),
/// searched and filtered, each with what a card shows.
#[utoipa::path(operation_id = "list_courses", tag = "catalog", security((), ("bearer" = [])), params(CourseFilter, PageRequest, ("lang" = Option<String>, Query, description = "es, en, pt or fr")),
    responses((status = 200, body = Page<CourseCard>), (status = 304, description = "Not modified"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/courses")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: Reader,
    filter: web::Query<CourseFilter>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let (filter, page, catalog) = (
        filter.into_inner(),
        page.into_inner(),
        state.catalog.clone(),
    );
    // The published catalog, confirmed recently, needs neither a connection nor a
    // blocking thread.
    if let Some(cards) =
        search::list_from_memory(&catalog, reader.user.as_ref(), &filter, page, reader.locale)?
    {
        return cached_json(&req, &cards);
    }
    let cards = db(&state, move |conn| {
        Ok(search::list(
            conn,
            &catalog,
            reader.user.as_ref(),
            &filter,
            page,
            reader.locale,
        )?)
    })
    .await?;
    cached_json(&req, &cards)
}

/// One course, in the reader's language when translated, else its primary language.
#[utoipa::path(operation_id = "get_course", tag = "catalog", security((), ("bearer" = [])), params(("code" = String, Path), ("lang" = Option<String>, Query)), responses(
    (status = 200, body = CourseDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/courses/{code}")]
pub async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: Reader,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (code, catalog) = (code.into_inner(), state.catalog.clone());
    if let Some(course) =
        view::page_from_memory(&catalog, reader.user.as_ref(), &code, reader.locale)
    {
        return cached_json(&req, &course);
    }
    let course = db(&state, move |conn| {
        Ok(view::page(
            conn,
            &catalog,
            reader.user.as_ref(),
            &code,
            reader.locale,
        )?)
    })
    .await?;
    cached_json(&req, &course)
}

/// Creates a draft course (instructors, who then teach it, and administrators).
#[utoipa::path(operation_id = "create_course", tag = "catalog", security(("bearer" = [])), request_body = CourseInput, responses(
    (status = 201, body = CourseDetail), (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/courses")]
pub async fn create(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(body): ApiJson<CourseInput>,
) -> Result<HttpResponse, ApiError> {
    let catalog = state.catalog.clone();
    let course = db(&state, move |conn| {
        let code = courses::create(conn, &catalog, &actor, &body)?;
        Ok(view::detail(conn, Some(&actor), &code, None)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(course))
}

/// Edits a course (its instructors and administrators); the code never changes.
#[utoipa::path(operation_id = "update_course", tag = "catalog", security(("bearer" = [])), params(("code" = String, Path)), request_body = CourseInput,
    responses((status = 200, body = CourseDetail), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[patch("/courses/{code}")]
pub async fn update(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
    ApiJson(body): ApiJson<CourseInput>,
) -> Result<HttpResponse, ApiError> {
    let (code, catalog) = (code.into_inner(), state.catalog.clone());
    let course = db(&state, move |conn| {
        courses::update(conn, &catalog, &actor, &code, &body)?;
        Ok(view::detail(conn, Some(&actor), &code, None)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(course))
}

/// Adds or replaces the course's title, summary, description and outcomes in one language.
#[utoipa::path(operation_id = "put_course_translation", tag = "catalog", security(("bearer" = [])), params(("code" = String, Path), ("locale" = Locale, Path)),
    request_body = TranslationInput, responses((status = 200, body = CourseDetail),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/courses/{code}/translations/{locale}")]
pub async fn put_translation(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(String, String)>,
    ApiJson(body): ApiJson<TranslationInput>,
) -> Result<HttpResponse, ApiError> {
    let ((code, locale), catalog) = (path.into_inner(), state.catalog.clone());
    let locale = super::path_locale(&locale)?;
    let course = db(&state, move |conn| {
        courses::put_translation(conn, &catalog, &actor, &code, locale, &body)?;
        Ok(view::detail(conn, Some(&actor), &code, Some(locale))?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(course))
}

/// Publishes a draft or archived course (administrators). A course without an edition,
/// or without its summary and description in the primary language, is refused with
/// `course_not_ready` listing what is missing.
#[utoipa::path(operation_id = "publish_course", tag = "catalog", security(("bearer" = [])), params(("code" = String, Path)), responses(
    (status = 200, body = CourseDetail), (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json")))]
#[post("/courses/{code}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (code, catalog) = (code.into_inner(), state.catalog.clone());
    let course = db(&state, move |conn| {
        courses::publish(conn, &catalog, &actor, &code)?;
        Ok(view::detail(conn, Some(&actor), &code, None)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(course))
}

/// Archives a published course (administrators).
#[utoipa::path(operation_id = "archive_course", tag = "catalog", security(("bearer" = [])), params(("code" = String, Path)), responses(
    (status = 200, body = CourseDetail), (status = 409, body = Problem, content_type = "application/problem+json")))]
#[post("/courses/{code}/archive")]
pub async fn archive(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (code, catalog) = (code.into_inner(), state.catalog.clone());
    let course = db(&state, move |conn| {
        courses::archive(conn, &catalog, &actor, &code)?;
        Ok(view::detail(conn, Some(&actor), &code, None)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(course))
}

/// Asks administrators to publish a draft (its instructors); refused with
/// `course_not_ready` while something is missing.
#[utoipa::path(tag = "catalog", operation_id = "request_review", security(("bearer" = [])),
    params(("code" = String, Path)), responses(
    (status = 200, body = CourseDetail), (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json")))]
#[post("/courses/{code}/review-request")]
pub async fn request_review(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (code, catalog) = (code.into_inner(), state.catalog.clone());
    let course = db(&state, move |conn| {
        publication::request_review(conn, &catalog, &actor, &code)?;
        Ok(view::detail(conn, Some(&actor), &code, None)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(course))
}

/// Returns a draft awaiting review to its authors with a note (administrators).
#[utoipa::path(tag = "catalog", operation_id = "send_back_course", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = SendBack, responses(
    (status = 200, body = CourseDetail), (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/courses/{code}/send-back")]
pub async fn send_back(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
    ApiJson(body): ApiJson<SendBack>,
) -> Result<HttpResponse, ApiError> {
    let (code, catalog) = (code.into_inner(), state.catalog.clone());
    let course = db(&state, move |conn| {
        publication::send_back(conn, &catalog, &actor, &code, &body)?;
        Ok(view::detail(conn, Some(&actor), &code, None)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(course))
}

/// Drafts awaiting review, oldest request first (administrators).
#[utoipa::path(tag = "catalog", operation_id = "list_course_reviews", security(("bearer" = [])),
    responses(
    (status = 200, body = Vec<ReviewRequest>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/course-reviews")]
pub async fn review_queue(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    RequestLocale(locale): RequestLocale,
) -> Result<HttpResponse, ApiError> {
    let queue = db(&state, move |conn| {
        Ok(publication::queue(conn, &actor, Some(locale))?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(queue))
}
