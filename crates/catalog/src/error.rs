use aula_core::{ErrorCode, FieldCode, FieldError};

/// Everything catalog rules can refuse. The API maps each variant to a status and
/// a stable machine code.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("the course does not exist or is not visible")]
    CourseNotFound,
    #[error("the offering does not exist or is not visible")]
    OfferingNotFound,
    #[error("the module does not exist")]
    ModuleNotFound,
    #[error("the lesson does not exist")]
    LessonNotFound,
    #[error("the session does not exist")]
    SessionNotFound,
    #[error("the topic does not exist")]
    TopicNotFound,
    #[error("the lesson has no file")]
    FileNotFound,
    #[error("people hold seats in this offering")]
    OfferingInUse,
    #[error("this action needs another role")]
    Forbidden,
    #[error("sign in to read lesson content")]
    SignInRequired,
    #[error("lesson content is for enrolled learners, instructors and administrators")]
    NotEnrolled,
    #[error("a {status} course cannot be {action}")]
    InvalidTransition {
        status: &'static str,
        action: &'static str,
    },
    #[error("the course is not ready to publish")]
    NotReady(Vec<FieldError>),
    #[error("the file is larger than {limit} bytes")]
    FileTooLarge { limit: usize },
    #[error("accepted: PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT (recognised by content)")]
    FileTypeNotAllowed,
    #[error("the file store failed: {0}")]
    Storage(#[from] std::io::Error),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
}

impl CatalogError {
    pub fn field(field: &str, code: FieldCode) -> Self {
        CatalogError::Validation(vec![FieldError {
            field: field.to_owned(),
            code,
        }])
    }
}

impl CatalogError {
    /// The catalogue entry the API answers with; [`ErrorCode::InternalError`] for faults
    /// of the server, whose cause is logged and never shown.
    pub fn code(&self) -> ErrorCode {
        use CatalogError as E;
        match self {
            E::Validation(_) => ErrorCode::ValidationFailed,
            E::CourseNotFound => ErrorCode::CourseNotFound,
            E::OfferingNotFound => ErrorCode::OfferingNotFound,
            E::ModuleNotFound => ErrorCode::ModuleNotFound,
            E::LessonNotFound => ErrorCode::LessonNotFound,
            E::SessionNotFound => ErrorCode::SessionNotFound,
            E::TopicNotFound => ErrorCode::TopicNotFound,
            E::FileNotFound => ErrorCode::FileNotFound,
            E::OfferingInUse => ErrorCode::OfferingInUse,
            E::Forbidden => ErrorCode::Forbidden,
            E::SignInRequired => ErrorCode::Unauthenticated,
            E::NotEnrolled => ErrorCode::NotEnrolled,
            E::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            E::NotReady(_) => ErrorCode::CourseNotReady,
            E::FileTooLarge { .. } => ErrorCode::FileTooLarge,
            E::FileTypeNotAllowed => ErrorCode::FileTypeNotAllowed,
            E::Storage(_) | E::Database(_) => ErrorCode::InternalError,
        }
    }
}

pub type Result<T, E = CatalogError> = std::result::Result<T, E>;
