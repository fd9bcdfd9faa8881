//! NUL and the other C0 controls (but tab and line breaks) are refused at the edge with
//! a problem, on both databases: PostgreSQL text cannot hold NUL, and answered 500.

use crate::common;

use aula_identity::Role;
use common::{assert_problem, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[actix_web::test]
async fn a_control_character_in_a_path_or_query_is_a_400_problem() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (_, admin) = app
        .token_for("admin@demo.test", "Admin", &[Role::Admin])
        .await;
    for path in [
        "/courses/%00",
        "/courses?q=%00",
        "/courses?q=a%1Bb",
        "/courses/PEN-201/offerings?lang=%00",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let body = assert_problem(res, StatusCode::BAD_REQUEST, "control_character").await;
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    for path in [
        "/users?q=%00",
        "/institutions?q=%00",
        "/me/enrolments?q=%00",
    ] {
        let res = app.get_as(path, &admin).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "control_character").await;
    }
    // Tabs and line breaks are text, not controls.
    let res = app
        .client
        .get(app.url("/courses?q=two%0Alines%09tab"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn a_control_character_in_json_text_names_its_field() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let body = assert_problem(
        app.post(
            "/auth/login",
            json!({"email": "ana\u{0}@demo.test", "password": "whatever-123"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "email");
    assert_eq!(body["errors"][0]["code"], "control_character");

    for path in ["/auth/password-reset", "/auth/resend-verification"] {
        let body = assert_problem(
            app.post(path, json!({"email": "ana@demo.test\u{0}"})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["code"], "control_character", "{path}");
    }

    let (_, token) = app
        .token_for("ana@demo.test", "Ana", &[Role::Student])
        .await;
    let body = assert_problem(
        app.patch_as("/me", &token, json!({"full_name": "Ana\u{1b}[31m"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        body["errors"][0],
        json!({"field": "full_name", "code": "control_character",
               "message": "Contiene caracteres de control no permitidos"})
    );
}
