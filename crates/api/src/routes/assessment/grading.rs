//! Grading: the queue, one learner's grade with its history, and offline marks by CSV.

use actix_web::{get, post, put, web, HttpResponse};
use aula_assessment::{
    grading::{
        self,
        import::{self, GradeImportOptions, GradeImportReport},
        queue::{self, QueueFilter, QueueItem},
        Grade, GradeInput, GradeRecord,
    },
    AssessmentError,
};
use aula_core::{Page, PageRequest};

use super::with_assessment;
use crate::{
    error::{ApiError, Problem},
    extract::{ApiJson, CurrentUser},
    routes::enrolments::read_body,
    state::AppState,
};

/// Largest CSV file of grades accepted.
const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// Work waiting for a grade in the offering (its staff), oldest first.
#[utoipa::path(operation_id = "get_grading_queue", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), QueueFilter, PageRequest),
    responses((status = 200, body = Page<QueueItem>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/grading-queue")]
pub async fn get_queue(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    filter: web::Query<QueueFilter>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let list = with_assessment(&state, move |conn, _| {
        queue::queue(conn, &actor, id.into_inner(), &filter, page.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One learner's grade for the assignment and every version of it (staff).
#[utoipa::path(operation_id = "get_grade", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("enrolment_id" = i64, Path)),
    responses((status = 200, body = GradeRecord), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/assignments/{id}/grades/{enrolment_id}")]
pub async fn get(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, enrolment_id) = path.into_inner();
    let record = with_assessment(&state, move |conn, _| {
        grading::get(conn, &actor, id, enrolment_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

/// Grades one learner's work (staff): points or rubric levels, and feedback. Changing
/// a grade needs a reason; every version is kept.
#[utoipa::path(operation_id = "put_grade", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("enrolment_id" = i64, Path)), request_body = GradeInput,
    responses((status = 200, body = Grade), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/assignments/{id}/grades/{enrolment_id}")]
pub async fn put(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i64)>,
    ApiJson(body): ApiJson<GradeInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, enrolment_id) = path.into_inner();
    let grade = with_assessment(&state, move |conn, svc| {
        grading::grade(conn, svc, &actor, id, enrolment_id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(grade))
}

/// Grades for the assignment from a CSV file (`email,score,feedback`); with `dry_run`
/// it reports what would change and writes nothing. A file with a bad row writes nothing.
#[utoipa::path(operation_id = "import_grades", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), GradeImportOptions),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = GradeImportReport), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/assignments/{id}/grades/import")]
pub async fn import_csv(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    options: web::Query<GradeImportOptions>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes =
        read_body(payload, MAX_IMPORT_BYTES)
            .await?
            .ok_or(AssessmentError::FileTooLarge {
                limit: MAX_IMPORT_BYTES as i64,
            })?;
    let report = with_assessment(&state, move |conn, svc| {
        import::import(conn, svc, &actor, id.into_inner(), &bytes, &options)
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
