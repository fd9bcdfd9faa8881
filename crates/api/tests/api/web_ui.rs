//! The web UI's files: precompressed copies in the encoding the browser accepts,
//! hashed assets cached for a year, the app's own routes answered with `index.html`.

use reqwest::{header, StatusCode};

use crate::common::TestApp;

const SCRIPT: &str = "console.log('Aula');\n";

/// A build as `vite build` leaves it: an asset with its Brotli and gzip copies.
fn built_ui() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>Aula</title>",
    )
    .unwrap();
    let assets = dir.path().join("assets");
    std::fs::create_dir(&assets).unwrap();
    std::fs::write(assets.join("app-1a2b3c.js"), SCRIPT).unwrap();
    std::fs::write(assets.join("app-1a2b3c.js.br"), b"brotli bytes").unwrap();
    std::fs::write(assets.join("app-1a2b3c.js.gz"), b"gzip bytes").unwrap();
    std::fs::write(assets.join("plain-9z8y.css"), "body{}").unwrap();
    dir
}

/// A client that does not decode, so the test sees what travels.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder().no_gzip().build().unwrap()
}

async fn fetch(app: &TestApp, path: &str, accept: &str) -> reqwest::Response {
    raw_client()
        .get(format!("{}{path}", app.base))
        .header(header::ACCEPT_ENCODING, accept)
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn hashed_assets_travel_precompressed_in_the_encoding_the_browser_accepts() {
    let ui = built_ui();
    let Some(app) = TestApp::serving_web_ui(ui.path().to_owned()).await else {
        return;
    };
    for (accept, encoding, body) in [
        ("gzip, deflate, br", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("br;q=0, gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, SCRIPT),
    ] {
        let res = fetch(&app, "/assets/app-1a2b3c.js", accept).await;
        assert_eq!(res.status(), StatusCode::OK, "{accept}");
        let headers = res.headers().clone();
        assert_eq!(
            headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/javascript"),
            "{accept}: {:?}",
            headers[header::CONTENT_TYPE]
        );
        assert_eq!(headers[header::VARY], "Accept-Encoding");
        assert!(
            headers.get(header::CONTENT_DISPOSITION).is_none(),
            "{accept}: shown, not downloaded"
        );
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(res.text().await.unwrap(), body, "{accept}");
    }
}

#[actix_web::test]
async fn an_asset_without_compressed_copies_is_sent_as_it_is() {
    let ui = built_ui();
    let Some(app) = TestApp::serving_web_ui(ui.path().to_owned()).await else {
        return;
    };
    let res = fetch(&app, "/assets/plain-9z8y.css", "br").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get(header::CONTENT_ENCODING), None);
    assert_eq!(res.text().await.unwrap(), "body{}");
}

#[actix_web::test]
async fn the_apps_own_routes_get_index_html_revalidated_each_visit() {
    let ui = built_ui();
    let Some(app) = TestApp::serving_web_ui(ui.path().to_owned()).await else {
        return;
    };
    let res = fetch(&app, "/courses/PEN-201", "br").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
    assert!(res.text().await.unwrap().contains("<title>Aula</title>"));
}
