//! Grading: a grade per person and assignment (points or rubric levels, feedback), its
//! full history, and the queue of work waiting for a grade.

pub mod files;
pub mod import;
pub mod queue;

use std::collections::HashMap;

use aula_catalog::text::markdown_to_html;
use aula_core::{FieldCode, Validation};
use aula_db::{
    schema::{grade_events, grade_levels, grades, submissions},
    DbConnection,
};
use aula_identity::User;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access,
    error::{AssessmentError, Result},
    record::Row,
    rubric::{self, round2},
    service::Assessment,
};

const MAX_FEEDBACK: usize = 20_000;
const MAX_REASON: usize = 500;

/// A grade as staff give it: points, or one level per rubric criterion (which then
/// sum up to the points). Changing a grade needs a `reason`.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct GradeInput {
    /// 0 to the assignment's maximum; ignored when `levels` are sent.
    pub score: Option<f64>,
    /// Rubric level ids, one per criterion.
    pub levels: Option<Vec<i64>>,
    /// Markdown.
    pub feedback: Option<String>,
    /// Why a grade changes (kept in its history).
    pub reason: Option<String>,
}

/// A grade: staff see it always, the learner once the assignment's grades are released.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Grade {
    pub assignment_id: i64,
    pub enrolment_id: i64,
    /// The attempt graded, if work was handed in.
    pub submission_id: Option<i64>,
    /// Points before the late penalty.
    pub score: f64,
    pub penalty_percent: i32,
    /// Points after the late penalty.
    pub final_score: f64,
    pub max_score: i32,
    pub feedback: String,
    pub feedback_html: String,
    /// Rubric levels chosen.
    pub levels: Vec<i64>,
    /// Files attached to the feedback.
    pub files: Vec<files::FeedbackFile>,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub graded_at: NaiveDateTime,
}

/// One entry of a grade's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradeEvent {
    pub score: f64,
    pub penalty_percent: i32,
    pub final_score: f64,
    pub feedback: String,
    pub levels: Vec<i64>,
    pub reason: Option<String>,
    pub actor_id: i64,
    pub actor_name: String,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub at: NaiveDateTime,
}

pub(crate) fn final_score(score: f64, penalty_percent: i32) -> f64 {
    round2(score * f64::from(100 - penalty_percent) / 100.0)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = grades, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct GradeRow {
    pub id: i64,
    pub assignment_id: i64,
    pub enrolment_id: i64,
    pub submission_id: Option<i64>,
    pub score: f64,
    pub penalty_percent: i32,
    pub feedback: String,
    pub graded_at: NaiveDateTime,
}

impl GradeRow {
    pub fn final_score(&self) -> f64 {
        final_score(self.score, self.penalty_percent)
    }

    fn view(self, max_score: i32, levels: Vec<i64>, files: Vec<files::FeedbackFile>) -> Grade {
        Grade {
            final_score: self.final_score(),
            feedback_html: markdown_to_html(&self.feedback),
            assignment_id: self.assignment_id,
            enrolment_id: self.enrolment_id,
            submission_id: self.submission_id,
            score: self.score,
            penalty_percent: self.penalty_percent,
            max_score,
            feedback: self.feedback,
            levels,
            files,
            graded_at: self.graded_at,
        }
    }
}

fn current(
    conn: &mut DbConnection,
    assignment_id: i64,
    enrolment_id: i64,
) -> Result<Option<GradeRow>> {
    Ok(grades::table
        .filter(grades::assignment_id.eq(assignment_id))
        .filter(grades::enrolment_id.eq(enrolment_id))
        .select(GradeRow::as_select())
        .first(conn)
        .optional()?)
}

fn levels_of(conn: &mut DbConnection, grade_id: i64) -> Result<Vec<i64>> {
    Ok(grade_levels::table
        .filter(grade_levels::grade_id.eq(grade_id))
        .order(grade_levels::criterion_id)
        .select(grade_levels::level_id)
        .load(conn)?)
}

/// The current grades of many assignments, by (assignment, enrolment), in one query.
pub(crate) fn current_of(
    conn: &mut DbConnection,
    assignment_ids: &[i64],
) -> Result<HashMap<(i64, i64), GradeRow>> {
    Ok(grades::table
        .filter(grades::assignment_id.eq_any(assignment_ids))
        .select(GradeRow::as_select())
        .load::<GradeRow>(conn)?
        .into_iter()
        .map(|g| ((g.assignment_id, g.enrolment_id), g))
        .collect())
}

/// The learner's grade, as released.
pub(crate) fn learner_grade(
    conn: &mut DbConnection,
    row: &Row,
    enrolment_id: i64,
) -> Result<Option<Grade>> {
    match current(conn, row.id, enrolment_id)? {
        Some(g) => {
            let levels = levels_of(conn, g.id)?;
            let attached = files::of(conn, row.id, enrolment_id)?;
            Ok(Some(g.view(row.max_score, levels, attached)))
        }
        None => Ok(None),
    }
}

/// The score a grade input gives, with the levels chosen.
fn score_of(
    row: &Row,
    conn: &mut DbConnection,
    input: &GradeInput,
) -> Result<(f64, Vec<(i64, i64)>)> {
    let mut v = Validation::new();
    let mut chosen = Vec::new();
    let score = match &input.levels {
        Some(levels) => {
            let rubric = rubric::of(conn, row.id)?;
            if rubric.is_empty() {
                v.add("levels", FieldCode::Invalid);
            }
            let mut total = 0.0;
            for criterion in &rubric {
                let picked: Vec<&rubric::RubricLevel> = criterion
                    .levels
                    .iter()
                    .filter(|l| levels.contains(&l.id))
                    .collect();
                match picked.as_slice() {
                    [one] => {
                        total += one.points;
                        chosen.push((criterion.id, one.id));
                    }
                    [] => v.add("levels", FieldCode::Required),
                    _ => v.add("levels", FieldCode::TooMany),
                }
            }
            if levels.len() != chosen.len() && !rubric.is_empty() {
                v.add("levels", FieldCode::NotFound);
            }
            total
        }
        None => match input.score {
            Some(s) => s,
            None => {
                v.add("score", FieldCode::Required);
                0.0
            }
        },
    };
    if !score.is_finite() || score < 0.0 || score > f64::from(row.max_score) {
        v.add("score", FieldCode::OutOfRange);
    }
    v.finish().map_err(AssessmentError::Validation)?;
    Ok((round2(score), chosen))
}

/// Staff grade one learner's work (or its absence). A first grade needs no reason; a
/// change does, and every version is kept.
pub fn grade(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    assignment_id: i64,
    enrolment_id: i64,
    input: &GradeInput,
) -> Result<Grade> {
    let now = svc.now();
    let (row, _) = access::assignment_staff(conn, actor, assignment_id)?;
    access::seat_in(conn, row.offering_id, enrolment_id)?;
    let (score, chosen) = score_of(&row, conn, input)?;
    let feedback = input.feedback.as_deref().map(str::trim);
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let mut v = Validation::new();
    if feedback.is_some_and(|f| f.chars().count() > MAX_FEEDBACK) {
        v.add("feedback", FieldCode::TooLong);
    }
    if reason.is_some_and(|r| r.chars().count() > MAX_REASON) {
        v.add("reason", FieldCode::TooLong);
    }
    v.finish().map_err(AssessmentError::Validation)?;
    aula_db::transaction(conn, |conn| {
        let latest: Option<(i64, i32)> = submissions::table
            .filter(submissions::assignment_id.eq(row.id))
            .filter(submissions::enrolment_id.eq(enrolment_id))
            .order(submissions::attempt.desc())
            .select((submissions::id, submissions::penalty_percent))
            .first(conn)
            .optional()?;
        let (submission_id, penalty) = match latest {
            Some((id, p)) => (Some(id), p),
            None => (None, 0),
        };
        let before = current(conn, row.id, enrolment_id)?;
        let feedback = feedback
            .map(str::to_owned)
            .or(before.as_ref().map(|b| b.feedback.clone()))
            .unwrap_or_default();
        let levels: Vec<i64> = chosen.iter().map(|c| c.1).collect();
        if let Some(b) = &before {
            let same = b.score == score
                && b.feedback == feedback
                && b.submission_id == submission_id
                && levels_of(conn, b.id)? == sorted(&chosen);
            if same {
                return Ok(());
            }
            if reason.is_none() {
                return Err(AssessmentError::field("reason", FieldCode::Required));
            }
        }
        let grade_id = match &before {
            Some(b) => {
                diesel::update(grades::table.find(b.id))
                    .set((
                        grades::submission_id.eq(submission_id),
                        grades::score.eq(score),
                        grades::penalty_percent.eq(penalty),
                        grades::feedback.eq(&feedback),
                        grades::graded_by.eq(actor.id),
                        grades::graded_at.eq(now),
                    ))
                    .execute(conn)?;
                diesel::delete(grade_levels::table.filter(grade_levels::grade_id.eq(b.id)))
                    .execute(conn)?;
                b.id
            }
            None => {
                let inserted = aula_db::transaction(conn, |conn| {
                    diesel::insert_into(grades::table)
                        .values((
                            grades::assignment_id.eq(row.id),
                            grades::enrolment_id.eq(enrolment_id),
                            grades::submission_id.eq(submission_id),
                            grades::score.eq(score),
                            grades::penalty_percent.eq(penalty),
                            grades::feedback.eq(&feedback),
                            grades::graded_by.eq(actor.id),
                            grades::graded_at.eq(now),
                        ))
                        .returning(grades::id)
                        .get_result::<i64>(conn)
                });
                match inserted {
                    // Another grader's first grade arrived at the same moment: this one
                    // would silently replace it without a reason.
                    Err(e) if aula_db::is_unique_violation(&e) => {
                        return Err(AssessmentError::field("reason", FieldCode::Required))
                    }
                    other => other?,
                }
            }
        };
        for (criterion, level) in &chosen {
            diesel::insert_into(grade_levels::table)
                .values((
                    grade_levels::grade_id.eq(grade_id),
                    grade_levels::criterion_id.eq(criterion),
                    grade_levels::level_id.eq(level),
                ))
                .execute(conn)?;
        }
        diesel::insert_into(grade_events::table)
            .values((
                grade_events::assignment_id.eq(row.id),
                grade_events::enrolment_id.eq(enrolment_id),
                grade_events::submission_id.eq(submission_id),
                grade_events::score.eq(score),
                grade_events::penalty_percent.eq(penalty),
                grade_events::feedback.eq(&feedback),
                grade_events::levels.eq(join_ids(&levels)),
                grade_events::reason.eq(reason),
                grade_events::actor_id.eq(actor.id),
                grade_events::at.eq(now),
            ))
            .execute(conn)?;
        Ok::<_, AssessmentError>(())
    })?;
    learner_grade(conn, &row, enrolment_id)?.ok_or(AssessmentError::EnrolmentNotFound)
}

fn sorted(chosen: &[(i64, i64)]) -> Vec<i64> {
    let mut c = chosen.to_vec();
    c.sort();
    c.into_iter().map(|(_, l)| l).collect()
}

fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")
}

fn split_ids(text: &str) -> Result<Vec<i64>> {
    text.split_whitespace()
        .map(|t| {
            t.parse().map_err(|_| {
                AssessmentError::Database(diesel::result::Error::DeserializationError(
                    format!("{t:?} is not a stored level id").into(),
                ))
            })
        })
        .collect()
}

/// One learner's grade for one assignment and every version of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradeRecord {
    pub grade: Option<Grade>,
    /// Oldest first.
    pub history: Vec<GradeEvent>,
}

/// The grade of one learner for one assignment with its history, for staff.
pub fn get(
    conn: &mut DbConnection,
    actor: &User,
    assignment_id: i64,
    enrolment_id: i64,
) -> Result<GradeRecord> {
    let (row, _) = access::assignment_staff(conn, actor, assignment_id)?;
    access::seat_in(conn, row.offering_id, enrolment_id)?;
    Ok(GradeRecord {
        grade: learner_grade(conn, &row, enrolment_id)?,
        history: history(conn, &row, enrolment_id)?,
    })
}

fn history(conn: &mut DbConnection, row: &Row, enrolment_id: i64) -> Result<Vec<GradeEvent>> {
    type EventRow = (f64, i32, String, String, Option<String>, i64, NaiveDateTime);
    let rows: Vec<EventRow> = grade_events::table
        .filter(grade_events::assignment_id.eq(row.id))
        .filter(grade_events::enrolment_id.eq(enrolment_id))
        .order(grade_events::id.asc())
        .select((
            grade_events::score,
            grade_events::penalty_percent,
            grade_events::feedback,
            grade_events::levels,
            grade_events::reason,
            grade_events::actor_id,
            grade_events::at,
        ))
        .load(conn)?;
    let actors: Vec<i64> = rows.iter().map(|r| r.5).collect();
    let names = aula_identity::users::by_ids(conn, &actors)?;
    rows.into_iter()
        .map(|(score, penalty, feedback, levels, reason, actor_id, at)| {
            Ok(GradeEvent {
                score,
                penalty_percent: penalty,
                final_score: final_score(score, penalty),
                feedback,
                levels: split_ids(&levels)?,
                reason,
                actor_id,
                actor_name: names
                    .get(&actor_id)
                    .map(|u| u.full_name.clone())
                    .unwrap_or_default(),
                at,
            })
        })
        .collect()
}
