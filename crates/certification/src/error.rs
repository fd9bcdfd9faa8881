use aula_core::{ErrorCode, FieldCode, FieldError};

use crate::model::Status;

/// Everything certification rules can refuse. The API maps each variant to a status
/// and a stable machine code.
#[derive(Debug, thiserror::Error)]
pub enum CertificationError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("the offering does not exist or is not visible")]
    OfferingNotFound,
    /// No such certificate, or the actor may not see it.
    #[error("the certificate does not exist or is not visible")]
    NotFound,
    #[error("no certificate of ours has this fingerprint")]
    DocumentNotRecognised,
    /// A badge whose signature, key or issuer is not ours, or that is cut or altered.
    #[error("the badge is not one this centre signed, or it was altered")]
    BadgeInvalid,
    #[error("the signatory does not exist")]
    SignatoryNotFound,
    #[error("this action needs another role")]
    Forbidden,
    /// Issuing to people the rules do not find eligible, without an override.
    #[error("not eligible: {0}")]
    NotEligible(String),
    #[error("the certificate is {0}: this change does not apply to it")]
    StatusConflict(Status),
    #[error("the certificate is still being prepared")]
    Pending,
    #[error("too many requests; retry in {retry_after_seconds} s")]
    RateLimited { retry_after_seconds: i64 },
    #[error("the file store failed: {0}")]
    Storage(#[from] std::io::Error),
    #[error("the certificate could not be rendered: {0}")]
    Document(#[from] crate::document::DocumentError),
    #[error("the credential could not be signed: {0}")]
    Signing(String),
    #[error("{0}")]
    Archive(String),
    #[error("mail could not be queued: {0}")]
    Mail(#[from] aula_mail::MailError),
    #[error("{0}")]
    Catalog(aula_catalog::CatalogError),
    #[error("{0}")]
    Enrolment(aula_enrolment::EnrolmentError),
    #[error("{0}")]
    Assessment(aula_assessment::AssessmentError),
    #[error("{0}")]
    Identity(aula_identity::IdentityError),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
}

pub type Result<T, E = CertificationError> = std::result::Result<T, E>;

impl CertificationError {
    pub fn field(field: &str, code: FieldCode) -> Self {
        CertificationError::Validation(vec![FieldError {
            field: field.to_owned(),
            code,
        }])
    }

    /// The catalogue entry the API answers with; [`ErrorCode::InternalError`] for faults
    /// of the server, whose cause is logged and never shown.
    pub fn code(&self) -> ErrorCode {
        use CertificationError as E;
        match self {
            E::Validation(_) => ErrorCode::ValidationFailed,
            E::OfferingNotFound => ErrorCode::OfferingNotFound,
            E::NotFound => ErrorCode::CertificateNotFound,
            E::DocumentNotRecognised => ErrorCode::DocumentNotRecognised,
            E::BadgeInvalid => ErrorCode::BadgeInvalid,
            E::SignatoryNotFound => ErrorCode::SignatoryNotFound,
            E::Forbidden => ErrorCode::Forbidden,
            E::NotEligible(_) => ErrorCode::NotEligible,
            E::StatusConflict(_) => ErrorCode::CertificateStatusConflict,
            E::Pending => ErrorCode::CertificatePending,
            E::RateLimited { .. } => ErrorCode::RateLimited,
            E::Catalog(e) => e.code(),
            E::Enrolment(e) => e.code(),
            E::Assessment(e) => e.code(),
            E::Identity(e) => e.code(),
            E::Storage(_)
            | E::Document(_)
            | E::Signing(_)
            | E::Archive(_)
            | E::Mail(_)
            | E::Database(_) => ErrorCode::InternalError,
        }
    }
}

impl From<aula_catalog::CatalogError> for CertificationError {
    fn from(e: aula_catalog::CatalogError) -> Self {
        use aula_catalog::CatalogError as C;
        match e {
            C::OfferingNotFound | C::CourseNotFound => CertificationError::OfferingNotFound,
            C::Database(e) => CertificationError::Database(e),
            other => CertificationError::Catalog(other),
        }
    }
}

impl From<aula_enrolment::EnrolmentError> for CertificationError {
    fn from(e: aula_enrolment::EnrolmentError) -> Self {
        use aula_enrolment::EnrolmentError as En;
        match e {
            En::Database(e) => CertificationError::Database(e),
            other => CertificationError::Enrolment(other),
        }
    }
}

impl From<aula_assessment::AssessmentError> for CertificationError {
    fn from(e: aula_assessment::AssessmentError) -> Self {
        use aula_assessment::AssessmentError as A;
        match e {
            A::Database(e) => CertificationError::Database(e),
            A::OfferingNotFound => CertificationError::OfferingNotFound,
            other => CertificationError::Assessment(other),
        }
    }
}

impl From<aula_identity::IdentityError> for CertificationError {
    fn from(e: aula_identity::IdentityError) -> Self {
        use aula_identity::IdentityError as I;
        match e {
            I::Database(e) => CertificationError::Database(e),
            I::RateLimited {
                retry_after_seconds,
            } => CertificationError::RateLimited {
                retry_after_seconds,
            },
            other => CertificationError::Identity(other),
        }
    }
}
