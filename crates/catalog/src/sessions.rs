//! Sessions of an offering (classes, webinars) and their iCalendar feed.

use aula_core::{FieldCode, Validation};
use aula_db::{schema::offering_sessions, DbConnection};
use aula_identity::User;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use icalendar::{Calendar, Component, EventLike};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Catalog;
use crate::{
    access::require_editor,
    error::{CatalogError, Result},
    offerings::visible,
    text::{is_web_url, required_text},
};

#[derive(Debug, Clone, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = offering_sessions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Session {
    pub id: i64,
    pub offering_id: i64,
    pub title: String,
    /// UTC.
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub ends_at: NaiveDateTime,
    pub place: Option<String>,
    pub link: Option<String>,
}

/// A session as an editor sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SessionInput {
    pub title: String,
    /// RFC 3339; stored in UTC.
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    /// `http(s)://` link of the online room.
    pub link: Option<String>,
}

pub(crate) fn of_offering(conn: &mut DbConnection, offering_id: i64) -> Result<Vec<Session>> {
    Ok(offering_sessions::table
        .filter(offering_sessions::offering_id.eq(offering_id))
        .select(Session::as_select())
        .order((
            offering_sessions::starts_at.asc(),
            offering_sessions::id.asc(),
        ))
        .load(conn)?)
}

fn check(input: &SessionInput) -> Result<(String, Option<String>, Option<String>)> {
    let mut v = Validation::new();
    let title = required_text(&mut v, "title", &input.title, 200);
    if input.ends_at <= input.starts_at {
        v.add("ends_at", FieldCode::BeforeStart);
    }
    let place = input
        .place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    let link = input
        .link
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned);
    if link.as_deref().is_some_and(|l| !is_web_url(l)) {
        v.add("link", FieldCode::InvalidUrl);
    }
    v.finish().map_err(CatalogError::Validation)?;
    Ok((title, place, link))
}

fn find(conn: &mut DbConnection, id: i64) -> Result<Session> {
    offering_sessions::table
        .find(id)
        .select(Session::as_select())
        .first(conn)
        .optional()?
        .ok_or(CatalogError::SessionNotFound)
}

/// Adds a session to an offering (editors of its course).
pub fn create(
    conn: &mut DbConnection,
    actor: &User,
    offering_id: i64,
    input: &SessionInput,
) -> Result<Session> {
    let (course, _) = visible(conn, Some(actor), offering_id)?;
    require_editor(conn, actor, &course)?;
    let (title, place, link) = check(input)?;
    let id = diesel::insert_into(offering_sessions::table)
        .values((
            offering_sessions::offering_id.eq(offering_id),
            offering_sessions::title.eq(title),
            offering_sessions::starts_at.eq(input.starts_at.naive_utc()),
            offering_sessions::ends_at.eq(input.ends_at.naive_utc()),
            offering_sessions::place.eq(place),
            offering_sessions::link.eq(link),
        ))
        .returning(offering_sessions::id)
        .get_result::<i64>(conn)?;
    find(conn, id)
}

fn editable(conn: &mut DbConnection, actor: &User, id: i64) -> Result<Session> {
    let session = find(conn, id)?;
    let (course, _) = visible(conn, Some(actor), session.offering_id)
        .map_err(|_| CatalogError::SessionNotFound)?;
    require_editor(conn, actor, &course)?;
    Ok(session)
}

/// Replaces a session's details (editors of its course).
pub fn update(
    conn: &mut DbConnection,
    actor: &User,
    id: i64,
    input: &SessionInput,
) -> Result<Session> {
    editable(conn, actor, id)?;
    let (title, place, link) = check(input)?;
    diesel::update(offering_sessions::table.find(id))
        .set((
            offering_sessions::title.eq(title),
            offering_sessions::starts_at.eq(input.starts_at.naive_utc()),
            offering_sessions::ends_at.eq(input.ends_at.naive_utc()),
            offering_sessions::place.eq(place),
            offering_sessions::link.eq(link),
        ))
        .execute(conn)?;
    find(conn, id)
}

pub fn delete(conn: &mut DbConnection, actor: &User, id: i64) -> Result<()> {
    editable(conn, actor, id)?;
    diesel::delete(offering_sessions::table.find(id)).execute(conn)?;
    Ok(())
}

/// The offering's sessions as an RFC 5545 calendar, one event per session.
/// `host` makes the event UIDs globally unique (e.g. `aula.ciess.org`).
pub fn calendar(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: Option<&User>,
    offering_id: i64,
    host: &str,
) -> Result<String> {
    let now = catalog.now();
    let (course, (_, offering)) = visible(conn, actor, offering_id)?;
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} ({})", course.code, offering.start_date));
    for session in of_offering(conn, offering_id)? {
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("session-{}@{host}", session.id))
            .timestamp(now.and_utc())
            .summary(&format!("{} — {}", course.code, session.title))
            .starts(session.starts_at.and_utc())
            .ends(session.ends_at.and_utc());
        if let Some(place) = &session.place {
            event.location(place);
        }
        if let Some(link) = &session.link {
            event.url(link);
        }
        calendar.push(event.done());
    }
    Ok(calendar.done().to_string())
}
