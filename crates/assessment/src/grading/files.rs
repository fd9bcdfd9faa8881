//! Files attached to the feedback on one person's work. Staff add and remove them; the
//! learner reads them once the assignment's grades are released.

use aula_db::{schema::grade_files as gf, DbConnection};
use aula_identity::User;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    access::{self, Viewer},
    error::{AssessmentError, Result},
    model::FileKind,
    service::Assessment,
    submissions::{NewFile, StoredFile},
};

/// Most feedback files on one person's work.
pub const MAX_FEEDBACK_FILES: i64 = 5;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedbackFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub viewable: bool,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub uploaded_at: NaiveDateTime,
}

type FileRow = (i64, String, String, i64, String, NaiveDateTime);

const COLUMNS: (
    gf::id,
    gf::file_name,
    gf::content_type,
    gf::size_bytes,
    gf::sha256,
    gf::uploaded_at,
) = (
    gf::id,
    gf::file_name,
    gf::content_type,
    gf::size_bytes,
    gf::sha256,
    gf::uploaded_at,
);

fn view((id, file_name, content_type, size_bytes, sha256, uploaded_at): FileRow) -> FeedbackFile {
    let viewable = FileKind::is_viewable_type(&content_type);
    FeedbackFile {
        id,
        file_name,
        content_type,
        size_bytes,
        sha256,
        viewable,
        uploaded_at,
    }
}

/// The feedback files on one person's work, oldest first.
pub(crate) fn of(
    conn: &mut DbConnection,
    assignment_id: i64,
    enrolment_id: i64,
) -> Result<Vec<FeedbackFile>> {
    Ok(gf::table
        .filter(gf::assignment_id.eq(assignment_id))
        .filter(gf::enrolment_id.eq(enrolment_id))
        .order(gf::id.asc())
        .select(COLUMNS)
        .load::<FileRow>(conn)?
        .into_iter()
        .map(view)
        .collect())
}

/// Settles that the actor may attach feedback files to this person's work. Asked
/// before the bytes of an upload are read.
pub fn require_grader(
    conn: &mut DbConnection,
    actor: &User,
    assignment_id: i64,
    enrolment_id: i64,
) -> Result<()> {
    let (row, _) = access::assignment_staff(conn, actor, assignment_id)?;
    access::seat_in(conn, row.offering_id, enrolment_id)?;
    Ok(())
}

/// Staff attach a file (any kind an assignment may accept, judged by content).
pub fn attach(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    assignment_id: i64,
    enrolment_id: i64,
    file: &NewFile<'_>,
) -> Result<Vec<FeedbackFile>> {
    require_grader(conn, actor, assignment_id, enrolment_id)?;
    if file.bytes.len() as i64 > svc.max_file_bytes {
        return Err(AssessmentError::FileTooLarge {
            limit: svc.max_file_bytes,
        });
    }
    let kind = FileKind::sniff(file.bytes)
        .ok_or_else(|| AssessmentError::FileTypeNotAllowed(FileKind::join(FileKind::ALL)))?;
    let count: i64 = gf::table
        .filter(gf::assignment_id.eq(assignment_id))
        .filter(gf::enrolment_id.eq(enrolment_id))
        .count()
        .get_result(conn)?;
    if count >= MAX_FEEDBACK_FILES {
        return Err(AssessmentError::field(
            "file",
            aula_core::FieldCode::TooMany,
        ));
    }
    let key = format!(
        "feedback/{assignment_id}/{enrolment_id}/{}.{}",
        svc.tokens.token(),
        kind.as_str()
    );
    svc.storage.put(&key, file.bytes)?;
    let sha = aula_core::sha256_hex(file.bytes);
    let inserted = diesel::insert_into(gf::table)
        .values((
            gf::assignment_id.eq(assignment_id),
            gf::enrolment_id.eq(enrolment_id),
            gf::file_name.eq(aula_core::clean_file_name(file.file_name, "feedback")),
            gf::content_type.eq(kind.mime_type()),
            gf::size_bytes.eq(file.bytes.len() as i64),
            gf::sha256.eq(sha),
            gf::storage_key.eq(&key),
            gf::uploaded_by.eq(actor.id),
            gf::uploaded_at.eq(svc.now()),
        ))
        .execute(conn);
    if let Err(e) = inserted {
        let _ = svc.storage.delete(&key);
        return Err(e.into());
    }
    of(conn, assignment_id, enrolment_id)
}

/// The file's row, when the actor may read it: staff always, the learner once the
/// assignment's grades are released.
fn readable(
    conn: &mut DbConnection,
    actor: &User,
    id: i64,
) -> Result<(i64, i64, String, String, String)> {
    let (assignment_id, enrolment_id, file_name, content_type, key): (
        i64,
        i64,
        String,
        String,
        String,
    ) = gf::table
        .find(id)
        .select((
            gf::assignment_id,
            gf::enrolment_id,
            gf::file_name,
            gf::content_type,
            gf::storage_key,
        ))
        .first(conn)
        .optional()?
        .ok_or(AssessmentError::FileNotFound)?;
    let allowed = match access::assignment(conn, actor, assignment_id) {
        Ok((_, _, Viewer::Staff)) => true,
        Ok((row, _, Viewer::Learner(seat))) => {
            seat.enrolment_id == enrolment_id && row.grades_released_at.is_some()
        }
        Err(AssessmentError::NotFound) => false,
        Err(e) => return Err(e),
    };
    if !allowed {
        return Err(AssessmentError::FileNotFound);
    }
    Ok((assignment_id, enrolment_id, file_name, content_type, key))
}

/// A feedback file.
pub fn download(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    id: i64,
) -> Result<StoredFile> {
    let (_, _, file_name, content_type, key) = readable(conn, actor, id)?;
    Ok(StoredFile {
        file_name,
        content_type,
        bytes: svc.storage.get(&key)?,
    })
}

/// Staff remove a feedback file.
pub fn remove(conn: &mut DbConnection, svc: &Assessment, actor: &User, id: i64) -> Result<()> {
    let (assignment_id, _, _, _, key) = readable(conn, actor, id)?;
    access::assignment_staff(conn, actor, assignment_id)?;
    diesel::delete(gf::table.find(id)).execute(conn)?;
    if let Err(e) = svc.storage.delete(&key) {
        tracing::warn!(error = %e, "could not delete a removed feedback file");
    }
    Ok(())
}
