//! The documents of an `institution_endorsed` application.

use aula_core::Locale;
use aula_db::{schema::enrolment_documents, DbConnection};
use aula_identity::User;
use diesel::prelude::*;

use crate::{
    access::{situation, visible},
    allowed,
    error::{EnrolmentError, Result},
    model::{DocumentKind, EnrolmentAction},
    record::load,
    service::Admissions,
    view::{self, Enrolment},
};

/// Accepted document types, recognised by content, never by name.
pub const ALLOWED_TYPES: &[&str] = &["application/pdf", "image/png", "image/jpeg", "image/webp"];

/// A document as uploaded.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// A stored document as read back.
pub struct File {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub(crate) fn complete(conn: &mut DbConnection, enrolment_id: i64) -> Result<bool> {
    let n: i64 = enrolment_documents::table
        .filter(enrolment_documents::enrolment_id.eq(enrolment_id))
        .count()
        .get_result(conn)?;
    Ok(n >= DocumentKind::ALL.len() as i64)
}

fn clean_name(name: &str) -> String {
    aula_core::clean_file_name(name, "document")
}

/// Whether `actor` may upload documents to the application: the learner, while it
/// waits for endorsement. Asked before the bytes are read.
pub fn require_uploader(conn: &mut DbConnection, actor: &User, id: i64) -> Result<()> {
    let row = load(conn, id)?;
    let (_, situation) = situation(conn, actor, &row)?;
    allowed::check(EnrolmentAction::UploadDocuments, &situation)
}

/// The learner uploads or replaces one document (see [`require_uploader`]).
pub fn upload(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    id: i64,
    kind: DocumentKind,
    file: &Upload<'_>,
    locale: Option<Locale>,
) -> Result<Enrolment> {
    let now = svc.now();
    let row = load(conn, id)?;
    let (_, situation) = situation(conn, actor, &row)?;
    allowed::check(EnrolmentAction::UploadDocuments, &situation)?;
    if file.bytes.len() > svc.max_document_bytes {
        return Err(EnrolmentError::FileTooLarge {
            limit: svc.max_document_bytes,
        });
    }
    let content_type = aula_catalog::storage::sniff(file.bytes)
        .ok()
        .filter(|t| ALLOWED_TYPES.contains(t))
        .ok_or(EnrolmentError::FileTypeNotAllowed)?;
    let key = format!("enrolments/{id}/{}-{}", kind.as_str(), svc.tokens.token());
    svc.storage.put(&key, file.bytes)?;
    let replaced = aula_db::transaction(conn, |conn| {
        let old: Option<String> = enrolment_documents::table
            .filter(enrolment_documents::enrolment_id.eq(id))
            .filter(enrolment_documents::kind.eq(kind.as_str()))
            .select(enrolment_documents::storage_key)
            .first(conn)
            .optional()?;
        diesel::delete(
            enrolment_documents::table
                .filter(enrolment_documents::enrolment_id.eq(id))
                .filter(enrolment_documents::kind.eq(kind.as_str())),
        )
        .execute(conn)?;
        diesel::insert_into(enrolment_documents::table)
            .values((
                enrolment_documents::enrolment_id.eq(id),
                enrolment_documents::kind.eq(kind.as_str()),
                enrolment_documents::file_name.eq(clean_name(file.file_name)),
                enrolment_documents::content_type.eq(content_type),
                enrolment_documents::size_bytes.eq(file.bytes.len() as i64),
                enrolment_documents::storage_key.eq(&key),
                enrolment_documents::uploaded_at.eq(now),
            ))
            .execute(conn)?;
        Ok::<_, EnrolmentError>(old)
    });
    match replaced {
        Ok(Some(old)) => {
            if let Err(e) = svc.storage.delete(&old) {
                tracing::warn!(error = %e, "could not delete a replaced document");
            }
        }
        Ok(None) => {}
        Err(e) => {
            let _ = svc.storage.delete(&key);
            return Err(e);
        }
    }
    let row = load(conn, id)?;
    view::one(conn, actor, row, locale, now)
}

/// A document, for the learner, staff and the learner's coordinator.
pub fn download(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    id: i64,
    kind: DocumentKind,
) -> Result<File> {
    let row = load(conn, id)?;
    visible(conn, actor, &row)?;
    let (file_name, content_type, key): (String, String, String) = enrolment_documents::table
        .filter(enrolment_documents::enrolment_id.eq(id))
        .filter(enrolment_documents::kind.eq(kind.as_str()))
        .select((
            enrolment_documents::file_name,
            enrolment_documents::content_type,
            enrolment_documents::storage_key,
        ))
        .first(conn)
        .optional()?
        .ok_or(EnrolmentError::DocumentNotFound)?;
    let bytes = svc.storage.get(&key)?;
    Ok(File {
        file_name,
        content_type,
        bytes,
    })
}
