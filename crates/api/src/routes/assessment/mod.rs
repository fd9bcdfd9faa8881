//! Assessment: assignments, submissions, grading and the gradebook.

pub mod assignments;
pub mod gradebook;
pub mod grading;
pub mod quizzes;
pub mod submissions;

use actix_web::HttpResponse;
use aula_assessment::{submissions::StoredFile, Assessment, AssessmentError, FileKind};
use aula_db::DbConnection;

use crate::{
    error::ApiError,
    extract::db,
    routes::{attachment, inline},
    state::AppState,
};

/// A handed-in or feedback file: PDFs and images shown in the page (for grading),
/// other kinds downloaded.
pub(crate) fn stored_file(file: StoredFile) -> HttpResponse {
    if FileKind::is_viewable_type(&file.content_type) {
        inline(&file.file_name, &file.content_type, file.bytes)
    } else {
        attachment(&file.file_name, &file.content_type, file.bytes)
    }
}

/// Runs assessment work off the async workers with a pooled connection and the rules.
pub(crate) async fn with_assessment<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Assessment) -> Result<T, AssessmentError> + Send + 'static,
    T: Send + 'static,
{
    let rules = state.assessment.clone();
    db(state, move |conn| Ok(work(conn, &rules)?)).await
}
