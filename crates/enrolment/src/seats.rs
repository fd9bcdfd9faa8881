//! Seats and the waitlist. Every function runs inside the caller's write transaction.
//!
//! Capacity is one conditional UPDATE on the offering (see `aula_catalog::admission`).
//! That statement also locks the offering row on PostgreSQL until commit (SQLite holds
//! its single writer lock), so the per-institution count that follows cannot race.

use std::collections::HashMap;

use aula_catalog::admission::{lock_offering, release_seat, take_seat, OfferingFacts};
use aula_db::{schema::enrolments, DbConnection};
use chrono::NaiveDateTime;
use diesel::{dsl::count_star, prelude::*};

use crate::{
    error::Result,
    history::{record, Change},
    model::State,
    record::{set_state, Row},
    service::Admissions,
};

/// Seat-holders of each institution in an offering.
fn holders_by_institution(
    conn: &mut DbConnection,
    offering_id: i64,
) -> Result<HashMap<Option<i64>, i64>> {
    let rows: Vec<(Option<i64>, i64)> = enrolments::table
        .filter(enrolments::offering_id.eq(offering_id))
        .filter(enrolments::state.eq_any(State::texts(State::SEAT_HOLDING)))
        .group_by(enrolments::institution_id)
        .select((enrolments::institution_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

fn under_quota(facts: &OfferingFacts, held: &HashMap<Option<i64>, i64>, inst: Option<i64>) -> bool {
    match (facts.institution_quota, inst) {
        (Some(quota), Some(_)) => held.get(&inst).copied().unwrap_or(0) < i64::from(quota),
        // People without an institution are not subject to an institution quota.
        _ => true,
    }
}

/// Takes a seat for a newcomer of `institution_id` not yet counted among the holders:
/// `Enrolled` when capacity and quota allow, else `Waitlisted` (nothing taken).
/// Either way the offering stays locked until the transaction ends, so a caller that
/// stamps `waitlisted_at` after this call hands out waitlist places in commit order.
pub(crate) fn seat_or_waitlist(
    conn: &mut DbConnection,
    facts: &OfferingFacts,
    institution_id: Option<i64>,
) -> Result<State> {
    if !take_seat(conn, facts.id)? {
        // The UPDATE matched nothing, so on PostgreSQL it locked nothing either.
        lock_offering(conn, facts.id)?;
        return Ok(State::Waitlisted);
    }
    if facts.institution_quota.is_some() && institution_id.is_some() {
        let held = holders_by_institution(conn, facts.id)?;
        if !under_quota(facts, &held, institution_id) {
            release_seat(conn, facts.id)?;
            return Ok(State::Waitlisted);
        }
    }
    Ok(State::Enrolled)
}

/// Gives back the seat of someone who just left a seat-holding state, then promotes the
/// first waitlisted person who fits (first come, first served, within their
/// institution's quota). Returns the promoted enrolment's id.
pub(crate) fn free_and_promote(
    conn: &mut DbConnection,
    svc: &Admissions,
    facts: &OfferingFacts,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    release_seat(conn, facts.id)?;
    promote(conn, svc, facts, now)
}

/// Fills free seats from the waitlist, one at a time; returns the last promoted id.
pub(crate) fn promote(
    conn: &mut DbConnection,
    svc: &Admissions,
    facts: &OfferingFacts,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    lock_offering(conn, facts.id)?;
    let queue: Vec<Row> = enrolments::table
        .filter(enrolments::offering_id.eq(facts.id))
        .filter(enrolments::state.eq(State::Waitlisted.as_str()))
        .order((enrolments::waitlisted_at.asc(), enrolments::id.asc()))
        .select(Row::as_select())
        .load(conn)?;
    if queue.is_empty() {
        return Ok(None);
    }
    let mut held = holders_by_institution(conn, facts.id)?;
    let mut promoted = None;
    for row in queue {
        if !under_quota(facts, &held, row.institution_id) {
            continue;
        }
        if !take_seat(conn, facts.id)? {
            break;
        }
        set_state(conn, row.id, State::Waitlisted, State::Enrolled, now)?;
        record(
            conn,
            svc,
            &row,
            &Change {
                actor: None,
                from: Some(State::Waitlisted),
                to: State::Enrolled,
                reason: None,
            },
            now,
        )?;
        *held.entry(row.institution_id).or_default() += 1;
        promoted = Some(row.id);
    }
    Ok(promoted)
}
