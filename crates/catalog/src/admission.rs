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
    access::{is_instructor_of, teaches},
    error::{CatalogError, Result},
    model::{AdmissionPolicy, CourseStatus},
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
    /// Final grade (out of 100) needed to pass.
    pub pass_mark: i32,
    /// Share of sessions (percent) to attend for a certificate.
    pub attendance_threshold: i32,
    /// The course's hours, as printed on certificates.
    pub hours: i32,
}

impl OfferingFacts {
    pub fn window_open(&self, now: NaiveDateTime) -> bool {
        self.opens <= now && now < self.closes
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = offerings, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct FactRow {
    id: i64,
    course_id: i64,
    #[diesel(select_expression = courses::code)]
    course_code: String,
    #[diesel(select_expression = courses::status)]
    course_status: CourseStatus,
    admission_policy: AdmissionPolicy,
    capacity: i32,
    seats_taken: i32,
    institution_quota: Option<i32>,
    enrolment_opens_at: NaiveDateTime,
    enrolment_closes_at: NaiveDateTime,
    time_zone: String,
    fee_member: i64,
    fee_non_member: i64,
    currency: String,
    payment_required: bool,
    pass_mark: i32,
    attendance_threshold: i32,
    #[diesel(select_expression = courses::hours)]
    hours: i32,
}

pub fn offering_facts(conn: &mut DbConnection, offering_id: i64) -> Result<OfferingFacts> {
    let row = offerings::table
        .inner_join(courses::table)
        .filter(offerings::id.eq(offering_id))
        .select(FactRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(CatalogError::OfferingNotFound)?;
    Ok(OfferingFacts {
        id: row.id,
        course_id: row.course_id,
        course_published: row.course_status == CourseStatus::Published,
        course_code: row.course_code,
        policy: row.admission_policy,
        capacity: row.capacity,
        seats_taken: row.seats_taken,
        institution_quota: row.institution_quota,
        opens: row.enrolment_opens_at,
        closes: row.enrolment_closes_at,
        time_zone: row.time_zone,
        fee_member: row.fee_member,
        fee_non_member: row.fee_non_member,
        currency: row.currency,
        payment_required: row.payment_required,
        pass_mark: row.pass_mark,
        attendance_threshold: row.attendance_threshold,
        hours: row.hours,
    })
}

/// Takes one seat if one is left: a single conditional statement, so two requests can
/// never both take the last seat. On PostgreSQL the offering row stays locked until the
/// caller's transaction ends, which serialises every seat change of this offering.
pub fn take_seat(conn: &mut DbConnection, offering_id: i64) -> Result<bool> {
    crate::read_model::note_change();
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
    crate::read_model::note_change();
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

#[derive(Queryable, Selectable)]
#[diesel(table_name = offerings, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct SummaryRow {
    id: i64,
    course_id: i64,
    #[diesel(select_expression = courses::code)]
    course_code: String,
    #[diesel(select_expression = courses::primary_language)]
    primary_language: Locale,
    start_date: String,
    end_date: String,
    time_zone: String,
    admission_policy: AdmissionPolicy,
    payment_required: bool,
    venue: Option<String>,
    online_link: Option<String>,
}

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
        .select(SummaryRow::as_select())
        .load(conn)?;
    let course_ids: Vec<i64> = rows.iter().map(|r| r.course_id).collect();
    let translations = translations_of(conn, &course_ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let texts = translations
                .get(&row.course_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let (_, found) = pick(texts, locale, row.primary_language);
            let summary = OfferingSummary {
                id: row.id,
                course_id: row.course_id,
                course_title: found
                    .map(|t| t.title.clone())
                    .unwrap_or(row.course_code.clone()),
                course_code: row.course_code,
                start_date: row.start_date,
                end_date: row.end_date,
                time_zone: row.time_zone,
                policy: row.admission_policy,
                payment_required: row.payment_required,
                venue: row.venue,
                online_link: row.online_link,
            };
            (row.id, summary)
        })
        .collect())
}

/// A lesson as progress counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = lessons, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct LessonFact {
    pub id: i64,
    #[diesel(select_expression = course_modules::course_id)]
    pub course_id: i64,
    pub required: bool,
}

/// The lessons of the given courses.
pub fn lessons_of_courses(conn: &mut DbConnection, course_ids: &[i64]) -> Result<Vec<LessonFact>> {
    Ok(lessons::table
        .inner_join(course_modules::table)
        .filter(course_modules::course_id.eq_any(course_ids))
        .select(LessonFact::as_select())
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
    let rows: Vec<(SessionRow, Locale)> = offering_sessions::table
        .inner_join(offerings::table.inner_join(courses::table))
        .filter(offering_sessions::offering_id.eq_any(offering_ids))
        .select((SessionRow::as_select(), courses::primary_language))
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
            row.view(requested, primary, texts, audience)
        })
        .collect())
}

/// How many sessions the offering has (what attendance is counted over).
pub fn session_count(conn: &mut DbConnection, offering_id: i64) -> Result<i64> {
    Ok(offering_sessions::table
        .filter(offering_sessions::offering_id.eq(offering_id))
        .count()
        .get_result(conn)?)
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
