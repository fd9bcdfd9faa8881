//! A request id on every answer (`X-Request-Id`) and on every log line written while
//! the request is handled, so a user's report ("it failed at 10:02, id …") leads to
//! the server's lines. A well-formed id sent by a proxy is kept; any other is replaced.

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
};
use aula_core::{OsTokenSource, TokenSource};
use tracing::Instrument;

pub const HEADER: &str = "x-request-id";
const MAX_LEN: usize = 64;

/// An id as a client or proxy may send it: 1–64 letters, digits, `-`, `_` or `.`.
pub fn acceptable(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn new_id() -> String {
    let mut bytes = [0u8; 8];
    OsTokenSource.fill(&mut bytes);
    aula_core::hex(&bytes)
}

pub async fn tag(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map_or_else(new_id, str::to_owned);
    let span = tracing::info_span!("request", id = %id);
    let mut res = next.call(req).instrument(span).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static(HEADER), value);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_outside_are_kept_only_when_plain_and_short() {
        assert!(acceptable("5f1c-22aa.b_9"));
        assert!(!acceptable(""));
        assert!(!acceptable("a b"));
        assert!(!acceptable("<script>"));
        assert!(!acceptable(&"a".repeat(65)));
        assert_eq!(new_id().len(), 16);
    }
}
