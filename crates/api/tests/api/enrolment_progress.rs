//! Lesson completion and progress, attendance and its rate, and what a learner's list
//! of enrolments shows of them.

use crate::common;
use crate::enrolment_fixtures;

use aula_core::Clock;
use chrono::TimeDelta;
use common::{assert_problem, TestApp};
use enrolment_fixtures::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Lessons of a new module of `PEN-201`, one per `required` flag.
async fn lessons(app: &TestApp, centre: &Centre, required: &[bool]) -> Vec<i64> {
    let module = ok_json(
        app.post_as(
            &format!("/courses/{COURSE}/modules"),
            &centre.instructor,
            json!({ "title": "Unidad" }),
        )
        .await,
        StatusCode::CREATED,
        "module",
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let mut ids = Vec::new();
    for (i, required) in required.iter().enumerate() {
        let body = json!({ "title": format!("Lección {i}"), "kind": "text",
                           "body_md": "Texto", "required": required });
        let res = app
            .post_as(
                &format!("/modules/{module}/lessons"),
                &centre.instructor,
                body,
            )
            .await;
        ids.push(
            ok_json(res, StatusCode::CREATED, "lesson").await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    ids
}

async fn complete(app: &TestApp, token: &str, lesson: i64) -> Value {
    let res = app
        .post_as(&format!("/lessons/{lesson}/completion"), token, json!({}))
        .await;
    ok_json(res, StatusCode::OK, "complete a lesson").await
}

/// A session `days` from now; returns its id.
async fn session(app: &TestApp, centre: &Centre, offering: i64, days: i64) -> i64 {
    let start = (app.clock.now() + TimeDelta::days(days)).and_utc();
    let res = app
        .post_as(
            &format!("/offerings/{offering}/sessions"),
            &centre.instructor,
            json!({ "title": format!("Sesión {days}"), "starts_at": start.to_rfc3339(),
                    "ends_at": (start + TimeDelta::hours(2)).to_rfc3339() }),
        )
        .await;
    ok_json(res, StatusCode::CREATED, "session").await["id"]
        .as_i64()
        .unwrap()
}

async fn record(
    app: &TestApp,
    token: &str,
    session: i64,
    records: &[(i64, &str)],
) -> reqwest::Response {
    let records: Vec<Value> = records
        .iter()
        .map(|(id, status)| json!({ "enrolment_id": id, "status": status }))
        .collect();
    app.put_as(
        &format!("/sessions/{session}/attendance"),
        token,
        json!({ "records": records }),
    )
    .await
}

/// `(enrolment_id, status)` of each line of an attendance sheet.
fn statuses(sheet: &Value) -> Vec<(i64, Value)> {
    sheet["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["enrolment_id"].as_i64().unwrap(), l["status"].clone()))
        .collect()
}

#[actix_web::test]
async fn completing_a_lesson_is_idempotent_and_progress_counts_required_lessons() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let ids = lessons(&app, &centre, &[true, true, false]).await;
    let (first, second, optional) = (ids[0], ids[1], ids[2]);
    let offering = centre.offering(&app, json!({})).await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();
    assert_eq!(
        enrolment(&app, &token, id).await["last_activity_at"],
        json!(null)
    );

    let after = complete(&app, &token, optional).await;
    assert_eq!(
        (after["id"].as_i64(), after["progress"].as_i64()),
        (Some(id), Some(0))
    );
    assert_eq!(after["completed_lessons"], json!([optional]));
    assert!(after["last_activity_at"].is_string());

    let once = complete(&app, &token, first).await;
    app.clock.advance(TimeDelta::minutes(3));
    let twice = complete(&app, &token, first).await;
    for view in [&once, &twice] {
        assert_eq!(view["progress"], 50);
        assert_eq!(view["completed_lessons"], json!([first, optional]));
    }
    assert!(twice["last_activity_at"].as_str() > once["last_activity_at"].as_str());
    let done = complete(&app, &token, second).await;
    assert_eq!(done["progress"], 100);
    assert_eq!(done["completed_lessons"].as_array().unwrap().len(), 3);
}

#[actix_web::test]
async fn progress_counts_every_lesson_when_none_is_required() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let ids = lessons(&app, &centre, &[false, false, false]).await;
    let offering = centre.offering(&app, json!({})).await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    apply(&app, &token, offering).await;
    assert_eq!(complete(&app, &token, ids[1]).await["progress"], 33);
}

#[actix_web::test]
async fn only_learners_with_a_seat_complete_lessons() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let lesson = lessons(&app, &centre, &[true]).await[0];
    let pending = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let (_, applicant) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let (_, stranger) = learner(&app, "luis@issste.gob.mx", "Luis Gómez", None);
    let id = apply(&app, &applicant, pending).await["id"]
        .as_i64()
        .unwrap();

    for token in [&applicant, &stranger] {
        assert_problem(
            app.post_as(&format!("/lessons/{lesson}/completion"), token, json!({}))
                .await,
            StatusCode::FORBIDDEN,
            "not_enrolled",
        )
        .await;
    }
    assert_problem(
        app.post_as("/lessons/999999/completion", &applicant, json!({}))
            .await,
        StatusCode::NOT_FOUND,
        "lesson_not_found",
    )
    .await;
    let view = enrolment(&app, &applicant, id).await;
    assert_eq!(
        (
            view["completed_lessons"].clone(),
            view["last_activity_at"].clone()
        ),
        (json!([]), json!(null))
    );
}

#[actix_web::test]
async fn attendance_is_recorded_per_sheet_and_its_rate_leaves_excused_sessions_out() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({ "capacity": 2 })).await;
    let (_, ana) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let (_, beto) = learner(&app, "beto@imss.gob.mx", "Beto Ruiz", None);
    let (_, wait) = learner(&app, "wait@imss.gob.mx", "Walter Espera", None);
    let a = apply(&app, &ana, offering).await["id"].as_i64().unwrap();
    let b = apply(&app, &beto, offering).await["id"].as_i64().unwrap();
    let w = apply(&app, &wait, offering).await["id"].as_i64().unwrap();
    let mut past = Vec::new();
    for days in [-4, -3, -2, -1] {
        past.push(session(&app, &centre, offering, days).await);
    }
    let later = session(&app, &centre, offering, 5).await;
    let next = session(&app, &centre, offering, 2).await;
    let staff = &centre.instructor;

    let empty = ok_json(
        app.get_as(&format!("/sessions/{}/attendance", past[0]), staff)
            .await,
        StatusCode::OK,
        "sheet",
    )
    .await;
    assert_eq!(
        statuses(&empty),
        [(a, json!(null)), (b, json!(null))],
        "the seat-holders, by name"
    );
    for (session, sheet) in [
        (past[0], vec![(a, "present"), (b, "absent")]),
        (past[1], vec![(a, "absent"), (b, "present")]),
        (past[2], vec![(a, "excused")]),
        (past[3], vec![(a, "present")]),
    ] {
        ok_json(
            record(&app, staff, session, &sheet).await,
            StatusCode::OK,
            "record",
        )
        .await;
    }
    assert_eq!(
        enrolment(&app, &ana, a).await["attendance_rate"],
        67,
        "2 of 3"
    );
    assert_eq!(enrolment(&app, &beto, b).await["attendance_rate"], 50);

    let mine = page(&app, &ana, "/me/enrolments").await;
    let item = &mine["items"][0];
    assert_eq!(
        (
            item["id"].as_i64(),
            item["attendance_rate"].as_i64(),
            item["progress"].as_i64()
        ),
        (Some(a), Some(67), Some(0))
    );
    assert_eq!(item["next_session"]["id"], next);
    assert_ne!(item["next_session"]["id"], later);

    // Recording a session again changes the status instead of adding one.
    let sheet = ok_json(
        record(&app, staff, past[1], &[(a, "present"), (b, "present")]).await,
        StatusCode::OK,
        "again",
    )
    .await;
    assert_eq!(
        statuses(&sheet),
        [(a, json!("present")), (b, json!("present"))]
    );
    let lines = sheet["lines"].as_array().unwrap();
    assert_eq!(
        (
            lines[0]["attendance_rate"].as_i64(),
            lines[1]["attendance_rate"].as_i64()
        ),
        (Some(100), Some(50))
    );
    assert_eq!(
        enrolment(&app, &ana, a).await["attendance_rate"],
        100,
        "3 of 3"
    );

    // Someone without a seat is not on the sheet; nothing of the request is kept.
    let problem = assert_problem(
        record(&app, staff, past[2], &[(b, "present"), (w, "present")]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&problem),
        [error("records[1].enrolment_id", "not_on_roster")]
    );
    let sheet = ok_json(
        app.get_as(&format!("/sessions/{}/attendance", past[2]), staff)
            .await,
        StatusCode::OK,
        "sheet",
    )
    .await;
    assert_eq!(statuses(&sheet), [(a, json!("excused")), (b, json!(null))]);
    assert_eq!(
        enrolment(&app, &wait, w).await["attendance_rate"],
        json!(null)
    );

    for token in [&ana, &wait] {
        assert_problem(
            record(&app, token, past[0], &[(a, "absent")]).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert_problem(
            app.get_as(&format!("/sessions/{}/attendance", past[0]), token)
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_eq!(enrolment(&app, &ana, a).await["attendance_rate"], 100);
}
