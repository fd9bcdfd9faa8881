//! The one catalogue of machine codes a client can receive: every problem `code` with
//! its HTTP status, and every per-field `code`. Domain errors name one of these; the API
//! words them in four languages from exhaustive matches, so no code ships without its
//! title or message.

/// Declares a closed vocabulary of codes sent as snake_case strings; with `=> status`
/// on every variant it also gets `status()`.
macro_rules! codes {
    (@common $(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal => $status:literal),+ $(,)? }) => {
        codes!(@common $(#[$meta])* $name { $($variant = $text),+ });

        impl $name {
            /// The HTTP status every problem with this code carries.
            pub fn status(self) -> u16 {
                match self { $($name::$variant => $status),+ }
            }
        }
    };
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        codes!(@common $(#[$meta])* $name { $($variant = $text),+ });
    };
}

codes! {
    /// The `code` of a problem document; [`ErrorCode::status`] is its HTTP status.
    ErrorCode {
        // Requests the server cannot read.
        ValidationFailed = "validation_failed" => 422,
        InvalidBody = "invalid_body" => 422,
        MalformedJson = "malformed_json" => 400,
        MalformedBody = "malformed_body" => 400,
        PayloadTooLarge = "payload_too_large" => 413,
        UnsupportedMediaType = "unsupported_media_type" => 415,
        InvalidQuery = "invalid_query" => 400,
        InvalidPath = "invalid_path" => 404,
        ControlCharacter = "control_character" => 400,
        NotFound = "not_found" => 404,
        MethodNotAllowed = "method_not_allowed" => 405,
        // Identity.
        Unauthenticated = "unauthenticated" => 401,
        InvalidToken = "invalid_token" => 401,
        InvalidCredentials = "invalid_credentials" => 401,
        InvalidRefreshToken = "invalid_refresh_token" => 401,
        RefreshTokenReused = "refresh_token_reused" => 401,
        EmailNotVerified = "email_not_verified" => 403,
        AccountDisabled = "account_disabled" => 403,
        Forbidden = "forbidden" => 403,
        TokenInvalid = "token_invalid" => 400,
        UserNotFound = "user_not_found" => 404,
        InstitutionNotFound = "institution_not_found" => 404,
        SelfLockout = "self_lockout" => 409,
        RateLimited = "rate_limited" => 429,
        // Catalog.
        CourseNotFound = "course_not_found" => 404,
        OfferingNotFound = "offering_not_found" => 404,
        SessionNotFound = "session_not_found" => 404,
        ModuleNotFound = "module_not_found" => 404,
        LessonNotFound = "lesson_not_found" => 404,
        TopicNotFound = "topic_not_found" => 404,
        FileNotFound = "file_not_found" => 404,
        NotEnrolled = "not_enrolled" => 403,
        InvalidTransition = "invalid_transition" => 409,
        CourseNotReady = "course_not_ready" => 409,
        OfferingInUse = "offering_in_use" => 409,
        FileTooLarge = "file_too_large" => 413,
        FileTypeNotAllowed = "file_type_not_allowed" => 415,
        // Enrolment.
        EnrolmentNotFound = "enrolment_not_found" => 404,
        DocumentNotFound = "document_not_found" => 404,
        AlreadyEnrolled = "already_enrolled" => 409,
        EnrolmentClosed = "enrolment_closed" => 409,
        InstitutionRequired = "institution_required" => 422,
        DocumentsMissing = "documents_missing" => 409,
        PaymentOutstanding = "payment_outstanding" => 409,
        NothingToPay = "nothing_to_pay" => 409,
        InvalidCsv = "invalid_csv" => 422,
        CalendarFeedNotFound = "calendar_feed_not_found" => 404,
        // Assessment.
        AssignmentNotFound = "assignment_not_found" => 404,
        SubmissionNotFound = "submission_not_found" => 404,
        SubmissionClosed = "submission_closed" => 409,
        DuplicateSubmission = "duplicate_submission" => 409,
        RubricInUse = "rubric_in_use" => 409,
        AssignmentInUse = "assignment_in_use" => 409,
        QuizInUse = "quiz_in_use" => 409,
        QuestionNotFound = "question_not_found" => 404,
        QuizNotFound = "quiz_not_found" => 404,
        AttemptNotFound = "attempt_not_found" => 404,
        QuizClosed = "quiz_closed" => 409,
        NoAttemptsLeft = "no_attempts_left" => 409,
        AttemptClosed = "attempt_closed" => 409,
        // Certification.
        CertificateNotFound = "certificate_not_found" => 404,
        DocumentNotRecognised = "document_not_recognised" => 404,
        BadgeInvalid = "badge_invalid" => 422,
        SignatoryNotFound = "signatory_not_found" => 404,
        NotEligible = "not_eligible" => 409,
        CertificateStatusConflict = "certificate_status_conflict" => 409,
        CertificatePending = "certificate_pending" => 409,
        // The server.
        ServiceUnavailable = "service_unavailable" => 503,
        InternalError = "internal_error" => 500,
    }
}

codes! {
    /// The `code` of one invalid field in a problem's `errors`.
    FieldCode {
        Required = "required",
        TooShort = "too_short",
        TooLong = "too_long",
        TooCommon = "too_common",
        Blank = "blank",
        TooPersonal = "too_personal",
        InvalidEmail = "invalid_email",
        InvalidChoice = "invalid_choice",
        InvalidCountry = "invalid_country",
        Invalid = "invalid",
        NotFound = "not_found",
        Taken = "taken",
        InvalidCode = "invalid_code",
        CodeTaken = "code_taken",
        Immutable = "immutable",
        NotTranslated = "not_translated",
        NotInstructor = "not_instructor",
        CannotRemoveSelf = "cannot_remove_self",
        MustBePositive = "must_be_positive",
        MustNotBeNegative = "must_not_be_negative",
        OutOfRange = "out_of_range",
        BelowSeatsTaken = "below_seats_taken",
        BeforeStart = "before_start",
        BeforeOpening = "before_opening",
        InvalidTimeZone = "invalid_time_zone",
        InvalidCurrency = "invalid_currency",
        InvalidUrl = "invalid_url",
        HttpsRequired = "https_required",
        NotAPermutation = "not_a_permutation",
        WrongType = "wrong_type",
        UnknownField = "unknown_field",
        ControlCharacter = "control_character",
        NotOnRoster = "not_on_roster",
        DuplicateInFile = "duplicate_in_file",
        TooManyRows = "too_many_rows",
        Empty = "empty",
        TooMany = "too_many",
        WrongPassword = "wrong_password",
        ExceedsTotal = "exceeds_total",
        TotalMismatch = "total_mismatch",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_words() {
        let problem: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        let field: Vec<&str> = FieldCode::ALL.iter().map(|c| c.as_str()).collect();
        for codes in [&problem, &field] {
            let mut unique = codes.to_vec();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), codes.len(), "a code is listed twice");
            for code in codes.iter() {
                assert!(
                    code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn codes_serialise_as_their_text() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::from(code.as_str())
            );
        }
        for code in FieldCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::from(code.as_str())
            );
        }
    }

    #[test]
    fn every_problem_status_is_an_http_error() {
        for code in ErrorCode::ALL {
            assert!((400..600).contains(&code.status()), "{code}");
        }
    }
}
