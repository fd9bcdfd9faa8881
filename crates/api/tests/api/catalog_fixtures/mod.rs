//! Courses, offerings and people for the catalog tests.
#![allow(dead_code)]

use aula_identity::Role;
use chrono::{Duration, NaiveDateTime};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use crate::common::TestApp;

/// Tokens of an administrator and an instructor.
pub struct Staff {
    pub admin: String,
    pub instructor: String,
    pub instructor_id: i64,
}

pub async fn staff(app: &TestApp) -> Staff {
    let (_, admin) = app
        .token_for("admin@demo.test", "Admin", &[Role::Admin])
        .await;
    let (teacher, instructor) = app
        .token_for(
            "instructor@demo.test",
            "Lucía Fernández",
            &[Role::Instructor],
        )
        .await;
    Staff {
        admin,
        instructor,
        instructor_id: teacher.id,
    }
}

/// A complete course body in Spanish.
pub fn course(code: &str, title: &str) -> Value {
    json!({
        "code": code,
        "topic": "pensions",
        "programme_type": "course",
        "modality": "online",
        "level": "intermediate",
        "hours": 40,
        "primary_language": "es",
        "languages": ["es"],
        "translation": {
            "title": title,
            "summary": format!("Resumen de {title}"),
            "description_md": "Descripción **en Markdown**.",
            "learning_outcomes": ["Comprender el diseño", "Evaluar reformas"]
        }
    })
}

pub async fn create_course(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.post_as("/courses", token, body).await;
    assert_eq!(res.status(), StatusCode::CREATED, "create course");
    res.json().await.unwrap()
}

/// Publishes `code` through the API when it is ready (see `catalog_publication`);
/// otherwise puts it in the catalog directly, so that tests about other things need
/// not build an edition and every text first.
pub async fn publish(app: &TestApp, admin: &str, code: &str) {
    let res = app
        .post_as(&format!("/courses/{code}/publish"), admin, json!({}))
        .await;
    match res.status() {
        StatusCode::OK => {}
        StatusCode::CONFLICT => app.mark_published(code),
        other => panic!("publish {code}: {other}"),
    }
}

/// Creates and publishes a course; returns its id.
pub async fn published(app: &TestApp, staff: &Staff, body: Value) -> i64 {
    let code = body["code"].as_str().unwrap().to_owned();
    let created = create_course(app, &staff.instructor, body).await;
    publish(app, &staff.admin, &code).await;
    created["id"].as_i64().unwrap()
}

pub async fn put_as(app: &TestApp, path: &str, token: &str, body: Value) -> Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub async fn get(app: &TestApp, path: &str) -> Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

pub async fn get_json(app: &TestApp, path: &str) -> Value {
    let res = get(app, path).await;
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

fn rfc3339(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339()
}

/// An offering whose enrolment window is open around `now`, starting in `starts_in_days`.
pub fn offering(now: NaiveDateTime, opens_in_days: i64, starts_in_days: i64) -> Value {
    let start = (now + Duration::days(starts_in_days)).date();
    json!({
        "start_date": start.to_string(),
        "end_date": (start + Duration::days(30)).to_string(),
        "enrolment_opens_at": rfc3339(now + Duration::days(opens_in_days)),
        "enrolment_closes_at": rfc3339(now + Duration::days(starts_in_days)),
        "time_zone": "America/Mexico_City",
        "capacity": 30,
        "admission_policy": "open",
        "fee_member": 0,
        "fee_non_member": 15000,
        "currency": "USD",
        "online_link": "https://aula.ciess.org/sala/1"
    })
}

pub async fn create_offering(app: &TestApp, token: &str, code: &str, body: Value) -> Value {
    let res = app
        .post_as(&format!("/courses/{code}/offerings"), token, body)
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "create offering: {body}");
    body
}

pub fn codes(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect()
}
