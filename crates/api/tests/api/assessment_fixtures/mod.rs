//! An offering with learners holding seats, and helpers to set coursework, hand it in
//! and grade it, for the assessment tests.
#![allow(dead_code)]

use aula_core::Clock;
use aula_identity::User;
use chrono::{Duration, NaiveDateTime, SecondsFormat};
use reqwest::{multipart, Response, StatusCode};
use serde_json::{json, Value};

use crate::{
    common::TestApp,
    enrolment_fixtures::{enrol, learner, ok_json, Centre},
};

pub use crate::enrolment_fixtures::PDF;

/// A PNG header: a file of another kind than PDF.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

/// A learner holding a seat.
pub struct Seat {
    pub user: User,
    pub token: String,
    pub enrolment_id: i64,
}

/// Staff, one running offering of `PEN-201` and two learners in it.
pub struct Class {
    pub centre: Centre,
    pub offering: i64,
    pub ana: Seat,
    pub ben: Seat,
}

impl Class {
    pub async fn open(app: &TestApp) -> Self {
        let centre = Centre::open(app).await;
        let offering = centre.offering(app, json!({})).await;
        let ana = seat(app, &centre, offering, "ana@imss.gob.mx", "Ana Pérez").await;
        let ben = seat(app, &centre, offering, "ben@bps.gub.uy", "Benjamín Núñez").await;
        Self {
            centre,
            offering,
            ana,
            ben,
        }
    }

    /// An assignment of the offering, `changes` over the defaults (due in 7 days, 100
    /// points, weight 50, PDF files or text, late work accepted).
    pub async fn assignment(&self, app: &TestApp, changes: Value) -> Value {
        let mut body = json!({
            "title": "Ensayo sobre reformas",
            "instructions": "Escriba **dos** páginas.",
            "due_at": at(app.clock.now() + Duration::days(7)),
            "max_score": 100,
            "weight": 50,
        });
        for (k, v) in changes.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app
            .post_as(
                &format!("/offerings/{}/assignments", self.offering),
                &self.centre.instructor,
                body,
            )
            .await;
        ok_json(res, StatusCode::CREATED, "create an assignment").await
    }
}

pub async fn seat(app: &TestApp, centre: &Centre, offering: i64, email: &str, name: &str) -> Seat {
    let (user, token) = learner(app, email, name, None);
    let enrolment = enrol(app, &centre.admin, offering, user.id).await;
    assert_eq!(enrolment["state"], "enrolled", "{enrolment}");
    Seat {
        user,
        token,
        enrolment_id: enrolment["id"].as_i64().unwrap(),
    }
}

pub fn at(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn id(v: &Value) -> i64 {
    v["id"].as_i64().expect("an id")
}

/// Hands in `body` text and `files` (name, bytes) as a multipart form.
pub async fn submit(
    app: &TestApp,
    token: &str,
    assignment: i64,
    body: Option<&str>,
    files: &[(&str, &[u8])],
) -> Response {
    let mut form = multipart::Form::new();
    if let Some(b) = body {
        form = form.text("body", b.to_owned());
    }
    for (name, bytes) in files {
        form = form.part(
            "file",
            multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    }
    app.client
        .post(app.url(&format!("/assignments/{assignment}/submissions")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("request")
}

/// Hands in and asserts the receipt.
pub async fn hand_in(app: &TestApp, token: &str, assignment: i64, body: &str) -> Value {
    ok_json(
        submit(app, token, assignment, Some(body), &[]).await,
        StatusCode::CREATED,
        "hand in",
    )
    .await
}

pub async fn grade(
    app: &TestApp,
    token: &str,
    assignment: i64,
    enrolment: i64,
    body: Value,
) -> Response {
    app.put_as(
        &format!("/assignments/{assignment}/grades/{enrolment}"),
        token,
        body,
    )
    .await
}

pub async fn release(app: &TestApp, token: &str, assignment: i64) -> Value {
    ok_json(
        app.post_as(
            &format!("/assignments/{assignment}/release"),
            token,
            json!({}),
        )
        .await,
        StatusCode::OK,
        "release grades",
    )
    .await
}

/// The problem's `code`, asserting the status.
pub async fn problem(res: Response, status: StatusCode) -> Value {
    let got = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// The gradebook row of one enrolment.
pub async fn book_row(app: &TestApp, token: &str, offering: i64, enrolment: i64) -> Value {
    let book = ok_json(
        app.get_as(
            &format!("/offerings/{offering}/gradebook?per_page=100"),
            token,
        )
        .await,
        StatusCode::OK,
        "read the gradebook",
    )
    .await;
    book["rows"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["enrolment_id"] == enrolment)
        .cloned()
        .expect("the learner's row")
}
