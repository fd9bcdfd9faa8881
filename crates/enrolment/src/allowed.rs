//! What a person may do to one enrolment now: the one rule that `decide`, `withdraw`,
//! `record_payment` and document uploads enforce, and that every view lists as the
//! enrolment's `actions`, so what people are offered and what they are allowed cannot
//! disagree.

use crate::{
    access::Relation,
    error::{EnrolmentError, Result},
    model::{EnrolmentAction, PaymentStatus, State},
};

/// What the rule reads about one enrolment and the person acting on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Situation {
    pub state: State,
    pub rel: Relation,
    /// The actor is an administrator.
    pub admin: bool,
    /// All three documents are there.
    pub documents_complete: bool,
    pub fee: i64,
    /// The offering wants the fee settled before admission.
    pub payment_required: bool,
    pub payment: PaymentStatus,
}

/// Whether the fee stands between an application and its seat.
pub(crate) fn payment_due(required: bool, fee: i64, status: PaymentStatus) -> bool {
    required && fee > 0 && status == PaymentStatus::Unpaid
}

/// States a learner may withdraw from (and staff remove from).
const WITHDRAWABLE: &[State] = &[
    State::PendingEndorsement,
    State::PendingApproval,
    State::Waitlisted,
    State::Enrolled,
];

/// Allows `action`, or says why not: first who may act, then whether the state allows
/// it, then what the step still needs (documents, a settled fee, a fee at all).
pub(crate) fn check(action: EnrolmentAction, s: &Situation) -> Result<()> {
    use EnrolmentAction as A;
    let rel = s.rel;
    let may_act = match action {
        // Nobody vouches for themselves: a coordinator's own application goes to
        // another coordinator of the institution (or an administrator).
        A::Endorse | A::Decline => rel.coordinator && (!rel.learner || s.admin),
        A::Withdraw => rel.learner || rel.staff,
        A::UploadDocuments => rel.learner,
        A::Admit | A::Reject | A::Complete | A::Fail | A::RecordPayment => rel.staff,
    };
    if !may_act {
        return Err(EnrolmentError::Forbidden);
    }
    let from = s.state;
    let refused = |action: &'static str| {
        Err(EnrolmentError::InvalidTransition {
            from: from.as_str(),
            action,
        })
    };
    match action.decision() {
        Some(decision) if !decision.rule().0.contains(&from) => return refused(decision.as_str()),
        None if action == A::Withdraw && !WITHDRAWABLE.contains(&from) => {
            return refused("withdrawn")
        }
        None if action == A::UploadDocuments && from != State::PendingEndorsement => {
            return refused("given documents")
        }
        _ => {}
    }
    match action {
        A::Endorse if !s.documents_complete => Err(EnrolmentError::DocumentsMissing),
        A::Admit if payment_due(s.payment_required, s.fee, s.payment) => {
            Err(EnrolmentError::PaymentOutstanding)
        }
        A::RecordPayment if s.fee <= 0 => Err(EnrolmentError::NothingToPay),
        _ => Ok(()),
    }
}

/// Every action [`check`] allows, in the vocabulary's order.
pub(crate) fn allowed(s: &Situation) -> Vec<EnrolmentAction> {
    EnrolmentAction::ALL
        .iter()
        .copied()
        .filter(|action| check(*action, s).is_ok())
        .collect()
}
