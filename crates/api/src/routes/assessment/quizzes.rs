//! The question bank, quizzes, and taking them.

use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use aula_assessment::{
    questions::{self, BankFilter, Question, QuestionInput},
    quizzes::{
        self,
        attempts::{self, AnswerInput, Attempt, PointsInput, StaffAttempt},
        Quiz, QuizExtension, QuizExtensionInput, QuizInput,
    },
};
use aula_core::{Page, PageRequest};
use serde::Deserialize;
use utoipa::ToSchema;

use super::with_assessment;
use crate::{
    error::{ApiError, Problem},
    extract::{ApiJson, CurrentUser},
    routes::enrolments::lang,
    state::AppState,
};

/// The course's question bank (its staff), newest first.
#[utoipa::path(operation_id = "list_questions", tag = "assessment", security(("bearer" = [])),
    params(("code" = String, Path), BankFilter, PageRequest),
    responses((status = 200, body = Page<Question>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/courses/{code}/questions")]
pub async fn list_questions(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
    filter: web::Query<BankFilter>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let bank = with_assessment(&state, move |conn, _| {
        questions::list(conn, &actor, &code, &filter, page.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(bank))
}

/// Adds a question to the course's bank (its staff).
#[utoipa::path(operation_id = "create_question", tag = "assessment", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = QuestionInput,
    responses((status = 201, body = Question), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/courses/{code}/questions")]
pub async fn create_question(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    code: web::Path<String>,
    ApiJson(body): ApiJson<QuestionInput>,
) -> Result<HttpResponse, ApiError> {
    let q = with_assessment(&state, move |conn, svc| {
        questions::create(conn, svc, &actor, &code, &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(q))
}

/// One question of a bank (the course's staff).
#[utoipa::path(operation_id = "get_question", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Question), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/questions/{id}")]
pub async fn get_question(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let q = with_assessment(&state, move |conn, _| {
        questions::get(conn, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(q))
}

/// Changes a question (the course's staff); attempts already scored keep their points.
#[utoipa::path(operation_id = "update_question", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = QuestionInput,
    responses((status = 200, body = Question), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/questions/{id}")]
pub async fn update_question(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<QuestionInput>,
) -> Result<HttpResponse, ApiError> {
    let q = with_assessment(&state, move |conn, svc| {
        questions::update(conn, svc, &actor, id.into_inner(), &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(q))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ArchiveInput {
    /// `true` retires the question (draws skip it), `false` brings it back.
    pub archived: bool,
}

/// Retires a question or brings it back (the course's staff).
#[utoipa::path(operation_id = "archive_question", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ArchiveInput,
    responses((status = 200, body = Question), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[put("/questions/{id}/archived")]
pub async fn archive_question(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<ArchiveInput>,
) -> Result<HttpResponse, ApiError> {
    let q = with_assessment(&state, move |conn, svc| {
        questions::set_archived(conn, svc, &actor, id.into_inner(), body.archived)
    })
    .await?;
    Ok(HttpResponse::Ok().json(q))
}

/// The offering's quizzes: for its staff, and the people holding a seat (with their
/// attempts and score).
#[utoipa::path(operation_id = "list_quizzes", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Quiz>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/offerings/{id}/quizzes")]
pub async fn list(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let found = with_assessment(&state, move |conn, svc| {
        quizzes::list(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Adds a quiz to the offering (its staff).
#[utoipa::path(operation_id = "create_quiz", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = QuizInput,
    responses((status = 201, body = Quiz), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/offerings/{id}/quizzes")]
pub async fn create(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<QuizInput>,
) -> Result<HttpResponse, ApiError> {
    let quiz = with_assessment(&state, move |conn, svc| {
        quizzes::create(conn, svc, &actor, id.into_inner(), &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(quiz))
}

/// One quiz, for its offering's staff and the people holding a seat in it.
#[utoipa::path(operation_id = "get_quiz", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Quiz), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/quizzes/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let quiz = with_assessment(&state, move |conn, svc| {
        quizzes::get(conn, svc, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(quiz))
}

/// Changes a quiz (its staff); attempts already made keep what they drew.
#[utoipa::path(operation_id = "update_quiz", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = QuizInput,
    responses((status = 200, body = Quiz), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/quizzes/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<QuizInput>,
) -> Result<HttpResponse, ApiError> {
    let quiz = with_assessment(&state, move |conn, svc| {
        quizzes::update(conn, svc, &actor, id.into_inner(), &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(quiz))
}

/// Deletes a quiz nobody has attempted (its staff).
#[utoipa::path(operation_id = "delete_quiz", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
#[delete("/quizzes/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    with_assessment(&state, move |conn, _| {
        quizzes::delete(conn, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Grants one learner extra attempts or a later close, with the reason (its staff).
#[utoipa::path(operation_id = "grant_quiz_extension", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("enrolment_id" = i64, Path)), request_body = QuizExtensionInput,
    responses((status = 200, body = QuizExtension), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/quizzes/{id}/extensions/{enrolment_id}")]
pub async fn grant_extension(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i64)>,
    ApiJson(body): ApiJson<QuizExtensionInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, enrolment_id) = path.into_inner();
    let granted = with_assessment(&state, move |conn, svc| {
        quizzes::grant_extension(conn, svc, &actor, id, enrolment_id, &body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(granted))
}

/// The extensions granted on the quiz (its staff).
#[utoipa::path(operation_id = "list_quiz_extensions", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<QuizExtension>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/quizzes/{id}/extensions")]
pub async fn list_extensions(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let granted = with_assessment(&state, move |conn, _| {
        quizzes::list_extensions(conn, &actor, id.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(granted))
}

/// Withdraws one learner's quiz extension (its staff); attempts already made stay.
#[utoipa::path(operation_id = "revoke_quiz_extension", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("enrolment_id" = i64, Path)),
    responses((status = 204, description = "Withdrawn"), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[delete("/quizzes/{id}/extensions/{enrolment_id}")]
pub async fn revoke_extension(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, enrolment_id) = path.into_inner();
    with_assessment(&state, move |conn, _| {
        quizzes::revoke_extension(conn, &actor, id, enrolment_id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every attempt at the quiz (its staff), newest first.
#[utoipa::path(operation_id = "list_quiz_attempts", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), PageRequest),
    responses((status = 200, body = Page<StaffAttempt>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/quizzes/{id}/attempts")]
pub async fn list_attempts(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let made = with_assessment(&state, move |conn, svc| {
        attempts::list(conn, svc, &actor, id.into_inner(), page.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(made))
}

/// Starts an attempt (a learner holding a seat), or resumes the one still open.
#[utoipa::path(operation_id = "start_quiz_attempt", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Attempt), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
#[post("/quizzes/{id}/attempts")]
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let attempt = with_assessment(&state, move |conn, svc| {
        attempts::start(conn, svc, &actor, id.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(attempt))
}

/// An attempt, for its taker and the offering's staff. Right answers are included only
/// for staff, or once the quiz is closed for the learner.
#[utoipa::path(operation_id = "get_quiz_attempt", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Attempt), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/quiz-attempts/{id}")]
pub async fn get_attempt(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let attempt = with_assessment(&state, move |conn, svc| {
        attempts::get(conn, svc, &actor, id.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(attempt))
}

/// Answers one question of the caller's open attempt; refused after its deadline.
#[utoipa::path(operation_id = "answer_quiz_question", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("position" = i32, Path)), request_body = AnswerInput,
    responses((status = 200, body = Attempt), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/quiz-attempts/{id}/answers/{position}")]
pub async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i32)>,
    ApiJson(body): ApiJson<AnswerInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, position) = path.into_inner();
    let locale = lang(&req, &actor);
    let attempt = with_assessment(&state, move |conn, svc| {
        attempts::answer(conn, svc, &actor, id, position, &body, locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(attempt))
}

/// Hands the attempt in; it is scored at once.
#[utoipa::path(operation_id = "submit_quiz_attempt", tag = "assessment", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Attempt), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[post("/quiz-attempts/{id}/submit")]
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let locale = lang(&req, &actor);
    let attempt = with_assessment(&state, move |conn, svc| {
        attempts::submit(conn, svc, &actor, id.into_inner(), locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(attempt))
}

/// Staff give a short answer other points than the automatic match, with a reason.
#[utoipa::path(operation_id = "override_quiz_points", tag = "assessment", security(("bearer" = [])),
    params(("id" = i64, Path), ("position" = i32, Path)), request_body = PointsInput,
    responses((status = 200, body = Attempt), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[put("/quiz-attempts/{id}/answers/{position}/points")]
pub async fn override_points(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    path: web::Path<(i64, i32)>,
    ApiJson(body): ApiJson<PointsInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, position) = path.into_inner();
    let locale = lang(&req, &actor);
    let attempt = with_assessment(&state, move |conn, svc| {
        attempts::override_points(conn, svc, &actor, id, position, &body, locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(attempt))
}
