//! Assessment: assignments, submissions, grading and the gradebook.

pub mod assignments;
pub mod gradebook;
pub mod grading;
pub mod quizzes;
pub mod submissions;

use aula_assessment::{Assessment, AssessmentError};
use aula_db::DbConnection;

use crate::{error::ApiError, extract::db, state::AppState};

/// Runs assessment work off the async workers with a pooled connection and the rules.
pub(crate) async fn with_assessment<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Assessment) -> Result<T, AssessmentError> + Send + 'static,
    T: Send + 'static,
{
    let rules = state.assessment.clone();
    db(state, move |conn| Ok(work(conn, &rules)?)).await
}
