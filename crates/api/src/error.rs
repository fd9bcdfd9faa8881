//! RFC 9457 problem documents: one closed error type, an explicit status per kind,
//! internal causes logged and never shown.

use actix_web::{
    http::{header, StatusCode},
    HttpResponse, ResponseError,
};
use aula_catalog::CatalogError;
use aula_core::{FieldError, Locale};
use aula_identity::IdentityError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::messages;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable machine code, e.g. `invalid_credentials`.
    pub code: &'static str,
    /// Extra explanation for developers (English); may be empty.
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<i64>,
    pub allow: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        Self {
            status,
            code,
            detail: None,
            errors: Vec::new(),
            retry_after: None,
            allow: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found")
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated")
    }

    /// Logs the cause and hides it from the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
    }

    /// The problem document in `locale`.
    pub fn problem(&self, locale: Locale) -> Problem {
        Problem {
            r#type: format!("urn:aula:problem:{}", self.code),
            title: messages::title(self.code, locale).to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone().unwrap_or_default(),
            code: self.code.to_owned(),
            errors: self
                .errors
                .iter()
                .map(|e| ProblemField {
                    field: e.field.clone(),
                    code: e.code.to_owned(),
                    message: messages::field_message(&e.field, e.code, locale).to_owned(),
                })
                .collect(),
        }
    }

    pub fn render(&self, locale: Locale) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type("application/problem+json");
        response.insert_header((header::CONTENT_LANGUAGE, locale.as_str()));
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if let Some(allow) = &self.allow {
            response.insert_header((header::ALLOW, allow.clone()));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.problem(locale))
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.code)
    }
}

/// Rendered in Spanish here; the localisation middleware re-renders it in the
/// reader's language (see [`crate::locale`]).
impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
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
    pub code: String,
    /// Per-field validation errors, when the problem is invalid input.
    pub errors: Vec<ProblemField>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl From<IdentityError> for ApiError {
    fn from(e: IdentityError) -> Self {
        use IdentityError as E;
        let status = |s, c| ApiError::new(s, c);
        match e {
            E::Validation(errors) => ApiError::validation(errors),
            E::InvalidCredentials => status(StatusCode::UNAUTHORIZED, "invalid_credentials"),
            E::EmailNotVerified => status(StatusCode::FORBIDDEN, "email_not_verified"),
            E::AccountDisabled => status(StatusCode::FORBIDDEN, "account_disabled"),
            E::InvalidAccessToken => status(StatusCode::UNAUTHORIZED, "invalid_token"),
            E::InvalidRefreshToken => status(StatusCode::UNAUTHORIZED, "invalid_refresh_token"),
            E::RefreshTokenReused => status(StatusCode::UNAUTHORIZED, "refresh_token_reused"),
            E::InvalidLinkToken => status(StatusCode::BAD_REQUEST, "token_invalid"),
            E::RateLimited {
                retry_after_seconds,
            } => ApiError {
                retry_after: Some(retry_after_seconds),
                ..status(StatusCode::TOO_MANY_REQUESTS, "rate_limited")
            },
            E::UserNotFound => status(StatusCode::NOT_FOUND, "user_not_found"),
            E::InstitutionNotFound => status(StatusCode::NOT_FOUND, "institution_not_found"),
            E::Forbidden => status(StatusCode::FORBIDDEN, "forbidden"),
            E::SelfLockout => status(StatusCode::CONFLICT, "self_lockout"),
            e @ (E::Hashing(_) | E::Mail(_) | E::Database(_)) => ApiError::internal(e),
        }
    }
}

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        use CatalogError as E;
        let status = |s, c| ApiError::new(s, c);
        match e {
            E::Validation(errors) => ApiError::validation(errors),
            E::CourseNotFound => status(StatusCode::NOT_FOUND, "course_not_found"),
            E::OfferingNotFound => status(StatusCode::NOT_FOUND, "offering_not_found"),
            E::ModuleNotFound => status(StatusCode::NOT_FOUND, "module_not_found"),
            E::LessonNotFound => status(StatusCode::NOT_FOUND, "lesson_not_found"),
            E::SessionNotFound => status(StatusCode::NOT_FOUND, "session_not_found"),
            E::TopicNotFound => status(StatusCode::NOT_FOUND, "topic_not_found"),
            E::FileNotFound => status(StatusCode::NOT_FOUND, "file_not_found"),
            E::Forbidden => status(StatusCode::FORBIDDEN, "forbidden"),
            E::SignInRequired => ApiError::unauthenticated(),
            E::NotEnrolled => status(StatusCode::FORBIDDEN, "not_enrolled"),
            e @ E::InvalidTransition { .. } => {
                status(StatusCode::CONFLICT, "invalid_transition").with_detail(e.to_string())
            }
            E::OfferingInUse => status(StatusCode::CONFLICT, "offering_in_use"),
            e @ E::FileTooLarge { .. } => {
                status(StatusCode::PAYLOAD_TOO_LARGE, "file_too_large").with_detail(e.to_string())
            }
            E::FileTypeNotAllowed => {
                status(StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_type_not_allowed").with_detail(
                    "accepted: PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT (recognised by content)",
                )
            }
            e @ (E::Storage(_) | E::Database(_)) => ApiError::internal(e),
        }
    }
}

impl From<aula_enrolment::EnrolmentError> for ApiError {
    fn from(e: aula_enrolment::EnrolmentError) -> Self {
        use aula_enrolment::EnrolmentError as E;
        let status = |s, c| ApiError::new(s, c);
        match e {
            E::Validation(errors) => ApiError::validation(errors),
            E::NotFound => status(StatusCode::NOT_FOUND, "enrolment_not_found"),
            E::OfferingNotFound => status(StatusCode::NOT_FOUND, "offering_not_found"),
            E::UserNotFound => status(StatusCode::NOT_FOUND, "user_not_found"),
            E::LessonNotFound => status(StatusCode::NOT_FOUND, "lesson_not_found"),
            E::SessionNotFound => status(StatusCode::NOT_FOUND, "session_not_found"),
            E::DocumentNotFound => status(StatusCode::NOT_FOUND, "document_not_found"),
            E::Forbidden => status(StatusCode::FORBIDDEN, "forbidden"),
            E::EmailNotVerified => status(StatusCode::FORBIDDEN, "email_not_verified"),
            E::AlreadyEnrolled => status(StatusCode::CONFLICT, "already_enrolled"),
            e @ E::EnrolmentClosed { .. } => {
                status(StatusCode::CONFLICT, "enrolment_closed").with_detail(e.to_string())
            }
            E::InstitutionRequired => {
                status(StatusCode::UNPROCESSABLE_ENTITY, "institution_required")
            }
            E::DocumentsMissing => status(StatusCode::CONFLICT, "documents_missing"),
            E::PaymentOutstanding => status(StatusCode::CONFLICT, "payment_outstanding"),
            e @ E::InvalidTransition { .. } => {
                status(StatusCode::CONFLICT, "invalid_transition").with_detail(e.to_string())
            }
            E::NotEnrolled => status(StatusCode::FORBIDDEN, "not_enrolled"),
            e @ E::FileTooLarge { .. } => {
                status(StatusCode::PAYLOAD_TOO_LARGE, "file_too_large").with_detail(e.to_string())
            }
            E::FileTypeNotAllowed => {
                status(StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_type_not_allowed")
                    .with_detail("accepted: PDF, PNG, JPEG, WebP (recognised by content)")
            }
            E::Csv(detail) => {
                status(StatusCode::UNPROCESSABLE_ENTITY, "invalid_csv").with_detail(detail)
            }
            E::Identity(e) => e.into(),
            E::Catalog(e) => e.into(),
            e @ (E::Storage(_) | E::Mail(_) | E::Database(_) | E::RolledBack(_)) => {
                ApiError::internal(e)
            }
        }
    }
}
