use actix_web::{get, post, web, HttpRequest, HttpResponse};
use aula_catalog::topics::{self, Topic, TopicInput};

use crate::{
    error::{ApiError, Problem},
    extract::{db, ApiJson, CurrentUser},
    routes::reader::{cached_json, Reader},
    state::AppState,
};

/// Topic areas of the catalog, named in the reader's language.
#[utoipa::path(operation_id = "list_topics", tag = "catalog", security((), ("bearer" = [])), params(("lang" = Option<String>, Query, description = "es, en, pt or fr")),
    responses((status = 200, body = Vec<Topic>)))]
#[get("/topics")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    reader: Reader,
) -> Result<HttpResponse, ApiError> {
    let locale = reader.locale.unwrap_or_default();
    let topics = db(&state, move |conn| Ok(topics::list(conn, locale)?)).await?;
    cached_json(&req, &topics)
}

/// Adds a topic area (administrators).
#[utoipa::path(operation_id = "create_topic", tag = "catalog", security(("bearer" = [])), request_body = TopicInput, responses(
    (status = 201, body = Topic), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[post("/topics")]
pub async fn create(
    state: web::Data<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(body): ApiJson<TopicInput>,
) -> Result<HttpResponse, ApiError> {
    let (locale, catalog) = (actor.locale, state.catalog.clone());
    let topic = db(&state, move |conn| {
        Ok(topics::create(conn, &catalog, &actor, &body, locale)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(topic))
}
