//! Assignments of an offering, their rubric, extensions and the release of grades.

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use aula_assessment::{
    assignments::{self, Assignment, AssignmentInput},
    extensions::{self, Extension, ExtensionInput},
    rubric::{self, RubricInput},
};

use super::with_assessment;
use crate::{
    error::{ApiError, Problem},
    extract::{ApiJson, CurrentUser},
    state::AppState,
};

/// The offering's assignments by due date: for its staff (with grading progress) and
/// the people holding a seat (with their own attempts and released grades).
#[utoipa::path(operation_id = "list_assignments", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Assignment>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/assignments")]
pub async fn list(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let list = with_assessment(&state, move |conn, svc| {
        assignments::list(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Adds an assignment to the offering (its staff).
#[utoipa::path(operation_id = "create_assignment", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = AssignmentInput,
    responses((status = 201, body = Assignment), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/offerings/{id}/assignments")]
pub async fn create(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<AssignmentInput>,
) -> Result<HttpResponse, ApiError> {
    let assignment = with_assessment(&state, move |conn, svc| {
        assignments::create(conn, svc, &actor, id.into_inner(), &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(assignment))
}

/// One assignment, for its offering's staff and the people holding a seat in it.
#[utoipa::path(operation_id = "get_assignment", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Assignment), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/assignments/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let assignment = with_assessment(&state, move |conn, svc| {
        assignments::get(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(assignment))
}

/// Changes an assignment (its staff). The maximum score is fixed once grading began.
#[utoipa::path(operation_id = "update_assignment", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = AssignmentInput,
    responses((status = 200, body = Assignment), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/assignments/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<AssignmentInput>,
) -> Result<HttpResponse, ApiError> {
    let assignment = with_assessment(&state, move |conn, svc| {
        assignments::update(conn, svc, &actor, id.into_inner(), &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(assignment))
}

/// Deletes an assignment nobody has handed anything in to (its staff).
#[utoipa::path(operation_id = "delete_assignment", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
#[delete("/assignments/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    with_assessment(&state, move |conn, _| {
        assignments::delete(conn, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sets or replaces the rubric (its staff), until grading begins.
#[utoipa::path(operation_id = "put_rubric", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = RubricInput,
    responses((status = 200, body = Assignment), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/assignments/{id}/rubric")]
pub async fn put_rubric(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<RubricInput>,
) -> Result<HttpResponse, ApiError> {
    let assignment = with_assessment(&state, move |conn, svc| {
        rubric::put(conn, svc, &actor, id.into_inner(), &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(assignment))
}

/// Releases the assignment's grades: learners see grades and feedback at once.
#[utoipa::path(operation_id = "release_grades", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Assignment), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[post("/assignments/{id}/release")]
pub async fn release(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let assignment = with_assessment(&state, move |conn, svc| {
        assignments::release(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(assignment))
}

/// The personal due dates granted for the assignment (its staff).
#[utoipa::path(operation_id = "list_extensions", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Extension>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/assignments/{id}/extensions")]
pub async fn list_extensions(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let granted = with_assessment(&state, move |conn, _| {
        extensions::list(conn, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(granted))
}

/// Grants (or changes) one learner's later due date, with the reason (its staff).
#[utoipa::path(operation_id = "grant_extension", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("enrolment_id" = i64, Path)), request_body = ExtensionInput,
    responses((status = 200, body = Extension), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/assignments/{id}/extensions/{enrolment_id}")]
pub async fn grant_extension(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i64)>,
    ApiJson(body): ApiJson<ExtensionInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, enrolment_id) = path.into_inner();
    let extension = with_assessment(&state, move |conn, svc| {
        extensions::grant(conn, svc, &actor, id, enrolment_id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(extension))
}

/// Withdraws one learner's extension (its staff).
#[utoipa::path(operation_id = "revoke_extension", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("enrolment_id" = i64, Path)),
    responses((status = 204, description = "Withdrawn"), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[delete("/assignments/{id}/extensions/{enrolment_id}")]
pub async fn revoke_extension(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, enrolment_id) = path.into_inner();
    with_assessment(&state, move |conn, _| {
        extensions::revoke(conn, &actor, id, enrolment_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
