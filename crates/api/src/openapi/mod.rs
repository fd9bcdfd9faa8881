//! The OpenAPI 3.1 document, assembled from the routes themselves.

mod edge;

use actix_web::{get, App, HttpResponse};
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};
use utoipa_actix_web::{scope, AppExt};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Aula API",
        description = "Learning management for the CIESS: identity, catalog, enrolment, assessment and certification.",
    ),
    // Path parameters do not register their schemas; these are named by one.
    components(schemas(crate::error::Problem, aula_enrolment::Action, aula_certification::StatusPurpose)),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document for every route in [`crate::routes::configure`].
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope::scope(crate::API_PREFIX).configure(crate::routes::configure))
        .service(crate::routes::certification::public::jwks)
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    edge::complete(doc)
}

/// This document.
#[utoipa::path(operation_id = "get_openapi_document", tag = "system", responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
#[get("/openapi.json")]
pub async fn document() -> HttpResponse {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let json = DOC.get_or_init(|| openapi().to_json().unwrap_or_else(|_| "{}".into()));
    HttpResponse::Ok()
        .content_type("application/json")
        .body(json.clone())
}

/// `(method, path)` of every documented operation, e.g. `("GET", "/api/v1/health")`.
pub fn operations(doc: &utoipa::openapi::OpenApi) -> Vec<(String, String)> {
    let mut ops = Vec::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (method, present) in methods {
            if present {
                ops.push((method.to_owned(), path.clone()));
            }
        }
    }
    ops.sort();
    ops
}
