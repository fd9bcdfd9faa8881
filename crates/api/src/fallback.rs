//! What answers when no route matched: a problem document under `/api` (404, or 405
//! with `Allow` when the path exists for other methods), the web UI elsewhere.

use aula_core::ErrorCode;
use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::{web, HttpRequest, HttpResponse};

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
    // Real files (scripts, styles, images) are served as they are; any other path is a
    // route of the single-page app.
    let file = safe_join(dir, path)
        .filter(|p| p.is_file())
        .unwrap_or_else(|| dir.join("index.html"));
    let named = NamedFile::open_async(&file)
        .await
        .map_err(|_| ApiError::not_found())?;
    let is_index = file.file_name().is_some_and(|n| n == "index.html");
    let mut response = named.into_response(&req);
    let cache = if is_index {
        "no-cache"
    } else if path.starts_with("/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static(cache),
    );
    Ok(response)
}

fn safe_join(dir: &Path, request_path: &str) -> Option<PathBuf> {
    let relative = Path::new(request_path.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    Some(dir.join(relative))
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
