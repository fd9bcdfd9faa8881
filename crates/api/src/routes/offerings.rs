use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use aula_catalog::{
    offerings::{self, Offering, OfferingInput},
    sessions::{self, Session, SessionInput},
};

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    routes::reader::{cached_json, Reader},
    state::AppState,
};

/// The offerings (cohorts) of a course, by start date.
#[utoipa::path(operation_id = "list_course_offerings", tag = "catalog", security((), ("bearer" = [])), params(("code" = String, Path)), responses(
    (status = 200, body = Vec<Offering>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/courses/{code}/offerings")]
pub async fn list_for_course(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: Reader,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (code, catalog) = (code.into_inner(), state.catalog.clone());
    let list = db(&state, move |conn| {
        Ok(offerings::list_for_course(
            conn,
            &catalog,
            reader.user.as_ref(),
            &code,
        )?)
    })
    .await?;
    cached_json(&req, &list)
}

/// Adds an offering to a course (its instructors and administrators).
#[utoipa::path(operation_id = "create_offering", tag = "catalog", security(("bearer" = [])), params(("code" = String, Path)), request_body = OfferingInput,
    responses((status = 201, body = Offering), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/courses/{code}/offerings")]
pub async fn create(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
    ApiJson(body): ApiJson<OfferingInput>,
) -> Result<HttpResponse, ApiError> {
    let (code, catalog) = (code.into_inner(), state.catalog.clone());
    let offering = db(&state, move |conn| {
        Ok(offerings::create(conn, &catalog, &actor, &code, &body)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(offering))
}

/// One offering with its sessions; hidden while its course is not published.
#[utoipa::path(operation_id = "get_offering", tag = "catalog", security((), ("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Offering), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}")]
pub async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: Reader,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, catalog) = (id.into_inner(), state.catalog.clone());
    let offering = db(&state, move |conn| {
        Ok(offerings::get(conn, &catalog, reader.user.as_ref(), id)?)
    })
    .await?;
    cached_json(&req, &offering)
}

/// Changes an offering (its course's instructors and administrators). Seats added to
/// the capacity are filled from the waitlist.
#[utoipa::path(operation_id = "update_offering", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)), request_body = OfferingInput,
    responses((status = 200, body = Offering), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/offerings/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<OfferingInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let admissions = state.admissions.clone();
    let offering = db(&state, move |conn| {
        Ok(aula_enrolment::flow::change_offering(
            conn,
            &admissions,
            &actor,
            id,
            &body,
        )?)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Ok().json(offering))
}

/// Removes an offering in which nobody holds a seat.
#[utoipa::path(operation_id = "delete_offering", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 204), (status = 409, body = Problem, content_type = "application/problem+json")))]
#[delete("/offerings/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db(&state, move |conn| Ok(offerings::delete(conn, &actor, id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The offering's sessions as an iCalendar feed (RFC 5545), one event per session.
#[utoipa::path(operation_id = "get_offering_calendar", tag = "catalog", security((), ("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, description = "iCalendar", content_type = "text/calendar"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/calendar.ics")]
pub async fn calendar(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: Reader,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, catalog) = (id.into_inner(), state.catalog.clone());
    let host = req.connection_info().host().to_owned();
    let ics = db(&state, move |conn| {
        Ok(sessions::calendar(
            conn,
            &catalog,
            reader.user.as_ref(),
            id,
            &host,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "content-disposition",
            format!("inline; filename=\"offering-{id}.ics\""),
        ))
        .body(ics))
}

/// Adds a session to an offering (its course's instructors and administrators).
#[utoipa::path(tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)), request_body = SessionInput,
    responses((status = 201, body = Session), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/offerings/{id}/sessions")]
pub async fn create_session(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<SessionInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let session = db(&state, move |conn| {
        Ok(sessions::create(conn, &actor, id, &body)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(session))
}

/// Replaces a session's title, times, place and link.
#[utoipa::path(tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)), request_body = SessionInput,
    responses((status = 200, body = Session), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[patch("/sessions/{id}")]
pub async fn update_session(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<SessionInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let session = db(&state, move |conn| {
        Ok(sessions::update(conn, &actor, id, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(session))
}

#[utoipa::path(tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[delete("/sessions/{id}")]
pub async fn delete_session(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db(&state, move |conn| Ok(sessions::delete(conn, &actor, id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
