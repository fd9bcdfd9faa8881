//! What answers when no route matched: a problem document under `/api` and
//! `/.well-known` (404, or 405 with `Allow` when the path exists for other methods),
//! the web UI's files elsewhere.

use actix_web::{web, HttpRequest, HttpResponse};
use aula_core::ErrorCode;

use crate::{error::ApiError, state::AppState};

pub async fn fallback(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    // The issuer's keys live beside the API and answer as it does.
    if path == "/api" || path.starts_with("/api/") || path.starts_with("/.well-known/") {
        let allowed = allowed_methods(path);
        if allowed.is_empty() {
            return Err(ApiError::not_found().with_detail(format!("no route {path}")));
        }
        return Err(ApiError {
            allow: Some(allowed.join(", ")),
            ..ApiError::new(ErrorCode::MethodNotAllowed)
        });
    }
    let Some(dir) = &state.config.frontend_dir else {
        return Err(ApiError::not_found());
    };
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD
    {
        return Err(ApiError::new(ErrorCode::MethodNotAllowed));
    }
    crate::web_ui::serve(&req, dir).await
}

/// One segment of a documented path: a literal, or a parameter (with its choices when
/// the document lists them, so `/enrolments/1/history` is not taken for an action).
enum Segment {
    Literal(String),
    Param(Option<Vec<String>>),
    /// An integer parameter: `import` in `/assignments/1/grades/import` is not one.
    Integer,
}

impl Segment {
    fn matches(&self, text: &str) -> bool {
        match self {
            Segment::Literal(literal) => literal == text,
            Segment::Param(None) => !text.is_empty(),
            Segment::Param(Some(choices)) => choices.iter().any(|c| c == text),
            Segment::Integer => text.parse::<i64>().is_ok(),
        }
    }
}

/// Methods documented for a concrete path.
fn allowed_methods(path: &str) -> Vec<String> {
    static OPS: std::sync::OnceLock<Vec<(String, Vec<Segment>)>> = std::sync::OnceLock::new();
    let ops = OPS.get_or_init(documented_templates);
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    ops.iter()
        .filter(|(_, template)| {
            template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| t.matches(s))
        })
        .map(|(m, _)| m.clone())
        .collect()
}

fn documented_templates() -> Vec<(String, Vec<Segment>)> {
    let doc = crate::openapi::openapi();
    let value = serde_json::to_value(&doc).unwrap_or_default();
    let integer = |method: &str, path: &str, name: &str| -> bool {
        value["paths"][path][method.to_lowercase()]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["in"] == "path" && p["name"] == name))
            .is_some_and(|p| p["schema"]["type"] == "integer")
    };
    let choices = |method: &str, path: &str, name: &str| -> Option<Vec<String>> {
        let parameters = value["paths"][path][method.to_lowercase()]["parameters"].as_array()?;
        let parameter = parameters
            .iter()
            .find(|p| p["in"] == "path" && p["name"] == name)?;
        let mut schema = &parameter["schema"];
        if let Some(name) = schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            schema = &value["components"]["schemas"][name];
        }
        let list = schema["enum"].as_array()?;
        Some(
            list.iter()
                .filter_map(|c| c.as_str().map(str::to_owned))
                .collect(),
        )
    };
    crate::openapi::operations(&doc)
        .into_iter()
        .map(|(method, path)| {
            let template = path
                .split('/')
                .map(
                    |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) if integer(&method, &path, name) => Segment::Integer,
                        Some(name) => Segment::Param(choices(&method, &path, name)),
                        None => Segment::Literal(segment.to_owned()),
                    },
                )
                .collect();
            (method, template)
        })
        .collect()
}
