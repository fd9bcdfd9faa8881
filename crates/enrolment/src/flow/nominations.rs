//! Nominations by coordinators.

use aula_catalog::{admission::offering_facts, model::AdmissionPolicy};
use aula_core::{FieldCode, Locale};
use aula_db::DbConnection;
use aula_identity::{users, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{closed, enter, fee_for, payment_due, Entry};
use crate::{
    access::require_coordinator,
    error::{EnrolmentError, Result},
    model::{PaymentStatus, State},
    service::Admissions,
    view::{self, Enrolment},
};

/// The body of `POST /offerings/{id}/nominations`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NominationInput {
    pub user_ids: Vec<i64>,
}

aula_core::text_enum! {
    /// Why a nominee was left out.
    SkipReason {
        NotFound = "not_found",
        NotInYourInstitution = "not_in_your_institution",
        AlreadyEnrolled = "already_enrolled",
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Skipped {
    pub user_id: i64,
    pub code: SkipReason,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Nominations {
    pub created: Vec<Enrolment>,
    pub skipped: Vec<Skipped>,
}

/// A coordinator puts staff of their institution forward. Their endorsement is implied:
/// each nominee goes straight to staff approval (to a seat for `open` offerings).
pub fn nominate(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    offering_id: i64,
    input: &NominationInput,
    locale: Option<Locale>,
) -> Result<Nominations> {
    let institution = require_coordinator(actor)?;
    let now = svc.now();
    if input.user_ids.is_empty() {
        return Err(EnrolmentError::field("user_ids", FieldCode::Required));
    }
    if input.user_ids.len() > 200 {
        return Err(EnrolmentError::field("user_ids", FieldCode::TooMany));
    }
    let facts = offering_facts(conn, offering_id)?;
    if !facts.course_published {
        return Err(EnrolmentError::OfferingNotFound);
    }
    if !facts.window_open(now) {
        return Err(closed(&facts));
    }
    let mut ids = input.user_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    let people = users::by_ids(conn, &ids)?;
    let (rows, skipped) = aula_db::transaction(conn, |conn| {
        let (mut rows, mut skipped) = (Vec::new(), Vec::new());
        for id in &ids {
            let Some(person) = people.get(id) else {
                skipped.push(Skipped {
                    user_id: *id,
                    code: SkipReason::NotFound,
                });
                continue;
            };
            if person.institution.as_ref().map(|i| i.id) != Some(institution) {
                skipped.push(Skipped {
                    user_id: *id,
                    code: SkipReason::NotInYourInstitution,
                });
                continue;
            }
            let to = match facts.policy {
                AdmissionPolicy::Open
                    if !payment_due(&facts, fee_for(&facts, person), PaymentStatus::Unpaid) =>
                {
                    State::Enrolled
                }
                _ => State::PendingApproval,
            };
            let entry = Entry {
                learner: person,
                actor,
                to,
                nominated_by: Some(actor.id),
                reason: None,
            };
            // A savepoint per person: a simultaneous nomination of the same person must
            // not abort the whole transaction on PostgreSQL.
            match aula_db::transaction(conn, |conn| enter(conn, svc, &facts, entry, now)) {
                Ok(row) => rows.push(row),
                Err(EnrolmentError::AlreadyEnrolled) => skipped.push(Skipped {
                    user_id: *id,
                    code: SkipReason::AlreadyEnrolled,
                }),
                Err(e) => return Err(e),
            }
        }
        Ok((rows, skipped))
    })?;
    Ok(Nominations {
        created: view::build(conn, actor, rows, locale, now)?,
        skipped,
    })
}
