//! What people change about themselves: password, time zone, mail preferences.

use aula_identity::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    common::{assert_problem, TestApp, PASSWORD},
    enrolment_fixtures::{
        apply, enrolment_subjects, error, field_errors, learner, ok_json, Centre,
    },
};

const NEW_PASSWORD: &str = "otra clave bien larga";

#[actix_web::test]
async fn changing_the_password_signs_out_every_other_session_and_keeps_this_one() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("rita@iess.gob.ec", "Rita", &[Role::Student]);
    let here = app.login("rita@iess.gob.ec", PASSWORD).await;
    let elsewhere = app.login("rita@iess.gob.ec", PASSWORD).await;
    let access = here["access_token"].as_str().unwrap();

    let res = app
        .post_as(
            "/me/password",
            access,
            json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                   "refresh_token": here["refresh_token"]}),
        )
        .await;
    let session = ok_json(res, StatusCode::OK, "change the password").await;

    // The other session: its access token and its refresh token both stop working.
    let other_access = elsewhere["access_token"].as_str().unwrap();
    assert_problem(
        app.get_as("/me", other_access).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let res = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": elsewhere["refresh_token"]}),
        )
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;

    // This session goes on with the tokens returned.
    let new_access = session["access_token"].as_str().unwrap();
    assert_eq!(app.get_as("/me", new_access).await.status(), StatusCode::OK);
    let res = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": session["refresh_token"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // The new password signs in, the old one no longer does, and a notice was mailed.
    app.login("rita@iess.gob.ec", NEW_PASSWORD).await;
    let res = app
        .post(
            "/auth/login",
            json!({"email": "rita@iess.gob.ec", "password": PASSWORD}),
        )
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let last = app.mails_to("rita@iess.gob.ec").pop().expect("a mail");
    assert_eq!(last.template, "password_changed");
}

#[actix_web::test]
async fn changing_the_password_needs_the_current_one_and_a_strong_new_one() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (_, token) = app.person("eva@bps.uy", "Eva", None, &[Role::Student]);
    let res = app
        .post_as(
            "/me/password",
            &token,
            json!({"current_password": "not-it-at-all", "new_password": "short"}),
        )
        .await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_errors(&problem),
        vec![
            error("current_password", "wrong_password"),
            error("new_password", "too_short"),
        ]
    );
    // Nothing changed: the old password still signs in.
    app.login("eva@bps.uy", PASSWORD).await;
}

#[actix_web::test]
async fn a_person_keeps_a_time_zone_and_unknown_zones_are_refused() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (_, token) = app.person("eva@bps.uy", "Eva", None, &[Role::Student]);
    let me = ok_json(app.get_as("/me", &token).await, StatusCode::OK, "me").await;
    assert_eq!(me["time_zone"], Value::Null);
    assert_eq!(
        me["mail_preferences"],
        json!({"enrolment_updates": true, "endorsement_requests": true})
    );
    let res = app
        .patch_as("/me", &token, json!({"time_zone": "America/Montevideo"}))
        .await;
    let me = ok_json(res, StatusCode::OK, "set the zone").await;
    assert_eq!(me["time_zone"], "America/Montevideo");
    let res = app
        .patch_as("/me", &token, json!({"time_zone": "Mars/Olympus"}))
        .await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_errors(&problem),
        vec![error("time_zone", "invalid_time_zone")]
    );
    let res = app.patch_as("/me", &token, json!({"time_zone": ""})).await;
    let me = ok_json(res, StatusCode::OK, "back to the browser's zone").await;
    assert_eq!(me["time_zone"], Value::Null);
}

#[actix_web::test]
async fn enrolment_news_is_not_mailed_to_someone_who_declined_it() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let (_, quiet) = learner(&app, "quiet@imss.gob.mx", "Sin correo", None);
    let (_, keen) = learner(&app, "keen@imss.gob.mx", "Con correo", None);
    let res = app
        .patch_as(
            "/me",
            &quiet,
            json!({"mail_preferences": {"enrolment_updates": false, "endorsement_requests": true}}),
        )
        .await;
    let me = ok_json(res, StatusCode::OK, "decline enrolment news").await;
    assert_eq!(me["mail_preferences"]["enrolment_updates"], false);

    apply(&app, &quiet, offering).await;
    apply(&app, &keen, offering).await;
    assert!(enrolment_subjects(&app, "quiet@imss.gob.mx").is_empty());
    assert_eq!(enrolment_subjects(&app, "keen@imss.gob.mx").len(), 1);

    // Account mail is not optional: a password reset still reaches them.
    let res = app
        .post(
            "/auth/password-reset",
            json!({"email": "quiet@imss.gob.mx"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let last = app.mails_to("quiet@imss.gob.mx").pop().expect("a mail");
    assert_eq!(last.template, "password_reset");
}

#[actix_web::test]
async fn an_admin_creates_an_account_with_roles_that_signs_in_at_once() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (_, admin) = app.person("admin@ciess.org", "Admin", None, &[Role::Admin]);
    let (_, student) = app.person("ana@imss.gob.mx", "Ana", None, &[Role::Student]);
    let body = json!({"email": "Nuevo@CIESS.org", "full_name": "Nuevo Docente", "password": NEW_PASSWORD,
                      "locale": "pt", "roles": ["instructor", "coordinator"]});
    let res = app.post_as("/users", &student, body.clone()).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;

    let res = app.post_as("/users", &admin, body.clone()).await;
    let user = ok_json(res, StatusCode::CREATED, "create an account").await;
    assert_eq!(user["email"], "nuevo@ciess.org");
    assert_eq!(user["roles"], json!(["instructor", "coordinator"]));
    assert_eq!(user["locale"], "pt");
    app.login("nuevo@ciess.org", NEW_PASSWORD).await;

    let res = app.post_as("/users", &admin, body).await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(field_errors(&problem), vec![error("email", "taken")]);
    let res = app
        .post_as(
            "/users",
            &admin,
            json!({"email": "x@y.org", "full_name": "X", "password": "short", "roles": ["king"]}),
        )
        .await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_errors(&problem),
        vec![error("roles", "invalid_choice")]
    );
}
