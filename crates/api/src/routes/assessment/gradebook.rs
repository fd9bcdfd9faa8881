//! The gradebook, final grades and their overrides, and a learner's own results.

use actix_web::{get, put, web, HttpRequest, HttpResponse};
use aula_assessment::gradebook::{
    self, BookFilter, FinalGradeRecord, Gradebook, MyGrades, OverrideInput, PersonFinalGrade,
};
use aula_core::PageRequest;

use super::with_assessment;
use crate::{
    error::{ApiError, Problem},
    extract::{ApiJson, CurrentUser},
    routes::{csv, enrolments::lang},
    state::AppState,
};

/// Learners × assignments with the weighted final grade and pass or fail (staff).
#[utoipa::path(operation_id = "get_gradebook", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), BookFilter, PageRequest),
    responses((status = 200, body = Gradebook), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/gradebook")]
pub async fn get(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    filter: web::Query<BookFilter>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let book = with_assessment(&state, move |conn, svc| {
        gradebook::gradebook(
            conn,
            svc,
            &actor,
            id.into_inner(),
            &filter,
            page.into_inner(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(book))
}

/// The whole gradebook as CSV (UTF-8), for the offering's staff.
#[utoipa::path(operation_id = "export_gradebook", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "CSV, UTF-8 with a byte-order mark", content_type = "text/csv"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/gradebook.csv")]
pub async fn export(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bytes = with_assessment(&state, move |conn, svc| {
        gradebook::export_csv(conn, svc, &actor, id)
    })
    .await?;
    Ok(csv(&format!("gradebook-{id}.csv"), bytes))
}

/// Final grades of the offering: staff see everyone, a coordinator their institution's
/// people only.
#[utoipa::path(operation_id = "list_final_grades", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PersonFinalGrade>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/final-grades")]
pub async fn final_grades(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let list = with_assessment(&state, move |conn, svc| {
        gradebook::final_grades(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The final grades as CSV (UTF-8), with the same readers as the list.
#[utoipa::path(operation_id = "export_final_grades", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "CSV, UTF-8 with a byte-order mark", content_type = "text/csv"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/final-grades.csv")]
pub async fn export_final_grades(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bytes = with_assessment(&state, move |conn, svc| {
        gradebook::final_grades_csv(conn, svc, &actor, id)
    })
    .await?;
    Ok(csv(&format!("final-grades-{id}.csv"), bytes))
}

/// One seat's final grade with the history of its overrides (staff).
#[utoipa::path(operation_id = "get_final_grade", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = FinalGradeRecord), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/enrolments/{id}/final-grade")]
pub async fn get_final(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let record = with_assessment(&state, move |conn, svc| {
        gradebook::final_grade(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

/// Sets (or, with a `null` grade, lifts) a manual final grade with a reason (staff).
#[utoipa::path(operation_id = "override_final_grade", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = OverrideInput,
    responses((status = 200, body = FinalGradeRecord), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/enrolments/{id}/final-grade")]
pub async fn put_final(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<OverrideInput>,
) -> Result<HttpResponse, ApiError> {
    let record = with_assessment(&state, move |conn, svc| {
        gradebook::set_override(conn, svc, &actor, id.into_inner(), &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

/// The signed-in learner's results: released grades and feedback per offering.
#[utoipa::path(operation_id = "get_my_grades", tag = "assessment", security(("bearer" = [])),
    responses((status = 200, body = Vec<MyGrades>)))]
#[get("/me/grades")]
pub async fn mine(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let list = with_assessment(&state, move |conn, svc| {
        gradebook::mine(conn, svc, &actor, locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}
