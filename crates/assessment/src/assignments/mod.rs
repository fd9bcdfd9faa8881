//! Assignments: what an offering's learners hand in, when, and how it counts.

use aula_catalog::text::markdown_to_html;
use aula_db::{
    schema::{assignments, grades, submissions},
    DbConnection,
};
use aula_identity::User;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod input;

use crate::{
    access::{self, Viewer},
    error::{AssessmentError, Result},
    extensions,
    model::{FileKind, LatePolicy, MissingWork},
    record::{self, Row},
    rubric::{self, RubricCriterion},
    service::Assessment,
    submissions::{self as subs, MySubmissions},
    weights,
};
pub(crate) use input::present;
use input::{merged, Values};

/// Longest title and instructions accepted.
pub(crate) const MAX_TITLE: usize = 200;
pub(crate) const MAX_INSTRUCTIONS: usize = 20_000;
/// Most files one attempt may carry.
pub const MAX_FILES: i32 = 10;

/// An assignment as staff send it: `title`, `due_at` and `max_score` to create one;
/// only what changes to edit one.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct AssignmentInput {
    pub title: Option<String>,
    /// Markdown; shown sanitised.
    pub instructions: Option<String>,
    /// RFC 3339; before it nothing is taken. Send `null` to remove it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>, nullable)]
    pub opens_at: Option<Option<DateTime<Utc>>>,
    /// RFC 3339; shown in the offering's time zone.
    pub due_at: Option<DateTime<Utc>>,
    pub late_policy: Option<LatePolicy>,
    /// For the `penalty` policy: the share of the score taken off late work.
    pub late_penalty_percent: Option<i32>,
    /// RFC 3339; nothing is taken after it. Send `null` to remove it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>, nullable)]
    pub cutoff_at: Option<Option<DateTime<Utc>>>,
    /// 1–1000 points.
    pub max_score: Option<i32>,
    /// Share of the final grade, 0–100; the offering's weights add up to at most 100.
    pub weight: Option<i32>,
    pub missing_work: Option<MissingWork>,
    pub accepts_text: Option<bool>,
    pub accepts_files: Option<bool>,
    /// 1–10 files per attempt.
    pub max_files: Option<i32>,
    /// Largest file accepted, in bytes (at most the server's upload limit).
    pub max_file_bytes: Option<i64>,
    pub allowed_types: Option<Vec<FileKind>>,
}

/// An assignment as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assignment {
    pub id: i64,
    pub offering_id: i64,
    pub title: String,
    pub instructions: String,
    /// The instructions rendered and sanitised.
    pub instructions_html: String,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub opens_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub due_at: NaiveDateTime,
    /// The offering's IANA time zone, in which dates are shown.
    pub time_zone: String,
    pub late_policy: LatePolicy,
    pub late_penalty_percent: i32,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub cutoff_at: Option<NaiveDateTime>,
    pub max_score: i32,
    pub weight: i32,
    pub missing_work: MissingWork,
    pub accepts_text: bool,
    pub accepts_files: bool,
    pub max_files: i32,
    pub max_file_bytes: i64,
    pub allowed_types: Vec<FileKind>,
    /// Learners see their grades and feedback once released.
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub grades_released_at: Option<NaiveDateTime>,
    pub rubric: Vec<RubricCriterion>,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub updated_at: NaiveDateTime,
    /// Staff only: how far grading has come.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<GradingProgress>,
    /// A learner only: their due date, attempts and (once released) grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<MySubmissions>,
}

/// How far grading of one assignment has come.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct GradingProgress {
    /// People who handed something in.
    pub submitted: i64,
    pub graded: i64,
    /// Latest attempts with no grade, or handed in after their grade.
    pub to_grade: i64,
}

/// Whether grading of the assignment has begun (its rubric and maximum are then fixed).
pub(crate) fn grading_began(conn: &mut DbConnection, id: i64) -> Result<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        grades::table.filter(grades::assignment_id.eq(id)),
    ))
    .get_result(conn)?)
}

/// Writes every editable column of the assignment.
fn store(conn: &mut DbConnection, id: i64, v: &Values, now: NaiveDateTime) -> Result<()> {
    diesel::update(assignments::table.find(id))
        .set((
            assignments::title.eq(&v.title),
            assignments::instructions.eq(&v.instructions),
            assignments::opens_at.eq(v.opens_at),
            assignments::due_at.eq(v.due_at),
            assignments::late_policy.eq(v.late_policy),
            assignments::late_penalty_percent.eq(v.late_penalty_percent),
            assignments::cutoff_at.eq(v.cutoff_at),
            assignments::max_score.eq(v.max_score),
            assignments::weight.eq(v.weight),
            assignments::missing_work.eq(v.missing_work),
            assignments::accepts_text.eq(v.accepts_text),
            assignments::accepts_files.eq(v.accepts_files),
            assignments::max_files.eq(v.max_files),
            assignments::max_file_bytes.eq(v.max_file_bytes),
            assignments::allowed_types.eq(FileKind::join(&v.allowed_types)),
            assignments::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Staff add an assignment to an offering.
pub fn create(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
    input: &AssignmentInput,
) -> Result<Assignment> {
    let now = svc.now();
    access::offering_staff(conn, actor, offering_id)?;
    let values = merged(None, input, svc)?;
    let id = aula_db::transaction(conn, |conn| {
        aula_catalog::admission::lock_offering(conn, offering_id)?;
        weights::check(
            conn,
            offering_id,
            weights::Item::Assignment(None),
            values.weight,
        )?;
        let id: i64 = diesel::insert_into(assignments::table)
            .values((
                assignments::offering_id.eq(offering_id),
                assignments::title.eq(&values.title),
                assignments::due_at.eq(values.due_at),
                assignments::late_policy.eq(values.late_policy),
                assignments::max_score.eq(values.max_score),
                assignments::weight.eq(values.weight),
                assignments::missing_work.eq(values.missing_work),
                assignments::accepts_text.eq(values.accepts_text),
                assignments::accepts_files.eq(values.accepts_files),
                assignments::max_files.eq(values.max_files),
                assignments::max_file_bytes.eq(values.max_file_bytes),
                assignments::allowed_types.eq(FileKind::join(&values.allowed_types)),
                assignments::created_at.eq(now),
                assignments::updated_at.eq(now),
            ))
            .returning(assignments::id)
            .get_result(conn)?;
        store(conn, id, &values, now)?;
        Ok::<_, AssessmentError>(id)
    })?;
    get(conn, svc, actor, id)
}

/// Staff change an assignment. Once grading has begun its maximum score is fixed.
pub fn update(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    id: i64,
    input: &AssignmentInput,
) -> Result<Assignment> {
    let now = svc.now();
    let (row, _) = access::assignment_staff(conn, actor, id)?;
    let values = merged(Some(&row), input, svc)?;
    aula_db::transaction(conn, |conn| {
        aula_catalog::admission::lock_offering(conn, row.offering_id)?;
        weights::check(
            conn,
            row.offering_id,
            weights::Item::Assignment(Some(id)),
            values.weight,
        )?;
        if values.max_score != row.max_score && grading_began(conn, id)? {
            return Err(AssessmentError::RubricInUse);
        }
        store(conn, id, &values, now)
    })?;
    get(conn, svc, actor, id)
}

/// Staff delete an assignment nobody has handed anything in to.
pub fn delete(conn: &mut DbConnection, actor: &User, id: i64) -> Result<()> {
    access::assignment_staff(conn, actor, id)?;
    aula_db::transaction(conn, |conn| {
        let used: bool = diesel::select(diesel::dsl::exists(
            submissions::table.filter(submissions::assignment_id.eq(id)),
        ))
        .get_result(conn)?;
        if used || grading_began(conn, id)? {
            return Err(AssessmentError::AssignmentInUse);
        }
        diesel::delete(assignments::table.find(id)).execute(conn)?;
        Ok(())
    })
}

/// Staff release the assignment's grades: learners see them at once. Releasing again
/// changes nothing.
pub fn release(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    id: i64,
) -> Result<Assignment> {
    access::assignment_staff(conn, actor, id)?;
    diesel::update(
        assignments::table
            .find(id)
            .filter(assignments::grades_released_at.is_null()),
    )
    .set(assignments::grades_released_at.eq(Some(svc.now())))
    .execute(conn)?;
    get(conn, svc, actor, id)
}

/// One assignment, for its offering's staff and the people holding a seat in it.
pub fn get(conn: &mut DbConnection, svc: &Assessment, actor: &User, id: i64) -> Result<Assignment> {
    let (row, facts, viewer) = access::assignment(conn, actor, id)?;
    let rubric = rubric::of(conn, id)?;
    let mut view = to_view(row, &facts.time_zone, rubric)?;
    match viewer {
        Viewer::Staff => view.progress = Some(progress(conn, id)?),
        Viewer::Learner(seat) => {
            view.mine = Some(subs::mine(conn, svc, &view, seat.enrolment_id)?);
        }
    }
    Ok(view)
}

/// The offering's assignments, by due date; learners see their own status in each.
pub fn list(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<Assignment>> {
    let (facts, viewer) = access::offering(conn, actor, offering_id)?;
    let rows = record::of_offering(conn, offering_id)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut rubrics = rubric::of_many(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let rubric = rubrics.remove(&row.id).unwrap_or_default();
        out.push(to_view(row, &facts.time_zone, rubric)?);
    }
    match viewer {
        Viewer::Staff => {
            let mut all = progress_of_many(conn, &ids)?;
            for a in &mut out {
                a.progress = Some(all.remove(&a.id).unwrap_or(GradingProgress {
                    submitted: 0,
                    graded: 0,
                    to_grade: 0,
                }));
            }
        }
        Viewer::Learner(seat) => {
            for a in &mut out {
                a.mine = Some(subs::mine(conn, svc, a, seat.enrolment_id)?);
            }
        }
    }
    Ok(out)
}

pub(crate) fn to_view(
    row: Row,
    time_zone: &str,
    rubric: Vec<RubricCriterion>,
) -> Result<Assignment> {
    Ok(Assignment {
        allowed_types: FileKind::split(&row.allowed_types)?,
        instructions_html: markdown_to_html(&row.instructions),
        id: row.id,
        offering_id: row.offering_id,
        title: row.title,
        instructions: row.instructions,
        opens_at: row.opens_at,
        due_at: row.due_at,
        time_zone: time_zone.to_owned(),
        late_policy: row.late_policy,
        late_penalty_percent: row.late_penalty_percent,
        cutoff_at: row.cutoff_at,
        max_score: row.max_score,
        weight: row.weight,
        missing_work: row.missing_work,
        accepts_text: row.accepts_text,
        accepts_files: row.accepts_files,
        max_files: row.max_files,
        max_file_bytes: row.max_file_bytes,
        grades_released_at: row.grades_released_at,
        rubric,
        created_at: row.created_at,
        updated_at: row.updated_at,
        progress: None,
        mine: None,
    })
}

fn progress(conn: &mut DbConnection, id: i64) -> Result<GradingProgress> {
    Ok(progress_of_many(conn, &[id])?
        .remove(&id)
        .unwrap_or(GradingProgress {
            submitted: 0,
            graded: 0,
            to_grade: 0,
        }))
}

/// Grading progress of many assignments in two queries.
fn progress_of_many(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, GradingProgress>> {
    use std::collections::HashMap;
    // The latest attempt per person and assignment.
    let latest: Vec<(i64, i64, NaiveDateTime)> = submissions::table
        .filter(submissions::assignment_id.eq_any(ids))
        .select((
            submissions::assignment_id,
            submissions::enrolment_id,
            submissions::submitted_at,
        ))
        .load(conn)?;
    let graded: Vec<(i64, i64, Option<i64>, NaiveDateTime)> = grades::table
        .filter(grades::assignment_id.eq_any(ids))
        .select((
            grades::assignment_id,
            grades::enrolment_id,
            grades::submission_id,
            grades::graded_at,
        ))
        .load(conn)?;
    let mut last: HashMap<(i64, i64), NaiveDateTime> = HashMap::new();
    for (a, e, at) in latest {
        let entry = last.entry((a, e)).or_insert(at);
        *entry = (*entry).max(at);
    }
    let grade_at: HashMap<(i64, i64), NaiveDateTime> =
        graded.iter().map(|(a, e, _, at)| ((*a, *e), *at)).collect();
    let mut out: HashMap<i64, GradingProgress> = HashMap::new();
    for ((a, e), at) in &last {
        let p = out.entry(*a).or_insert(GradingProgress {
            submitted: 0,
            graded: 0,
            to_grade: 0,
        });
        p.submitted += 1;
        if grade_at.get(&(*a, *e)).is_none_or(|g| g < at) {
            p.to_grade += 1;
        }
    }
    for (a, _, _, _) in graded {
        out.entry(a)
            .or_insert(GradingProgress {
                submitted: 0,
                graded: 0,
                to_grade: 0,
            })
            .graded += 1;
    }
    Ok(out)
}

/// The personal due date of one learner (an extension, else the assignment's).
pub(crate) fn due_for(
    conn: &mut DbConnection,
    row: &Row,
    enrolment_id: i64,
) -> Result<NaiveDateTime> {
    Ok(extensions::of(conn, row.id, enrolment_id)?
        .map(|e| e.due_at)
        .unwrap_or(row.due_at))
}
