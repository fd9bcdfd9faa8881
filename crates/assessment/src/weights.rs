//! The weights of an offering's graded items (assignments and quizzes) add up to at
//! most 100.

use aula_core::FieldCode;
use aula_db::{
    schema::{assignments, quizzes},
    DbConnection,
};
use diesel::prelude::*;

use crate::error::{AssessmentError, Result};

pub const TOTAL_WEIGHT: i32 = 100;

/// Which item is being given a weight (left out of the sum it is checked against).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Item {
    Assignment(Option<i64>),
    Quiz(Option<i64>),
}

/// Refuses a weight that would take the offering's total past 100. Call it with the
/// offering locked, so two editors cannot both take the last points.
pub(crate) fn check(
    conn: &mut DbConnection,
    offering_id: i64,
    item: Item,
    weight: i32,
) -> Result<()> {
    let (skip_a, skip_q) = match item {
        Item::Assignment(id) => (id.unwrap_or(0), 0),
        Item::Quiz(id) => (0, id.unwrap_or(0)),
    };
    let a: Vec<i32> = assignments::table
        .filter(assignments::offering_id.eq(offering_id))
        .filter(assignments::id.ne(skip_a))
        .select(assignments::weight)
        .load(conn)?;
    let q: Vec<i32> = quizzes::table
        .filter(quizzes::offering_id.eq(offering_id))
        .filter(quizzes::id.ne(skip_q))
        .select(quizzes::weight)
        .load(conn)?;
    if a.iter().chain(&q).sum::<i32>() + weight > TOTAL_WEIGHT {
        return Err(AssessmentError::field("weight", FieldCode::ExceedsTotal));
    }
    Ok(())
}
