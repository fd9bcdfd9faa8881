//! Applying, deciding and withdrawing; documents; lesson completion.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use aula_core::{ErrorCode, Locale, Page, PageRequest};
use aula_db::DbConnection;
use aula_enrolment::{
    documents::{self, Upload},
    flow::{self, ApplyInput, Decision, PaymentInput},
    lists, progress, Action, Admissions, DocumentKind, Enrolment, EnrolmentError, Event, State,
};
use aula_identity::User;
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    locale,
    state::AppState,
    upload::{receive, Outcome},
};

/// Runs enrolment work off the async workers with a pooled connection and the rules.
pub(crate) async fn with_rules<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Admissions) -> Result<T, EnrolmentError> + Send + 'static,
    T: Send + 'static,
{
    let rules = state.admissions.clone();
    db(state, move |conn| Ok(work(conn, &rules)?)).await
}

/// The answer's language, by the rule of every answer ([`locale::for_request`]):
/// `?lang=`, else `Accept-Language`, else the person's own.
pub(crate) fn lang(req: &HttpRequest, actor: &User) -> Option<Locale> {
    Some(locale::asked(req).unwrap_or(actor.locale))
}

/// Applies to an offering; staff may enrol someone else directly with `user_id`.
#[utoipa::path(operation_id = "apply_to_offering", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ApplyInput,
    responses((status = 201, body = Enrolment), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/offerings/{id}/enrolments")]
pub async fn apply(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<ApplyInput>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let enrolment = with_rules(&state, move |conn, svc| {
        flow::apply(conn, svc, &actor, id.into_inner(), &body, locale)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Created().json(enrolment))
}

/// The signed-in person's enrolment in an offering.
#[utoipa::path(operation_id = "get_my_enrolment_in_offering", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Enrolment), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/my-enrolment")]
pub async fn mine_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let enrolment = with_rules(&state, move |conn, svc| {
        flow::mine_in(conn, svc, &actor, id.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(enrolment))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MineQuery {
    pub state: Option<State>,
    /// A course code: only enrolments in that course's offerings.
    pub course: Option<String>,
}

/// The signed-in person's enrolments, newest first.
#[utoipa::path(operation_id = "list_my_enrolments", tag = "enrolment", security(("bearer" = [])), params(MineQuery, PageRequest),
    responses((status = 200, body = Page<Enrolment>)))]
#[get("/me/enrolments")]
pub async fn mine(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    filter: web::Query<MineQuery>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let list = with_rules(&state, move |conn, svc| {
        lists::mine(
            conn,
            svc,
            &actor,
            filter.state,
            filter.course.as_deref(),
            page.into_inner(),
            locale,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One enrolment: for the learner, the offering's staff and the learner's coordinator.
#[utoipa::path(operation_id = "get_enrolment", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Enrolment), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/enrolments/{id}")]
pub async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let enrolment = with_rules(&state, move |conn, svc| {
        flow::get(conn, svc, &actor, id.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(enrolment))
}

/// Every state change of an enrolment, oldest first.
#[utoipa::path(operation_id = "get_enrolment_history", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Event>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/enrolments/{id}/history")]
pub async fn history(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let events = db(&state, move |conn| {
        Ok(flow::history(conn, &actor, id.into_inner())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(events))
}

/// A decision: `endorse`/`decline` (coordinator), `admit`/`reject`/`complete`/`fail` (staff).
#[utoipa::path(operation_id = "decide_enrolment", tag = "enrolment", security(("bearer" = [])),
    params(("id" = i64, Path), ("action" = Action, Path)), request_body = Decision,
    responses((status = 200, body = Enrolment), (status = 409, body = Problem, content_type = "application/problem+json")))]
#[post("/enrolments/{id}/{action:endorse|decline|admit|reject|complete|fail}")]
pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, String)>,
    ApiJson(body): ApiJson<Decision>,
) -> Result<HttpResponse, ApiError> {
    let (id, action) = path.into_inner();
    let action: Action = action.parse().map_err(|()| ApiError::not_found())?;
    let locale = lang(&req, &actor);
    let enrolment = with_rules(&state, move |conn, svc| {
        flow::decide(conn, svc, &actor, id, action, &body, locale)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Ok().json(enrolment))
}

/// Withdraws (the learner) or removes (staff); a freed seat goes to the waitlist.
#[utoipa::path(operation_id = "withdraw_enrolment", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path)), request_body = Decision,
    responses((status = 200, body = Enrolment), (status = 409, body = Problem, content_type = "application/problem+json")))]
#[post("/enrolments/{id}/withdraw")]
pub async fn withdraw(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<Decision>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let enrolment = with_rules(&state, move |conn, svc| {
        flow::withdraw(conn, svc, &actor, id.into_inner(), &body, locale)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Ok().json(enrolment))
}

/// Records the payment status (staff; the enrolment has a fee).
#[utoipa::path(operation_id = "record_payment", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path)), request_body = PaymentInput,
    responses((status = 200, body = Enrolment), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
#[put("/enrolments/{id}/payment")]
pub async fn payment(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<PaymentInput>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let enrolment = with_rules(&state, move |conn, svc| {
        flow::record_payment(conn, svc, &actor, id.into_inner(), &body, locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(enrolment))
}

/// Reads a raw request body up to `limit` bytes; `None` when it is larger.
pub(crate) async fn read_body(
    mut payload: web::Payload,
    limit: usize,
) -> Result<Option<Vec<u8>>, ApiError> {
    let mut bytes = Vec::new();
    let mut too_large = false;
    // Past this, the client is cut off rather than read to the end.
    let give_up_after = limit.saturating_mul(2).saturating_add(1024 * 1024);
    let mut received = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::new(ErrorCode::MalformedBody).with_detail(e.to_string()))?;
        received += chunk.len();
        if received > give_up_after {
            return Ok(None);
        }
        if !too_large {
            if bytes.len() + chunk.len() > limit {
                too_large = true;
                bytes = Vec::new();
            } else {
                bytes.extend_from_slice(&chunk);
            }
        }
    }
    Ok((!too_large).then_some(bytes))
}

/// Uploads or replaces a document of the application (raw body; `X-File-Name` names it).
#[utoipa::path(operation_id = "upload_enrolment_document", tag = "enrolment", security(("bearer" = [])),
    params(("id" = i64, Path), ("kind" = DocumentKind, Path)),
    request_body(content = inline(crate::routes::content::Binary), content_type = "application/octet-stream"),
    responses((status = 409, body = Problem, content_type = "application/problem+json"), (status = 200, body = Enrolment), (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")))]
#[put("/enrolments/{id}/documents/{kind}")]
pub async fn upload_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, String)>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (id, kind) = path.into_inner();
    let kind: DocumentKind = kind.parse().map_err(|()| ApiError::not_found())?;
    let limit = state.config.max_upload_bytes;
    // Who may touch this application is settled before a byte of the body is read.
    let who = actor.clone();
    with_rules(&state, move |conn, _| {
        documents::require_uploader(conn, &who, id)
    })
    .await?;
    let slot = state.uploads.take()?;
    let received = match receive(payload, limit, Some(slot), |e| {
        ApiError::new(ErrorCode::MalformedBody).with_detail(e.to_string())
    })
    .await?
    {
        Outcome::Complete(received) => received,
        Outcome::TooLarge => return Err(EnrolmentError::FileTooLarge { limit }.into()),
    };
    let name = req
        .headers()
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(percent_decode)
        .unwrap_or_else(|| format!("{}.pdf", kind.as_str()));
    let locale = lang(&req, &actor);
    let enrolment = with_rules(&state, move |conn, svc| {
        let bytes = received.read()?;
        let upload = Upload {
            file_name: &name,
            bytes: &bytes,
        };
        documents::upload(conn, svc, &actor, id, kind, &upload, locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(enrolment))
}

/// `X-File-Name` may be percent-encoded so names keep their accents.
fn percent_decode(value: &str) -> String {
    percent_encoding::percent_decode_str(value)
        .decode_utf8_lossy()
        .into_owned()
}

/// Downloads a document of the application.
#[utoipa::path(operation_id = "download_enrolment_document", tag = "enrolment", security(("bearer" = [])),
    params(("id" = i64, Path), ("kind" = DocumentKind, Path)),
    responses((status = 200, description = "The document, of one of the accepted types", content(
            (String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"), (String = "image/webp"))),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/enrolments/{id}/documents/{kind}")]
pub async fn download_document(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, kind) = path.into_inner();
    let kind: DocumentKind = kind.parse().map_err(|()| ApiError::not_found())?;
    let file = with_rules(&state, move |conn, svc| {
        documents::download(conn, svc, &actor, id, kind)
    })
    .await?;
    Ok(super::attachment(
        &file.file_name,
        &file.content_type,
        file.bytes,
    ))
}

/// Marks a lesson complete for the signed-in learner (idempotent).
#[utoipa::path(operation_id = "complete_lesson", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Enrolment), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[post("/lessons/{id}/completion")]
pub async fn complete_lesson(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let enrolment = with_rules(&state, move |conn, svc| {
        progress::complete_lesson(conn, svc, &actor, id.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(enrolment))
}
