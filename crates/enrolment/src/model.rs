//! The closed vocabularies of enrolment, stored as text.

use aula_core::text_enum;

text_enum! {
    /// Where an application stands. See `docs/enrolment.md` for the transitions.
    State {
        PendingEndorsement = "pending_endorsement",
        PendingApproval = "pending_approval",
        Waitlisted = "waitlisted",
        Enrolled = "enrolled",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
        Completed = "completed",
        Failed = "failed",
    }
}

impl State {
    /// States that count against the offering's capacity.
    pub const SEAT_HOLDING: &'static [State] = &[State::Enrolled, State::Completed, State::Failed];

    pub fn holds_seat(self) -> bool {
        Self::SEAT_HOLDING.contains(&self)
    }

    /// Ended applications; the person may apply again.
    pub fn is_closed(self) -> bool {
        matches!(self, State::Rejected | State::Withdrawn)
    }

    pub(crate) fn texts(states: &[State]) -> Vec<&'static str> {
        states.iter().map(|s| s.as_str()).collect()
    }
}

text_enum! {
    PaymentStatus { Unpaid = "unpaid", Paid = "paid", Scholarship = "scholarship", Waived = "waived" }
}

text_enum! {
    /// The documents an `institution_endorsed` application needs.
    DocumentKind { ApplicationLetter = "application_letter", Cv = "cv", Transcript = "transcript" }
}

text_enum! {
    AttendanceStatus { Present = "present", Absent = "absent", Excused = "excused" }
}

text_enum! {
    /// A decision on an application.
    Action {
        Endorse = "endorse",
        Decline = "decline",
        Admit = "admit",
        Reject = "reject",
        Complete = "complete",
        Fail = "fail",
    }
}

impl Action {
    /// The states the action applies to, and where it leads (`None`: a seat decides).
    pub(crate) fn rule(self) -> (&'static [State], Option<State>) {
        use State::*;
        match self {
            Action::Endorse => (&[PendingEndorsement], Some(PendingApproval)),
            Action::Decline => (&[PendingEndorsement], Some(Rejected)),
            Action::Admit => (&[PendingApproval], None),
            // Someone already enrolled is withdrawn, not rejected: rejection answers an
            // application.
            Action::Reject => (&[PendingApproval, Waitlisted], Some(Rejected)),
            Action::Complete => (&[Enrolled], Some(Completed)),
            Action::Fail => (&[Enrolled], Some(Failed)),
        }
    }

    pub(crate) fn needs_reason(self) -> bool {
        matches!(self, Action::Decline | Action::Reject)
    }
}

text_enum! {
    /// Something a person may do to an enrolment: a decision, withdrawing (the learner)
    /// or removing (staff), recording how the fee was settled, giving the documents.
    /// Each enrolment lists those its reader may take now.
    EnrolmentAction {
        Endorse = "endorse",
        Decline = "decline",
        Admit = "admit",
        Reject = "reject",
        Complete = "complete",
        Fail = "fail",
        Withdraw = "withdraw",
        RecordPayment = "record_payment",
        UploadDocuments = "upload_documents",
    }
}

impl From<Action> for EnrolmentAction {
    fn from(action: Action) -> Self {
        match action {
            Action::Endorse => EnrolmentAction::Endorse,
            Action::Decline => EnrolmentAction::Decline,
            Action::Admit => EnrolmentAction::Admit,
            Action::Reject => EnrolmentAction::Reject,
            Action::Complete => EnrolmentAction::Complete,
            Action::Fail => EnrolmentAction::Fail,
        }
    }
}

impl EnrolmentAction {
    /// The decision this is, if it is one.
    pub(crate) fn decision(self) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| Self::from(*a) == self)
    }
}
