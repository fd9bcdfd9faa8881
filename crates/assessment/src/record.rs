//! The `assignments` row and the statements every rule shares.

use aula_db::{schema::assignments, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    error::{AssessmentError, Result},
    model::{LatePolicy, MissingWork},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assignments, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct Row {
    pub id: i64,
    pub offering_id: i64,
    pub title: String,
    pub instructions: String,
    pub opens_at: Option<NaiveDateTime>,
    pub due_at: NaiveDateTime,
    pub late_policy: LatePolicy,
    pub late_penalty_percent: i32,
    pub cutoff_at: Option<NaiveDateTime>,
    pub max_score: i32,
    pub weight: i32,
    pub missing_work: MissingWork,
    pub accepts_text: bool,
    pub accepts_files: bool,
    pub max_files: i32,
    pub max_file_bytes: i64,
    pub allowed_types: String,
    pub grades_released_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Row {
    /// When no submission is taken any more, for a person whose due date is `due`.
    pub fn cutoff(&self, due: NaiveDateTime) -> Option<NaiveDateTime> {
        match (self.late_policy, self.cutoff_at) {
            (_, Some(cutoff)) => Some(cutoff.max(due)),
            (LatePolicy::Refuse, None) => Some(due),
            _ => None,
        }
    }
}

pub(crate) fn load(conn: &mut DbConnection, id: i64) -> Result<Row> {
    assignments::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(AssessmentError::NotFound)
}

pub(crate) fn of_offering(conn: &mut DbConnection, offering_id: i64) -> Result<Vec<Row>> {
    Ok(assignments::table
        .filter(assignments::offering_id.eq(offering_id))
        .order((assignments::due_at.asc(), assignments::id.asc()))
        .select(Row::as_select())
        .load(conn)?)
}
