//! Certificate rows as stored, and the small reads and writes every rule shares.

use aula_core::Locale;
use aula_db::{
    schema::{certificate_documents, certificate_events, certificates},
    DbConnection,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    error::{CertificationError, Result},
    model::{Action, Kind, Status, StatusPurpose, Verdict},
};

/// A signatory as printed on a certificate (kept with it as it was at issue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PrintedSignatory {
    /// The signatory's record, whose signature image the document uses.
    #[serde(skip_serializing)]
    #[schema(ignore)]
    pub id: Option<i64>,
    pub name: String,
    pub title: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct Certificate {
    pub id: i64,
    pub code: String,
    pub enrolment_id: i64,
    pub offering_id: i64,
    pub user_id: i64,
    pub institution_id: Option<i64>,
    pub kind: Kind,
    pub version: i32,
    pub status: Status,
    pub learner_name: String,
    pub recipient_salt: String,
    pub recipient_hash: String,
    pub course_code: String,
    pub course_title: String,
    pub start_date: String,
    pub end_date: String,
    pub hours: i32,
    pub final_grade: Option<f64>,
    pub attendance: Option<i32>,
    pub locale: Locale,
    pub signatories: String,
    pub awarded_at: NaiveDateTime,
    pub issued_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub issued_by: Option<i64>,
    pub override_reason: Option<String>,
    pub supersedes_id: Option<i64>,
    pub status_reason: Option<String>,
    pub status_changed_at: Option<NaiveDateTime>,
}

impl Certificate {
    pub fn signatories(&self) -> Vec<PrintedSignatory> {
        serde_json::from_str(&self.signatories).unwrap_or_default()
    }

    /// The status a verifier is told at `now`.
    pub fn verdict(&self, now: NaiveDateTime) -> Verdict {
        match self.status {
            Status::Valid if self.expires_at.is_some_and(|e| e <= now) => Verdict::Expired,
            Status::Valid => Verdict::Valid,
            Status::Suspended => Verdict::Suspended,
            Status::Revoked => Verdict::Revoked,
            Status::Superseded => Verdict::Superseded,
        }
    }
}

/// What the background render stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certificate_documents, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct DocumentRow {
    pub certificate_id: i64,
    pub storage_key: String,
    pub pdf_sha256: String,
    pub pdf_size: i64,
    pub badge_jwt: String,
    pub rendered_at: NaiveDateTime,
}

pub(crate) fn load(conn: &mut DbConnection, id: i64) -> Result<Certificate> {
    certificates::table
        .find(id)
        .select(Certificate::as_select())
        .first(conn)
        .optional()?
        .ok_or(CertificationError::NotFound)
}

pub(crate) fn by_code(conn: &mut DbConnection, code: &str) -> Result<Option<Certificate>> {
    Ok(certificates::table
        .filter(certificates::code.eq(code))
        .select(Certificate::as_select())
        .first(conn)
        .optional()?)
}

pub(crate) fn document_of(conn: &mut DbConnection, id: i64) -> Result<Option<DocumentRow>> {
    Ok(certificate_documents::table
        .find(id)
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?)
}

/// The documents of the given certificates, by certificate.
pub(crate) fn documents_of(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, DocumentRow>> {
    let rows: Vec<DocumentRow> = certificate_documents::table
        .filter(certificate_documents::certificate_id.eq_any(ids))
        .select(DocumentRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|d| (d.certificate_id, d)).collect())
}

/// The code of the certificate that replaced this one, if any.
pub(crate) fn successor_code(conn: &mut DbConnection, id: i64) -> Result<Option<String>> {
    Ok(certificates::table
        .filter(certificates::supersedes_id.eq(id))
        .select(certificates::code)
        .first(conn)
        .optional()?)
}

/// Appends to a certificate's history.
pub(crate) fn record_event(
    conn: &mut DbConnection,
    certificate_id: i64,
    action: Action,
    reason: Option<&str>,
    actor_id: Option<i64>,
    at: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(certificate_events::table)
        .values((
            certificate_events::certificate_id.eq(certificate_id),
            certificate_events::action.eq(action),
            certificate_events::reason.eq(reason),
            certificate_events::actor_id.eq(actor_id),
            certificate_events::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves a certificate to `status` if it still has one of `from` (a conditional
/// update, so two staff acting at once cannot both succeed).
pub(crate) fn change_status(
    conn: &mut DbConnection,
    id: i64,
    from: &[Status],
    to: Status,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> Result<bool> {
    let updated = diesel::update(
        certificates::table
            .find(id)
            .filter(certificates::status.eq_any(from.iter().map(|s| s.as_str()))),
    )
    .set((
        certificates::status.eq(to),
        certificates::status_reason.eq(reason),
        certificates::status_changed_at.eq(Some(at)),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The status list indexes (certificate ids) currently revoked or suspended.
pub(crate) fn ids_with_status(conn: &mut DbConnection, purpose: StatusPurpose) -> Result<Vec<i64>> {
    let status = match purpose {
        StatusPurpose::Revocation => Status::Revoked,
        StatusPurpose::Suspension => Status::Suspended,
    };
    Ok(certificates::table
        .filter(certificates::status.eq(status))
        .select(certificates::id)
        .load(conn)?)
}
