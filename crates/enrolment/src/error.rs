use aula_core::{ErrorCode, FieldCode, FieldError};

/// Everything enrolment rules can refuse. The API maps each variant to a status and a
/// stable machine code.
#[derive(Debug, thiserror::Error)]
pub enum EnrolmentError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("the enrolment does not exist or is not visible")]
    NotFound,
    #[error("the offering does not exist or is not open to applications")]
    OfferingNotFound,
    #[error("the person does not exist")]
    UserNotFound,
    #[error("the lesson does not exist")]
    LessonNotFound,
    #[error("the session does not exist")]
    SessionNotFound,
    #[error("no personal calendar has this address")]
    CalendarFeedNotFound,
    #[error("the document has not been uploaded")]
    DocumentNotFound,
    #[error("this action needs another role")]
    Forbidden,
    #[error("verify your email address before applying")]
    EmailNotVerified,
    #[error("already has an active application or seat in this offering")]
    AlreadyEnrolled,
    /// The window, in the offering's own time zone (`2026-12-01 09:00 America/Lima`).
    #[error("enrolment is open from {opens} to {closes}")]
    EnrolmentClosed { opens: String, closes: String },
    #[error("this offering admits people endorsed by their institution; the applicant has none")]
    InstitutionRequired,
    #[error("the application still lacks documents")]
    DocumentsMissing,
    #[error("the fee must be settled first")]
    PaymentOutstanding,
    #[error("the enrolment is free: there is no payment to record")]
    NothingToPay,
    #[error("a {from} enrolment cannot be {action}")]
    InvalidTransition {
        from: &'static str,
        action: &'static str,
    },
    #[error("lesson completion needs a seat in an offering of the course")]
    NotEnrolled,
    #[error("the file is larger than {limit} bytes")]
    FileTooLarge { limit: usize },
    #[error("accepted: PDF, PNG, JPEG, WebP (recognised by content)")]
    FileTypeNotAllowed,
    #[error("the file store failed: {0}")]
    Storage(#[from] std::io::Error),
    #[error("{0}")]
    Csv(String),
    #[error("{0}")]
    Identity(aula_identity::IdentityError),
    #[error("{0}")]
    Catalog(aula_catalog::CatalogError),
    #[error("mail could not be queued: {0}")]
    Mail(#[from] aula_mail::MailError),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    /// A dry run's report, carried out of the transaction it rolled back. Never leaves
    /// this crate.
    #[doc(hidden)]
    #[error("rolled back")]
    RolledBack(Box<crate::import::ImportReport>),
}

impl EnrolmentError {
    pub fn field(field: &str, code: FieldCode) -> Self {
        EnrolmentError::Validation(vec![FieldError {
            field: field.to_owned(),
            code,
        }])
    }
}

impl EnrolmentError {
    /// The catalogue entry the API answers with; [`ErrorCode::InternalError`] for faults
    /// of the server, whose cause is logged and never shown.
    pub fn code(&self) -> ErrorCode {
        use EnrolmentError as E;
        match self {
            E::Validation(_) => ErrorCode::ValidationFailed,
            E::NotFound => ErrorCode::EnrolmentNotFound,
            E::OfferingNotFound => ErrorCode::OfferingNotFound,
            E::UserNotFound => ErrorCode::UserNotFound,
            E::LessonNotFound => ErrorCode::LessonNotFound,
            E::SessionNotFound => ErrorCode::SessionNotFound,
            E::DocumentNotFound => ErrorCode::DocumentNotFound,
            E::CalendarFeedNotFound => ErrorCode::CalendarFeedNotFound,
            E::Forbidden => ErrorCode::Forbidden,
            E::EmailNotVerified => ErrorCode::EmailNotVerified,
            E::AlreadyEnrolled => ErrorCode::AlreadyEnrolled,
            E::EnrolmentClosed { .. } => ErrorCode::EnrolmentClosed,
            E::InstitutionRequired => ErrorCode::InstitutionRequired,
            E::DocumentsMissing => ErrorCode::DocumentsMissing,
            E::PaymentOutstanding => ErrorCode::PaymentOutstanding,
            E::NothingToPay => ErrorCode::NothingToPay,
            E::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            E::NotEnrolled => ErrorCode::NotEnrolled,
            E::FileTooLarge { .. } => ErrorCode::FileTooLarge,
            E::FileTypeNotAllowed => ErrorCode::FileTypeNotAllowed,
            E::Csv(_) => ErrorCode::InvalidCsv,
            E::Identity(e) => e.code(),
            E::Catalog(e) => e.code(),
            E::Storage(_) | E::Mail(_) | E::Database(_) | E::RolledBack(_) => {
                ErrorCode::InternalError
            }
        }
    }
}

impl From<aula_catalog::CatalogError> for EnrolmentError {
    fn from(e: aula_catalog::CatalogError) -> Self {
        use aula_catalog::CatalogError as C;
        match e {
            C::OfferingNotFound | C::CourseNotFound => EnrolmentError::OfferingNotFound,
            C::LessonNotFound => EnrolmentError::LessonNotFound,
            C::SessionNotFound => EnrolmentError::SessionNotFound,
            C::Database(e) => EnrolmentError::Database(e),
            other => EnrolmentError::Catalog(other),
        }
    }
}

impl From<aula_identity::IdentityError> for EnrolmentError {
    fn from(e: aula_identity::IdentityError) -> Self {
        use aula_identity::IdentityError as I;
        match e {
            I::UserNotFound => EnrolmentError::UserNotFound,
            I::Database(e) => EnrolmentError::Database(e),
            other => EnrolmentError::Identity(other),
        }
    }
}

pub type Result<T, E = EnrolmentError> = std::result::Result<T, E>;
