//! The durable outbox: mail is rendered and written as a row in the caller's
//! transaction, so it exists exactly when the change that caused it commits.

use std::{fmt, str::FromStr};

use aula_core::Locale;
use aula_db::{
    schema::{mail_attachments, mail_outbox},
    DbConnection,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use lettre::Address;

use crate::{render, Mail, MailError};

/// Where a queued message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxStatus {
    /// Waiting for (another) delivery attempt.
    Pending,
    /// Accepted by the transport.
    Sent,
    /// Given up on: too many attempts, or a permanent error.
    Failed,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }
}

impl fmt::Display for OutboxStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutboxStatus {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(OutboxStatus::Pending),
            "sent" => Ok(OutboxStatus::Sent),
            "failed" => Ok(OutboxStatus::Failed),
            _ => Err(()),
        }
    }
}

/// One row of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: i64,
    pub recipient: String,
    pub locale: Locale,
    pub template: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// How many messages are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

/// Renders `mail` in `locale` and queues it for `to`, due at once; returns the row id.
///
/// Pass the connection the causing change is transacting on: the row then commits
/// or rolls back with that change.
pub fn enqueue(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    to: &str,
    locale: Locale,
    mail: &Mail,
) -> Result<i64, MailError> {
    let to = to.trim();
    to.parse::<Address>().map_err(|source| MailError::Address {
        address: to.to_owned(),
        source,
    })?;
    let rendered = render(mail, locale)?;
    let id = diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::recipient.eq(to),
            mail_outbox::locale.eq(locale.as_str()),
            mail_outbox::template.eq(mail.template()),
            mail_outbox::subject.eq(&rendered.subject),
            mail_outbox::body_text.eq(&rendered.text),
            mail_outbox::body_html.eq(&rendered.html),
            mail_outbox::status.eq(OutboxStatus::Pending.as_str()),
            mail_outbox::attempts.eq(0),
            mail_outbox::next_attempt_at.eq(now),
            mail_outbox::created_at.eq(now),
        ))
        .returning(mail_outbox::id)
        .get_result(conn)?;
    tracing::debug!(
        id,
        recipient = to,
        template = mail.template(),
        "mail queued"
    );
    Ok(id)
}

/// A file sent with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// [`enqueue`] with files attached; they are stored with the row, so the message goes
/// out whole even if the files change or vanish later.
pub fn enqueue_with_attachments(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    to: &str,
    locale: Locale,
    mail: &Mail,
    attachments: &[Attachment],
) -> Result<i64, MailError> {
    let id = enqueue(conn, now, to, locale, mail)?;
    for a in attachments {
        diesel::insert_into(mail_attachments::table)
            .values((
                mail_attachments::outbox_id.eq(id),
                mail_attachments::file_name.eq(&a.file_name),
                mail_attachments::content_type.eq(&a.content_type),
                mail_attachments::content.eq(&a.content),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// The files attached to a queued message, in the order they were given.
pub fn attachments_of(
    conn: &mut DbConnection,
    outbox_id: i64,
) -> Result<Vec<Attachment>, MailError> {
    let rows: Vec<(String, String, Vec<u8>)> = mail_attachments::table
        .filter(mail_attachments::outbox_id.eq(outbox_id))
        .order(mail_attachments::id)
        .select((
            mail_attachments::file_name,
            mail_attachments::content_type,
            mail_attachments::content,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(file_name, content_type, content)| Attachment {
            file_name,
            content_type,
            content,
        })
        .collect())
}

/// Every message queued for `recipient`, oldest first.
pub fn outbox_for(conn: &mut DbConnection, recipient: &str) -> Result<Vec<OutboxEntry>, MailError> {
    mail_outbox::table
        .filter(mail_outbox::recipient.eq(recipient))
        .order(mail_outbox::id)
        .select(OutboxRow::as_select())
        .load(conn)?
        .into_iter()
        .map(OutboxEntry::try_from)
        .collect()
}

/// One message by id.
pub fn outbox_entry(conn: &mut DbConnection, id: i64) -> Result<Option<OutboxEntry>, MailError> {
    mail_outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()?
        .map(OutboxEntry::try_from)
        .transpose()
}

/// How many messages are pending, sent and failed.
pub fn status_counts(conn: &mut DbConnection) -> Result<StatusCounts, MailError> {
    let rows: Vec<(String, i64)> = mail_outbox::table
        .group_by(mail_outbox::status)
        .select((mail_outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    let mut counts = StatusCounts::default();
    for (status, n) in rows {
        match status.parse() {
            Ok(OutboxStatus::Pending) => counts.pending = n,
            Ok(OutboxStatus::Sent) => counts.sent = n,
            Ok(OutboxStatus::Failed) => counts.failed = n,
            Err(()) => tracing::warn!(status, "unknown outbox status"),
        }
    }
    Ok(counts)
}

/// Deletes messages delivered before `sent_before`; pending and failed ones stay for
/// the operators to see. Returns how many were removed.
pub fn purge_sent(conn: &mut DbConnection, sent_before: NaiveDateTime) -> Result<usize, MailError> {
    Ok(diesel::delete(
        mail_outbox::table
            .filter(mail_outbox::status.eq(OutboxStatus::Sent.as_str()))
            .filter(mail_outbox::sent_at.lt(sent_before)),
    )
    .execute(conn)?)
}

/// Leases up to `limit` due messages (pending, `next_attempt_at` reached, no live
/// lease) until `lease_until`, in one short transaction, and returns them.
///
/// On PostgreSQL the due rows are locked with `FOR UPDATE SKIP LOCKED`, so
/// concurrent workers each take different rows. SQLite has a single writer: the
/// transaction takes the write lock up front (`BEGIN IMMEDIATE`).
pub(crate) fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<OutboxEntry>, MailError> {
    let due = mail_outbox::table
        .select(mail_outbox::id)
        .filter(mail_outbox::status.eq(OutboxStatus::Pending.as_str()))
        .filter(mail_outbox::next_attempt_at.le(now))
        .filter(
            mail_outbox::locked_until
                .is_null()
                .or(mail_outbox::locked_until.le(now)),
        )
        .order((mail_outbox::next_attempt_at, mail_outbox::id))
        .limit(limit);
    let lease = |ids: &[i64]| {
        diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(ids.to_vec())))
            .set(mail_outbox::locked_until.eq(Some(lease_until)))
    };
    let ids: Vec<i64> = match conn {
        DbConnection::Postgresql(pg) => pg.transaction(|pg| {
            let ids: Vec<i64> = due.for_update().skip_locked().load(pg)?;
            lease(&ids).execute(pg)?;
            QueryResult::Ok(ids)
        })?,
        DbConnection::Sqlite(lite) => lite.immediate_transaction(|lite| {
            let ids: Vec<i64> = due.load(lite)?;
            lease(&ids).execute(lite)?;
            QueryResult::Ok(ids)
        })?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    mail_outbox::table
        .filter(mail_outbox::id.eq_any(&ids))
        .order((mail_outbox::next_attempt_at, mail_outbox::id))
        .select(OutboxRow::as_select())
        .load(conn)?
        .into_iter()
        .map(OutboxEntry::try_from)
        .collect()
}

/// Records a successful delivery.
pub(crate) fn mark_sent(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(mail_outbox::table.find(id).filter(is_pending()))
        .set((
            mail_outbox::status.eq(OutboxStatus::Sent.as_str()),
            mail_outbox::sent_at.eq(Some(now)),
            mail_outbox::locked_until.eq(None::<NaiveDateTime>),
            mail_outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(drop)
}

/// Records a failed attempt: either a retry at `retry_at`, or (with `None`) the end.
pub(crate) fn mark_attempt_failed(
    conn: &mut DbConnection,
    entry: &OutboxEntry,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    let status = match retry_at {
        Some(_) => OutboxStatus::Pending,
        None => OutboxStatus::Failed,
    };
    diesel::update(mail_outbox::table.find(entry.id).filter(is_pending()))
        .set((
            mail_outbox::status.eq(status.as_str()),
            mail_outbox::attempts.eq(entry.attempts + 1),
            mail_outbox::next_attempt_at.eq(retry_at.unwrap_or(entry.next_attempt_at)),
            mail_outbox::locked_until.eq(None::<NaiveDateTime>),
            mail_outbox::last_error.eq(Some(truncate(error, 2000))),
        ))
        .execute(conn)
        .map(drop)
}

/// Gives leased messages back without counting an attempt.
pub(crate) fn release(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<()> {
    diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(ids)))
        .set(mail_outbox::locked_until.eq(None::<NaiveDateTime>))
        .execute(conn)
        .map(drop)
}

/// Bookkeeping only ever moves a pending row on: a worker whose lease ran out
/// cannot undo what another worker recorded since.
fn is_pending() -> diesel::dsl::Eq<mail_outbox::status, &'static str> {
    mail_outbox::status.eq(OutboxStatus::Pending.as_str())
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = mail_outbox, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct OutboxRow {
    id: i64,
    recipient: String,
    locale: String,
    template: String,
    subject: String,
    body_text: String,
    body_html: String,
    status: String,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    locked_until: Option<NaiveDateTime>,
    last_error: Option<String>,
    created_at: NaiveDateTime,
    sent_at: Option<NaiveDateTime>,
}

impl TryFrom<OutboxRow> for OutboxEntry {
    type Error = MailError;

    fn try_from(row: OutboxRow) -> Result<Self, MailError> {
        let corrupt = |column, value: &str| MailError::CorruptRow {
            id: row.id,
            column,
            value: value.to_owned(),
        };
        let locale = row
            .locale
            .parse()
            .map_err(|()| corrupt("locale", &row.locale))?;
        let status = row
            .status
            .parse()
            .map_err(|()| corrupt("status", &row.status))?;
        Ok(OutboxEntry {
            id: row.id,
            recipient: row.recipient,
            locale,
            template: row.template,
            subject: row.subject,
            body_text: row.body_text,
            body_html: row.body_html,
            status,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            locked_until: row.locked_until,
            last_error: row.last_error,
            created_at: row.created_at,
            sent_at: row.sent_at,
        })
    }
}
