use actix_web::{post, web, HttpResponse};
use aula_identity::{auth, Registration, Session, User};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, ClientIp},
    locale::RequestLocale,
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
pub struct TokenBody {
    pub token: String,
}

#[derive(Deserialize, ToSchema)]
pub struct EmailBody {
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshBody {
    pub refresh_token: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ResetConfirmBody {
    pub token: String,
    pub password: String,
}

/// Creates an account and mails a verification link in the person's language. When the
/// address already has an account, its owner is mailed instead; the answer is the same
/// (202, no body) either way.
#[utoipa::path(tag = "auth", request_body = Registration, responses(
    (status = 202),
    (status = 422, body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    RequestLocale(locale): RequestLocale,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<Registration>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    db(&state, move |conn| {
        Ok(auth::register(conn, &identity, &body, locale, &ip)?)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Accepted().finish())
}

/// Confirms an email address with the token from the verification mail.
#[utoipa::path(tag = "auth", request_body = TokenBody, responses(
    (status = 200, body = User),
    (status = 400, body = Problem, content_type = "application/problem+json")))]
#[post("/auth/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    let user = db(&state, move |conn| {
        Ok(auth::verify_email(conn, &identity, &body.token)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(user))
}

/// Sends a new verification link if the address belongs to an unverified account.
#[utoipa::path(tag = "auth", request_body = EmailBody, responses(
    (status = 202), (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/auth/resend-verification")]
pub async fn resend_verification(
    state: web::Data<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<EmailBody>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    db(&state, move |conn| {
        Ok(auth::resend_verification(
            conn,
            &identity,
            &body.email,
            &ip,
        )?)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Accepted().finish())
}

/// Signs in with email and password.
#[utoipa::path(tag = "auth", request_body = LoginBody, responses(
    (status = 200, body = Session),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    // The password hash is checked between two short uses of a pooled connection, never
    // while holding one: hashing is slow on purpose and would starve the pool.
    let identity = state.identity.clone();
    let email = body.email.clone();
    let attempt = db(&state, move |conn| {
        Ok(auth::begin_login(conn, &identity, &email, &ip)?)
    })
    .await?;
    let identity = state.identity.clone();
    let attempt = web::block(move || {
        auth::check_password(&identity, &attempt, &body.password).map(|()| attempt)
    })
    .await
    .map_err(ApiError::internal)??;
    let identity = state.identity.clone();
    let session = db(&state, move |conn| {
        Ok(auth::finish_login(conn, &identity, attempt)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(session))
}

/// Exchanges a refresh token for new tokens; each refresh token works once.
#[utoipa::path(tag = "auth", request_body = RefreshBody, responses(
    (status = 200, body = Session),
    (status = 401, body = Problem, content_type = "application/problem+json")))]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<RefreshBody>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    let session = db(&state, move |conn| {
        Ok(auth::refresh(conn, &identity, &body.refresh_token)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(session))
}

/// Ends the session of a refresh token.
#[utoipa::path(tag = "auth", request_body = RefreshBody, responses((status = 204)))]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<RefreshBody>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    db(&state, move |conn| {
        Ok(auth::logout(conn, &identity, &body.refresh_token)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mails a password reset link if the account exists; always answers 202.
#[utoipa::path(tag = "auth", request_body = EmailBody, responses(
    (status = 202), (status = 429, body = Problem, content_type = "application/problem+json")))]
#[post("/auth/password-reset")]
pub async fn password_reset(
    state: web::Data<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<EmailBody>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    db(&state, move |conn| {
        Ok(auth::request_password_reset(
            conn,
            &identity,
            &body.email,
            &ip,
        )?)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with the token from the reset mail; every session ends.
#[utoipa::path(tag = "auth", request_body = ResetConfirmBody, responses(
    (status = 204),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/auth/password-reset/confirm")]
pub async fn password_reset_confirm(
    state: web::Data<AppState>,
    ApiJson(body): ApiJson<ResetConfirmBody>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    db(&state, move |conn| {
        Ok(auth::confirm_password_reset(
            conn,
            &identity,
            &body.token,
            &body.password,
        )?)
    })
    .await?;
    state.mail.notify();
    Ok(HttpResponse::NoContent().finish())
}
