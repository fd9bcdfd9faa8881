//! Applying under the `open` and `approval` policies, the enrolment window, withdrawal
//! and the history every change leaves behind.

use crate::catalog_fixtures;
use crate::common;
use crate::enrolment_fixtures;

use aula_core::Clock;
use chrono::TimeDelta;
use common::{assert_problem, TestApp};
use diesel::RunQueryDsl;
use enrolment_fixtures::*;
use reqwest::StatusCode;
use serde_json::json;

#[actix_web::test]
async fn verified_person_takes_a_seat_at_once_in_an_open_offering() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let (ana, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    assert_eq!(seats_taken(&app, offering).await, 0);

    let created = apply(&app, &token, offering).await;
    assert_eq!(created["state"], "enrolled");
    assert_eq!(created["offering_id"], offering);
    assert_eq!(created["course_code"], COURSE);
    assert_eq!(created["admission_policy"], "open");
    assert_eq!(created["learner"]["id"], ana.id);
    assert_eq!(created["waitlist_position"], json!(null));
    assert_eq!(seats_taken(&app, offering).await, 1);

    let mine = page(&app, &token, &format!("/offerings/{offering}/my-enrolment")).await;
    assert_eq!(mine["id"], created["id"]);
    let list = page(&app, &token, "/me/enrolments").await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], created["id"]);
    assert_eq!(
        enrolment_subjects(&app, "ana@imss.gob.mx"),
        ["Su inscripción en Sistemas de pensiones: confirmada"]
    );

    assert_problem(
        app.post_as(
            &format!("/offerings/{offering}/enrolments"),
            &token,
            json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "already_enrolled",
    )
    .await;
    assert_eq!(seats_taken(&app, offering).await, 1, "no second seat");
    assert_eq!(page(&app, &token, "/me/enrolments").await["total"], 1);
}

#[actix_web::test]
async fn unverified_person_cannot_apply() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let (ana, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    app.mark_unverified(ana.id);

    assert_problem(
        app.post_as(
            &format!("/offerings/{offering}/enrolments"),
            &token,
            json!({}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "email_not_verified",
    )
    .await;
    assert_problem(
        app.get_as(&format!("/offerings/{offering}/my-enrolment"), &token)
            .await,
        StatusCode::NOT_FOUND,
        "enrolment_not_found",
    )
    .await;
    assert_eq!(seats_taken(&app, offering).await, 0);
    assert!(enrolment_subjects(&app, "ana@imss.gob.mx").is_empty());
}

#[actix_web::test]
async fn applications_outside_the_window_are_refused_but_staff_enrol_past_it() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut centre = Centre::open(&app).await;
    let opens_in_two_days = catalog_fixtures::offering(app.clock.now(), 2, 10);
    let created =
        catalog_fixtures::create_offering(&app, &centre.instructor, COURSE, opens_in_two_days)
            .await;
    let offering = id(&created);
    let (ana, _) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let (luis, _) = learner(&app, "luis@issste.gob.mx", "Luis Gómez", None);
    let path = format!("/offerings/{offering}/enrolments");

    assert_problem(
        app.post_as(&path, &app.mint_token(&ana), json!({})).await,
        StatusCode::CONFLICT,
        "enrolment_closed",
    )
    .await;

    app.clock.advance(TimeDelta::days(3));
    let ana_token = app.mint_token(&ana);
    assert_eq!(apply(&app, &ana_token, offering).await["state"], "enrolled");

    app.clock.advance(TimeDelta::days(8));
    centre.refresh(&app);
    assert_problem(
        app.post_as(&path, &app.mint_token(&luis), json!({})).await,
        StatusCode::CONFLICT,
        "enrolment_closed",
    )
    .await;
    // Someone who is not staff cannot enrol another person.
    assert_problem(
        app.post_as(&path, &app.mint_token(&ana), json!({ "user_id": luis.id }))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(seats_taken(&app, offering).await, 1);

    let enrolled = enrol(&app, &centre.instructor, offering, luis.id).await;
    assert_eq!(enrolled["state"], "enrolled");
    assert_eq!(enrolled["learner"]["id"], luis.id);
    assert_eq!(seats_taken(&app, offering).await, 2);
    let events = history(
        &app,
        &app.mint_token(&luis),
        enrolled["id"].as_i64().unwrap(),
    )
    .await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor"]["id"], centre.instructor_user.id);
    assert_eq!(events[0]["to"], "enrolled");
}

#[actix_web::test]
async fn a_withdrawn_person_applies_again_and_the_history_continues() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let (ana, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();

    let res = withdraw(&app, &token, id, Some("Cambio de agenda")).await;
    assert_eq!(
        ok_json(res, StatusCode::OK, "withdraw").await["state"],
        "withdrawn"
    );
    assert_eq!(seats_taken(&app, offering).await, 0);
    assert_problem(
        withdraw(&app, &token, id, None).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;

    app.clock.advance(TimeDelta::minutes(5));
    let again = apply(&app, &app.mint_token(&ana), offering).await;
    assert_eq!(again["id"], id, "the same record re-enters the flow");
    assert_eq!(again["state"], "enrolled");
    assert_eq!(seats_taken(&app, offering).await, 1);

    let token = app.mint_token(&ana);
    let events = history(&app, &token, id).await;
    assert_eq!(
        transitions(&events),
        [
            (None, "enrolled".to_owned()),
            (Some("enrolled".to_owned()), "withdrawn".to_owned()),
            (Some("withdrawn".to_owned()), "enrolled".to_owned()),
        ]
    );
    assert_eq!(events[1]["reason"], "Cambio de agenda");
    assert_eq!(events[0]["reason"], json!(null));
    for e in &events {
        assert_eq!(e["actor"]["id"], ana.id);
        assert_eq!(e["actor"]["full_name"], "Ana Pérez");
    }
    assert!(events[1]["at"].as_str() < events[2]["at"].as_str());
    let staff_view = history(&app, &centre.instructor, id).await;
    assert_eq!(staff_view, events, "staff read the same history");
}

#[actix_web::test]
async fn approval_applications_wait_for_staff_and_are_admitted() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let (_, stranger) = learner(&app, "intruso@example.org", "Intruso", None);
    let created = apply(&app, &token, offering).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["state"], "pending_approval");
    assert_eq!(seats_taken(&app, offering).await, 0);

    for path in [
        format!("/enrolments/{id}"),
        format!("/enrolments/{id}/history"),
    ] {
        let problem = assert_problem(
            app.get_as(&path, &stranger).await,
            StatusCode::NOT_FOUND,
            "enrolment_not_found",
        )
        .await;
        assert!(problem.get("learner").is_none() && problem.get("state").is_none());
        assert!(
            !problem.to_string().contains("ana@imss.gob.mx"),
            "{problem}"
        );
    }
    assert_problem(
        decide(&app, &stranger, id, "admit", None).await,
        StatusCode::NOT_FOUND,
        "enrolment_not_found",
    )
    .await;
    assert_problem(
        decide(&app, &token, id, "admit", None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(state_of(&app, &token, id).await, "pending_approval");

    let admitted = ok_json(
        decide(&app, &centre.instructor, id, "admit", None).await,
        StatusCode::OK,
        "admit",
    )
    .await;
    assert_eq!(admitted["state"], "enrolled");
    assert_eq!(seats_taken(&app, offering).await, 1);
    assert_eq!(
        enrolment_subjects(&app, "ana@imss.gob.mx"),
        [
            "Su inscripción en Sistemas de pensiones: pendiente de aprobación",
            "Su inscripción en Sistemas de pensiones: confirmada",
        ]
    );
    assert_problem(
        decide(&app, &centre.instructor, id, "admit", None).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
}

#[actix_web::test]
async fn a_rejection_needs_a_reason_that_reaches_the_history_and_the_mail() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();

    for reason in [None, Some("   ")] {
        let problem = assert_problem(
            decide(&app, &centre.instructor, id, "reject", reason).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_errors(&problem), [error("reason", "required")]);
    }
    let too_long = "x".repeat(1001);
    let problem = assert_problem(
        decide(&app, &centre.instructor, id, "reject", Some(&too_long)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_errors(&problem), [error("reason", "too_long")]);
    assert_eq!(state_of(&app, &token, id).await, "pending_approval");
    assert_eq!(history(&app, &token, id).await.len(), 1);

    let reason = "El perfil no corresponde al curso";
    let rejected = ok_json(
        decide(&app, &centre.instructor, id, "reject", Some(reason)).await,
        StatusCode::OK,
        "reject",
    )
    .await;
    assert_eq!(rejected["state"], "rejected");
    let events = history(&app, &token, id).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["from"], "pending_approval");
    assert_eq!(events[1]["to"], "rejected");
    assert_eq!(events[1]["reason"], reason);
    assert_eq!(events[1]["actor"]["id"], centre.instructor_user.id);
    let mails = app.mails_to("ana@imss.gob.mx");
    let last = mails.last().unwrap();
    assert_eq!(last.template, "enrolment_changed");
    assert!(last.subject.ends_with("no aceptada"), "{}", last.subject);
    assert!(last.body_text.contains(reason), "{}", last.body_text);
}

#[actix_web::test]
async fn a_withdrawn_application_cannot_be_admitted() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();
    ok_json(
        withdraw(&app, &token, id, None).await,
        StatusCode::OK,
        "withdraw",
    )
    .await;

    assert_problem(
        decide(&app, &centre.instructor, id, "admit", None).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_eq!(state_of(&app, &token, id).await, "withdrawn");
    assert_eq!(history(&app, &token, id).await.len(), 2);
    assert_eq!(seats_taken(&app, offering).await, 0);
}

#[actix_web::test]
async fn history_rows_cannot_be_changed_or_deleted() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();
    let before = history(&app, &token, id).await;

    let mut conn = app.db.conn();
    for statement in [
        "UPDATE enrolment_events SET reason = 'cambiado'",
        "UPDATE enrolment_events SET to_state = 'rejected'",
        "DELETE FROM enrolment_events",
    ] {
        let outcome = diesel::sql_query(statement).execute(&mut conn);
        assert!(outcome.is_err(), "{statement} was allowed");
    }
    assert_eq!(history(&app, &token, id).await, before);
}
