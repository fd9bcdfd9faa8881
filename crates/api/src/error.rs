//! RFC 9457 problem documents: one closed error type, an explicit status per kind,
//! internal causes logged and never shown.

use actix_web::{
    http::{header, StatusCode},
    HttpResponse, ResponseError,
};
use aula_assessment::AssessmentError;
use aula_catalog::CatalogError;
use aula_certification::CertificationError;
use aula_core::{ErrorCode, FieldCode, FieldError, Locale};
use aula_enrolment::EnrolmentError;
use aula_identity::IdentityError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::messages;

#[derive(Debug)]
pub struct ApiError {
    /// Stable machine code; it decides the status.
    pub code: ErrorCode,
    /// Extra explanation for developers (English); may be empty.
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<i64>,
    pub allow: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode) -> Self {
        Self {
            code,
            detail: None,
            errors: Vec::new(),
            retry_after: None,
            allow: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(ErrorCode::ValidationFailed)
        }
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated)
    }

    /// Logs the cause and hides it from the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(ErrorCode::InternalError)
    }

    /// A domain error: its code, its cause logged when it is the server's fault.
    fn domain(code: ErrorCode, cause: &dyn std::fmt::Display) -> Self {
        if code == ErrorCode::InternalError {
            Self::internal(cause)
        } else {
            Self::new(code)
        }
    }

    /// The problem document in `locale`.
    pub fn problem(&self, locale: Locale) -> Problem {
        Problem {
            r#type: format!("urn:aula:problem:{}", self.code),
            title: messages::title(self.code, locale).to_owned(),
            status: self.code.status(),
            detail: self.detail.clone().unwrap_or_default(),
            code: self.code,
            errors: self
                .errors
                .iter()
                .map(|e| ProblemField {
                    field: e.field.clone(),
                    code: e.code,
                    message: messages::field_message(&e.field, e.code, locale).to_owned(),
                })
                .collect(),
        }
    }

    pub fn render(&self, locale: Locale) -> HttpResponse {
        let mut response = HttpResponse::build(self.status());
        response.content_type("application/problem+json");
        response.insert_header((header::CONTENT_LANGUAGE, locale.as_str()));
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if let Some(allow) = &self.allow {
            response.insert_header((header::ALLOW, allow.clone()));
        }
        if self.code.status() == 401 {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.problem(locale))
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code.status(), self.code)
    }
}

/// Rendered in Spanish here; the localisation middleware re-renders it in the
/// reader's language (see [`crate::locale`]).
impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.render(Locale::default())
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    pub r#type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Per-field validation errors, when the problem is invalid input.
    pub errors: Vec<ProblemField>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

impl From<IdentityError> for ApiError {
    fn from(e: IdentityError) -> Self {
        match e {
            IdentityError::Validation(errors) => ApiError::validation(errors),
            IdentityError::RateLimited {
                retry_after_seconds,
            } => ApiError {
                retry_after: Some(retry_after_seconds),
                ..ApiError::new(ErrorCode::RateLimited)
            },
            e => ApiError::domain(e.code(), &e),
        }
    }
}

/// Details (in English, for developers) are given where the code alone does not say
/// enough: which transition, which window, which limit, which types.
impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        use CatalogError as E;
        match e {
            E::Validation(errors) => ApiError::validation(errors),
            E::NotReady(errors) => ApiError {
                errors,
                ..ApiError::new(ErrorCode::CourseNotReady)
            },
            E::InvalidTransition { .. } | E::FileTooLarge { .. } | E::FileTypeNotAllowed => {
                ApiError::new(e.code()).with_detail(e.to_string())
            }
            e => ApiError::domain(e.code(), &e),
        }
    }
}

impl From<CertificationError> for ApiError {
    fn from(e: CertificationError) -> Self {
        use CertificationError as E;
        match e {
            E::Validation(errors) => ApiError::validation(errors),
            E::Identity(e) => e.into(),
            E::Catalog(e) => e.into(),
            E::Enrolment(e) => e.into(),
            E::Assessment(e) => e.into(),
            E::RateLimited {
                retry_after_seconds,
            } => ApiError {
                retry_after: Some(retry_after_seconds),
                ..ApiError::new(ErrorCode::RateLimited)
            },
            E::NotEligible(_) | E::StatusConflict(_) => {
                ApiError::new(e.code()).with_detail(e.to_string())
            }
            e => ApiError::domain(e.code(), &e),
        }
    }
}

impl From<AssessmentError> for ApiError {
    fn from(e: AssessmentError) -> Self {
        use AssessmentError as E;
        match e {
            E::Validation(errors) => ApiError::validation(errors),
            E::Identity(e) => e.into(),
            E::Catalog(e) => e.into(),
            E::Enrolment(e) => e.into(),
            E::SubmissionClosed(_)
            | E::QuizClosed(_)
            | E::FileTooLarge { .. }
            | E::FileTypeNotAllowed(_)
            | E::Csv(_) => ApiError::new(e.code()).with_detail(e.to_string()),
            e => ApiError::domain(e.code(), &e),
        }
    }
}

impl From<EnrolmentError> for ApiError {
    fn from(e: EnrolmentError) -> Self {
        use EnrolmentError as E;
        match e {
            E::Validation(errors) => ApiError::validation(errors),
            E::Identity(e) => e.into(),
            E::Catalog(e) => e.into(),
            E::EnrolmentClosed { .. }
            | E::InvalidTransition { .. }
            | E::FileTooLarge { .. }
            | E::FileTypeNotAllowed
            | E::Csv(_) => ApiError::new(e.code()).with_detail(e.to_string()),
            e => ApiError::domain(e.code(), &e),
        }
    }
}
