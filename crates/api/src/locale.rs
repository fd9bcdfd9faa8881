//! Which language a request is answered in, and the middleware that renders every
//! problem document of `/api` in it.

use std::{
    collections::HashMap,
    future::{ready, Ready},
};

use actix_web::{
    body::{BoxBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::{header, StatusCode},
    middleware::Next,
    web, FromRequest, HttpMessage, HttpRequest,
};
use aula_core::{ErrorCode, Locale};

use crate::error::ApiError;

/// The language asked for with `Accept-Language`, if Aula speaks it.
pub fn from_header(req: &HttpRequest) -> Option<Locale> {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::negotiate)
}

/// The language named with `?lang=`, if Aula speaks it (any other value is ignored).
pub fn from_query(req: &HttpRequest) -> Option<Locale> {
    web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("lang").and_then(|l| l.parse().ok()))
}

/// The language the request names: `?lang=`, else `Accept-Language`.
pub fn asked(req: &HttpRequest) -> Option<Locale> {
    from_query(req).or_else(|| from_header(req))
}

/// Set by the sign-in extractor so errors fall back to the user's own language.
#[derive(Debug, Clone, Copy)]
pub struct UserLocale(pub Locale);

/// The one rule for every answer of the API: `?lang=`, else `Accept-Language`, else
/// the signed-in user's language, else Spanish.
pub fn for_request(req: &HttpRequest) -> Locale {
    asked(req)
        .or_else(|| req.extensions().get::<UserLocale>().map(|l| l.0))
        .unwrap_or_default()
}

/// Extractor of the language for this request's answer.
#[derive(Debug, Clone, Copy)]
pub struct RequestLocale(pub Locale);

impl FromRequest for RequestLocale {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(RequestLocale(for_request(req))))
    }
}

/// Re-renders API errors in the reader's language, and turns any other error
/// response under `/api` into a problem document.
pub async fn localize_problems(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    if !status.is_client_error() && !status.is_server_error() {
        return Ok(res);
    }
    let locale = for_request(res.request());
    if let Some(api_error) = res
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
    {
        let rendered = api_error.render(locale);
        return Ok(res.into_response(rendered));
    }
    // A JSON body was written on purpose (a problem, or e.g. the health report).
    let is_json = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(b"application/problem+json")
            || v.as_bytes().starts_with(b"application/json")
    });
    if res.request().path().starts_with("/api/") && !is_json {
        // The catalogue decides the status; a status without an entry of its own
        // (say 408 or 431) is reported as the closest one, a malformed request.
        let code = match status {
            StatusCode::NOT_FOUND => ErrorCode::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
            StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
            StatusCode::FORBIDDEN => ErrorCode::Forbidden,
            StatusCode::SERVICE_UNAVAILABLE => ErrorCode::ServiceUnavailable,
            s if s.is_server_error() => ErrorCode::InternalError,
            _ => ErrorCode::MalformedBody,
        };
        let rendered = ApiError::new(code).render(locale);
        return Ok(res.into_response(rendered));
    }
    Ok(res)
}
