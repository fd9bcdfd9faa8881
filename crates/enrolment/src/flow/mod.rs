//! Applications and decisions: every state change goes through here.

mod capacity;
mod decisions;
mod nominations;

use aula_catalog::admission::{is_staff, offering_facts, OfferingFacts};
use aula_catalog::model::AdmissionPolicy;
use aula_core::{FieldCode, Locale, Validation};
use aula_db::{schema::enrolments, DbConnection};
use aula_identity::{users, MembershipCategory, User};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

pub use capacity::change_offering;
pub use decisions::{decide, record_payment, withdraw, Decision, PaymentInput};
pub use nominations::{nominate, NominationInput, Nominations, SkipReason, Skipped};

use crate::{
    access::visible,
    error::{EnrolmentError, Result},
    history::{self, record, Change, Event},
    model::{PaymentStatus, State},
    record::{find, load, Row},
    seats::seat_or_waitlist,
    service::Admissions,
    view::{self, Enrolment},
};

const MAX_REASON_CHARS: usize = 1000;

/// The fee that applies to `user` in an offering: members of CISS pay the member fee.
pub(super) fn fee_for(facts: &OfferingFacts, user: &User) -> i64 {
    let member = user
        .institution
        .as_ref()
        .is_some_and(|i| i.membership_category != MembershipCategory::NonMember);
    if member {
        facts.fee_member
    } else {
        facts.fee_non_member
    }
}

pub(super) fn payment_due(facts: &OfferingFacts, fee: i64, status: PaymentStatus) -> bool {
    crate::allowed::payment_due(facts.payment_required, fee, status)
}

pub(super) fn clean_reason(reason: Option<&str>, required: bool) -> Result<Option<String>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let mut v = Validation::new();
    match reason {
        None if required => v.add("reason", FieldCode::Required),
        Some(r) if r.chars().count() > MAX_REASON_CHARS => v.add("reason", FieldCode::TooLong),
        Some(r) if r.chars().any(|c| c.is_control() && c != '\n') => {
            v.add("reason", FieldCode::Invalid)
        }
        _ => {}
    }
    v.finish().map_err(EnrolmentError::Validation)?;
    Ok(reason.map(str::to_owned))
}

/// The window is kept in UTC; people are told it in the offering's time zone.
pub(super) fn closed(facts: &OfferingFacts) -> EnrolmentError {
    let local = |at: NaiveDateTime| match facts.time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => at
            .and_utc()
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    };
    EnrolmentError::EnrolmentClosed {
        opens: format!("{} ({})", local(facts.opens), facts.time_zone),
        closes: format!("{} ({})", local(facts.closes), facts.time_zone),
    }
}

/// Who enters, how, and where they land.
pub(super) struct Entry<'a> {
    learner: &'a User,
    actor: &'a User,
    to: State,
    nominated_by: Option<i64>,
    reason: Option<&'a str>,
}

/// Creates the enrolment, or re-opens a closed one of the same person (its history
/// continues). Refuses when an active one exists.
pub(super) fn enter(
    conn: &mut DbConnection,
    svc: &Admissions,
    facts: &OfferingFacts,
    entry: Entry<'_>,
    now: NaiveDateTime,
) -> Result<Row> {
    let learner = entry.learner;
    let existing = find(conn, facts.id, learner.id)?;
    if existing.as_ref().is_some_and(|r| !r.state.is_closed()) {
        return Err(EnrolmentError::AlreadyEnrolled);
    }
    let institution_id = learner.institution.as_ref().map(|i| i.id);
    let fee = fee_for(facts, learner);
    let to = match entry.to {
        // A seat is decided here, inside the transaction.
        State::Enrolled => seat_or_waitlist(conn, facts, institution_id)?,
        other => other,
    };
    // The waitlist is ordered by this moment: read the clock now that the offering is
    // locked, not when the request began, or an application that waited for the lock
    // would land ahead of people already told their place.
    let waitlisted_at = (to == State::Waitlisted).then(|| svc.now());
    let values = (
        enrolments::institution_id.eq(institution_id),
        enrolments::state.eq(to.as_str()),
        enrolments::waitlisted_at.eq(waitlisted_at),
        enrolments::fee.eq(fee),
        enrolments::currency.eq(&facts.currency),
        enrolments::nominated_by.eq(entry.nominated_by),
        enrolments::updated_at.eq(now),
    );
    let (id, from) = match existing {
        Some(row) => {
            let changed = diesel::update(
                enrolments::table
                    .filter(enrolments::id.eq(row.id))
                    .filter(enrolments::state.eq(&row.state)),
            )
            .set(values)
            .execute(conn)?;
            if changed != 1 {
                return Err(EnrolmentError::AlreadyEnrolled);
            }
            (row.id, Some(row.state))
        }
        None => {
            let inserted = diesel::insert_into(enrolments::table)
                .values((
                    values,
                    enrolments::offering_id.eq(facts.id),
                    enrolments::user_id.eq(learner.id),
                    enrolments::payment_status.eq(PaymentStatus::Unpaid.as_str()),
                    enrolments::created_at.eq(now),
                ))
                .returning(enrolments::id)
                .get_result(conn);
            match inserted {
                Ok(id) => (id, None),
                // The same person applying twice at once: the other request won.
                Err(e) if aula_db::is_unique_violation(&e) => {
                    return Err(EnrolmentError::AlreadyEnrolled)
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let row = load(conn, id)?;
    record(
        conn,
        svc,
        &row,
        &Change {
            actor: Some(entry.actor.id),
            from,
            to,
            reason: entry.reason,
        },
        now,
    )?;
    Ok(row)
}

/// The body of `POST /offerings/{id}/enrolments`.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct ApplyInput {
    /// Staff only: enrol this person directly, past the window and the policy.
    pub user_id: Option<i64>,
}

/// Applies for the actor, or (staff, with `user_id`) enrols someone directly.
pub fn apply(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    offering_id: i64,
    input: &ApplyInput,
    locale: Option<Locale>,
) -> Result<Enrolment> {
    let now = svc.now();
    let facts = offering_facts(conn, offering_id)?;
    if let Some(user_id) = input.user_id.filter(|id| *id != actor.id) {
        if !is_staff(conn, actor, facts.course_id)? {
            return Err(EnrolmentError::Forbidden);
        }
        let learner = users::get(conn, user_id)?;
        let row = aula_db::transaction(conn, |conn| {
            staff_enrol(conn, svc, &facts, actor, &learner, now)
        })?;
        return view::one(conn, actor, row, locale, now);
    }
    if !facts.course_published {
        return Err(EnrolmentError::OfferingNotFound);
    }
    if !actor.email_verified {
        return Err(EnrolmentError::EmailNotVerified);
    }
    if !facts.window_open(now) {
        return Err(closed(&facts));
    }
    if facts.policy == AdmissionPolicy::InstitutionEndorsed && actor.institution.is_none() {
        return Err(EnrolmentError::InstitutionRequired);
    }
    let to = match facts.policy {
        AdmissionPolicy::Open
            if payment_due(&facts, fee_for(&facts, actor), PaymentStatus::Unpaid) =>
        {
            State::PendingApproval
        }
        AdmissionPolicy::Open => State::Enrolled,
        AdmissionPolicy::Approval => State::PendingApproval,
        AdmissionPolicy::InstitutionEndorsed => State::PendingEndorsement,
    };
    let row = aula_db::transaction(conn, |conn| {
        enter(
            conn,
            svc,
            &facts,
            Entry {
                learner: actor,
                actor,
                to,
                nominated_by: None,
                reason: None,
            },
            now,
        )
    })?;
    view::one(conn, actor, row, locale, now)
}

/// Staff put someone in a seat (or on the waitlist) whatever the window and policy.
pub(crate) fn staff_enrol(
    conn: &mut DbConnection,
    svc: &Admissions,
    facts: &OfferingFacts,
    actor: &User,
    learner: &User,
    now: NaiveDateTime,
) -> Result<Row> {
    enter(
        conn,
        svc,
        facts,
        Entry {
            learner,
            actor,
            to: State::Enrolled,
            nominated_by: None,
            reason: None,
        },
        now,
    )
}

/// One enrolment, for whoever may see it.
pub fn get(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    id: i64,
    locale: Option<Locale>,
) -> Result<Enrolment> {
    let row = load(conn, id)?;
    visible(conn, actor, &row)?;
    view::one(conn, actor, row, locale, svc.now())
}

/// The actor's own enrolment in an offering.
pub fn mine_in(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    offering_id: i64,
    locale: Option<Locale>,
) -> Result<Enrolment> {
    let row = find(conn, offering_id, actor.id)?.ok_or(EnrolmentError::NotFound)?;
    view::one(conn, actor, row, locale, svc.now())
}

/// The history of one enrolment, oldest first.
pub fn history(conn: &mut DbConnection, actor: &User, id: i64) -> Result<Vec<Event>> {
    let row = load(conn, id)?;
    visible(conn, actor, &row)?;
    history::of(conn, id)
}
