//! Rubrics: criteria with levels worth points. A grade chooses one level per criterion
//! and its score is their sum. Once grading has begun the rubric is fixed, so every
//! learner is graded against the same one.

use std::collections::HashMap;

use aula_core::{FieldCode, Validation};
use aula_db::{
    schema::{rubric_criteria, rubric_levels},
    DbConnection,
};
use aula_identity::User;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access,
    assignments::{self, Assignment},
    error::{AssessmentError, Result},
    service::Assessment,
};

const MAX_CRITERIA: usize = 20;
const MAX_LEVELS: usize = 10;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RubricCriterion {
    pub id: i64,
    pub title: String,
    pub description: String,
    /// From the lowest position to the highest.
    pub levels: Vec<RubricLevel>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RubricLevel {
    pub id: i64,
    pub title: String,
    pub points: f64,
}

/// The whole rubric, replacing the previous one; no criteria removes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RubricInput {
    pub criteria: Vec<RubricCriterionInput>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RubricCriterionInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub levels: Vec<RubricLevelInput>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RubricLevelInput {
    pub title: String,
    /// 0 or more; the best level of every criterion adds up to the maximum score.
    pub points: f64,
}

impl RubricCriterion {
    pub fn max_points(&self) -> f64 {
        self.levels.iter().map(|l| l.points).fold(0.0, f64::max)
    }
}

/// The rubric of one assignment (empty when it has none).
pub fn of(conn: &mut DbConnection, assignment_id: i64) -> Result<Vec<RubricCriterion>> {
    Ok(of_many(conn, &[assignment_id])?
        .remove(&assignment_id)
        .unwrap_or_default())
}

/// The rubrics of many assignments, in two queries.
pub fn of_many(conn: &mut DbConnection, ids: &[i64]) -> Result<HashMap<i64, Vec<RubricCriterion>>> {
    let criteria: Vec<(i64, i64, String, String)> = rubric_criteria::table
        .filter(rubric_criteria::assignment_id.eq_any(ids))
        .order((rubric_criteria::assignment_id, rubric_criteria::position))
        .select((
            rubric_criteria::id,
            rubric_criteria::assignment_id,
            rubric_criteria::title,
            rubric_criteria::description,
        ))
        .load(conn)?;
    let criterion_ids: Vec<i64> = criteria.iter().map(|c| c.0).collect();
    let levels: Vec<(i64, i64, String, f64)> = rubric_levels::table
        .filter(rubric_levels::criterion_id.eq_any(&criterion_ids))
        .order((rubric_levels::criterion_id, rubric_levels::position))
        .select((
            rubric_levels::id,
            rubric_levels::criterion_id,
            rubric_levels::title,
            rubric_levels::points,
        ))
        .load(conn)?;
    let mut by_criterion: HashMap<i64, Vec<RubricLevel>> = HashMap::new();
    for (id, criterion, title, points) in levels {
        by_criterion
            .entry(criterion)
            .or_default()
            .push(RubricLevel { id, title, points });
    }
    let mut out: HashMap<i64, Vec<RubricCriterion>> = HashMap::new();
    for (id, assignment, title, description) in criteria {
        out.entry(assignment).or_default().push(RubricCriterion {
            id,
            title,
            description,
            levels: by_criterion.remove(&id).unwrap_or_default(),
        });
    }
    Ok(out)
}

fn validate(input: &RubricInput, max_score: i32) -> Result<()> {
    let mut v = Validation::new();
    if input.criteria.len() > MAX_CRITERIA {
        v.add("criteria", FieldCode::TooMany);
    }
    let mut total = 0.0;
    for (i, c) in input.criteria.iter().enumerate() {
        let field = format!("criteria[{i}]");
        if c.title.trim().is_empty() {
            v.add(&format!("{field}.title"), FieldCode::Required);
        } else if c.title.chars().count() > 200 {
            v.add(&format!("{field}.title"), FieldCode::TooLong);
        }
        if c.description.chars().count() > 2000 {
            v.add(&format!("{field}.description"), FieldCode::TooLong);
        }
        if c.levels.is_empty() {
            v.add(&format!("{field}.levels"), FieldCode::Required);
        } else if c.levels.len() > MAX_LEVELS {
            v.add(&format!("{field}.levels"), FieldCode::TooMany);
        }
        let mut best: f64 = 0.0;
        for (j, l) in c.levels.iter().enumerate() {
            if l.title.trim().is_empty() {
                v.add(&format!("{field}.levels[{j}].title"), FieldCode::Required);
            } else if l.title.chars().count() > 200 {
                v.add(&format!("{field}.levels[{j}].title"), FieldCode::TooLong);
            }
            if !l.points.is_finite() || l.points < 0.0 || l.points > 1000.0 {
                v.add(
                    &format!("{field}.levels[{j}].points"),
                    FieldCode::OutOfRange,
                );
            } else {
                best = best.max(l.points);
            }
        }
        total += best;
    }
    if !input.criteria.is_empty() && (total - f64::from(max_score)).abs() > 1e-6 {
        v.add("criteria", FieldCode::TotalMismatch);
    }
    v.finish().map_err(AssessmentError::Validation)
}

/// Staff set or replace an assignment's rubric, until grading begins.
pub fn put(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    assignment_id: i64,
    input: &RubricInput,
) -> Result<Assignment> {
    let (row, _) = access::assignment_staff(conn, actor, assignment_id)?;
    validate(input, row.max_score)?;
    aula_db::transaction(conn, |conn| {
        aula_catalog::admission::lock_offering(conn, row.offering_id)?;
        if assignments::grading_began(conn, assignment_id)? {
            return Err(AssessmentError::RubricInUse);
        }
        diesel::delete(
            rubric_criteria::table.filter(rubric_criteria::assignment_id.eq(assignment_id)),
        )
        .execute(conn)?;
        for (i, c) in input.criteria.iter().enumerate() {
            let criterion: i64 = diesel::insert_into(rubric_criteria::table)
                .values((
                    rubric_criteria::assignment_id.eq(assignment_id),
                    rubric_criteria::position.eq(i as i32),
                    rubric_criteria::title.eq(c.title.trim()),
                    rubric_criteria::description.eq(c.description.trim()),
                ))
                .returning(rubric_criteria::id)
                .get_result(conn)?;
            for (j, l) in c.levels.iter().enumerate() {
                diesel::insert_into(rubric_levels::table)
                    .values((
                        rubric_levels::criterion_id.eq(criterion),
                        rubric_levels::position.eq(j as i32),
                        rubric_levels::title.eq(l.title.trim()),
                        rubric_levels::points.eq(round2(l.points)),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(())
    })?;
    assignments::get(conn, svc, actor, assignment_id)
}

/// Points are kept to two decimals, so sums compare exactly.
pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
