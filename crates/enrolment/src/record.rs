//! The `enrolments` row and the few statements every rule shares.

use aula_db::{schema::enrolments, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    error::{EnrolmentError, Result},
    model::{PaymentStatus, State},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = enrolments, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct Row {
    pub id: i64,
    pub offering_id: i64,
    pub user_id: i64,
    pub institution_id: Option<i64>,
    pub state: State,
    pub waitlisted_at: Option<NaiveDateTime>,
    pub fee: i64,
    pub currency: String,
    pub payment_status: PaymentStatus,
    pub payment_reference: Option<String>,
    pub nominated_by: Option<i64>,
    pub last_activity_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub(crate) fn load(conn: &mut DbConnection, id: i64) -> Result<Row> {
    enrolments::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(EnrolmentError::NotFound)
}

pub(crate) fn find(conn: &mut DbConnection, offering_id: i64, user_id: i64) -> Result<Option<Row>> {
    Ok(enrolments::table
        .filter(enrolments::offering_id.eq(offering_id))
        .filter(enrolments::user_id.eq(user_id))
        .select(Row::as_select())
        .first(conn)
        .optional()?)
}

/// Moves the row to `to` only if it is still in `from`; false when another request
/// changed it first.
pub(crate) fn set_state(
    conn: &mut DbConnection,
    id: i64,
    from: State,
    to: State,
    now: NaiveDateTime,
) -> Result<bool> {
    let waitlisted_at = (to == State::Waitlisted).then_some(now);
    let changed = diesel::update(
        enrolments::table
            .filter(enrolments::id.eq(id))
            .filter(enrolments::state.eq(from.as_str())),
    )
    .set((
        enrolments::state.eq(to.as_str()),
        enrolments::waitlisted_at.eq(waitlisted_at),
        enrolments::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
