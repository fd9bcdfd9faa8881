//! Handing work in: every attempt kept, late policies and personal due dates applied,
//! files checked by content and fingerprinted, a receipt returned and mailed.

use aula_core::{FieldCode, Locale, Validation};
use aula_db::{
    schema::{submission_files as files, submissions},
    DbConnection,
};
use aula_identity::User;
use aula_mail::{Mail, ReceiptFile};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    access::{self, Viewer},
    assignments::{self, Assignment},
    error::{AssessmentError, Result},
    grading::{self, Grade},
    model::{FileKind, LatePolicy},
    record::Row,
    service::Assessment,
};

/// Longest text answer accepted.
pub const MAX_BODY: usize = 50_000;

/// One file as received.
pub struct NewFile<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// An attempt as the learner sends it.
#[derive(Default)]
pub struct NewSubmission<'a> {
    pub body: Option<&'a str>,
    pub files: Vec<NewFile<'a>>,
}

/// One attempt, with its files; also the receipt of a new one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Submission {
    pub id: i64,
    pub assignment_id: i64,
    pub enrolment_id: i64,
    pub attempt: i32,
    pub body: Option<String>,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub submitted_at: NaiveDateTime,
    /// Handed in after the person's due date.
    pub late: bool,
    /// Taken off the grade under the `penalty` policy.
    pub penalty_percent: i32,
    pub files: Vec<SubmittedFile>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmittedFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes received.
    pub sha256: String,
    /// PDF or image: shown in the page.
    pub viewable: bool,
}

/// A learner's side of one assignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MySubmissions {
    /// Their due date: an extension's, else the assignment's.
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub due_at: NaiveDateTime,
    pub extended: bool,
    /// Whether an attempt would be taken now.
    pub can_submit: bool,
    /// Newest first.
    pub attempts: Vec<Submission>,
    /// Once grades are released.
    pub grade: Option<Grade>,
}

/// A stored file read back.
pub struct StoredFile {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

type SubRow = (i64, i64, i64, i32, Option<String>, NaiveDateTime, bool, i32);
type FileRow = (i64, i64, String, String, i64, String);

const SUB_COLUMNS: (
    submissions::id,
    submissions::assignment_id,
    submissions::enrolment_id,
    submissions::attempt,
    submissions::body,
    submissions::submitted_at,
    submissions::late,
    submissions::penalty_percent,
) = (
    submissions::id,
    submissions::assignment_id,
    submissions::enrolment_id,
    submissions::attempt,
    submissions::body,
    submissions::submitted_at,
    submissions::late,
    submissions::penalty_percent,
);

/// Attempts with their files, in two queries.
pub(crate) fn hydrate(conn: &mut DbConnection, rows: Vec<SubRow>) -> Result<Vec<Submission>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let file_rows: Vec<FileRow> = files::table
        .filter(files::submission_id.eq_any(&ids))
        .order((files::submission_id, files::position))
        .select((
            files::id,
            files::submission_id,
            files::file_name,
            files::content_type,
            files::size_bytes,
            files::sha256,
        ))
        .load(conn)?;
    let mut by_sub: std::collections::HashMap<i64, Vec<SubmittedFile>> = Default::default();
    for (id, sub, file_name, content_type, size_bytes, sha256) in file_rows {
        let viewable = FileKind::is_viewable_type(&content_type);
        by_sub.entry(sub).or_default().push(SubmittedFile {
            id,
            file_name,
            content_type,
            size_bytes,
            sha256,
            viewable,
        });
    }
    Ok(rows
        .into_iter()
        .map(
            |(id, assignment_id, enrolment_id, attempt, body, submitted_at, late, penalty)| {
                Submission {
                    id,
                    assignment_id,
                    enrolment_id,
                    attempt,
                    body,
                    submitted_at,
                    late,
                    penalty_percent: penalty,
                    files: by_sub.remove(&id).unwrap_or_default(),
                }
            },
        )
        .collect())
}

/// Every attempt of one person at one assignment, newest first.
pub(crate) fn attempts_of(
    conn: &mut DbConnection,
    assignment_id: i64,
    enrolment_id: i64,
) -> Result<Vec<Submission>> {
    let rows: Vec<SubRow> = submissions::table
        .filter(submissions::assignment_id.eq(assignment_id))
        .filter(submissions::enrolment_id.eq(enrolment_id))
        .order(submissions::attempt.desc())
        .select(SUB_COLUMNS)
        .load(conn)?;
    hydrate(conn, rows)
}

/// Loads submissions by id (any order), with their files.
pub(crate) fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<Submission>> {
    let rows: Vec<SubRow> = submissions::table
        .filter(submissions::id.eq_any(ids))
        .select(SUB_COLUMNS)
        .load(conn)?;
    hydrate(conn, rows)
}

/// Why an attempt would be refused now, if it would.
fn closed_reason(
    row: &Row,
    due: NaiveDateTime,
    now: NaiveDateTime,
    attempts: usize,
) -> Option<&'static str> {
    if row.opens_at.is_some_and(|o| now < o) {
        return Some("the assignment is not open yet");
    }
    if row.cutoff(due).is_some_and(|c| now > c) {
        return Some("the assignment no longer takes submissions");
    }
    if attempts > 0 && now > due {
        return Some("resubmission closed at the due date");
    }
    None
}

pub(crate) fn mine(
    conn: &mut DbConnection,
    svc: &Assessment,
    assignment: &Assignment,
    enrolment_id: i64,
) -> Result<MySubmissions> {
    let row = crate::record::load(conn, assignment.id)?;
    let due = assignments::due_for(conn, &row, enrolment_id)?;
    let attempts = attempts_of(conn, row.id, enrolment_id)?;
    let grade = if row.grades_released_at.is_some() {
        grading::learner_grade(conn, &row, enrolment_id)?
    } else {
        None
    };
    Ok(MySubmissions {
        due_at: due,
        extended: due != row.due_at,
        can_submit: closed_reason(&row, due, svc.now(), attempts.len()).is_none(),
        attempts,
        grade,
    })
}

/// What an upload to an assignment may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_files: usize,
    pub max_file_bytes: i64,
}

/// Settles that the actor may hand in now, and what they may send. Asked before the
/// bytes of an upload are read.
pub fn require_submitter(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    assignment_id: i64,
) -> Result<Limits> {
    let (row, ..) = submitter(conn, svc, actor, assignment_id)?;
    Ok(Limits {
        max_files: if row.accepts_files {
            row.max_files as usize
        } else {
            0
        },
        max_file_bytes: row.max_file_bytes,
    })
}

fn submitter(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    assignment_id: i64,
) -> Result<(
    Row,
    aula_catalog::admission::OfferingFacts,
    i64,
    NaiveDateTime,
)> {
    let (row, facts, viewer) = access::assignment(conn, actor, assignment_id)?;
    let Viewer::Learner(seat) = viewer else {
        return Err(AssessmentError::Forbidden);
    };
    let due = assignments::due_for(conn, &row, seat.enrolment_id)?;
    let attempts: i64 = submissions::table
        .filter(submissions::assignment_id.eq(row.id))
        .filter(submissions::enrolment_id.eq(seat.enrolment_id))
        .count()
        .get_result(conn)?;
    if let Some(reason) = closed_reason(&row, due, svc.now(), attempts as usize) {
        return Err(AssessmentError::SubmissionClosed(reason));
    }
    Ok((row, facts, seat.enrolment_id, due))
}

struct Checked {
    body: Option<String>,
    files: Vec<(String, FileKind, String, i64)>,
}

fn check(row: &Row, input: &NewSubmission<'_>) -> Result<Checked> {
    let mut v = Validation::new();
    let body = input
        .body
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_owned);
    if let Some(b) = &body {
        if !row.accepts_text {
            v.add("body", FieldCode::Invalid);
        } else if b.chars().count() > MAX_BODY {
            v.add("body", FieldCode::TooLong);
        }
    }
    if !input.files.is_empty() && !row.accepts_files {
        v.add("files", FieldCode::Invalid);
    } else if input.files.len() > row.max_files as usize {
        v.add("files", FieldCode::TooMany);
    }
    if body.is_none() && input.files.is_empty() {
        v.add(
            if row.accepts_text { "body" } else { "files" },
            FieldCode::Empty,
        );
    }
    v.finish().map_err(AssessmentError::Validation)?;
    let allowed = FileKind::split(&row.allowed_types)?;
    let mut checked = Vec::with_capacity(input.files.len());
    for f in &input.files {
        if f.bytes.len() as i64 > row.max_file_bytes {
            return Err(AssessmentError::FileTooLarge {
                limit: row.max_file_bytes,
            });
        }
        let kind = FileKind::sniff(f.bytes)
            .filter(|k| allowed.contains(k))
            .ok_or_else(|| AssessmentError::FileTypeNotAllowed(FileKind::join(&allowed)))?;
        let sha = aula_core::sha256_hex(f.bytes);
        checked.push((
            aula_core::clean_file_name(f.file_name, "file"),
            kind,
            sha,
            f.bytes.len() as i64,
        ));
    }
    Ok(Checked {
        body,
        files: checked,
    })
}

/// The learner hands in an attempt (see [`require_submitter`]). The receipt is the
/// stored attempt; it is also mailed.
pub fn submit(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    assignment_id: i64,
    input: &NewSubmission<'_>,
    locale: Option<Locale>,
) -> Result<Submission> {
    let now = svc.now();
    let (row, facts, enrolment_id, due) = submitter(conn, svc, actor, assignment_id)?;
    let checked = check(&row, input)?;
    if let Some(last) = attempts_of(conn, row.id, enrolment_id)?.first() {
        let same_files = last
            .files
            .iter()
            .map(|f| f.sha256.as_str())
            .eq(checked.files.iter().map(|f| f.2.as_str()));
        if same_files && last.body == checked.body {
            return Err(AssessmentError::DuplicateSubmission);
        }
    }
    let late = now > due;
    let penalty = if late && row.late_policy == LatePolicy::Penalty {
        row.late_penalty_percent
    } else {
        0
    };
    // Files are stored first; if the attempt is not recorded they are removed.
    let mut keys = Vec::with_capacity(input.files.len());
    for (f, (_, kind, _, _)) in input.files.iter().zip(&checked.files) {
        let key = format!(
            "submissions/{}/{enrolment_id}/{}.{}",
            row.id,
            svc.tokens.token(),
            kind.as_str()
        );
        if let Err(e) = svc.storage.put(&key, f.bytes) {
            discard(svc, &keys);
            return Err(e.into());
        }
        keys.push(key);
    }
    let course_title = aula_catalog::admission::offering_summaries(conn, &[facts.id], locale)?
        .remove(&facts.id)
        .map(|s| s.course_title)
        .unwrap_or(facts.course_code.clone());
    let recorded = aula_db::transaction(conn, |conn| {
        let attempt: Option<i32> = submissions::table
            .filter(submissions::assignment_id.eq(row.id))
            .filter(submissions::enrolment_id.eq(enrolment_id))
            .select(diesel::dsl::max(submissions::attempt))
            .first(conn)?;
        let attempt = attempt.unwrap_or(0) + 1;
        let inserted = aula_db::transaction(conn, |conn| {
            diesel::insert_into(submissions::table)
                .values((
                    submissions::assignment_id.eq(row.id),
                    submissions::enrolment_id.eq(enrolment_id),
                    submissions::attempt.eq(attempt),
                    submissions::body.eq(&checked.body),
                    submissions::submitted_at.eq(now),
                    submissions::late.eq(late),
                    submissions::penalty_percent.eq(penalty),
                ))
                .returning(submissions::id)
                .get_result::<i64>(conn)
        });
        let id = match inserted {
            // The same person's other request recorded this attempt number first.
            Err(e) if aula_db::is_unique_violation(&e) => {
                return Err(AssessmentError::DuplicateSubmission)
            }
            other => other?,
        };
        for (i, ((name, kind, sha, size), key)) in checked.files.iter().zip(&keys).enumerate() {
            diesel::insert_into(files::table)
                .values((
                    files::submission_id.eq(id),
                    files::position.eq(i as i32),
                    files::file_name.eq(name),
                    files::content_type.eq(kind.mime_type()),
                    files::size_bytes.eq(size),
                    files::sha256.eq(sha),
                    files::storage_key.eq(key),
                ))
                .execute(conn)?;
        }
        let mail = Mail::SubmissionReceipt {
            full_name: actor.full_name.clone(),
            course_title: course_title.clone(),
            assignment_title: row.title.clone(),
            attempt,
            submitted_at: local_time(now, &facts.time_zone),
            late,
            files: checked
                .files
                .iter()
                .map(|(name, _, sha, size)| ReceiptFile {
                    name: name.clone(),
                    size_bytes: *size,
                    sha256: sha.clone(),
                })
                .collect(),
            link: svc.assignment_link(row.id),
        };
        aula_mail::enqueue(conn, now, &actor.email, actor.locale, &mail)?;
        Ok(id)
    });
    match recorded {
        Ok(id) => by_ids(conn, &[id])?
            .pop()
            .ok_or(AssessmentError::SubmissionNotFound),
        Err(e) => {
            discard(svc, &keys);
            Err(e)
        }
    }
}

fn discard(svc: &Assessment, keys: &[String]) {
    for key in keys {
        if let Err(e) = svc.storage.delete(key) {
            tracing::warn!(error = %e, "could not delete the file of an unrecorded attempt");
        }
    }
}

/// `2026-12-04 17:05 America/Lima`: a time as the offering's people read it.
pub(crate) fn local_time(at: NaiveDateTime, time_zone: &str) -> String {
    match time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => format!(
            "{} {time_zone}",
            at.and_utc().with_timezone(&tz).format("%Y-%m-%d %H:%M")
        ),
        Err(_) => format!("{} UTC", at.format("%Y-%m-%d %H:%M")),
    }
}

/// Attempts at an assignment: staff see anyone's (of one person with `enrolment_id`),
/// a learner only their own.
pub fn attempts(
    conn: &mut DbConnection,
    actor: &User,
    assignment_id: i64,
    enrolment_id: Option<i64>,
) -> Result<Vec<Submission>> {
    let (row, _, viewer) = access::assignment(conn, actor, assignment_id)?;
    match (viewer, enrolment_id) {
        (Viewer::Learner(seat), Some(e)) if e != seat.enrolment_id => {
            Err(AssessmentError::EnrolmentNotFound)
        }
        (Viewer::Learner(seat), _) => attempts_of(conn, row.id, seat.enrolment_id),
        (Viewer::Staff, Some(e)) => {
            access::seat_in(conn, row.offering_id, e)?;
            attempts_of(conn, row.id, e)
        }
        (Viewer::Staff, None) => {
            let rows: Vec<SubRow> = submissions::table
                .filter(submissions::assignment_id.eq(row.id))
                .order((submissions::submitted_at.asc(), submissions::id.asc()))
                .select(SUB_COLUMNS)
                .limit(5_000)
                .load(conn)?;
            hydrate(conn, rows)
        }
    }
}

/// Whose attempt it is, when the actor may see it.
fn visible_submission(conn: &mut DbConnection, actor: &User, id: i64) -> Result<Submission> {
    let sub = by_ids(conn, &[id])?
        .pop()
        .ok_or(AssessmentError::SubmissionNotFound)?;
    match access::assignment(conn, actor, sub.assignment_id) {
        Ok((_, _, Viewer::Staff)) => Ok(sub),
        Ok((_, _, Viewer::Learner(seat))) if seat.enrolment_id == sub.enrolment_id => Ok(sub),
        Ok(_) | Err(AssessmentError::NotFound) => Err(AssessmentError::SubmissionNotFound),
        Err(e) => Err(e),
    }
}

/// One attempt, for its author and staff.
pub fn get(conn: &mut DbConnection, actor: &User, id: i64) -> Result<Submission> {
    visible_submission(conn, actor, id)
}

/// A file of an attempt, for its author and staff.
pub fn file(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    submission_id: i64,
    file_id: i64,
) -> Result<StoredFile> {
    visible_submission(conn, actor, submission_id)?;
    let (file_name, content_type, key): (String, String, String) = files::table
        .filter(files::id.eq(file_id))
        .filter(files::submission_id.eq(submission_id))
        .select((files::file_name, files::content_type, files::storage_key))
        .first(conn)
        .optional()?
        .ok_or(AssessmentError::FileNotFound)?;
    let bytes = svc.storage.get(&key)?;
    Ok(StoredFile {
        file_name,
        content_type,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_the_offering_zone() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .unwrap()
            .and_hms_opt(22, 5, 0)
            .unwrap();
        assert_eq!(
            local_time(at, "America/Lima"),
            "2026-12-04 17:05 America/Lima"
        );
        assert_eq!(local_time(at, "Nowhere/Else"), "2026-12-04 22:05 UTC");
    }
}
