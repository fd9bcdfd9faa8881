use std::path::PathBuf;

use aula_core::Locale;

/// Everything that can go wrong while rendering, queueing or delivering mail.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail template `{template}` ({locale}) cannot be rendered: {source}")]
    Template {
        template: &'static str,
        locale: Locale,
        #[source]
        source: minijinja::Error,
    },
    #[error("the mail templates failed to load: {0}")]
    Templates(String),
    #[error("`{address}` is not a valid mail address: {source}")]
    Address {
        address: String,
        #[source]
        source: lettre::address::AddressError,
    },
    #[error("a mail attachment cannot be sent: {0}")]
    Attachment(String),
    #[error("the mail message cannot be built: {0}")]
    Message(#[from] lettre::error::Error),
    #[error("invalid SMTP URL: {0}")]
    SmtpUrl(#[source] lettre::transport::smtp::Error),
    #[error("SMTP delivery failed: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("writing the mail file failed: {0}")]
    File(#[from] lettre::transport::file::Error),
    #[error("the mail directory {path} cannot be created: {source}")]
    MailDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("outbox row {id} has an invalid {column}: `{value}`")]
    CorruptRow {
        id: i64,
        column: &'static str,
        value: String,
    },
    #[error("the mail worker thread cannot be started: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::Error),
}

impl MailError {
    /// Whether retrying the same message later cannot succeed (a malformed address,
    /// a message that cannot be built, a recipient the server refuses for good).
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Address { .. } | MailError::Message(_) | MailError::CorruptRow { .. } => {
                true
            }
            MailError::Smtp(e) => e.is_permanent(),
            _ => false,
        }
    }
}
