use aula_core::{ErrorCode, FieldCode, FieldError};

/// Everything identity rules can refuse. The API maps each variant to a status
/// and a stable machine code.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("the email address has not been verified")]
    EmailNotVerified,
    #[error("the account is disabled")]
    AccountDisabled,
    #[error("the access token is invalid or expired")]
    InvalidAccessToken,
    #[error("the refresh token is invalid or expired")]
    InvalidRefreshToken,
    #[error("a refresh token was used twice; the session has been revoked")]
    RefreshTokenReused,
    #[error("the link is invalid, expired or already used")]
    InvalidLinkToken,
    #[error("too many attempts; retry in {retry_after_seconds} s")]
    RateLimited { retry_after_seconds: i64 },
    #[error("the user does not exist")]
    UserNotFound,
    #[error("the institution does not exist")]
    InstitutionNotFound,
    #[error("this action needs another role")]
    Forbidden,
    #[error("an administrator cannot remove their own administrator role or disable themselves")]
    SelfLockout,
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("mail could not be queued: {0}")]
    Mail(#[from] aula_mail::MailError),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
}

impl IdentityError {
    pub fn field(field: &str, code: FieldCode) -> Self {
        IdentityError::Validation(vec![FieldError {
            field: field.to_owned(),
            code,
        }])
    }
}

impl IdentityError {
    /// The catalogue entry the API answers with; [`ErrorCode::InternalError`] for faults
    /// of the server, whose cause is logged and never shown.
    pub fn code(&self) -> ErrorCode {
        use IdentityError as E;
        match self {
            E::Validation(_) => ErrorCode::ValidationFailed,
            E::InvalidCredentials => ErrorCode::InvalidCredentials,
            E::EmailNotVerified => ErrorCode::EmailNotVerified,
            E::AccountDisabled => ErrorCode::AccountDisabled,
            E::InvalidAccessToken => ErrorCode::InvalidToken,
            E::InvalidRefreshToken => ErrorCode::InvalidRefreshToken,
            E::RefreshTokenReused => ErrorCode::RefreshTokenReused,
            E::InvalidLinkToken => ErrorCode::TokenInvalid,
            E::RateLimited { .. } => ErrorCode::RateLimited,
            E::UserNotFound => ErrorCode::UserNotFound,
            E::InstitutionNotFound => ErrorCode::InstitutionNotFound,
            E::Forbidden => ErrorCode::Forbidden,
            E::SelfLockout => ErrorCode::SelfLockout,
            E::Hashing(_) | E::Mail(_) | E::Database(_) => ErrorCode::InternalError,
        }
    }
}

pub type Result<T, E = IdentityError> = std::result::Result<T, E>;
