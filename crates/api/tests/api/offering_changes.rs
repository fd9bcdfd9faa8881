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

/// Staff lower the capacity while forty people apply: every answer is a seat, a place on
/// the waitlist, the new capacity or `below_seats_taken`, and at the end the seats taken
/// fit the capacity and match the people enrolled.
#[actix_web::test]
async fn capacity_lowered_while_applications_arrive_never_drops_below_the_seats_taken() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({ "capacity": 30 })).await;
    let tokens: Vec<String> = (0..40)
        .map(|i| learner(&app, &format!("p{i:02}@bps.gub.uy"), "Persona", None).1)
        .collect();
    let apply_url = app.url(&format!("/offerings/{offering}/enrolments"));
    let offering_url = app.url(&format!("/offerings/{offering}"));
    let mut requests: Vec<reqwest::RequestBuilder> = tokens
        .iter()
        .map(|token| {
            app.client
                .post(&apply_url)
                .bearer_auth(token)
                .json(&json!({}))
        })
        .collect();
    for (i, capacity) in [25, 20, 15, 10, 5].into_iter().enumerate() {
        let patch = app
            .client
            .patch(&offering_url)
            .bearer_auth(&centre.instructor)
            .json(&json!({ "capacity": capacity }));
        requests.insert(i * 8 + 4, patch);
    }
    let answers = futures_util::future::join_all(requests.into_iter().map(|r| async move {
        let res = r.send().await.expect("request");
        let status = res.status();
        let body: serde_json::Value = res.json().await.expect("a JSON answer");
        (status, body)
    }))
    .await;

    for (status, body) in &answers {
        match status.as_u16() {
            201 => assert!(
                body["state"] == "enrolled" || body["state"] == "waitlisted",
                "{body}"
            ),
            200 => assert!(body["capacity"].is_i64(), "{body}"),
            422 => assert_eq!(
                body["errors"][0]["code"], "below_seats_taken",
                "a refused capacity says why: {body}"
            ),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let now = crate::catalog_fixtures::get_json(&app, &format!("/offerings/{offering}")).await;
    let (capacity, taken) = (
        now["capacity"].as_i64().unwrap(),
        now["seats_taken"].as_i64().unwrap(),
    );
    assert!(taken <= capacity, "{taken} seats taken of {capacity}");
    let enrolled = roster_rows(&app, &centre.instructor, offering)
        .await
        .into_iter()
        .filter(|(_, state, _)| state == "enrolled")
        .count();
    assert_eq!(enrolled as i64, taken);
}
