//! The vocabularies of certification.

use aula_core::text_enum;

text_enum! {
    /// `participation`: attendance and required lessons; `approval`: those and a
    /// final grade at or above the pass mark.
    Kind { Participation = "participation", Approval = "approval" }
}

text_enum! {
    /// Where a certificate stands. Only `valid` and `suspended` ones are in force: at
    /// most one per enrolment and kind.
    Status {
        Valid = "valid",
        Suspended = "suspended",
        Revoked = "revoked",
        Superseded = "superseded",
    }
}

impl Status {
    pub const IN_FORCE: &'static [Status] = &[Status::Valid, Status::Suspended];
}

text_enum! {
    /// What happened to a certificate, as its history records it.
    Action {
        Issued = "issued",
        Reissued = "reissued",
        Superseded = "superseded",
        Suspended = "suspended",
        Reinstated = "reinstated",
        Revoked = "revoked",
    }
}

text_enum! {
    /// What the public verification says: the stored status, or `expired` once a
    /// valid certificate's expiry date has passed.
    Verdict {
        Valid = "valid",
        Expired = "expired",
        Suspended = "suspended",
        Revoked = "revoked",
        Superseded = "superseded",
    }
}

text_enum! {
    /// A rule of eligibility.
    RuleName {
        Attendance = "attendance",
        RequiredLessons = "required_lessons",
        FinalGrade = "final_grade",
    }
}

text_enum! {
    /// The two status lists a badge points to.
    StatusPurpose { Revocation = "revocation", Suspension = "suspension" }
}
