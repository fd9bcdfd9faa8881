//! The built web UI's files. Hashed assets are sent precompressed (the build writes a
//! Brotli and a gzip copy beside each) in the encoding the browser accepts, and cached
//! for a year; `index.html` is revalidated on every visit.

use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::{
    http::header::{self, ContentEncoding, HeaderValue},
    HttpRequest, HttpResponse,
};

use crate::error::ApiError;

/// The file at the request's path, or `index.html` for the single-page app's own routes.
pub async fn serve(req: &HttpRequest, dir: &Path) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    let file = safe_join(dir, path)
        .filter(|p| p.is_file())
        .unwrap_or_else(|| dir.join("index.html"));
    let is_index = file.file_name().is_some_and(|n| n == "index.html");
    let named = open_best(&file, accepted(req))
        .await
        .ok_or_else(ApiError::not_found)?;
    let mut response = named.into_response(req);
    let cache = if is_index {
        "no-cache"
    } else if path.starts_with("/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // The same URL answers differently by encoding: caches must keep each apart.
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Ok(response)
}

/// The precompressed copy of `file` the browser accepts (Brotli first), else the file.
async fn open_best(file: &Path, accepted: Accepted) -> Option<NamedFile> {
    let content_type = mime_guess_of(file);
    let candidates = [
        (accepted.brotli, "br", ContentEncoding::Brotli),
        (accepted.gzip, "gz", ContentEncoding::Gzip),
    ];
    for (wanted, extension, encoding) in candidates {
        if !wanted {
            continue;
        }
        let mut name = file.as_os_str().to_owned();
        name.push(".");
        name.push(extension);
        if let Ok(named) = NamedFile::open_async(PathBuf::from(name)).await {
            // The copy's own name would make it a download: it stands for the original.
            return Some(
                named
                    .set_content_type(content_type.clone())
                    .set_content_encoding(encoding)
                    .disable_content_disposition(),
            );
        }
    }
    NamedFile::open_async(file)
        .await
        .ok()
        .map(NamedFile::disable_content_disposition)
}

/// The type of the uncompressed file, which the compressed copy stands for.
fn mime_guess_of(file: &Path) -> actix_web::mime::Mime {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    actix_files::file_extension_to_mime(extension)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Accepted {
    brotli: bool,
    gzip: bool,
}

/// The encodings `Accept-Encoding` allows (a zero quality refuses one).
fn accepted(req: &HttpRequest) -> Accepted {
    let mut accepted = Accepted::default();
    let Some(value) = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return accepted;
    };
    for item in value.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        match coding.as_str() {
            "br" => accepted.brotli = !refused,
            "gzip" | "x-gzip" => accepted.gzip = !refused,
            "*" if !refused => {
                accepted.brotli = true;
                accepted.gzip = true;
            }
            _ => {}
        }
    }
    accepted
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

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn parse(value: &str) -> Accepted {
        accepted(
            &TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, value))
                .to_http_request(),
        )
    }

    #[test]
    fn accept_encoding_is_read_with_its_qualities() {
        let both = Accepted {
            brotli: true,
            gzip: true,
        };
        assert_eq!(parse("gzip, deflate, br, zstd"), both);
        assert_eq!(parse("br;q=1.0, gzip;q=0.8"), both);
        assert_eq!(
            parse("gzip"),
            Accepted {
                brotli: false,
                gzip: true
            }
        );
        assert_eq!(
            parse("br, gzip;q=0"),
            Accepted {
                brotli: true,
                gzip: false
            }
        );
        assert_eq!(parse("*"), both);
        assert_eq!(parse("identity"), Accepted::default());
    }
}
