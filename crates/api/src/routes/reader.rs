//! What catalog reads need from a request: who is asking (if anyone), in which
//! language, and answers that can be revalidated with `ETag` / `If-None-Match`.

use std::{future::Future, pin::Pin};

use actix_web::{
    dev::Payload,
    http::header::{self, HeaderValue},
    FromRequest, HttpRequest, HttpResponse,
};
use aula_core::Locale;
use aula_identity::User;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{error::ApiError, extract::CurrentUser, locale};

/// The reader of a public page: signed in or not (a bad token is still an error),
/// and the language of the answer by [`locale::for_request`]'s rule, except that with
/// no language named nor an account, content keeps its own primary language.
#[derive(Debug, Clone)]
pub struct Reader {
    pub user: Option<User>,
    pub locale: Option<Locale>,
}

impl FromRequest for Reader {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = req.headers().contains_key(header::AUTHORIZATION);
        let user = signed_in.then(|| CurrentUser::from_request(req, payload));
        let asked = locale::asked(req);
        Box::pin(async move {
            let user = match user {
                Some(user) => Some(user.await?.0),
                None => None,
            };
            let locale = asked.or(user.as_ref().map(|u| u.locale));
            Ok(Reader { user, locale })
        })
    }
}

/// `body` as JSON with an `ETag` (a hash of the body); `304 Not Modified` when
/// the client already holds this version.
pub fn cached_json<T: Serialize>(req: &HttpRequest, body: &T) -> Result<HttpResponse, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let digest = Sha256::digest(&bytes);
    let tag = aula_core::hex(&digest[..16]);
    // Weak: the same JSON may travel compressed or not.
    let quoted = format!("\"{tag}\"");
    let etag = format!("W/{quoted}");
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == quoted || t == "*")
        });
    let mut response = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag.clone()))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((
            header::VARY,
            HeaderValue::from_static("Accept-Language, Authorization"),
        ));
    if matches {
        Ok(response.finish())
    } else {
        Ok(response.content_type("application/json").body(bytes))
    }
}
