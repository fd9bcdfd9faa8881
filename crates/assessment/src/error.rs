use aula_core::{ErrorCode, FieldCode, FieldError};

/// Everything assessment rules can refuse. The API maps each variant to a status and a
/// stable machine code.
#[derive(Debug, thiserror::Error)]
pub enum AssessmentError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// The assignment does not exist, or the actor may not see it.
    #[error("the assignment does not exist or is not visible")]
    NotFound,
    #[error("the offering does not exist or is not visible")]
    OfferingNotFound,
    #[error("the submission does not exist or is not visible")]
    SubmissionNotFound,
    #[error("the file does not exist or is not visible")]
    FileNotFound,
    #[error("the quiz has attempts: it cannot be deleted")]
    QuizInUse,
    #[error("the question does not exist or is not visible")]
    QuestionNotFound,
    #[error("the quiz does not exist or is not visible")]
    QuizNotFound,
    #[error("the attempt does not exist or is not visible")]
    AttemptNotFound,
    /// Before it opens or after it closes for the person.
    #[error("{0}")]
    QuizClosed(&'static str),
    #[error("every attempt allowed has been used")]
    NoAttemptsLeft,
    #[error("the attempt's time is up: no answer is taken after its deadline")]
    AttemptClosed,
    #[error("no seat in this offering holds that enrolment")]
    EnrolmentNotFound,
    #[error("this action needs another role")]
    Forbidden,
    /// Before it opens, or past the cut-off, or a resubmission past the due date.
    #[error("{0}")]
    SubmissionClosed(&'static str),
    #[error("this attempt is the same as the last one")]
    DuplicateSubmission,
    #[error("grading has begun: the rubric and the maximum score can no longer change")]
    RubricInUse,
    #[error("work has been handed in or graded: the assignment cannot be deleted")]
    AssignmentInUse,
    #[error("the file is larger than {limit} bytes")]
    FileTooLarge { limit: i64 },
    #[error("accepted here: {0}")]
    FileTypeNotAllowed(String),
    #[error("{0}")]
    Csv(String),
    #[error("the file store failed: {0}")]
    Storage(#[from] std::io::Error),
    #[error("mail could not be queued: {0}")]
    Mail(#[from] aula_mail::MailError),
    #[error("{0}")]
    Catalog(aula_catalog::CatalogError),
    #[error("{0}")]
    Enrolment(aula_enrolment::EnrolmentError),
    #[error("{0}")]
    Identity(aula_identity::IdentityError),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    /// A dry run's report, carried out of the transaction it rolled back. Never leaves
    /// this crate.
    #[doc(hidden)]
    #[error("rolled back")]
    RolledBack(Box<crate::grading::import::GradeImportReport>),
}

impl AssessmentError {
    pub fn field(field: &str, code: FieldCode) -> Self {
        AssessmentError::Validation(vec![FieldError {
            field: field.to_owned(),
            code,
        }])
    }

    /// The catalogue entry the API answers with; [`ErrorCode::InternalError`] for faults
    /// of the server, whose cause is logged and never shown.
    pub fn code(&self) -> ErrorCode {
        use AssessmentError as E;
        match self {
            E::Validation(_) => ErrorCode::ValidationFailed,
            E::NotFound => ErrorCode::AssignmentNotFound,
            E::OfferingNotFound => ErrorCode::OfferingNotFound,
            E::SubmissionNotFound => ErrorCode::SubmissionNotFound,
            E::FileNotFound => ErrorCode::FileNotFound,
            E::QuizInUse => ErrorCode::QuizInUse,
            E::QuestionNotFound => ErrorCode::QuestionNotFound,
            E::QuizNotFound => ErrorCode::QuizNotFound,
            E::AttemptNotFound => ErrorCode::AttemptNotFound,
            E::QuizClosed(_) => ErrorCode::QuizClosed,
            E::NoAttemptsLeft => ErrorCode::NoAttemptsLeft,
            E::AttemptClosed => ErrorCode::AttemptClosed,
            E::EnrolmentNotFound => ErrorCode::EnrolmentNotFound,
            E::Forbidden => ErrorCode::Forbidden,
            E::SubmissionClosed(_) => ErrorCode::SubmissionClosed,
            E::DuplicateSubmission => ErrorCode::DuplicateSubmission,
            E::RubricInUse => ErrorCode::RubricInUse,
            E::AssignmentInUse => ErrorCode::AssignmentInUse,
            E::FileTooLarge { .. } => ErrorCode::FileTooLarge,
            E::FileTypeNotAllowed(_) => ErrorCode::FileTypeNotAllowed,
            E::Csv(_) => ErrorCode::InvalidCsv,
            E::Catalog(e) => e.code(),
            E::Enrolment(e) => e.code(),
            E::Identity(e) => e.code(),
            E::Storage(_) | E::Mail(_) | E::Database(_) | E::RolledBack(_) => {
                ErrorCode::InternalError
            }
        }
    }
}

impl From<aula_catalog::CatalogError> for AssessmentError {
    fn from(e: aula_catalog::CatalogError) -> Self {
        use aula_catalog::CatalogError as C;
        match e {
            C::OfferingNotFound | C::CourseNotFound => AssessmentError::OfferingNotFound,
            C::Database(e) => AssessmentError::Database(e),
            other => AssessmentError::Catalog(other),
        }
    }
}

impl From<aula_enrolment::EnrolmentError> for AssessmentError {
    fn from(e: aula_enrolment::EnrolmentError) -> Self {
        use aula_enrolment::EnrolmentError as En;
        match e {
            En::Database(e) => AssessmentError::Database(e),
            other => AssessmentError::Enrolment(other),
        }
    }
}

impl From<aula_identity::IdentityError> for AssessmentError {
    fn from(e: aula_identity::IdentityError) -> Self {
        use aula_identity::IdentityError as I;
        match e {
            I::Database(e) => AssessmentError::Database(e),
            other => AssessmentError::Identity(other),
        }
    }
}

pub type Result<T, E = AssessmentError> = std::result::Result<T, E>;
