//! Many requests at once for the same seats: the seat counter and the waitlist stay
//! exact on both backends.

use crate::common;
use crate::enrolment_fixtures;

use common::TestApp;
use enrolment_fixtures::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[actix_web::test]
async fn forty_simultaneous_applications_fill_ten_seats_exactly() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({ "capacity": 10 })).await;
    let tokens: Vec<String> = (0..40)
        .map(|i| learner(&app, &format!("p{i:02}@imss.gob.mx"), "Persona", None).1)
        .collect();
    let url = app.url(&format!("/offerings/{offering}/enrolments"));
    let requests = tokens.iter().map(|token| {
        let request = app.client.post(&url).bearer_auth(token).json(&json!({}));
        async move {
            let res = request.send().await.expect("request");
            ok_json(res, StatusCode::CREATED, "apply").await
        }
    });
    let answers = futures_util::future::join_all(requests).await;

    let count = |state: &str| answers.iter().filter(|e| e["state"] == state).count();
    assert_eq!((count("enrolled"), count("waitlisted")), (10, 30));
    assert_eq!(seats_taken(&app, offering).await, 10);
    let mut positions: Vec<i64> = roster_rows(&app, &centre.instructor, offering)
        .await
        .into_iter()
        .filter_map(|(_, _, position)| position)
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=30).collect::<Vec<_>>());
}

/// Sends the requests at once; the status and problem code (or state) of each answer,
/// sorted.
async fn outcomes(requests: Vec<reqwest::RequestBuilder>) -> Vec<(u16, String)> {
    let mut answers = futures_util::future::join_all(requests.into_iter().map(|r| async move {
        let res = r.send().await.expect("request");
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap();
        let what = body.get("code").or(body.get("state")).cloned();
        (
            status,
            what.and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        )
    }))
    .await;
    answers.sort();
    answers
}

#[actix_web::test]
async fn simultaneous_requests_for_one_place_take_one_seat() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let open = centre.offering(&app, json!({ "capacity": 10 })).await;
    let approval = centre
        .offering(
            &app,
            json!({ "capacity": 10, "admission_policy": "approval" }),
        )
        .await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana", None);

    let url = app.url(&format!("/offerings/{open}/enrolments"));
    let applications = (0..5)
        .map(|_| app.client.post(&url).bearer_auth(&token).json(&json!({})))
        .collect();
    let mut expected = vec![(201, "enrolled".to_owned())];
    expected.extend(vec![(409, "already_enrolled".to_owned()); 4]);
    assert_eq!(outcomes(applications).await, expected);
    assert_eq!(seats_taken(&app, open).await, 1);

    let pending = id(&apply(&app, &token, approval).await);
    let url = app.url(&format!("/enrolments/{pending}/admit"));
    let admissions = (0..4)
        .map(|_| {
            app.client
                .post(&url)
                .bearer_auth(&centre.instructor)
                .json(&json!({}))
        })
        .collect();
    let mut expected = vec![(200, "enrolled".to_owned())];
    expected.extend(vec![(409, "invalid_transition".to_owned()); 3]);
    assert_eq!(outcomes(admissions).await, expected);
    assert_eq!(seats_taken(&app, approval).await, 1);
    assert_eq!(history(&app, &token, pending).await.len(), 2);
}
