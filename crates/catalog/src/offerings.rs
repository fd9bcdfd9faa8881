//! Offerings: the cohorts of a course, with dates, enrolment window, seats and fees.

use aula_core::{Locale, Validation};
use aula_db::{schema::offerings, DbConnection};
use aula_identity::User;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Catalog;
use crate::{
    access::{can_edit, course_key, course_key_by_id, require_editor, require_visible, CourseKey},
    content_translations::primary_of,
    error::{CatalogError, Result},
    model::AdmissionPolicy,
    offering_rules::{merge, Values},
    sessions::{self, Audience, Session},
};

/// An offering as an editor sends it: all of `start_date`, `end_date`, the enrolment
/// window, `time_zone`, `capacity`, `admission_policy` and `currency` to create one;
/// only what changes to edit one.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct OfferingInput {
    /// `YYYY-MM-DD`.
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// RFC 3339; stored in UTC.
    pub enrolment_opens_at: Option<DateTime<Utc>>,
    pub enrolment_closes_at: Option<DateTime<Utc>>,
    /// IANA name, e.g. `America/Mexico_City`.
    pub time_zone: Option<String>,
    pub capacity: Option<i32>,
    pub admission_policy: Option<AdmissionPolicy>,
    /// Most seats one institution may take; 0 removes the quota.
    pub institution_quota: Option<i32>,
    /// In minor units of `currency`; 0 is free.
    pub fee_member: Option<i64>,
    pub fee_non_member: Option<i64>,
    /// ISO 4217, e.g. `USD`.
    pub currency: Option<String>,
    /// Where it takes place; an empty string removes it.
    pub venue: Option<String>,
    /// `http(s)://` link of the online room; an empty string removes it.
    pub online_link: Option<String>,
    /// Share of sessions (percent) to attend for a certificate; default 70.
    pub attendance_threshold: Option<i32>,
    /// Pass mark out of 100; default 70.
    pub pass_mark: Option<i32>,
    /// Whether the fee must be settled before a seat is confirmed; default false.
    pub payment_required: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Offering {
    pub id: i64,
    pub course_code: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub enrolment_opens_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub enrolment_closes_at: NaiveDateTime,
    pub time_zone: String,
    pub capacity: i32,
    pub seats_taken: i32,
    pub seats_left: i32,
    /// Whether now is inside the enrolment window.
    pub enrolment_open: bool,
    pub admission_policy: AdmissionPolicy,
    pub institution_quota: Option<i32>,
    pub fee_member: i64,
    pub fee_non_member: i64,
    pub currency: String,
    pub venue: Option<String>,
    /// The online room: only for people holding a seat in the offering and its staff.
    pub online_link: Option<String>,
    pub attendance_threshold: i32,
    pub pass_mark: i32,
    pub payment_required: bool,
    /// The reader holds a seat here or teaches the course: the online link and the
    /// sessions' places and links are included.
    pub participant: bool,
    /// Only in the single-offering view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions: Option<Vec<Session>>,
}

/// A stored date that is not `YYYY-MM-DD` is a broken row, not a date to guess.
fn stored_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        diesel::result::Error::DeserializationError(
            format!("{text:?} is not a stored date: {e}").into(),
        )
        .into()
    })
}

fn to_offering((id, v): (i64, Values), code: &str, now: NaiveDateTime) -> Result<Offering> {
    Ok(Offering {
        id,
        course_code: code.to_owned(),
        start_date: stored_date(&v.start_date)?,
        end_date: stored_date(&v.end_date)?,
        enrolment_opens_at: v.opens,
        enrolment_closes_at: v.closes,
        enrolment_open: v.opens <= now && now < v.closes,
        time_zone: v.time_zone,
        capacity: v.capacity,
        seats_taken: v.seats_taken,
        seats_left: (v.capacity - v.seats_taken).max(0),
        admission_policy: v.policy,
        institution_quota: v.quota,
        fee_member: v.fee_member,
        fee_non_member: v.fee_non_member,
        currency: v.currency,
        venue: v.venue,
        online_link: v.online_link,
        attendance_threshold: v.attendance_threshold,
        pass_mark: v.pass_mark,
        payment_required: v.payment_required,
        participant: false,
        sessions: None,
    })
}

fn load(conn: &mut DbConnection, id: i64) -> Result<(i64, Values)> {
    offerings::table
        .find(id)
        .select((offerings::id, Values::as_select()))
        .first(conn)
        .optional()?
        .ok_or(CatalogError::OfferingNotFound)
}

/// The offering and its course, when `actor` may see the course.
pub(crate) fn visible(
    conn: &mut DbConnection,
    actor: Option<&User>,
    id: i64,
) -> Result<(CourseKey, (i64, Values))> {
    let row = load(conn, id)?;
    let course = course_key_by_id(conn, row.1.course_id)?;
    require_visible(conn, actor, &course).map_err(|_| CatalogError::OfferingNotFound)?;
    Ok((course, row))
}

/// The offerings of a course, by start date.
pub fn list_for_course(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: Option<&User>,
    code: &str,
) -> Result<Vec<Offering>> {
    let now = catalog.now();
    let course = course_key(conn, code)?;
    require_visible(conn, actor, &course)?;
    let editor = match actor {
        Some(actor) => can_edit(conn, actor, &course)?,
        None => false,
    };
    let rows: Vec<(i64, Values)> = offerings::table
        .filter(offerings::course_id.eq(course.id))
        .select((offerings::id, Values::as_select()))
        .order((offerings::start_date.asc(), offerings::id.asc()))
        .load(conn)?;
    // Seat holders find their room in the single-offering view and their enrolments.
    rows.into_iter()
        .map(|r| {
            let mut offering = to_offering(r, &course.code, now)?;
            offering.participant = editor;
            if !editor {
                offering.online_link = None;
            }
            Ok(offering)
        })
        .collect()
}

/// One offering with its sessions (titles in `requested` when translated). Its online
/// link and the sessions' places and links are for the people holding a seat in it
/// and its staff.
pub fn get(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: Option<&User>,
    id: i64,
    requested: Option<Locale>,
) -> Result<Offering> {
    let now = catalog.now();
    let (course, row) = visible(conn, actor, id)?;
    let editor = match actor {
        Some(actor) => can_edit(conn, actor, &course)?,
        None => false,
    };
    let participant = match actor {
        Some(actor) => editor || catalog.enrolments().holds_seat_in(conn, actor.id, id)?,
        None => false,
    };
    let mut offering = to_offering(row, &course.code, now)?;
    offering.participant = participant;
    if !participant {
        offering.online_link = None;
    }
    let primary = primary_of(conn, course.id)?;
    let audience = Audience {
        participant,
        editor,
    };
    offering.sessions = Some(sessions::of_offering(
        conn, id, requested, primary, audience,
    )?);
    Ok(offering)
}

fn write(conn: &mut DbConnection, id: Option<i64>, m: &Values, now: NaiveDateTime) -> Result<i64> {
    let values = (
        offerings::start_date.eq(&m.start_date),
        offerings::end_date.eq(&m.end_date),
        offerings::enrolment_opens_at.eq(m.opens),
        offerings::enrolment_closes_at.eq(m.closes),
        offerings::time_zone.eq(&m.time_zone),
        offerings::capacity.eq(m.capacity),
        offerings::admission_policy.eq(m.policy),
        offerings::institution_quota.eq(m.quota),
        offerings::fee_member.eq(m.fee_member),
        offerings::fee_non_member.eq(m.fee_non_member),
        offerings::currency.eq(&m.currency),
        offerings::venue.eq(&m.venue),
        offerings::online_link.eq(&m.online_link),
        offerings::attendance_threshold.eq(m.attendance_threshold),
        offerings::pass_mark.eq(m.pass_mark),
        offerings::payment_required.eq(m.payment_required),
        offerings::updated_at.eq(now),
    );
    match id {
        Some(id) => {
            diesel::update(offerings::table.find(id))
                .set(values)
                .execute(conn)?;
            Ok(id)
        }
        None => Ok(diesel::insert_into(offerings::table)
            .values((
                values,
                offerings::course_id.eq(m.course_id),
                offerings::created_at.eq(now),
            ))
            .returning(offerings::id)
            .get_result(conn)?),
    }
}

/// Adds an offering to a course (its editors).
pub fn create(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    code: &str,
    input: &OfferingInput,
) -> Result<Offering> {
    crate::read_model::note_change();
    let now = catalog.now();
    let course = course_key(conn, code)?;
    require_editor(conn, actor, &course)?;
    let mut v = Validation::new();
    let merged = merge(&mut v, None, input, course.id);
    v.finish().map_err(CatalogError::Validation)?;
    let id = write(conn, None, &merged.expect("merge returns values"), now)?;
    get(conn, catalog, Some(actor), id, None)
}

/// Changes an offering (editors of its course).
pub fn update(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    id: i64,
    input: &OfferingInput,
) -> Result<Offering> {
    crate::read_model::note_change();
    let now = catalog.now();
    let (course, _) = visible(conn, Some(actor), id)?;
    require_editor(conn, actor, &course)?;
    aula_db::transaction(conn, |conn| {
        // Applications take seats meanwhile: lock the row, then read the seats taken,
        // so the capacity rule judges the value the write will sit beside.
        crate::admission::lock_offering(conn, id)?;
        let (_, current) = load(conn, id)?;
        let mut v = Validation::new();
        let merged = merge(&mut v, Some(current), input, course.id);
        v.finish().map_err(CatalogError::Validation)?;
        write(conn, Some(id), &merged.expect("merge returns values"), now)?;
        get(conn, catalog, Some(actor), id, None)
    })
}

/// Removes an offering nobody has a seat in (editors of its course).
pub fn delete(conn: &mut DbConnection, actor: &User, id: i64) -> Result<()> {
    crate::read_model::note_change();
    let (course, (_, current)) = visible(conn, Some(actor), id)?;
    require_editor(conn, actor, &course)?;
    if current.seats_taken > 0 {
        return Err(CatalogError::OfferingInUse);
    }
    // Applications reference the offering (ON DELETE RESTRICT) even without a seat.
    // In a savepoint: on PostgreSQL a refused statement would abort the caller's
    // transaction.
    match aula_db::transaction(conn, |conn| {
        diesel::delete(offerings::table.find(id)).execute(conn)
    }) {
        Err(e) if aula_db::is_foreign_key_violation(&e) => Err(CatalogError::OfferingInUse),
        other => other.map(drop).map_err(Into::into),
    }
}
