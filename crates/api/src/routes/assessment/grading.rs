//! Grading: the queue, one learner's grade with its history, and offline marks by CSV.

use actix_web::{delete, get, post, put, web, HttpResponse};
use aula_assessment::{
    grading::{
        self,
        files::{self, FeedbackFile},
        import::{self, GradeImportOptions, GradeImportReport},
        queue::{self, QueueFilter, QueueItem},
        Grade, GradeInput, GradeRecord,
    },
    submissions::NewFile,
    AssessmentError,
};
use aula_core::{Page, PageRequest};

use super::with_assessment;
use crate::{
    error::{ApiError, Problem},
    extract::{ApiJson, CurrentUser},
    routes::{
        content::{drain, multipart_error},
        enrolments::read_body,
    },
    state::AppState,
    upload::{receive, Outcome},
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

/// `multipart/form-data` with the file in a part named `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // describes the form in the OpenAPI document
pub struct FeedbackFileForm {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Attaches a file to the feedback on one learner's work (staff); the learner reads it
/// once the grades are released. At most five per person and assignment.
#[utoipa::path(operation_id = "attach_feedback_file", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("enrolment_id" = i64, Path)),
    request_body(content = FeedbackFileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Vec<FeedbackFile>), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")))]
#[post("/assignments/{id}/grades/{enrolment_id}/files")]
pub async fn attach_file(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i64)>,
    mut form: actix_multipart::Multipart,
) -> Result<HttpResponse, ApiError> {
    use futures_util::StreamExt;
    let (id, enrolment_id) = path.into_inner();
    let who = actor.clone();
    // Who may attach is settled before a byte of the body is read.
    with_assessment(&state, move |conn, _| {
        files::require_grader(conn, &who, id, enrolment_id)
    })
    .await?;
    let limit = state.config.max_upload_bytes;
    let slot = state.uploads.take()?;
    let mut upload = None;
    while let Some(field) = form.next().await {
        let field = match field {
            Ok(field) => field,
            Err(actix_multipart::MultipartError::Incomplete) if upload.is_none() => break,
            Err(e) => return Err(multipart_error(e)),
        };
        if field.name() != Some("file") || upload.is_some() {
            drain(field, limit).await?;
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename().map(str::to_owned))
            .unwrap_or_default();
        match receive(field, limit, None, multipart_error).await? {
            Outcome::Complete(received) => upload = Some((name, received)),
            Outcome::TooLarge => {
                return Err(AssessmentError::FileTooLarge {
                    limit: limit as i64,
                }
                .into())
            }
        }
    }
    drop(slot);
    let (name, received) = upload.ok_or_else(|| {
        ApiError::validation(vec![aula_core::FieldError {
            field: "file".into(),
            code: aula_core::FieldCode::Required,
        }])
    })?;
    let list = with_assessment(&state, move |conn, svc| {
        let bytes = received.read()?;
        let file = NewFile {
            file_name: &name,
            bytes: &bytes,
        };
        files::attach(conn, svc, &actor, id, enrolment_id, &file)
    })
    .await?;
    Ok(HttpResponse::Created().json(list))
}

/// A feedback file: for staff, and for the learner once the grades are released.
#[utoipa::path(operation_id = "download_feedback_file", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "The file as attached", content(
            (String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"), (String = "image/webp"),
            (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            (String = "application/vnd.oasis.opendocument.text"),
            (String = "application/vnd.oasis.opendocument.spreadsheet"),
            (String = "application/zip"))),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/grade-files/{id}")]
pub async fn download_file(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let file = with_assessment(&state, move |conn, svc| {
        files::download(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(super::stored_file(file))
}

/// Removes a feedback file (staff).
#[utoipa::path(operation_id = "delete_feedback_file", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Removed"), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[delete("/grade-files/{id}")]
pub async fn delete_file(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    with_assessment(&state, move |conn, svc| {
        files::remove(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
