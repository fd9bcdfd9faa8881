//! Sessions of an offering (classes, webinars) and their iCalendar feed.

use aula_core::{FieldCode, Locale, Validation};
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
    content_translations::{self, served, ContentTranslation, ContentTranslationInput},
    error::{CatalogError, Result},
    offerings::visible,
    text::{is_web_url, required_text},
};

/// A session as a reader sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Session {
    pub id: i64,
    pub offering_id: i64,
    /// In `locale`: the reader's language when translated, else the course's primary one.
    pub title: String,
    pub locale: Locale,
    /// UTC.
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub ends_at: NaiveDateTime,
    /// Where it takes place: for people holding a seat in the offering and its staff.
    pub place: Option<String>,
    /// The online room: for people holding a seat in the offering and its staff.
    pub link: Option<String>,
    /// The title in other languages, for the course's editors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translations: Option<Vec<ContentTranslation>>,
}

/// A session as stored, its title in the course's primary language.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offering_sessions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct SessionRow {
    pub id: i64,
    pub offering_id: i64,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub place: Option<String>,
    pub link: Option<String>,
}

/// How much of a session a reader is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Audience {
    /// Place and link.
    pub participant: bool,
    /// Every translation.
    pub editor: bool,
}

impl SessionRow {
    /// The session in `requested` when translated, with what `audience` may see.
    pub(crate) fn view(
        self,
        requested: Option<Locale>,
        primary: Locale,
        translations: Option<&Vec<ContentTranslation>>,
        audience: Audience,
    ) -> Session {
        let (locale, found) = served(requested, primary, translations);
        Session {
            id: self.id,
            offering_id: self.offering_id,
            title: found.map_or(self.title, |t| t.title.clone()),
            locale,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            place: self.place.filter(|_| audience.participant),
            link: self.link.filter(|_| audience.participant),
            translations: audience
                .editor
                .then(|| translations.cloned().unwrap_or_default()),
        }
    }
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

/// The sessions of an offering by start, as `audience` may see them.
pub(crate) fn of_offering(
    conn: &mut DbConnection,
    offering_id: i64,
    requested: Option<Locale>,
    primary: Locale,
    audience: Audience,
) -> Result<Vec<Session>> {
    let rows: Vec<SessionRow> = offering_sessions::table
        .filter(offering_sessions::offering_id.eq(offering_id))
        .select(SessionRow::as_select())
        .order((
            offering_sessions::starts_at.asc(),
            offering_sessions::id.asc(),
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let translations = content_translations::of_sessions(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let texts = translations.get(&row.id);
            row.view(requested, primary, texts, audience)
        })
        .collect())
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

fn find(conn: &mut DbConnection, id: i64) -> Result<SessionRow> {
    offering_sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(CatalogError::SessionNotFound)
}

/// A session as its editors see it: primary title, place, link and every translation.
fn for_editor(conn: &mut DbConnection, course_id: i64, id: i64) -> Result<Session> {
    let row = find(conn, id)?;
    let primary = content_translations::primary_of(conn, course_id)?;
    let translations = content_translations::of_sessions(conn, &[id])?;
    let audience = Audience {
        participant: true,
        editor: true,
    };
    Ok(row.view(None, primary, translations.get(&id), audience))
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
    for_editor(conn, course.id, id)
}

/// The course of a session, when `actor` may edit it.
fn editable(conn: &mut DbConnection, actor: &User, id: i64) -> Result<i64> {
    let session = find(conn, id)?;
    let (course, _) = visible(conn, Some(actor), session.offering_id)
        .map_err(|_| CatalogError::SessionNotFound)?;
    require_editor(conn, actor, &course)?;
    Ok(course.id)
}

/// Replaces a session's details (editors of its course).
pub fn update(
    conn: &mut DbConnection,
    actor: &User,
    id: i64,
    input: &SessionInput,
) -> Result<Session> {
    let course_id = editable(conn, actor, id)?;
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
    for_editor(conn, course_id, id)
}

/// Gives a session's title in one language (editors of its course); in the course's
/// primary language it is the session's own title.
pub fn put_translation(
    conn: &mut DbConnection,
    actor: &User,
    id: i64,
    locale: Locale,
    input: &ContentTranslationInput,
) -> Result<Session> {
    let course_id = editable(conn, actor, id)?;
    let (title, _) = content_translations::check(input)?;
    if locale == content_translations::primary_of(conn, course_id)? {
        diesel::update(offering_sessions::table.find(id))
            .set(offering_sessions::title.eq(title))
            .execute(conn)?;
    } else {
        content_translations::write_session(conn, id, locale, &title)?;
    }
    for_editor(conn, course_id, id)
}

pub fn delete(conn: &mut DbConnection, actor: &User, id: i64) -> Result<()> {
    editable(conn, actor, id)?;
    diesel::delete(offering_sessions::table.find(id)).execute(conn)?;
    Ok(())
}

/// The offering's sessions as a public RFC 5545 calendar, one event per session, titles
/// in `requested` when translated. Places and links are left out: they are for the
/// people holding a seat, whose own feed carries them ([`personal_calendar`]).
/// `host` makes the event UIDs globally unique (e.g. `aula.ciess.org`).
pub fn calendar(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: Option<&User>,
    offering_id: i64,
    requested: Option<Locale>,
    host: &str,
) -> Result<String> {
    let now = catalog.now();
    let (course, (_, offering)) = visible(conn, actor, offering_id)?;
    let primary = content_translations::primary_of(conn, course.id)?;
    let audience = Audience {
        participant: false,
        editor: false,
    };
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} ({})", course.code, offering.start_date));
    for session in of_offering(conn, offering_id, requested, primary, audience)? {
        calendar.push(event(&session, &course.code, host, now));
    }
    Ok(calendar.done().to_string())
}

fn event(session: &Session, code: &str, host: &str, now: NaiveDateTime) -> icalendar::Event {
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("session-{}@{host}", session.id))
        .timestamp(now.and_utc())
        .summary(&format!("{code} — {}", session.title))
        .starts(session.starts_at.and_utc())
        .ends(session.ends_at.and_utc());
    if let Some(place) = &session.place {
        event.location(place);
    }
    if let Some(link) = &session.link {
        event.url(link);
        event.description(link);
    }
    event.done()
}

/// course code, primary language, venue, online link
type OfferingRooms = (String, Locale, Option<String>, Option<String>);

/// The sessions of the given offerings as one person's calendar, with the places and
/// links of the online rooms (a session's own, else its offering's). The caller
/// decides whose offerings these are.
pub fn personal_calendar(
    conn: &mut DbConnection,
    offering_ids: &[i64],
    name: &str,
    requested: Option<Locale>,
    host: &str,
    now: NaiveDateTime,
) -> Result<String> {
    use aula_db::schema::{courses, offerings};
    let rows: Vec<(SessionRow, OfferingRooms)> = offering_sessions::table
        .inner_join(offerings::table.inner_join(courses::table))
        .filter(offering_sessions::offering_id.eq_any(offering_ids))
        .select((
            SessionRow::as_select(),
            (
                courses::code,
                courses::primary_language,
                offerings::venue,
                offerings::online_link,
            ),
        ))
        .order((
            offering_sessions::starts_at.asc(),
            offering_sessions::id.asc(),
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let translations = content_translations::of_sessions(conn, &ids)?;
    let audience = Audience {
        participant: true,
        editor: false,
    };
    let mut calendar = Calendar::new();
    calendar.name(name);
    for (mut row, (code, primary, venue, online_link)) in rows {
        row.place = row.place.or(venue);
        row.link = row.link.or(online_link);
        let texts = translations.get(&row.id);
        let session = row.view(requested, primary, texts, audience);
        calendar.push(event(&session, &code, host, now));
    }
    Ok(calendar.done().to_string())
}
