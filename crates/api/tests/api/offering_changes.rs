//! Removing an offering and changing its capacity while people apply.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{assert_problem, TestApp};
use crate::enrolment_fixtures::*;

#[actix_web::test]
async fn an_offering_with_applications_but_no_seats_taken_cannot_be_removed() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let (_, student) = learner(&app, "ana@inss.gov.br", "Ana Souza", None);
    let application = apply(&app, &student, offering).await;
    assert_eq!(application["state"], "pending_approval");

    let res = app
        .delete_as(&format!("/offerings/{offering}"), &centre.instructor)
        .await;
    assert_problem(res, StatusCode::CONFLICT, "offering_in_use").await;
    // Still there, with its application.
    let res = app
        .get_as(&format!("/offerings/{offering}"), &centre.instructor)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        state_of(&app, &student, application["id"].as_i64().unwrap()).await,
        "pending_approval"
    );
}

#[actix_web::test]
async fn an_offering_nobody_applied_to_can_be_removed() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let res = app
        .delete_as(&format!("/offerings/{offering}"), &centre.instructor)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .get_as(&format!("/offerings/{offering}"), &centre.instructor)
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "offering_not_found").await;
}
