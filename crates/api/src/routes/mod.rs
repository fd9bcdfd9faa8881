//! One module per resource; handlers parse, call one domain function, shape the answer.

pub mod auth;
pub mod health;
pub mod institutions;
pub mod me;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// Every `/api/v1` route. Registered through `utoipa_actix_web`, so each one is in the
/// OpenAPI document by construction.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health)
        .service(crate::openapi::document)
        .service(auth::register)
        .service(auth::verify_email)
        .service(auth::resend_verification)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::password_reset)
        .service(auth::password_reset_confirm)
        .service(me::get_me)
        .service(me::update_me)
        .service(institutions::list)
        .service(institutions::get)
        .service(institutions::create)
        .service(institutions::update)
        .service(users::list)
        .service(users::get)
        .service(users::update);
}
