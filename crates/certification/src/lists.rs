//! Certificates as their readers see them: a learner's own, an offering's for its
//! staff, an institution's for its coordinator; with their files (PDF, badge), the
//! CSV register and the ZIP of PDFs.

use std::io::Write;

use aula_core::{text_cell, Locale, Page, PageRequest};
use aula_db::{schema::certificates, DbConnection};
use aula_identity::User;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    access::{coordinated_institution, readable, staff_offering},
    error::{CertificationError, Result},
    model::{Kind, Status, Verdict},
    record::{self, Certificate, DocumentRow, PrintedSignatory},
    service::Certification,
};

/// A certificate with everything printed on it and where it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateView {
    pub id: i64,
    pub code: String,
    pub offering_id: i64,
    pub enrolment_id: i64,
    pub user_id: i64,
    pub kind: Kind,
    pub version: i32,
    pub status: Status,
    /// What a verifier is told now (`expired` once past its expiry).
    pub verdict: Verdict,
    pub learner_name: String,
    pub course_code: String,
    pub course_title: String,
    pub start_date: String,
    pub end_date: String,
    pub hours: i32,
    pub final_grade: Option<f64>,
    pub attendance: Option<i32>,
    pub locale: Locale,
    pub signatories: Vec<PrintedSignatory>,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub awarded_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub issued_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub expires_at: Option<NaiveDateTime>,
    /// Who issued it; `null` when issued automatically.
    pub issued_by: Option<i64>,
    /// When the PDF and badge were made.
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub rendered_at: Option<NaiveDateTime>,
    /// Why staff issued it although the rules were not met.
    pub override_reason: Option<String>,
    pub status_reason: Option<String>,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub status_changed_at: Option<NaiveDateTime>,
    /// The code of the certificate this one replaced.
    pub supersedes: Option<String>,
    /// The code of the certificate that replaced this one.
    pub superseded_by: Option<String>,
    /// `false` while the PDF and the badge are being prepared.
    pub ready: bool,
    pub pdf_sha256: Option<String>,
    pub pdf_size: Option<i64>,
    /// The public page anyone can check it on (the QR code's target).
    pub verify_url: String,
    /// The credential's id (Open Badges), which answers with the signed badge.
    pub credential_url: String,
}

fn build(
    svc: &Certification,
    c: Certificate,
    doc: Option<&DocumentRow>,
    supersedes: Option<String>,
    superseded_by: Option<String>,
) -> CertificateView {
    let now = svc.now();
    CertificateView {
        verdict: c.verdict(now),
        signatories: c.signatories(),
        verify_url: svc.verify_url(&c.code),
        credential_url: crate::badge::credential_url(svc, &c.code),
        ready: doc.is_some(),
        pdf_sha256: doc.map(|d| d.pdf_sha256.clone()),
        pdf_size: doc.map(|d| d.pdf_size),
        rendered_at: doc.map(|d| d.rendered_at),
        issued_by: c.issued_by,
        id: c.id,
        code: c.code,
        offering_id: c.offering_id,
        enrolment_id: c.enrolment_id,
        user_id: c.user_id,
        kind: c.kind,
        version: c.version,
        status: c.status,
        learner_name: c.learner_name,
        course_code: c.course_code,
        course_title: c.course_title,
        start_date: c.start_date,
        end_date: c.end_date,
        hours: c.hours,
        final_grade: c.final_grade,
        attendance: c.attendance,
        locale: c.locale,
        awarded_at: c.awarded_at,
        issued_at: c.issued_at,
        expires_at: c.expires_at,
        override_reason: c.override_reason,
        status_reason: c.status_reason,
        status_changed_at: c.status_changed_at,
        supersedes,
        superseded_by,
    }
}

/// Views of the given rows, in their order, in a fixed number of queries.
fn views(
    conn: &mut DbConnection,
    svc: &Certification,
    rows: Vec<Certificate>,
) -> Result<Vec<CertificateView>> {
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let docs = record::documents_of(conn, &ids)?;
    let prior: Vec<i64> = rows.iter().filter_map(|c| c.supersedes_id).collect();
    let prior_codes: std::collections::HashMap<i64, String> = certificates::table
        .filter(certificates::id.eq_any(&prior))
        .select((certificates::id, certificates::code))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let next_codes: std::collections::HashMap<i64, String> = certificates::table
        .filter(certificates::supersedes_id.eq_any(&ids))
        .select((certificates::supersedes_id, certificates::code))
        .load::<(Option<i64>, String)>(conn)?
        .into_iter()
        .filter_map(|(id, code)| id.map(|id| (id, code)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| {
            let supersedes = c.supersedes_id.and_then(|id| prior_codes.get(&id).cloned());
            let superseded_by = next_codes.get(&c.id).cloned();
            let doc = docs.get(&c.id);
            build(svc, c, doc, supersedes, superseded_by)
        })
        .collect())
}

pub(crate) fn view(
    conn: &mut DbConnection,
    svc: &Certification,
    c: Certificate,
) -> Result<CertificateView> {
    Ok(views(conn, svc, vec![c])?.remove(0))
}

/// One certificate, for its holder, the staff of its offering or its coordinator.
pub fn get(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    id: i64,
) -> Result<CertificateView> {
    let c = readable(conn, actor, id)?;
    view(conn, svc, c)
}

/// The actor's own certificates, newest first (every version, so a superseded one
/// still shows what replaced it).
pub fn mine(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
) -> Result<Vec<CertificateView>> {
    let rows: Vec<Certificate> = certificates::table
        .filter(certificates::user_id.eq(actor.id))
        .order((certificates::issued_at.desc(), certificates::id.desc()))
        .select(Certificate::as_select())
        .load(conn)?;
    views(conn, svc, rows)
}

/// Which certificates a staff or coordinator list covers.
enum Scope {
    Offering(i64),
    Institution(i64),
}

fn scoped(
    scope: &Scope,
) -> certificates::BoxedQuery<'static, <DbConnection as diesel::Connection>::Backend> {
    match *scope {
        Scope::Offering(id) => certificates::table
            .filter(certificates::offering_id.eq(id))
            .into_boxed(),
        Scope::Institution(id) => certificates::table
            .filter(certificates::institution_id.eq(id))
            .into_boxed(),
    }
}

fn page_of(
    conn: &mut DbConnection,
    svc: &Certification,
    scope: Scope,
    page: PageRequest,
) -> Result<Page<CertificateView>> {
    let total: i64 = scoped(&scope).count().get_result(conn)?;
    let (_, per_page) = page.clamped();
    let rows: Vec<Certificate> = scoped(&scope)
        .order((certificates::issued_at.desc(), certificates::id.desc()))
        .limit(per_page)
        .offset(page.offset())
        .select(Certificate::as_select())
        .load(conn)?;
    Ok(Page::new(views(conn, svc, rows)?, total, page))
}

/// Every certificate of the offering, newest first, for its staff.
pub fn of_offering(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    offering_id: i64,
    page: PageRequest,
) -> Result<Page<CertificateView>> {
    staff_offering(conn, actor, offering_id)?;
    page_of(conn, svc, Scope::Offering(offering_id), page)
}

fn coordinator_scope(actor: &User) -> Result<Scope> {
    coordinated_institution(actor)
        .map(Scope::Institution)
        .ok_or(CertificationError::Forbidden)
}

/// The certificates of the coordinator's institution's people, newest first.
pub fn of_institution(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    page: PageRequest,
) -> Result<Page<CertificateView>> {
    page_of(conn, svc, coordinator_scope(actor)?, page)
}

/// The most rows one register or archive holds.
const EXPORT_LIMIT: i64 = 20_000;

fn all_of(conn: &mut DbConnection, scope: &Scope) -> Result<Vec<Certificate>> {
    Ok(scoped(scope)
        .order((certificates::issued_at.asc(), certificates::id.asc()))
        .limit(EXPORT_LIMIT)
        .select(Certificate::as_select())
        .load(conn)?)
}

fn register(conn: &mut DbConnection, svc: &Certification, scope: Scope) -> Result<Vec<u8>> {
    let rows = all_of(conn, &scope)?;
    let now = svc.now();
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let docs = record::documents_of(conn, &ids)?;
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let err = |e: csv::Error| CertificationError::Archive(e.to_string());
        w.write_record([
            "code",
            "kind",
            "version",
            "status",
            "learner_name",
            "course_code",
            "course_title",
            "start_date",
            "end_date",
            "hours",
            "final_grade",
            "attendance_percent",
            "language",
            "awarded_at",
            "issued_at",
            "expires_at",
            "status_reason",
            "override_reason",
            "pdf_sha256",
            "verify_url",
        ])
        .map_err(err)?;
        for c in &rows {
            w.write_record([
                c.code.clone(),
                c.kind.as_str().to_owned(),
                c.version.to_string(),
                c.verdict(now).as_str().to_owned(),
                text_cell(&c.learner_name),
                c.course_code.clone(),
                text_cell(&c.course_title),
                c.start_date.clone(),
                c.end_date.clone(),
                c.hours.to_string(),
                c.final_grade.map(|g| format!("{g:.1}")).unwrap_or_default(),
                c.attendance.map(|a| a.to_string()).unwrap_or_default(),
                c.locale.as_str().to_owned(),
                c.awarded_at.format("%Y-%m-%d").to_string(),
                c.issued_at.format("%Y-%m-%d %H:%M").to_string(),
                c.expires_at
                    .map(|e| e.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                c.status_reason
                    .as_deref()
                    .map(text_cell)
                    .unwrap_or_default(),
                c.override_reason
                    .as_deref()
                    .map(text_cell)
                    .unwrap_or_default(),
                docs.get(&c.id)
                    .map(|d| d.pdf_sha256.clone())
                    .unwrap_or_default(),
                svc.verify_url(&c.code),
            ])
            .map_err(err)?;
        }
        w.flush()
            .map_err(|e| CertificationError::Archive(e.to_string()))?;
    }
    Ok(out)
}

/// The offering's register of certificates as CSV (UTF-8 with a byte-order mark).
pub fn offering_register(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<u8>> {
    staff_offering(conn, actor, offering_id)?;
    register(conn, svc, Scope::Offering(offering_id))
}

/// The coordinator's institution's register as CSV.
pub fn institution_register(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
) -> Result<Vec<u8>> {
    let scope = coordinator_scope(actor)?;
    register(conn, svc, scope)
}

/// A ZIP of the PDFs of the offering's certificates in force that are ready, named
/// by learner and code.
pub fn offering_archive(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<u8>> {
    staff_offering(conn, actor, offering_id)?;
    let rows: Vec<Certificate> = all_of(conn, &Scope::Offering(offering_id))?
        .into_iter()
        .filter(|c| Status::IN_FORCE.contains(&c.status))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let docs = record::documents_of(conn, &ids)?;
    let err = |e: zip::result::ZipError| CertificationError::Archive(e.to_string());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // PDFs are compressed already.
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for c in &rows {
        let Some(doc) = docs.get(&c.id) else { continue };
        let bytes = svc.storage.get(&doc.storage_key)?;
        let name = format!(
            "{} {} {}.pdf",
            aula_core::clean_file_name(&c.learner_name, "certificate"),
            c.kind.as_str(),
            c.code
        );
        zip.start_file(name, options).map_err(err)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish().map_err(err)?.into_inner())
}

/// The PDF of a certificate, for its readers.
pub fn pdf(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    id: i64,
) -> Result<(String, Vec<u8>)> {
    let c = readable(conn, actor, id)?;
    let doc = record::document_of(conn, c.id)?.ok_or(CertificationError::Pending)?;
    Ok((
        format!("{}.pdf", c.code),
        svc.storage.get(&doc.storage_key)?,
    ))
}

/// The signed badge (VC-JWT) of a certificate, for its readers.
pub fn badge(conn: &mut DbConnection, actor: &User, id: i64) -> Result<(String, String)> {
    let c = readable(conn, actor, id)?;
    let doc = record::document_of(conn, c.id)?.ok_or(CertificationError::Pending)?;
    Ok((format!("{}.jwt", c.code), doc.badge_jwt))
}

/// The signed badge by its code, for anyone holding its id (the credential URL).
pub fn public_badge(conn: &mut DbConnection, code: &str) -> Result<String> {
    let code = crate::code::normalise(code).ok_or(CertificationError::NotFound)?;
    let c = record::by_code(conn, &code)?.ok_or(CertificationError::NotFound)?;
    let doc = record::document_of(conn, c.id)?.ok_or(CertificationError::Pending)?;
    Ok(doc.badge_jwt)
}
