//! Attendance per session, recorded by staff for the whole roster at once.

use aula_core::FieldCode;
use std::collections::HashMap;

use aula_catalog::admission::offering_of_session;
use aula_db::{
    schema::{attendance, enrolments},
    DbConnection,
};
use aula_identity::{users, User};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access::require_staff,
    error::{EnrolmentError, Result},
    model::{AttendanceStatus, State},
    service::Admissions,
    view::tallies,
};

/// One line of the sheet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetLine {
    pub enrolment_id: i64,
    pub learner_id: i64,
    pub full_name: String,
    pub institution: Option<String>,
    /// `null` until recorded.
    pub status: Option<AttendanceStatus>,
    /// The learner's rate over all recorded sessions of the offering.
    pub attendance_rate: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sheet {
    pub session_id: i64,
    pub offering_id: i64,
    pub lines: Vec<SheetLine>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Record {
    pub enrolment_id: i64,
    pub status: AttendanceStatus,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SheetInput {
    pub records: Vec<Record>,
}

/// The people with a seat, by name, and their status for this session.
pub fn sheet(conn: &mut DbConnection, actor: &User, session_id: i64) -> Result<Sheet> {
    let offering_id = offering_of_session(conn, session_id)?;
    require_staff(conn, actor, offering_id)?;
    build(conn, session_id, offering_id)
}

fn build(conn: &mut DbConnection, session_id: i64, offering_id: i64) -> Result<Sheet> {
    let seats: Vec<(i64, i64)> = enrolments::table
        .filter(enrolments::offering_id.eq(offering_id))
        .filter(enrolments::state.eq_any(State::texts(State::SEAT_HOLDING)))
        .select((enrolments::id, enrolments::user_id))
        .load(conn)?;
    let ids: Vec<i64> = seats.iter().map(|s| s.0).collect();
    let people: Vec<i64> = seats.iter().map(|s| s.1).collect();
    let people = users::by_ids(conn, &people)?;
    let statuses: HashMap<i64, AttendanceStatus> = attendance::table
        .filter(attendance::session_id.eq(session_id))
        .filter(attendance::enrolment_id.eq_any(&ids))
        .select((attendance::enrolment_id, attendance::status))
        .load::<(i64, AttendanceStatus)>(conn)?
        .into_iter()
        .collect();
    let tallies = tallies(conn, &ids)?;
    let mut lines: Vec<SheetLine> = seats
        .into_iter()
        .map(|(enrolment_id, user_id)| {
            let person = people.get(&user_id);
            SheetLine {
                enrolment_id,
                learner_id: user_id,
                full_name: person.map(|p| p.full_name.clone()).unwrap_or_default(),
                institution: person
                    .and_then(|p| p.institution.as_ref())
                    .map(|i| i.acronym.clone()),
                status: statuses.get(&enrolment_id).copied(),
                attendance_rate: tallies
                    .get(&enrolment_id)
                    .copied()
                    .unwrap_or_default()
                    .rate(),
            }
        })
        .collect();
    lines.sort_by_key(|l| l.full_name.to_lowercase());
    Ok(Sheet {
        session_id,
        offering_id,
        lines,
    })
}

/// Records (or changes) the statuses given, all or none.
pub fn record(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    session_id: i64,
    input: &SheetInput,
) -> Result<Sheet> {
    let now = svc.now();
    let offering_id = offering_of_session(conn, session_id)?;
    require_staff(conn, actor, offering_id)?;
    if input.records.len() > 2_000 {
        return Err(EnrolmentError::field("records", FieldCode::TooMany));
    }
    aula_db::transaction(conn, |conn| {
        let seats: Vec<i64> = enrolments::table
            .filter(enrolments::offering_id.eq(offering_id))
            .filter(enrolments::state.eq_any(State::texts(State::SEAT_HOLDING)))
            .select(enrolments::id)
            .load(conn)?;
        let mut v = aula_core::Validation::new();
        for (i, r) in input.records.iter().enumerate() {
            if !seats.contains(&r.enrolment_id) {
                v.add(
                    &format!("records[{i}].enrolment_id"),
                    FieldCode::NotOnRoster,
                );
            }
        }
        v.finish().map_err(EnrolmentError::Validation)?;
        for r in &input.records {
            diesel::delete(
                attendance::table
                    .filter(attendance::session_id.eq(session_id))
                    .filter(attendance::enrolment_id.eq(r.enrolment_id)),
            )
            .execute(conn)?;
            diesel::insert_into(attendance::table)
                .values((
                    attendance::session_id.eq(session_id),
                    attendance::enrolment_id.eq(r.enrolment_id),
                    attendance::status.eq(r.status.as_str()),
                    attendance::recorded_by.eq(Some(actor.id)),
                    attendance::recorded_at.eq(now),
                ))
                .execute(conn)?;
        }
        build(conn, session_id, offering_id)
    })
}
