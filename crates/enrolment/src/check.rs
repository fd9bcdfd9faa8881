use aula_catalog::{CatalogError, EnrolmentCheck};
use aula_db::DbConnection;

use crate::{model::State, progress::seat_in_course, EnrolmentError};

/// Lesson content is for people holding a seat (enrolled, completed or failed) in any
/// offering of the course; pending and waitlisted applicants cannot read it.
#[derive(Debug, Default, Clone, Copy)]
pub struct SeatHolders;

impl EnrolmentCheck for SeatHolders {
    fn is_enrolled(
        &self,
        conn: &mut DbConnection,
        user_id: i64,
        course_id: i64,
    ) -> Result<bool, CatalogError> {
        match seat_in_course(conn, user_id, course_id, State::SEAT_HOLDING) {
            Ok(found) => Ok(found.is_some()),
            Err(EnrolmentError::Database(e)) => Err(CatalogError::Database(e)),
            Err(EnrolmentError::Catalog(e)) => Err(e),
            Err(other) => Err(CatalogError::Database(
                diesel::result::Error::QueryBuilderError(other.to_string().into()),
            )),
        }
    }
}
