//! An enrolment as learners, staff and coordinators read it, built for many rows at
//! once with a fixed number of queries.

use std::collections::HashMap;

use aula_catalog::{
    admission::{lessons_of_courses, offering_summaries, sessions_of_offerings, staff_courses},
    model::AdmissionPolicy,
};
use aula_core::Locale;
use aula_db::{
    schema::{attendance, enrolment_documents, enrolment_payments, enrolments, lesson_completions},
    DbConnection,
};
use aula_identity::{users, User};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    access::Relation,
    allowed::{self, Situation},
    error::Result,
    model::{AttendanceStatus, DocumentKind, EnrolmentAction, PaymentStatus, State},
    progress::percent,
    record::Row,
};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    pub id: i64,
    pub full_name: String,
}

impl PersonRef {
    pub(crate) fn of(user: &User) -> Self {
        Self {
            id: user.id,
            full_name: user.full_name.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstitutionRef {
    pub id: i64,
    pub acronym: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Learner {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub institution: Option<InstitutionRef>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentInfo {
    pub kind: DocumentKind,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub uploaded_at: NaiveDateTime,
}

/// One payment status as staff recorded it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaymentRecord {
    pub status: PaymentStatus,
    pub reference: Option<String>,
    pub recorded_by: Option<PersonRef>,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NextSession {
    pub id: i64,
    pub title: String,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub ends_at: NaiveDateTime,
}

/// One person's application to, and place in, one offering.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Enrolment {
    pub id: i64,
    pub offering_id: i64,
    pub course_code: String,
    /// In the reader's language when translated.
    pub course_title: String,
    pub start_date: String,
    pub end_date: String,
    pub time_zone: String,
    pub admission_policy: AdmissionPolicy,
    pub learner: Learner,
    pub state: State,
    /// 1-based place in the waitlist while waitlisted.
    pub waitlist_position: Option<i64>,
    /// When the person joined the waitlist (its order).
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub waitlisted_at: Option<NaiveDateTime>,
    /// In minor units of `currency`.
    pub fee: i64,
    pub currency: String,
    pub payment_status: PaymentStatus,
    pub payment_reference: Option<String>,
    /// Every payment status recorded, oldest first.
    pub payments: Vec<PaymentRecord>,
    pub nominated_by: Option<PersonRef>,
    pub documents: Vec<DocumentInfo>,
    /// All three documents are there.
    pub documents_complete: bool,
    /// Share of the course's required lessons completed, in percent.
    pub progress: i32,
    pub completed_lessons: Vec<i64>,
    /// present ÷ (present + absent), in percent; `null` before anything counts.
    pub attendance_rate: Option<i32>,
    pub next_session: Option<NextSession>,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub last_activity_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub updated_at: NaiveDateTime,
    /// What the reader may do to this enrolment now; the same rule refuses anything
    /// else. `withdraw` is the learner leaving, or staff removing them.
    pub actions: Vec<EnrolmentAction>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = enrolment_payments, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct PaymentRow {
    enrolment_id: i64,
    status: PaymentStatus,
    reference: Option<String>,
    recorded_by: Option<i64>,
    recorded_at: NaiveDateTime,
}

/// Attendance counts of one enrolment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub present: i64,
    pub absent: i64,
    pub excused: i64,
}

impl Tally {
    /// Excused sessions are left out of the denominator.
    pub fn rate(self) -> Option<i32> {
        percent(self.present, self.present + self.absent)
    }
}

pub(crate) fn tallies(conn: &mut DbConnection, ids: &[i64]) -> Result<HashMap<i64, Tally>> {
    let rows: Vec<(i64, AttendanceStatus, i64)> = attendance::table
        .filter(attendance::enrolment_id.eq_any(ids))
        .group_by((attendance::enrolment_id, attendance::status))
        .select((
            attendance::enrolment_id,
            attendance::status,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Tally> = HashMap::new();
    for (id, status, n) in rows {
        let tally = out.entry(id).or_default();
        match status {
            AttendanceStatus::Present => tally.present += n,
            AttendanceStatus::Absent => tally.absent += n,
            AttendanceStatus::Excused => tally.excused += n,
        }
    }
    Ok(out)
}

/// Builds views of `rows` (in their order) for `reader`, in their language.
pub(crate) fn build(
    conn: &mut DbConnection,
    reader: &User,
    rows: Vec<Row>,
    locale: Option<Locale>,
    now: NaiveDateTime,
) -> Result<Vec<Enrolment>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut offering_ids: Vec<i64> = rows.iter().map(|r| r.offering_id).collect();
    offering_ids.sort_unstable();
    offering_ids.dedup();
    let payment_rows: Vec<PaymentRow> = enrolment_payments::table
        .filter(enrolment_payments::enrolment_id.eq_any(&ids))
        .select(PaymentRow::as_select())
        .order(enrolment_payments::id.asc())
        .load(conn)?;
    let mut people: Vec<i64> = rows
        .iter()
        .flat_map(|r| [Some(r.user_id), r.nominated_by])
        .chain(payment_rows.iter().map(|p| p.recorded_by))
        .flatten()
        .collect();
    people.sort_unstable();
    people.dedup();

    let people = users::by_ids(conn, &people)?;
    let offerings = offering_summaries(conn, &offering_ids, locale)?;
    let mut course_ids: Vec<i64> = offerings.values().map(|o| o.course_id).collect();
    course_ids.sort_unstable();
    course_ids.dedup();
    let staff_of = staff_courses(conn, reader, &course_ids)?;
    let lessons = lessons_of_courses(conn, &course_ids)?;
    let sessions = sessions_of_offerings(conn, &offering_ids)?;
    let tallies = tallies(conn, &ids)?;

    let mut documents: HashMap<i64, Vec<DocumentInfo>> = HashMap::new();
    let doc_rows: Vec<(i64, DocumentKind, String, String, i64, NaiveDateTime)> =
        enrolment_documents::table
            .filter(enrolment_documents::enrolment_id.eq_any(&ids))
            .select((
                enrolment_documents::enrolment_id,
                enrolment_documents::kind,
                enrolment_documents::file_name,
                enrolment_documents::content_type,
                enrolment_documents::size_bytes,
                enrolment_documents::uploaded_at,
            ))
            .load(conn)?;
    for (id, kind, file_name, content_type, size, uploaded_at) in doc_rows {
        documents.entry(id).or_default().push(DocumentInfo {
            kind,
            file_name,
            content_type,
            size,
            uploaded_at,
        });
    }
    let mut completions: HashMap<i64, Vec<i64>> = HashMap::new();
    let done: Vec<(i64, i64)> = lesson_completions::table
        .filter(lesson_completions::enrolment_id.eq_any(&ids))
        .select((
            lesson_completions::enrolment_id,
            lesson_completions::lesson_id,
        ))
        .order(lesson_completions::lesson_id.asc())
        .load(conn)?;
    for (id, lesson) in done {
        completions.entry(id).or_default().push(lesson);
    }
    let positions = waitlist_positions(conn, &rows)?;
    let mut payments: HashMap<i64, Vec<PaymentRecord>> = HashMap::new();
    for p in payment_rows {
        payments
            .entry(p.enrolment_id)
            .or_default()
            .push(PaymentRecord {
                status: p.status,
                reference: p.reference,
                recorded_by: p
                    .recorded_by
                    .and_then(|by| people.get(&by))
                    .map(PersonRef::of),
                recorded_at: p.recorded_at,
            });
    }

    Ok(rows
        .into_iter()
        .map(|row| {
            let offering = offerings.get(&row.offering_id);
            let course_id = offering.map(|o| o.course_id);
            let course_lessons: Vec<_> = lessons
                .iter()
                .filter(|l| Some(l.course_id) == course_id)
                .collect();
            let completed = completions.remove(&row.id).unwrap_or_default();
            let progress = crate::progress::progress_of(&course_lessons, &completed);
            let mut docs = documents.remove(&row.id).unwrap_or_default();
            docs.sort_by_key(|d| DocumentKind::ALL.iter().position(|k| *k == d.kind));
            let learner = people.get(&row.user_id);
            let staff = course_id.is_some_and(|id| staff_of.contains(&id));
            let actions = allowed::allowed(&Situation {
                state: row.state,
                rel: Relation::of(reader, &row, staff),
                admin: reader.is_admin(),
                documents_complete: docs.len() == DocumentKind::ALL.len(),
                fee: row.fee,
                payment_required: offering.is_some_and(|o| o.payment_required),
                payment: row.payment_status,
            });
            Enrolment {
                id: row.id,
                offering_id: row.offering_id,
                course_code: offering.map(|o| o.course_code.clone()).unwrap_or_default(),
                course_title: offering.map(|o| o.course_title.clone()).unwrap_or_default(),
                start_date: offering.map(|o| o.start_date.clone()).unwrap_or_default(),
                end_date: offering.map(|o| o.end_date.clone()).unwrap_or_default(),
                time_zone: offering.map(|o| o.time_zone.clone()).unwrap_or_default(),
                admission_policy: offering.map_or(AdmissionPolicy::Approval, |o| o.policy),
                learner: Learner {
                    id: row.user_id,
                    full_name: learner.map(|u| u.full_name.clone()).unwrap_or_default(),
                    email: learner.map(|u| u.email.clone()).unwrap_or_default(),
                    institution: learner.and_then(|u| u.institution.as_ref()).map(|i| {
                        InstitutionRef {
                            id: i.id,
                            acronym: i.acronym.clone(),
                            name: i.name.clone(),
                        }
                    }),
                },
                state: row.state,
                waitlist_position: positions.get(&row.id).copied(),
                waitlisted_at: row.waitlisted_at,
                fee: row.fee,
                currency: row.currency.clone(),
                payment_status: row.payment_status,
                payment_reference: row.payment_reference.clone(),
                payments: payments.remove(&row.id).unwrap_or_default(),
                nominated_by: row
                    .nominated_by
                    .and_then(|id| people.get(&id))
                    .map(PersonRef::of),
                documents_complete: docs.len() == DocumentKind::ALL.len(),
                documents: docs,
                progress,
                completed_lessons: completed,
                attendance_rate: tallies.get(&row.id).copied().unwrap_or_default().rate(),
                next_session: sessions
                    .iter()
                    .find(|s| s.offering_id == row.offering_id && s.ends_at > now)
                    .map(|s| NextSession {
                        id: s.id,
                        title: s.title.clone(),
                        starts_at: s.starts_at,
                        ends_at: s.ends_at,
                    }),
                last_activity_at: row.last_activity_at,
                created_at: row.created_at,
                updated_at: row.updated_at,
                actions,
            }
        })
        .collect())
}

/// 1-based waitlist places of the waitlisted rows, one query per offering involved.
fn waitlist_positions(conn: &mut DbConnection, rows: &[Row]) -> Result<HashMap<i64, i64>> {
    let mut offerings: Vec<i64> = rows
        .iter()
        .filter(|r| r.state == State::Waitlisted)
        .map(|r| r.offering_id)
        .collect();
    offerings.sort_unstable();
    offerings.dedup();
    if offerings.is_empty() {
        return Ok(HashMap::new());
    }
    let queue: Vec<(i64, i64)> = enrolments::table
        .filter(enrolments::offering_id.eq_any(&offerings))
        .filter(enrolments::state.eq(State::Waitlisted.as_str()))
        .order((
            enrolments::offering_id.asc(),
            enrolments::waitlisted_at.asc(),
            enrolments::id.asc(),
        ))
        .select((enrolments::id, enrolments::offering_id))
        .load(conn)?;
    let mut out = HashMap::new();
    let mut current = (0, 0);
    for (id, offering) in queue {
        if current.0 != offering {
            current = (offering, 0);
        }
        current.1 += 1;
        out.insert(id, current.1);
    }
    Ok(out)
}

/// One enrolment's view for `reader`.
pub(crate) fn one(
    conn: &mut DbConnection,
    reader: &User,
    row: Row,
    locale: Option<Locale>,
    now: NaiveDateTime,
) -> Result<Enrolment> {
    build(conn, reader, vec![row], locale, now)?
        .pop()
        .ok_or(crate::EnrolmentError::NotFound)
}
