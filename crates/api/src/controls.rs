//! Control characters are refused at the edge, once for every route: NUL (which
//! PostgreSQL text cannot hold) and the other C0 controls, except tab, line feed and
//! carriage return, which multi-line text may contain. Paths and query strings are
//! checked here; JSON bodies by [`crate::extract::ApiJson`] through [`refused_in_json`].

use actix_web::{
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};
use aula_core::ErrorCode;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::error::ApiError;

/// A C0 control other than tab, line feed and carriage return.
pub fn is_refused(byte: u8) -> bool {
    byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')
}

fn holds_refused(encoded: &str) -> bool {
    percent_decode_str(encoded).any(is_refused)
}

/// Answers `400 control_character` before routing when the decoded path or query
/// string of an API request holds a refused character.
pub async fn refuse_in_address(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.path().starts_with("/api/") || req.path().starts_with("/.well-known/") {
        let place = if holds_refused(req.path()) {
            Some("path")
        } else if holds_refused(req.query_string()) {
            Some("query string")
        } else {
            None
        };
        if let Some(place) = place {
            let error = ApiError::new(ErrorCode::ControlCharacter)
                .with_detail(format!("the {place} holds a control character"));
            return Ok(req.error_response(error));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Where in a JSON document a string (or a key) holds a refused character, named as
/// the body's fields are (`title`, `sessions[0].venue`).
pub fn refused_in_json(value: &Value) -> Option<String> {
    fn walk(value: &Value, at: &mut String) -> bool {
        let bad = |s: &str| s.bytes().any(is_refused);
        match value {
            Value::String(s) => bad(s),
            Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                let found = walk(item, at);
                if !found {
                    at.truncate(len);
                }
                found
            }),
            Value::Object(map) => map.iter().any(|(key, item)| {
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(key);
                let found = bad(key) || walk(item, at);
                if !found {
                    at.truncate(len);
                }
                found
            }),
            _ => false,
        }
    }
    let mut at = String::new();
    walk(value, &mut at).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_and_line_breaks_pass_other_c0_controls_do_not() {
        assert!(!is_refused(b'\t') && !is_refused(b'\n') && !is_refused(b'\r'));
        assert!(is_refused(0) && is_refused(0x1b) && is_refused(0x1f));
        assert!(!is_refused(b' ') && !is_refused(0x7f));
    }

    #[test]
    fn escaped_controls_in_paths_and_queries_are_found() {
        assert!(holds_refused("/api/v1/courses/%00"));
        assert!(holds_refused("q=a%1Bb"));
        assert!(!holds_refused("q=line%0Abreak%09tab"));
        assert!(!holds_refused("q=cotizaci%C3%B3n"));
    }

    #[test]
    fn the_field_holding_a_control_is_named() {
        let body =
            serde_json::json!({"title": "ok", "sessions": [{"venue": "a"}, {"venue": "b\u{0}"}]});
        assert_eq!(refused_in_json(&body).as_deref(), Some("sessions[1].venue"));
        assert_eq!(refused_in_json(&serde_json::json!({"a": "x\ny"})), None);
        assert_eq!(
            refused_in_json(&serde_json::json!("\u{0}")).as_deref(),
            Some("")
        );
    }
}
