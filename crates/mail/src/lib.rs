//! Mail for Aula: messages rendered per locale, a durable outbox written in the
//! same transaction as the change that causes a message, and a worker that
//! delivers the outbox over SMTP (or into `.eml` files when no server is set up).
//!
//! ```text
//! request ──enqueue(conn in tx)──▶ mail_outbox ──Worker::deliver_due──▶ Transport
//! ```

mod error;
mod outbox;
mod templates;
mod transport;
mod worker;

pub use error::MailError;
pub use lettre::message::Mailbox;
pub use outbox::{
    attachments_of, enqueue, enqueue_with_attachments, outbox_entry, outbox_for, purge_sent,
    status_counts, Attachment, OutboxEntry, OutboxStatus, StatusCounts,
};
pub use templates::{render, Mail, ReceiptFile, Rendered};
pub use transport::{build_message, Delivered, Transport, SMTP_TIMEOUT};
pub use worker::{
    retry_delay, DeliveryReport, Notifier, Worker, WorkerConfig, WorkerHandle, RETRY_BASE,
    RETRY_CAP,
};
