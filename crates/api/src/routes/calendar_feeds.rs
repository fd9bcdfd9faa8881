//! A learner's own calendar address: created, replaced and revoked while signed in,
//! read by calendar applications without a token.

use actix_web::{delete, get, http::header, post, web, HttpRequest, HttpResponse};
use aula_enrolment::calendar::{self, CalendarFeed};
use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    error::{ApiError, Problem},
    extract::{db, CurrentUser},
    state::AppState,
};

/// A new calendar address. It is shown this once: only its hash is kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarFeedAddress {
    /// `https://…/api/v1/calendar/{secret}.ics`, to subscribe to from a calendar application.
    pub url: String,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// Whether the signed-in person has a calendar address.
#[utoipa::path(tag = "me", operation_id = "get_calendar_feed", security(("bearer" = [])), responses(
    (status = 200, body = CalendarFeed), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/me/calendar-feed")]
pub async fn get_calendar_feed(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let feed = db(&state, move |conn| Ok(calendar::feed(conn, &actor)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(feed))
}

/// Creates the signed-in person's calendar address, replacing any previous one (which
/// stops working).
#[utoipa::path(tag = "me", operation_id = "create_calendar_feed", security(("bearer" = [])), responses(
    (status = 201, body = CalendarFeedAddress), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[post("/me/calendar-feed")]
pub async fn create_calendar_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let admissions = state.admissions.clone();
    let feed = db(&state, move |conn| {
        Ok(calendar::create_feed(conn, &admissions, &actor)?)
    })
    .await?;
    let info = req.connection_info();
    let url = format!(
        "{}://{}/api/v1/calendar/{}.ics",
        info.scheme(),
        info.host(),
        feed.token
    );
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(CalendarFeedAddress {
            url,
            created_at: feed.created_at,
        }))
}

/// Switches the signed-in person's calendar address off.
#[utoipa::path(tag = "me", operation_id = "delete_calendar_feed", security(("bearer" = [])), responses(
    (status = 204), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[delete("/me/calendar-feed")]
pub async fn delete_calendar_feed(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<HttpResponse, ApiError> {
    db(&state, move |conn| Ok(calendar::revoke_feed(conn, &actor)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A learner's own sessions as iCalendar (RFC 5545), with their places and online
/// rooms. The secret in the address is the only credential.
#[utoipa::path(tag = "me", operation_id = "get_personal_calendar",
    params(("token" = String, Path, description = "The secret of the calendar address")),
    responses((status = 200, description = "iCalendar", content_type = "text/calendar"),
    (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/calendar/{token}.ics")]
pub async fn get_personal_calendar(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = token.into_inner();
    let host = req.connection_info().host().to_owned();
    let admissions = state.admissions.clone();
    let ics = db(&state, move |conn| {
        Ok(calendar::feed_calendar(conn, &admissions, &token, &host)?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(ics))
}
