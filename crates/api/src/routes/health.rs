use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{extract::db, state::AppState};

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when the database does not answer.
    status: &'static str,
    /// `sqlite` or `postgresql`.
    database: &'static str,
    version: &'static str,
}

/// Liveness and the database in use.
#[utoipa::path(operation_id = "get_health", tag = "system", responses(
    (status = 200, body = Health), (status = 503, body = Health)))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let reachable = db(&state, |conn| {
        aula_db::ping(conn).map_err(crate::error::ApiError::internal)
    })
    .await;
    let body = Health {
        status: if reachable.is_ok() {
            "ok"
        } else {
            "unavailable"
        },
        database: state.backend.as_str(),
        version: env!("CARGO_PKG_VERSION"),
    };
    match reachable {
        Ok(()) => HttpResponse::Ok().json(body),
        Err(_) => HttpResponse::ServiceUnavailable().json(body),
    }
}
