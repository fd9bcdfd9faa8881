use actix_web::{get, patch, web, HttpResponse};
use aula_identity::{users, users::ProfileUpdate, User};

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    state::AppState,
};

/// The signed-in person.
#[utoipa::path(tag = "me", security(("bearer" = [])), responses(
    (status = 200, body = User), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/me")]
pub async fn get_me(CurrentUser(user): CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(user)
}

/// Changes one's own name or language.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = ProfileUpdate, responses(
    (status = 200, body = User), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<ProfileUpdate>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    let user = db(&state, move |conn| {
        Ok(users::update_profile(conn, &identity, user.id, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(user))
}
