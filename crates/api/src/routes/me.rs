use actix_web::{get, patch, post, web, HttpResponse};
use aula_identity::{users, users::ProfileUpdate, Session, User};
use serde::Deserialize;
use utoipa::ToSchema;

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

/// Changes one's own name, language, time zone or mail preferences.
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

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
    /// The refresh token of this session, which goes on; every other session ends.
    pub refresh_token: Option<String>,
}

/// Changes one's password; other sessions are signed out, this one gets new tokens.
#[utoipa::path(tag = "me", operation_id = "change_password", security(("bearer" = [])),
    request_body = PasswordChange, responses(
    (status = 200, body = Session),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    let session = db(&state, move |conn| {
        Ok(aula_identity::password_change::change_password(
            conn,
            &identity,
            &user,
            &body.current_password,
            &body.new_password,
            body.refresh_token.as_deref(),
        )?)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Ok().json(session))
}
