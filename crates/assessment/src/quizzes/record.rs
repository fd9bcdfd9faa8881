//! The `quizzes` and `quiz_parts` rows.

use std::collections::HashMap;

use aula_db::{
    schema::{quiz_parts, quizzes},
    DbConnection,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    error::{AssessmentError, Result},
    model::{MissingWork, Scoring},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = quizzes, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct Row {
    pub id: i64,
    pub offering_id: i64,
    pub title: String,
    pub description: String,
    pub opens_at: Option<NaiveDateTime>,
    pub closes_at: NaiveDateTime,
    pub time_limit_minutes: Option<i32>,
    pub max_attempts: i32,
    pub scoring: Scoring,
    pub shuffle_choices: bool,
    pub max_score: i32,
    pub weight: i32,
    pub missing_work: MissingWork,
}

/// What a quiz draws, in order.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub question_id: Option<i64>,
    pub tag: Option<String>,
    pub count: i32,
}

pub(crate) fn load(conn: &mut DbConnection, id: i64) -> Result<Row> {
    quizzes::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(AssessmentError::QuizNotFound)
}

pub(crate) fn of_offering(conn: &mut DbConnection, offering_id: i64) -> Result<Vec<Row>> {
    Ok(quizzes::table
        .filter(quizzes::offering_id.eq(offering_id))
        .order((quizzes::closes_at.asc(), quizzes::id.asc()))
        .select(Row::as_select())
        .load(conn)?)
}

pub(crate) fn parts(conn: &mut DbConnection, quiz_id: i64) -> Result<Vec<Part>> {
    Ok(parts_of_many(conn, &[quiz_id])?
        .remove(&quiz_id)
        .unwrap_or_default())
}

pub(crate) fn parts_of_many(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Part>>> {
    let rows: Vec<(i64, Option<i64>, Option<String>, i32)> = quiz_parts::table
        .filter(quiz_parts::quiz_id.eq_any(ids))
        .order((quiz_parts::quiz_id, quiz_parts::position))
        .select((
            quiz_parts::quiz_id,
            quiz_parts::question_id,
            quiz_parts::tag,
            quiz_parts::count,
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<Part>> = HashMap::new();
    for (quiz, question_id, tag, count) in rows {
        out.entry(quiz).or_default().push(Part {
            question_id,
            tag,
            count,
        });
    }
    Ok(out)
}
