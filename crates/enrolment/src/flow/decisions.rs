//! Decisions on an application, withdrawals and payments.

use aula_core::{FieldCode, Locale};
use aula_db::{
    schema::{enrolment_payments, enrolments},
    DbConnection,
};
use aula_identity::User;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use super::clean_reason;
use crate::{
    access::situation,
    allowed,
    error::{EnrolmentError, Result},
    history::{record, Change},
    model::{Action, EnrolmentAction, PaymentStatus, State},
    record::{load, set_state},
    seats::{free_and_promote, seat_or_waitlist},
    service::Admissions,
    view::{self, Enrolment},
};

/// The body of a decision.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct Decision {
    /// Shown to the learner; required to decline or reject.
    pub reason: Option<String>,
}

/// Applies a decision of a coordinator (endorse, decline) or of staff (the rest).
pub fn decide(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    id: i64,
    action: Action,
    input: &Decision,
    locale: Option<Locale>,
) -> Result<Enrolment> {
    let now = svc.now();
    let row = aula_db::transaction(conn, |conn| {
        let row = load(conn, id)?;
        let (facts, situation) = situation(conn, actor, &row)?;
        // Checked once the actor may see the enrolment: strangers learn nothing.
        let reason = clean_reason(input.reason.as_deref(), action.needs_reason())?;
        allowed::check(action.into(), &situation)?;
        let from = row.state;
        let to = match action.rule().1 {
            Some(to) => to,
            None => seat_or_waitlist(conn, &facts, row.institution_id)?,
        };
        // A waitlist place is stamped under the offering's lock, as in `enter`.
        let at = if to == State::Waitlisted {
            svc.now()
        } else {
            now
        };
        if !set_state(conn, row.id, from, to, at)? {
            // Someone else decided in between; nothing was written.
            return Err(EnrolmentError::InvalidTransition {
                from: from.as_str(),
                action: action.as_str(),
            });
        }
        record(
            conn,
            svc,
            &row,
            &Change {
                actor: Some(actor.id),
                from: Some(from),
                to,
                reason: reason.as_deref(),
            },
            now,
        )?;
        if from.holds_seat() && !to.holds_seat() {
            free_and_promote(conn, svc, &facts, now)?;
        }
        load(conn, id)
    })?;
    view::one(conn, actor, row, locale, now)
}

/// Withdraws: the learner leaves, or staff remove them. A held seat goes to the first
/// person on the waitlist.
pub fn withdraw(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    id: i64,
    input: &Decision,
    locale: Option<Locale>,
) -> Result<Enrolment> {
    let now = svc.now();
    let reason = clean_reason(input.reason.as_deref(), false)?;
    let row = aula_db::transaction(conn, |conn| {
        let row = load(conn, id)?;
        let (facts, situation) = situation(conn, actor, &row)?;
        allowed::check(EnrolmentAction::Withdraw, &situation)?;
        let from = row.state;
        if !set_state(conn, row.id, from, State::Withdrawn, now)? {
            // Someone else changed it in between; nothing was written.
            return Err(EnrolmentError::InvalidTransition {
                from: from.as_str(),
                action: "withdrawn",
            });
        }
        record(
            conn,
            svc,
            &row,
            &Change {
                actor: Some(actor.id),
                from: Some(from),
                to: State::Withdrawn,
                reason: reason.as_deref(),
            },
            now,
        )?;
        if from.holds_seat() {
            free_and_promote(conn, svc, &facts, now)?;
        }
        load(conn, id)
    })?;
    view::one(conn, actor, row, locale, now)
}

/// The body of `PUT /enrolments/{id}/payment`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PaymentInput {
    pub status: PaymentStatus,
    /// Receipt, transfer or scholarship reference; at most 200 characters.
    pub reference: Option<String>,
}

/// Staff record how the fee was settled.
pub fn record_payment(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    id: i64,
    input: &PaymentInput,
    locale: Option<Locale>,
) -> Result<Enrolment> {
    let now = svc.now();
    let reference = input
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if reference.is_some_and(|r| r.chars().count() > 200) {
        return Err(EnrolmentError::field("reference", FieldCode::TooLong));
    }
    let row = aula_db::transaction(conn, |conn| {
        let row = load(conn, id)?;
        let (_, situation) = situation(conn, actor, &row)?;
        allowed::check(EnrolmentAction::RecordPayment, &situation)?;
        diesel::update(enrolments::table.find(id))
            .set((
                enrolments::payment_status.eq(input.status.as_str()),
                enrolments::payment_reference.eq(reference),
                enrolments::updated_at.eq(now),
            ))
            .execute(conn)?;
        // The enrolment holds the latest status; every record is kept beside it.
        diesel::insert_into(enrolment_payments::table)
            .values((
                enrolment_payments::enrolment_id.eq(id),
                enrolment_payments::status.eq(input.status.as_str()),
                enrolment_payments::reference.eq(reference),
                enrolment_payments::recorded_by.eq(Some(actor.id)),
                enrolment_payments::recorded_at.eq(now),
            ))
            .execute(conn)?;
        load(conn, id)
    })?;
    view::one(conn, actor, row, locale, now)
}
