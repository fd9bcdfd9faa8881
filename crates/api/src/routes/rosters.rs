//! Staff and coordinator views: rosters, queues, exports, bulk import, attendance,
//! nominations.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use aula_core::{Page, PageRequest};
use aula_enrolment::{
    attendance::{self, Sheet, SheetInput},
    flow::{self, NominationInput, Nominations},
    import::{self, ImportOptions, ImportReport},
    lists::{self, Export, Filter},
    Enrolment, EnrolmentError,
};
use aula_identity::User;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    routes::{
        csv,
        enrolments::{lang, read_body, with_rules},
    },
    state::AppState,
};

/// Largest CSV file accepted for a bulk enrolment.
const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// The enrolments of an offering (its staff).
#[utoipa::path(operation_id = "get_roster", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path), Filter, PageRequest),
    responses((status = 200, body = Page<Enrolment>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/roster")]
pub async fn roster(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    filter: web::Query<Filter>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let list = with_rules(&state, move |conn, svc| {
        lists::roster(
            conn,
            svc,
            &actor,
            id.into_inner(),
            &filter,
            page.into_inner(),
            locale,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The roster as CSV.
#[utoipa::path(operation_id = "get_roster_csv", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path), Filter),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/roster.csv")]
pub async fn roster_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, ApiError> {
    let (id, locale) = (id.into_inner(), lang(&req, &actor));
    let bytes = with_rules(&state, move |conn, svc| {
        lists::export_csv(conn, svc, &actor, Export::Roster(id), &filter, locale)
    })
    .await?;
    Ok(csv(&format!("roster-{id}.csv"), bytes))
}

/// Applications waiting for the actor's decision as staff, oldest first.
#[utoipa::path(operation_id = "list_pending_approvals", tag = "enrolment", security(("bearer" = [])), params(PageRequest),
    responses((status = 200, body = Page<Enrolment>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/staff/approvals")]
pub async fn approvals(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let list = with_rules(&state, move |conn, svc| {
        lists::approvals(conn, svc, &actor, page.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Bulk enrolment from CSV (`email,full_name,institution`), reporting each row.
#[utoipa::path(operation_id = "import_enrolments", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path), ImportOptions),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/offerings/{id}/enrolments/import")]
pub async fn import_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    options: web::Query<ImportOptions>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes =
        read_body(payload, MAX_IMPORT_BYTES)
            .await?
            .ok_or(EnrolmentError::FileTooLarge {
                limit: MAX_IMPORT_BYTES,
            })?;
    let locale = lang(&req, &actor);
    let report = with_rules(&state, move |conn, svc| {
        import::import(
            conn,
            svc,
            &actor,
            id.into_inner(),
            &bytes,
            options.into_inner(),
            locale,
        )
    })
    .await?;
    if report.applied {
        state.mail.notify();
    }
    Ok(HttpResponse::Ok().json(report))
}

/// The attendance sheet of a session: people with a seat and their status.
#[utoipa::path(operation_id = "get_attendance", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Sheet), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/sessions/{id}/attendance")]
pub async fn attendance_sheet(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let sheet = db(&state, move |conn| {
        Ok(attendance::sheet(conn, &actor, id.into_inner())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(sheet))
}

/// Records the whole sheet at once.
#[utoipa::path(operation_id = "record_attendance", tag = "enrolment", security(("bearer" = [])), params(("id" = i64, Path)), request_body = SheetInput,
    responses((status = 200, body = Sheet), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/sessions/{id}/attendance")]
pub async fn record_attendance(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<SheetInput>,
) -> Result<HttpResponse, ApiError> {
    let sheet = with_rules(&state, move |conn, svc| {
        attendance::record(conn, svc, &actor, id.into_inner(), &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(sheet))
}

/// The coordinator's institution's people across all offerings.
#[utoipa::path(operation_id = "list_coordinator_people", tag = "coordinator", security(("bearer" = [])), params(Filter, PageRequest),
    responses((status = 200, body = Page<Enrolment>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/coordinator/people")]
pub async fn people(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    filter: web::Query<Filter>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let list = with_rules(&state, move |conn, svc| {
        lists::people(conn, svc, &actor, &filter, page.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The same as CSV.
#[utoipa::path(operation_id = "get_coordinator_people_csv", tag = "coordinator", security(("bearer" = [])), params(Filter),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/coordinator/people.csv")]
pub async fn people_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    filter: web::Query<Filter>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let bytes = with_rules(&state, move |conn, svc| {
        lists::export_csv(conn, svc, &actor, Export::People, &filter, locale)
    })
    .await?;
    Ok(csv("people.csv", bytes))
}

/// Applications of the coordinator's institution waiting for endorsement.
#[utoipa::path(operation_id = "list_coordinator_endorsements", tag = "coordinator", security(("bearer" = [])), params(PageRequest),
    responses((status = 200, body = Page<Enrolment>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/coordinator/endorsements")]
pub async fn endorsements(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let list = with_rules(&state, move |conn, svc| {
        lists::endorsements(conn, svc, &actor, page.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersQuery {
    /// Part of the name or email.
    pub q: Option<String>,
}

/// Members of the coordinator's institution, to nominate.
#[utoipa::path(operation_id = "list_coordinator_members", tag = "coordinator", security(("bearer" = [])), params(MembersQuery, PageRequest),
    responses((status = 200, body = Page<User>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/coordinator/members")]
pub async fn members(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    query: web::Query<MembersQuery>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let list = db(&state, move |conn| {
        Ok(lists::members(
            conn,
            &actor,
            query.q.as_deref(),
            page.into_inner(),
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// A coordinator nominates members of their institution into an offering.
#[utoipa::path(operation_id = "nominate", tag = "coordinator", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NominationInput,
    responses((status = 409, body = Problem, content_type = "application/problem+json"), (status = 200, body = Nominations), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[post("/offerings/{id}/nominations")]
pub async fn nominate(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<NominationInput>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let result = with_rules(&state, move |conn, svc| {
        flow::nominate(conn, svc, &actor, id.into_inner(), &body, locale)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Ok().json(result))
}
