use actix_web::{get, patch, post, web, HttpResponse};
use aula_core::{Page, PageRequest};
use aula_identity::{institutions, institutions::InstitutionInput, Institution};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    state::AppState,
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InstitutionFilter {
    /// Part of the name or acronym.
    pub q: Option<String>,
}

/// Member institutions, by name (public: the registration form needs them).
#[utoipa::path(operation_id = "list_institutions", tag = "institutions", params(InstitutionFilter, PageRequest), responses((status = 200, body = Page<Institution>)))]
#[get("/institutions")]
pub async fn list(
    state: web::Data<AppState>,
    filter: web::Query<InstitutionFilter>,
    page: web::Query<PageRequest>,
) -> Result<HttpResponse, ApiError> {
    let (q, page) = (filter.into_inner().q, page.into_inner());
    let list = db(&state, move |conn| {
        Ok(institutions::list(conn, q.as_deref(), page)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One institution.
#[utoipa::path(operation_id = "get_institution", tag = "institutions", params(("id" = i64, Path)), responses(
    (status = 200, body = Institution), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/institutions/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let institution = db(&state, move |conn| Ok(institutions::get(conn, id)?)).await?;
    Ok(HttpResponse::Ok().json(institution))
}

/// Adds an institution (administrators).
#[utoipa::path(operation_id = "create_institution", tag = "institutions", security(("bearer" = [])), request_body = InstitutionInput, responses(
    (status = 201, body = Institution), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/institutions")]
pub async fn create(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(body): ApiJson<InstitutionInput>,
) -> Result<HttpResponse, ApiError> {
    let identity = state.identity.clone();
    let created = db(&state, move |conn| {
        Ok(institutions::create(conn, &identity, &actor, &body)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Edits an institution (administrators).
#[utoipa::path(operation_id = "update_institution", tag = "institutions", security(("bearer" = [])), params(("id" = i64, Path)), request_body = InstitutionInput,
    responses((status = 200, body = Institution), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[patch("/institutions/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    id: web::Path<i64>,
    ApiJson(body): ApiJson<InstitutionInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, identity) = (id.into_inner(), state.identity.clone());
    let updated = db(&state, move |conn| {
        Ok(institutions::update(conn, &identity, &actor, id, &body)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}
