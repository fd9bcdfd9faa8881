//! Where messages go: an SMTP server, or `.eml` files in a directory when no
//! server is configured (the embedded default).

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use lettre::{
    message::{
        header::{ContentType, Header, HeaderName, HeaderValue},
        Mailbox, MultiPart,
    },
    FileTransport, Message, SmtpTransport, Transport as _,
};

use crate::{outbox::Attachment, MailError, OutboxEntry};

/// How long one SMTP command may take before the attempt counts as failed.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// A configured mail transport.
#[derive(Clone)]
pub enum Transport {
    /// Relays through an SMTP server.
    Smtp(SmtpTransport),
    /// Writes each message as a raw RFC 5322 `.eml` file into this directory.
    Files(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The SMTP transport holds the credentials; never print it.
            Transport::Smtp(_) => f.write_str("Transport::Smtp"),
            Transport::Files(dir) => f.debug_tuple("Transport::Files").field(dir).finish(),
        }
    }
}

/// What a delivery left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// The SMTP server accepted the message.
    Relayed,
    /// The message was written to this file.
    File(PathBuf),
}

impl Transport {
    /// SMTP when `smtp_url` is given (e.g. `smtps://user:pass@host`, or
    /// `smtp://host:25` for a local relay), otherwise `.eml` files in `mail_dir`,
    /// which is created if needed. A blank URL counts as none.
    pub fn from_config(smtp_url: Option<&str>, mail_dir: &Path) -> Result<Transport, MailError> {
        match smtp_url.map(str::trim).filter(|url| !url.is_empty()) {
            Some(url) => Transport::smtp(url),
            None => Transport::files(mail_dir),
        }
    }

    /// An SMTP transport from a URL; see lettre's `SmtpTransport::from_url`.
    pub fn smtp(url: &str) -> Result<Transport, MailError> {
        let transport = SmtpTransport::from_url(url)
            .map_err(MailError::SmtpUrl)?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Transport::Smtp(transport))
    }

    /// A transport writing `.eml` files into `dir`, created if missing.
    pub fn files(dir: &Path) -> Result<Transport, MailError> {
        std::fs::create_dir_all(dir).map_err(|source| MailError::MailDir {
            path: dir.to_owned(),
            source,
        })?;
        Ok(Transport::Files(dir.to_owned()))
    }

    /// Sends one message.
    pub fn send(&self, message: &Message) -> Result<Delivered, MailError> {
        match self {
            Transport::Smtp(smtp) => {
                smtp.send(message)?;
                Ok(Delivered::Relayed)
            }
            Transport::Files(dir) => {
                let id = FileTransport::new(dir).send(message)?;
                Ok(Delivered::File(dir.join(format!("{id}.eml"))))
            }
        }
    }
}

/// Builds the MIME message for a queued entry: multipart/alternative with the
/// plain text first and the HTML second, UTF-8 throughout.
pub fn build_message(
    from: &Mailbox,
    entry: &OutboxEntry,
    attachments: &[Attachment],
) -> Result<Message, MailError> {
    let to = entry
        .recipient
        .parse::<Mailbox>()
        .map_err(|source| MailError::Address {
            address: entry.recipient.clone(),
            source,
        })?;
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(entry.subject.clone())
        .message_id(Some(message_id(from, entry)))
        .header(AutoSubmitted)
        .multipart(body(entry, attachments)?)?;
    Ok(message)
}

/// The text and HTML alternatives, inside a `multipart/mixed` with the files when
/// there are any.
fn body(entry: &OutboxEntry, attachments: &[Attachment]) -> Result<MultiPart, MailError> {
    let text = MultiPart::alternative_plain_html(entry.body_text.clone(), entry.body_html.clone());
    if attachments.is_empty() {
        return Ok(text);
    }
    let mut mixed = MultiPart::mixed().multipart(text);
    for a in attachments {
        let content_type = ContentType::parse(&a.content_type)
            .map_err(|e| MailError::Attachment(format!("{}: {e}", a.file_name)))?;
        mixed = mixed.singlepart(
            lettre::message::Attachment::new(a.file_name.clone())
                .body(a.content.clone(), content_type),
        );
    }
    Ok(mixed)
}

/// The same for every attempt at one outbox row, so a receiving server can tell
/// a retry from a new message; the creation time keeps ids apart across databases.
fn message_id(from: &Mailbox, entry: &OutboxEntry) -> String {
    format!(
        "<aula.{}.{}@{}>",
        entry.id,
        entry.created_at.and_utc().timestamp_micros(),
        from.email.domain()
    )
}

/// `Auto-Submitted: auto-generated` (RFC 3834), so auto-responders do not answer.
#[derive(Debug, Clone, Copy)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}
