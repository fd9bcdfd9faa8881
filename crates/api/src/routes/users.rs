use actix_web::{get, patch, post, web, HttpResponse};
use aula_core::{Page, PageRequest};
use aula_identity::{
    users::{self, AdminUserUpdate, UserFilter},
    AccountInput, User,
};

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    state::AppState,
};

/// Users, searchable by email or name (administrators).
#[utoipa::path(operation_id = "list_users", tag = "users", security(("bearer" = [])), params(UserFilter, PageRequest), responses(
    (status = 200, body = Page<User>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/users")]
pub async fn list(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    filter: web::Query<UserFilter>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let (filter, page) = (filter.into_inner(), page.into_inner());
    let users = db(&state, move |conn| {
        Ok(users::list(conn, &actor, &filter, page)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(users))
}

/// One user: administrators see anyone, others only themselves.
#[utoipa::path(operation_id = "get_user", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = User), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/users/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let user = db(&state, move |conn| {
        Ok(users::get_visible_to(conn, &actor, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(user))
}

/// Changes a user's roles, status, name or institution (administrators).
#[utoipa::path(operation_id = "update_user", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)), request_body = AdminUserUpdate,
    responses((status = 409, body = Problem, content_type = "application/problem+json"), (status = 200, body = User), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[patch("/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<AdminUserUpdate>,
) -> Result<HttpResponse, ApiError> {
    let (id, identity) = (id.into_inner(), state.identity.clone());
    let user = db(&state, move |conn| {
        Ok(users::update_by_admin(conn, &identity, &actor, id, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(user))
}

/// Creates a verified account with roles and a first password (administrators).
#[utoipa::path(tag = "users", operation_id = "create_user", security(("bearer" = [])), request_body = AccountInput,
    responses((status = 201, body = User), (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/users")]
pub async fn create(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(body): ApiJson<AccountInput>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    let user = db(&state, move |conn| {
        Ok(aula_identity::accounts::create_account(
            conn, &identity, &actor, &body,
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json(user))
}
