//! What answers when no route matched: a problem document under `/api` (404, or 405
//! with `Allow` when the path exists for other methods), the web UI's files elsewhere.

use actix_web::{web, HttpRequest, HttpResponse};
use aula_core::ErrorCode;

use crate::{error::ApiError, state::AppState};

pub async fn fallback(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
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

/// Methods documented for a concrete path, matching `{param}` segments to anything.
fn allowed_methods(path: &str) -> Vec<String> {
    static OPS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let ops = OPS.get_or_init(|| crate::openapi::operations(&crate::openapi::openapi()));
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    ops.iter()
        .filter(|(_, template)| {
            let t: Vec<&str> = template.split('/').collect();
            t.len() == segments.len()
                && t.iter()
                    .zip(&segments)
                    .all(|(t, s)| (t.starts_with('{') && !s.is_empty()) || t == s)
        })
        .map(|(m, _)| m.clone())
        .collect()
}
