//! Request extractors: JSON bodies with per-field errors, the signed-in user, the
//! client's address, and running database work off the async workers.

use std::{future::Future, pin::Pin};

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};
use aula_core::{ErrorCode, FieldCode, FieldError};
use aula_db::DbConnection;
use aula_identity::User;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::{error::ApiError, locale::UserLocale, state::AppState};

/// Runs `work` with a pooled connection on the blocking thread pool.
pub async fn db<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(ApiError::internal)?;
        work(&mut conn)
    })
    .await
    .map_err(ApiError::internal)?
}

/// A JSON body. Unlike `web::Json`, wrong types name the offending field and every
/// failure is a problem document.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.config.max_json_bytes)
            .unwrap_or(64 * 1024);
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::new(ErrorCode::UnsupportedMediaType)
                    .with_detail("send the body as application/json"));
            }
            let too_large = || {
                ApiError::new(ErrorCode::PayloadTooLarge)
                    .with_detail(format!("the body may hold at most {limit} bytes"))
            };
            if declared.is_some_and(|n| n > limit) {
                return Err(too_large());
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    ApiError::new(ErrorCode::MalformedJson).with_detail(e.to_string())
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(ApiJson)
        })
    }
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::new(ErrorCode::MalformedJson).with_detail(e.to_string()))?;
    integral_numbers_as_integers(&mut value);
    // Every body the API takes is an object; serde would read a struct from an array.
    if !value.is_object() {
        return Err(invalid_body(
            vec![(".".to_owned(), FieldCode::WrongType)],
            "the body must be a JSON object",
        ));
    }
    if let Some(field) = crate::controls::refused_in_json(&value) {
        return Err(ApiError::validation(vec![FieldError {
            field,
            code: FieldCode::ControlCharacter,
        }]));
    }
    // A field the request does not take is refused, as the document's
    // `additionalProperties: false` says, rather than silently dropped.
    let mut unknown = Vec::new();
    let mut note_unknown = |path: serde_ignored::Path| unknown.push(path.to_string());
    let de = serde_ignored::Deserializer::new(value, &mut note_unknown);
    let parsed = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = inner.to_string();
                // A missing field is reported at its parent; name the field itself.
                let (field, code) = match message.strip_prefix("missing field `") {
                    Some(rest) => {
                        let name = rest.split('`').next().unwrap_or_default();
                        let field = if path == "." {
                            name.to_owned()
                        } else {
                            format!("{path}.{name}")
                        };
                        (field, FieldCode::Required)
                    }
                    None if message.starts_with("unknown field") => (path, FieldCode::UnknownField),
                    None => (path, FieldCode::WrongType),
                };
                invalid_body(vec![(field, code)], message)
            }
            _ => ApiError::new(ErrorCode::MalformedJson).with_detail(inner.to_string()),
        }
    })?;
    if !unknown.is_empty() {
        let detail = format!("the request does not take {}", unknown.join(", "));
        let fields = unknown
            .into_iter()
            .map(|field| (field, FieldCode::UnknownField))
            .collect();
        return Err(invalid_body(fields, detail));
    }
    Ok(parsed)
}

/// JSON (and JSON Schema's `integer`) does not tell `138.0` from `138`; serde does, and
/// would refuse the first for an integer field.
fn integral_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                // Within ±2^53 every integer is exact, so nothing is rounded.
                if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers_as_integers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers_as_integers),
        _ => {}
    }
}

fn invalid_body(fields: Vec<(String, FieldCode)>, detail: impl Into<String>) -> ApiError {
    ApiError {
        errors: fields
            .into_iter()
            .map(|(field, code)| FieldError { field, code })
            .collect(),
        ..ApiError::new(ErrorCode::InvalidBody).with_detail(detail)
    }
}

/// The signed-in, active user; refuses with 401 when the bearer token is missing or bad.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_owned());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let token = token.ok_or_else(ApiError::unauthenticated)?;
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            let identity = state.identity.clone();
            let user = db(&state, move |conn| {
                Ok(aula_identity::auth::authenticate(conn, &identity, &token)?)
            })
            .await?;
            req.extensions_mut().insert(UserLocale(user.locale));
            Ok(CurrentUser(user))
        })
    }
}

/// The client's address, used to throttle sign-in attempts. Behind a reverse proxy
/// (`AULA_TRUST_PROXY`), the proxy's `X-Forwarded-For` / `Forwarded` headers are used.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl FromRequest for ClientIp {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trust_proxy = req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|s| s.config.trust_proxy);
        let info = req.connection_info();
        let ip = if trust_proxy {
            info.realip_remote_addr()
        } else {
            info.peer_addr()
        };
        std::future::ready(Ok(ClientIp(ip.unwrap_or("unknown").to_owned())))
    }
}
