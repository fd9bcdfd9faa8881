//! The people who sign the centre's certificates, kept by administrators: name, title,
//! print order and an image of the signature. Certificates keep the names and titles
//! as they were at issue.

use aula_core::{FieldCode, FieldError, Locale};
use aula_db::{schema::signatories, DbConnection};
use aula_identity::User;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    document::{self, Award, Document, Signatory as Signer},
    error::{CertificationError, Result},
    service::Certification,
};

/// The largest signature image taken.
pub const MAX_SIGNATURE_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignatoryView {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub position: i32,
    /// Printed on new certificates.
    pub active: bool,
    pub has_signature: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatoryInput {
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    /// E.g. "Director del CIESS".
    #[schema(min_length = 1, max_length = 160)]
    pub title: String,
    /// Print order, left to right (0–100).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100)]
    pub position: i32,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

fn require_admin(actor: &User) -> Result<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(CertificationError::Forbidden)
    }
}

type Row = (i64, String, String, i32, bool, bool);

/// The SQL types of [`Row`].
type RowSql = (
    diesel::sql_types::BigInt,
    diesel::sql_types::Text,
    diesel::sql_types::Text,
    diesel::sql_types::Integer,
    diesel::sql_types::Bool,
    diesel::sql_types::Bool,
);
type RowQuery =
    signatories::BoxedQuery<'static, <DbConnection as diesel::Connection>::Backend, RowSql>;

fn rows() -> RowQuery {
    signatories::table
        .select((
            signatories::id,
            signatories::name,
            signatories::title,
            signatories::position,
            signatories::active,
            signatories::signature.is_not_null(),
        ))
        .into_boxed()
}

fn view((id, name, title, position, active, has_signature): Row) -> SignatoryView {
    SignatoryView {
        id,
        name,
        title,
        position,
        active,
        has_signature,
    }
}

pub fn list(conn: &mut DbConnection, actor: &User) -> Result<Vec<SignatoryView>> {
    require_admin(actor)?;
    Ok(rows()
        .order((signatories::position.asc(), signatories::id.asc()))
        .load::<Row>(conn)?
        .into_iter()
        .map(view)
        .collect())
}

fn get(conn: &mut DbConnection, id: i64) -> Result<SignatoryView> {
    rows()
        .filter(signatories::id.eq(id))
        .first::<Row>(conn)
        .optional()?
        .map(view)
        .ok_or(CertificationError::SignatoryNotFound)
}

fn checked(input: &SignatoryInput) -> Result<(String, String)> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut text = |field: &str, value: &str, max: usize| {
        let v = value.trim();
        if v.is_empty() {
            errors.push(FieldError {
                field: field.into(),
                code: FieldCode::Required,
            });
        } else if v.chars().count() > max {
            errors.push(FieldError {
                field: field.into(),
                code: FieldCode::TooLong,
            });
        }
        v.to_owned()
    };
    let name = text("name", &input.name, 120);
    let title = text("title", &input.title, 160);
    if !(0..=100).contains(&input.position) {
        errors.push(FieldError {
            field: "position".into(),
            code: FieldCode::OutOfRange,
        });
    }
    if errors.is_empty() {
        Ok((name, title))
    } else {
        Err(CertificationError::Validation(errors))
    }
}

pub fn create(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    input: SignatoryInput,
) -> Result<SignatoryView> {
    require_admin(actor)?;
    let (name, title) = checked(&input)?;
    let now = svc.now();
    let id: i64 = diesel::insert_into(signatories::table)
        .values((
            signatories::name.eq(name),
            signatories::title.eq(title),
            signatories::position.eq(input.position),
            signatories::active.eq(input.active),
            signatories::created_at.eq(now),
            signatories::updated_at.eq(now),
        ))
        .returning(signatories::id)
        .get_result(conn)?;
    get(conn, id)
}

pub fn update(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    id: i64,
    input: SignatoryInput,
) -> Result<SignatoryView> {
    require_admin(actor)?;
    let (name, title) = checked(&input)?;
    let updated = diesel::update(signatories::table.find(id))
        .set((
            signatories::name.eq(name),
            signatories::title.eq(title),
            signatories::position.eq(input.position),
            signatories::active.eq(input.active),
            signatories::updated_at.eq(svc.now()),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(CertificationError::SignatoryNotFound);
    }
    get(conn, id)
}

/// Removes a signatory; certificates already issued keep the name they print.
pub fn delete(conn: &mut DbConnection, actor: &User, id: i64) -> Result<()> {
    require_admin(actor)?;
    let deleted = diesel::delete(signatories::table.find(id)).execute(conn)?;
    if deleted == 0 {
        return Err(CertificationError::SignatoryNotFound);
    }
    Ok(())
}

/// The media type of a signature image, judged by its first bytes.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Stores the signature image (PNG or JPEG). It is tried on a sample certificate
/// first, so an image the renderer cannot read never reaches a real one.
pub fn set_signature(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    id: i64,
    bytes: &[u8],
) -> Result<SignatoryView> {
    require_admin(actor)?;
    let current = get(conn, id)?;
    if bytes.len() > MAX_SIGNATURE_BYTES {
        return Err(CertificationError::field("signature", FieldCode::TooLong));
    }
    let content_type =
        image_type(bytes).ok_or(CertificationError::field("signature", FieldCode::WrongType))?;
    let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let sample = Document {
        locale: Locale::Es,
        centre: &svc.centre,
        learner_name: "Muestra",
        award: Award::Participation,
        course_title: "Muestra",
        course_code: "MUESTRA",
        start_date: day,
        end_date: day,
        hours: 1,
        attendance: None,
        awarded_on: day,
        expires_on: None,
        code: "CIESS-0000-0000-0000",
        verify_url: &svc.verify_url("CIESS-0000-0000-0000"),
        signatories: &[Signer {
            name: &current.name,
            title: &current.title,
            signature: Some(bytes),
        }],
    };
    document::render(&sample)
        .map_err(|_| CertificationError::field("signature", FieldCode::Invalid))?;
    diesel::update(signatories::table.find(id))
        .set((
            signatories::signature.eq(Some(bytes)),
            signatories::signature_type.eq(Some(content_type)),
            signatories::updated_at.eq(svc.now()),
        ))
        .execute(conn)?;
    get(conn, id)
}

/// The signature image, for administrators.
pub fn signature(conn: &mut DbConnection, actor: &User, id: i64) -> Result<(String, Vec<u8>)> {
    require_admin(actor)?;
    let row: Option<(Option<Vec<u8>>, Option<String>)> = signatories::table
        .find(id)
        .select((signatories::signature, signatories::signature_type))
        .first(conn)
        .optional()?;
    match row {
        Some((Some(bytes), Some(kind))) => Ok((kind, bytes)),
        // No image uploaded yet: nothing to show either.
        _ => Err(CertificationError::SignatoryNotFound),
    }
}
