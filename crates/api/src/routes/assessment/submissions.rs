//! Handing work in and reading it back.

use actix_multipart::Multipart;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use aula_assessment::{
    submissions::{self, NewFile, NewSubmission, Submission},
    AssessmentError,
};
use aula_core::{FieldCode, FieldError};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::with_assessment;
use crate::{
    error::{ApiError, Problem},
    extract::CurrentUser,
    routes::{
        content::{drain, multipart_error},
        enrolments::lang,
    },
    state::AppState,
    upload::{receive, Outcome, Received},
};

/// Longest text answer read from a form, in bytes (the rules allow 50,000 characters).
const MAX_BODY_BYTES: usize = 256 * 1024;

/// `multipart/form-data`: a text answer in `body` and/or files in parts named `file`.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the form in the OpenAPI document
pub struct SubmissionForm {
    pub body: Option<String>,
    #[schema(value_type = Vec<String>, format = Binary)]
    pub file: Vec<Vec<u8>>,
}

fn field_error(field: &str, code: FieldCode) -> ApiError {
    ApiError::validation(vec![FieldError {
        field: field.into(),
        code,
    }])
}

/// Hands in an attempt (a learner holding a seat). Every attempt is kept; the answer
/// is the receipt (time, files with SHA-256), which is also mailed.
#[utoipa::path(operation_id = "submit_assignment", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = SubmissionForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Submission),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")))]
#[post("/assignments/{id}/submissions")]
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    mut form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    // Who may hand in, and what, is settled before a byte of the body is read.
    let who = actor.clone();
    let limits = with_assessment(&state, move |conn, svc| {
        submissions::require_submitter(conn, svc, &who, id)
    })
    .await?;
    let limit = usize::try_from(limits.max_file_bytes)
        .unwrap_or(usize::MAX)
        .min(state.config.max_upload_bytes);
    let _slot = state.uploads.take()?;
    let mut body: Option<String> = None;
    let mut files: Vec<(String, Received)> = Vec::new();
    while let Some(field) = form.next().await {
        let field = match field {
            Ok(field) => field,
            // A form of no parts at all (`--boundary--`) is an empty attempt, which the
            // rules refuse with the field to fill, not a broken body.
            Err(actix_multipart::MultipartError::Incomplete)
                if body.is_none() && files.is_empty() =>
            {
                break
            }
            Err(e) => return Err(multipart_error(e)),
        };
        match field.name() {
            Some("body") if body.is_none() => {
                match receive(field, MAX_BODY_BYTES, None, multipart_error).await? {
                    Outcome::Complete(received) => {
                        let bytes = received.read().map_err(ApiError::internal)?;
                        let text = String::from_utf8(bytes)
                            .map_err(|_| field_error("body", FieldCode::Invalid))?;
                        body = Some(text);
                    }
                    Outcome::TooLarge => return Err(field_error("body", FieldCode::TooLong)),
                }
            }
            Some("file") => {
                if files.len() >= limits.max_files {
                    return Err(if limits.max_files == 0 {
                        field_error("files", FieldCode::Invalid)
                    } else {
                        field_error("files", FieldCode::TooMany)
                    });
                }
                let name = field
                    .content_disposition()
                    .and_then(|d| d.get_filename().map(str::to_owned))
                    .unwrap_or_default();
                match receive(field, limit, None, multipart_error).await? {
                    Outcome::Complete(received) => files.push((name, received)),
                    Outcome::TooLarge => {
                        return Err(AssessmentError::FileTooLarge {
                            limit: limit as i64,
                        }
                        .into())
                    }
                }
            }
            // Other parts are not wanted: read past them, within the same bound.
            _ => drain(field, limit).await?,
        }
    }
    let locale = lang(&req, &actor);
    let receipt = with_assessment(&state, move |conn, svc| {
        let mut contents = Vec::with_capacity(files.len());
        for (_, received) in &files {
            contents.push(received.read()?);
        }
        let input = NewSubmission {
            body: body.as_deref(),
            files: files
                .iter()
                .zip(&contents)
                .map(|((name, _), bytes)| NewFile {
                    file_name: name,
                    bytes,
                })
                .collect(),
        };
        submissions::submit(conn, svc, &actor, id, &input, locale)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Created().json(receipt))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttemptsFilter {
    /// Staff: one learner's attempts (all of them, newest first).
    pub enrolment_id: Option<i64>,
}

/// Attempts at an assignment: a learner's own, or (staff) everyone's, oldest first.
#[utoipa::path(operation_id = "list_submissions", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path), AttemptsFilter),
    responses((status = 200, body = Vec<Submission>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/assignments/{id}/submissions")]
pub async fn list(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    filter: web::Query<AttemptsFilter>,
) -> Result<HttpResponse, ApiError> {
    let list = with_assessment(&state, move |conn, _| {
        submissions::attempts(conn, &actor, id.into_inner(), filter.enrolment_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One attempt, for its author and the offering's staff.
#[utoipa::path(operation_id = "get_submission", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Submission), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/submissions/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let sub = with_assessment(&state, move |conn, _| {
        submissions::get(conn, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(sub))
}

/// A file of an attempt: PDFs and images are shown in the page, others downloaded.
#[utoipa::path(operation_id = "download_submission_file", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, description = "The file as handed in", content(
            (String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"), (String = "image/webp"),
            (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            (String = "application/vnd.oasis.opendocument.text"),
            (String = "application/vnd.oasis.opendocument.spreadsheet"),
            (String = "application/zip"))),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/submissions/{id}/files/{file_id}")]
pub async fn file(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, file_id) = path.into_inner();
    let file = with_assessment(&state, move |conn, svc| {
        submissions::file(conn, svc, &actor, id, file_id)
    })
    .await?;
    Ok(super::stored_file(file))
}
