//! Public verification, without signing in: by the code printed on a certificate (the
//! QR code's page), or by the fingerprint of a PDF someone was handed. Throttled per
//! address; an unknown code says only that it is unknown.

use aula_core::{sha256_hex, FieldCode, Locale};
use aula_db::{schema::certificate_documents, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    error::{CertificationError, Result},
    model::{Kind, Verdict},
    record::{self, Certificate, PrintedSignatory},
    service::Certification,
};

/// Everything printed on a certificate and where it stands now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Verification {
    pub code: String,
    pub status: Verdict,
    /// Why it was suspended or revoked.
    pub status_reason: Option<String>,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub status_changed_at: Option<NaiveDateTime>,
    /// The code of the certificate that replaced it.
    pub superseded_by: Option<String>,
    pub issuer: String,
    pub learner_name: String,
    pub kind: Kind,
    pub version: i32,
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
    /// The SHA-256 of the genuine PDF; `null` while it is being prepared.
    pub pdf_sha256: Option<String>,
}

fn throttle(conn: &mut DbConnection, svc: &Certification, address: &str) -> Result<()> {
    aula_identity::throttle_hit(
        conn,
        &format!("verify:{address}"),
        svc.verify_limit,
        svc.now(),
    )?;
    Ok(())
}

fn verification(
    conn: &mut DbConnection,
    svc: &Certification,
    c: Certificate,
) -> Result<Verification> {
    let doc = record::document_of(conn, c.id)?;
    let superseded_by = record::successor_code(conn, c.id)?;
    Ok(Verification {
        status: c.verdict(svc.now()),
        signatories: c.signatories(),
        issuer: svc.centre.clone(),
        pdf_sha256: doc.map(|d| d.pdf_sha256),
        superseded_by,
        code: c.code,
        status_reason: c.status_reason,
        status_changed_at: c.status_changed_at,
        learner_name: c.learner_name,
        kind: c.kind,
        version: c.version,
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
    })
}

/// Verifies a code as typed (any case, spaces, O for 0…). A string that cannot be a
/// code is a validation error; a well-formed unknown one is simply not found.
pub fn by_code(
    conn: &mut DbConnection,
    svc: &Certification,
    address: &str,
    code: &str,
) -> Result<Verification> {
    throttle(conn, svc, address)?;
    let code = crate::code::normalise(code)
        .ok_or(CertificationError::field("code", FieldCode::InvalidCode))?;
    let c = record::by_code(conn, &code)?.ok_or(CertificationError::NotFound)?;
    verification(conn, svc, c)
}

/// Verifies a PDF by its fingerprint: it is genuine only if it is byte for byte one
/// this centre issued.
pub fn by_document(
    conn: &mut DbConnection,
    svc: &Certification,
    address: &str,
    pdf: &[u8],
) -> Result<Verification> {
    throttle(conn, svc, address)?;
    let sha = sha256_hex(pdf);
    let id: i64 = certificate_documents::table
        .filter(certificate_documents::pdf_sha256.eq(&sha))
        .select(certificate_documents::certificate_id)
        .first(conn)
        .optional()?
        .ok_or(CertificationError::DocumentNotRecognised)?;
    let c = record::load(conn, id)?;
    verification(conn, svc, c)
}

/// Verifies a signed badge (VC-JWT) as someone received it: its signature against the
/// centre's keys and its issuer, then the certificate it names, as by code. An expired
/// badge still verifies (as `expired`); an altered or cut one does not.
pub fn by_badge(
    conn: &mut DbConnection,
    svc: &Certification,
    address: &str,
    jwt: &str,
) -> Result<Verification> {
    use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
    throttle(conn, svc, address)?;
    let invalid = |_| CertificationError::BadgeInvalid;
    let header = decode_header(jwt.trim()).map_err(invalid)?;
    let kid = header.kid.ok_or(CertificationError::BadgeInvalid)?;
    let key = crate::badge::key_by_id(conn, &kid)?.ok_or(CertificationError::BadgeInvalid)?;
    let decoding =
        DecodingKey::from_rsa_components(&key.modulus, &key.exponent).map_err(invalid)?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["iss"]);
    validation.set_issuer(&[svc.issuer_id()]);
    let data = decode::<serde_json::Value>(jwt.trim(), &decoding, &validation).map_err(invalid)?;
    let code = data.claims["id"]
        .as_str()
        .and_then(|id| id.rsplit('/').next())
        .and_then(crate::code::normalise)
        .ok_or(CertificationError::BadgeInvalid)?;
    let c = record::by_code(conn, &code)?.ok_or(CertificationError::BadgeInvalid)?;
    verification(conn, svc, c)
}
