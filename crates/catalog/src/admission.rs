//! What enrolment needs from the catalog: the rules of an offering, its seat counter,
//! short descriptions of offerings for lists, and the lessons and sessions that
//! progress and attendance are counted over. Enrolment reaches catalog tables only
//! through these functions.

use std::collections::HashMap;

use aula_core::Locale;
use aula_db::{
    schema::{course_modules, courses, lessons, offering_sessions, offerings},
    DbConnection,
};
use aula_identity::User;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    access::{is_instructor_of, teaches, CourseKey},
    error::{CatalogError, Result},
    model::AdmissionPolicy,
    sessions::{Audience, Session, SessionRow},
    view::{pick, translations_of},
};

/// The rules an application to an offering is checked against.
#[derive(Debug, Clone)]
pub struct OfferingFacts {
    pub id: i64,
    pub course_id: i64,
    pub course_code: String,
    pub course_published: bool,
    pub policy: AdmissionPolicy,
    pub capacity: i32,
    pub seats_taken: i32,
    pub institution_quota: Option<i32>,
    pub opens: NaiveDateTime,
    pub closes: NaiveDateTime,
    pub time_zone: String,
    pub fee_member: i64,
    pub fee_non_member: i64,
    pub currency: String,
    pub payment_required: bool,
}

impl OfferingFacts {
    pub fn window_open(&self, now: NaiveDateTime) -> bool {
        self.opens <= now && now < self.closes
    }
}

type FactRow = (
    i64,
    i64,
    String,
    String,
    String,
    i32,
    i32,
    Option<i32>,
    NaiveDateTime,
    NaiveDateTime,
    String,
    (i64, i64, String, bool),
);

pub fn offering_facts(conn: &mut DbConnection, offering_id: i64) -> Result<OfferingFacts> {
    let row: FactRow = offerings::table
        .inner_join(courses::table)
        .filter(offerings::id.eq(offering_id))
        .select((
            offerings::id,
            courses::id,
            courses::code,
            courses::status,
            offerings::admission_policy,
            offerings::capacity,
            offerings::seats_taken,
            offerings::institution_quota,
            offerings::enrolment_opens_at,
            offerings::enrolment_closes_at,
            offerings::time_zone,
            (
                offerings::fee_member,
                offerings::fee_non_member,
                offerings::currency,
                offerings::payment_required,
            ),
        ))
        .first(conn)
        .optional()?
        .ok_or(CatalogError::OfferingNotFound)?;
    let (id, course_id, code, status, policy, capacity, seats_taken, quota, opens, closes, tz, f) =
        row;
    Ok(OfferingFacts {
        id,
        course_id,
        course_published: CourseKey {
            id: course_id,
            code: code.clone(),
            status,
        }
        .is_published(),
        course_code: code,
        policy: policy.parse().unwrap_or(AdmissionPolicy::Approval),
        capacity,
        seats_taken,
        institution_quota: quota,
        opens,
        closes,
        time_zone: tz,
        fee_member: f.0,
        fee_non_member: f.1,
        currency: f.2,
        payment_required: f.3,
    })
}

/// Takes one seat if one is left: a single conditional statement, so two requests can
/// never both take the last seat. On PostgreSQL the offering row stays locked until the
/// caller's transaction ends, which serialises every seat change of this offering.
pub fn take_seat(conn: &mut DbConnection, offering_id: i64) -> Result<bool> {
    let updated = diesel::update(
        offerings::table
            .filter(offerings::id.eq(offering_id))
            .filter(offerings::seats_taken.lt(offerings::capacity)),
    )
    .set(offerings::seats_taken.eq(offerings::seats_taken + 1))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Gives one seat back.
pub fn release_seat(conn: &mut DbConnection, offering_id: i64) -> Result<()> {
    diesel::update(
        offerings::table
            .filter(offerings::id.eq(offering_id))
            .filter(offerings::seats_taken.gt(0)),
    )
    .set(offerings::seats_taken.eq(offerings::seats_taken - 1))
    .execute(conn)?;
    Ok(())
}

/// Locks the offering row for the rest of the transaction (a no-op write), so that
/// freeing and promoting happen one at a time per offering on PostgreSQL too.
pub fn lock_offering(conn: &mut DbConnection, offering_id: i64) -> Result<()> {
    diesel::update(offerings::table.filter(offerings::id.eq(offering_id)))
        .set(offerings::seats_taken.eq(offerings::seats_taken))
        .execute(conn)?;
    Ok(())
}

/// The offerings of a course.
pub fn offerings_of_course(conn: &mut DbConnection, course_id: i64) -> Result<Vec<i64>> {
    Ok(offerings::table
        .filter(offerings::course_id.eq(course_id))
        .select(offerings::id)
        .load(conn)?)
}

/// The offerings of the course with `code` (any case); none when there is no such course.
pub fn offerings_of_course_code(conn: &mut DbConnection, code: &str) -> Result<Vec<i64>> {
    use aula_db::schema::courses;
    Ok(offerings::table
        .inner_join(courses::table.on(courses::id.eq(offerings::course_id)))
        .filter(courses::code.eq(code.trim().to_uppercase()))
        .select(offerings::id)
        .load(conn)?)
}

/// Administrators and the instructors of the offering's course.
pub fn is_staff(conn: &mut DbConnection, actor: &User, course_id: i64) -> Result<bool> {
    Ok(actor.is_admin() || is_instructor_of(conn, actor, course_id)?)
}

/// Of `course_ids`, those `actor` is staff of (all of them for an administrator), in
/// at most one query.
pub fn staff_courses(
    conn: &mut DbConnection,
    actor: &User,
    course_ids: &[i64],
) -> Result<Vec<i64>> {
    use aula_db::schema::course_instructors;
    if actor.is_admin() {
        return Ok(course_ids.to_vec());
    }
    if !teaches(actor) {
        return Ok(Vec::new());
    }
    Ok(course_instructors::table
        .filter(course_instructors::user_id.eq(actor.id))
        .filter(course_instructors::course_id.eq_any(course_ids))
        .select(course_instructors::course_id)
        .load(conn)?)
}

/// The offerings of every course `actor` teaches (none without the instructor role).
pub fn offerings_taught_by(conn: &mut DbConnection, actor: &User) -> Result<Vec<i64>> {
    use aula_db::schema::course_instructors;
    if !teaches(actor) {
        return Ok(Vec::new());
    }
    let user_id = actor.id;
    Ok(offerings::table
        .inner_join(
            course_instructors::table.on(course_instructors::course_id.eq(offerings::course_id)),
        )
        .filter(course_instructors::user_id.eq(user_id))
        .select(offerings::id)
        .load(conn)?)
}

/// How lists name an offering.
#[derive(Debug, Clone)]
pub struct OfferingSummary {
    pub id: i64,
    pub course_id: i64,
    pub course_code: String,
    /// In the requested language when translated, else the course's primary one.
    pub course_title: String,
    pub start_date: String,
    pub end_date: String,
    pub time_zone: String,
    pub policy: AdmissionPolicy,
    /// The fee must be settled before admission.
    pub payment_required: bool,
    pub venue: Option<String>,
    /// The online room; for the people holding a seat and staff only.
    pub online_link: Option<String>,
}

/// offering, course, code, primary language, start, end, zone, policy, payment required,
/// (venue, online link)
type SummaryRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    (Option<String>, Option<String>),
);

/// Summaries of the given offerings, in two queries whatever their number.
pub fn offering_summaries(
    conn: &mut DbConnection,
    ids: &[i64],
    locale: Option<Locale>,
) -> Result<HashMap<i64, OfferingSummary>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<SummaryRow> = offerings::table
        .inner_join(courses::table)
        .filter(offerings::id.eq_any(ids))
        .select((
            offerings::id,
            courses::id,
            courses::code,
            courses::primary_language,
            offerings::start_date,
            offerings::end_date,
            offerings::time_zone,
            offerings::admission_policy,
            offerings::payment_required,
            (offerings::venue, offerings::online_link),
        ))
        .load(conn)?;
    let course_ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
    let translations = translations_of(conn, &course_ids)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, course_id, code, primary, start, end, tz, policy, pay_first, (venue, link))| {
                let texts = translations
                    .get(&course_id)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let (_, found) = pick(texts, locale, primary.parse().unwrap_or_default());
                let summary = OfferingSummary {
                    id,
                    course_id,
                    course_title: found.map(|t| t.title.clone()).unwrap_or(code.clone()),
                    course_code: code,
                    start_date: start,
                    end_date: end,
                    time_zone: tz,
                    policy: policy.parse().unwrap_or(AdmissionPolicy::Approval),
                    payment_required: pay_first,
                    venue,
                    online_link: link,
                };
                (id, summary)
            },
        )
        .collect())
}

/// A lesson as progress counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct LessonFact {
    pub id: i64,
    pub course_id: i64,
    pub required: bool,
}

/// The lessons of the given courses.
pub fn lessons_of_courses(conn: &mut DbConnection, course_ids: &[i64]) -> Result<Vec<LessonFact>> {
    Ok(lessons::table
        .inner_join(course_modules::table)
        .filter(course_modules::course_id.eq_any(course_ids))
        .select((lessons::id, course_modules::course_id, lessons::required))
        .load(conn)?)
}

/// The course a lesson belongs to.
pub fn course_of_lesson(conn: &mut DbConnection, lesson_id: i64) -> Result<i64> {
    lessons::table
        .inner_join(course_modules::table)
        .filter(lessons::id.eq(lesson_id))
        .select(course_modules::course_id)
        .first(conn)
        .optional()?
        .ok_or(CatalogError::LessonNotFound)
}

/// The sessions of the given offerings, by start, titles in `requested` when
/// translated, with their places and links: the caller decides who sees those.
pub fn sessions_of_offerings(
    conn: &mut DbConnection,
    offering_ids: &[i64],
    requested: Option<Locale>,
) -> Result<Vec<Session>> {
    let rows: Vec<(SessionRow, String)> = offering_sessions::table
        .inner_join(offerings::table.inner_join(courses::table))
        .filter(offering_sessions::offering_id.eq_any(offering_ids))
        .select((session_columns(), courses::primary_language))
        .order((
            offering_sessions::starts_at.asc(),
            offering_sessions::id.asc(),
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let translations = crate::content_translations::of_sessions(conn, &ids)?;
    let audience = Audience {
        participant: true,
        editor: false,
    };
    Ok(rows
        .into_iter()
        .map(|(row, primary)| {
            let texts = translations.get(&row.id);
            row.view(
                requested,
                primary.parse().unwrap_or_default(),
                texts,
                audience,
            )
        })
        .collect())
}

fn session_columns() -> crate::sessions::Columns {
    crate::sessions::COLUMNS
}

/// The offering a session belongs to.
pub fn offering_of_session(conn: &mut DbConnection, session_id: i64) -> Result<i64> {
    offering_sessions::table
        .find(session_id)
        .select(offering_sessions::offering_id)
        .first(conn)
        .optional()?
        .ok_or(CatalogError::SessionNotFound)
}
