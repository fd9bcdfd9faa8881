use aula_catalog::{CatalogError, EnrolmentCheck};
use aula_db::{schema::enrolments, DbConnection};
use diesel::prelude::*;

use crate::{model::State, progress::seat_in_course, EnrolmentError};

/// Lesson content is for people holding a seat (enrolled, completed or failed) in any
/// offering of the course; pending and waitlisted applicants cannot read it.
#[derive(Debug, Default, Clone, Copy)]
pub struct SeatHolders;

fn database(e: EnrolmentError) -> CatalogError {
    match e {
        EnrolmentError::Database(e) => CatalogError::Database(e),
        EnrolmentError::Catalog(e) => e,
        other => CatalogError::Database(diesel::result::Error::QueryBuilderError(
            other.to_string().into(),
        )),
    }
}

impl EnrolmentCheck for SeatHolders {
    fn is_enrolled(
        &self,
        conn: &mut DbConnection,
        user_id: i64,
        course_id: i64,
    ) -> Result<bool, CatalogError> {
        seat_in_course(conn, user_id, course_id, State::SEAT_HOLDING)
            .map(|found| found.is_some())
            .map_err(database)
    }

    fn holds_seat_in(
        &self,
        conn: &mut DbConnection,
        user_id: i64,
        offering_id: i64,
    ) -> Result<bool, CatalogError> {
        Ok(diesel::select(diesel::dsl::exists(
            enrolments::table
                .filter(enrolments::user_id.eq(user_id))
                .filter(enrolments::offering_id.eq(offering_id))
                .filter(enrolments::state.eq_any(State::texts(State::SEAT_HOLDING))),
        ))
        .get_result(conn)?)
    }
}
