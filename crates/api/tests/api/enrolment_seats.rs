//! Seats, the first-come-first-served waitlist, promotion when a seat frees, and the
//! institution quota.

use crate::catalog_fixtures;
use crate::common;
use crate::enrolment_fixtures;

use chrono::TimeDelta;
use common::{assert_problem, TestApp};
use enrolment_fixtures::*;
use reqwest::StatusCode;
use serde_json::json;

const CONFIRMED: &str = "Su inscripción en Sistemas de pensiones: confirmada";

#[actix_web::test]
async fn applicants_past_capacity_are_waitlisted() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({ "capacity": 2 })).await;
    let mut states = Vec::new();
    for email in ["a@imss.gob.mx", "b@imss.gob.mx", "c@imss.gob.mx"] {
        let (_, token) = learner(&app, email, "Persona", None);
        let e = apply(&app, &token, offering).await;
        states.push((e["state"].clone(), e["waitlist_position"].clone()));
    }
    assert_eq!(
        states,
        [
            (json!("enrolled"), json!(null)),
            (json!("enrolled"), json!(null)),
            (json!("waitlisted"), json!(1)),
        ]
    );
    assert_eq!(seats_taken(&app, offering).await, 2);
    let detail = catalog_fixtures::get_json(&app, &format!("/offerings/{offering}")).await;
    assert_eq!(detail["seats_left"], 0);
    assert_eq!(
        enrolment_subjects(&app, "c@imss.gob.mx"),
        ["Su inscripción en Sistemas de pensiones: en lista de espera"]
    );
}

#[actix_web::test]
async fn a_withdrawal_promotes_the_first_waitlisted_person_in_the_same_request() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({ "capacity": 1 })).await;
    let (_, a) = learner(&app, "a@imss.gob.mx", "Ana", None);
    let (_, b) = learner(&app, "b@imss.gob.mx", "Beatriz", None);
    let (_, c) = learner(&app, "c@imss.gob.mx", "Carlos", None);
    let seated = apply(&app, &a, offering).await;
    let first = apply(&app, &b, offering).await;
    app.clock.advance(TimeDelta::seconds(1));
    let second = apply(&app, &c, offering).await;
    assert_eq!(first["waitlist_position"], 1);
    assert_eq!(second["waitlist_position"], 2);

    let res = withdraw(&app, &a, id(&seated), None).await;
    assert_eq!(
        ok_json(res, StatusCode::OK, "withdraw").await["state"],
        "withdrawn"
    );
    assert_eq!(
        roster_rows(&app, &centre.instructor, offering).await,
        [
            row("a@imss.gob.mx", "withdrawn", None),
            row("b@imss.gob.mx", "enrolled", None),
            row("c@imss.gob.mx", "waitlisted", Some(1)),
        ]
    );
    assert_eq!(seats_taken(&app, offering).await, 1);
    let mails = app.mails_to("b@imss.gob.mx");
    let last = mails.last().unwrap();
    assert_eq!(
        (last.template.as_str(), last.subject.as_str()),
        ("enrolment_changed", CONFIRMED)
    );
    let events = history(&app, &b, id(&first)).await;
    assert_eq!(
        transitions(&events),
        [
            (None, "waitlisted".to_owned()),
            (Some("waitlisted".to_owned()), "enrolled".to_owned()),
        ]
    );
    assert_eq!(events[1]["actor"], json!(null), "promoted by the system");
    assert_eq!(
        enrolment_subjects(&app, "c@imss.gob.mx").len(),
        1,
        "c still waits"
    );
}

#[actix_web::test]
async fn the_waitlist_is_served_in_the_order_people_joined_it() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre
        .offering(
            &app,
            json!({ "capacity": 1, "admission_policy": "approval" }),
        )
        .await;
    let (_, a) = learner(&app, "a@imss.gob.mx", "Ana", None);
    let (_, late) = learner(&app, "late@imss.gob.mx", "Applied first", None);
    let (_, early) = learner(&app, "early@imss.gob.mx", "Waitlisted first", None);
    let seated = apply(&app, &a, offering).await;
    // `late` applies before `early` but is waitlisted after them.
    let late_id = id(&apply(&app, &late, offering).await);
    let early_id = id(&apply(&app, &early, offering).await);
    let staff = &centre.instructor;
    ok_json(
        decide(&app, staff, id(&seated), "admit", None).await,
        StatusCode::OK,
        "admit",
    )
    .await;
    app.clock.advance(TimeDelta::minutes(1));
    let admitted = ok_json(
        decide(&app, staff, early_id, "admit", None).await,
        StatusCode::OK,
        "admit",
    )
    .await;
    assert_eq!(
        (
            admitted["state"].as_str(),
            admitted["waitlist_position"].as_i64()
        ),
        (Some("waitlisted"), Some(1))
    );
    app.clock.advance(TimeDelta::minutes(1));
    let admitted = ok_json(
        decide(&app, staff, late_id, "admit", None).await,
        StatusCode::OK,
        "admit",
    )
    .await;
    assert_eq!(admitted["waitlist_position"], 2);

    ok_json(
        withdraw(&app, &a, id(&seated), None).await,
        StatusCode::OK,
        "withdraw",
    )
    .await;
    assert_eq!(state_of(&app, &early, early_id).await, "enrolled");
    let late_view = enrolment(&app, &late, late_id).await;
    assert_eq!(
        (
            late_view["state"].as_str(),
            late_view["waitlist_position"].as_i64()
        ),
        (Some("waitlisted"), Some(1))
    );
}

#[actix_web::test]
async fn removing_an_enrolled_person_promotes_the_next() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({ "capacity": 1 })).await;
    let (_, a) = learner(&app, "a@imss.gob.mx", "Ana", None);
    let (_, b) = learner(&app, "b@imss.gob.mx", "Beatriz", None);
    let (_, c) = learner(&app, "c@imss.gob.mx", "Carlos", None);
    let a_id = id(&apply(&app, &a, offering).await);
    let b_id = id(&apply(&app, &b, offering).await);
    let c_id = id(&apply(&app, &c, offering).await);
    let staff = &centre.instructor;

    // Rejection answers an application: someone enrolled is withdrawn instead.
    assert_problem(
        decide(&app, staff, a_id, "reject", Some("No cumple requisitos")).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    let removed = withdraw(&app, staff, a_id, Some("No cumple requisitos")).await;
    assert_eq!(
        ok_json(removed, StatusCode::OK, "remove").await["state"],
        "withdrawn"
    );
    assert_eq!(
        roster_rows(&app, staff, offering).await,
        [
            row("a@imss.gob.mx", "withdrawn", None),
            row("b@imss.gob.mx", "enrolled", None),
            row("c@imss.gob.mx", "waitlisted", Some(1)),
        ]
    );
    assert_eq!(
        enrolment_subjects(&app, "b@imss.gob.mx").last().unwrap(),
        CONFIRMED
    );

    let removed = withdraw(&app, staff, b_id, Some("Baja administrativa")).await;
    assert_eq!(
        ok_json(removed, StatusCode::OK, "remove").await["state"],
        "withdrawn"
    );
    assert_eq!(state_of(&app, &c, c_id).await, "enrolled");
    assert_eq!(
        enrolment_subjects(&app, "c@imss.gob.mx").last().unwrap(),
        CONFIRMED
    );
    assert_eq!(seats_taken(&app, offering).await, 1);
    let events = history(&app, &b, b_id).await;
    let last = events.last().unwrap();
    assert_eq!(
        (last["to"].as_str(), last["actor"]["id"].as_i64()),
        (Some("withdrawn"), Some(centre.instructor_user.id))
    );

    // Completing keeps the seat: nobody is waiting to take it, and it stays counted.
    let done = ok_json(
        decide(&app, staff, c_id, "complete", None).await,
        StatusCode::OK,
        "complete",
    )
    .await;
    assert_eq!(done["state"], "completed");
    assert_eq!(seats_taken(&app, offering).await, 1);
}

#[actix_web::test]
async fn the_institution_quota_waitlists_the_next_person_of_a_full_institution() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let bps = centre.institution(&app, "BPS", "asociado").await;
    let offering = centre
        .offering(&app, json!({ "capacity": 5, "institution_quota": 1 }))
        .await;
    let (_, first) = learner(&app, "a@imss.gob.mx", "Ana", Some(imss));
    let (_, second) = learner(&app, "b@imss.gob.mx", "Beatriz", Some(imss));
    let (_, other) = learner(&app, "c@bps.gub.uy", "Carlos", Some(bps));
    assert_eq!(apply(&app, &first, offering).await["state"], "enrolled");
    let held_back = apply(&app, &second, offering).await;
    assert_eq!(
        (
            held_back["state"].as_str(),
            held_back["waitlist_position"].as_i64()
        ),
        (Some("waitlisted"), Some(1))
    );
    assert_eq!(
        seats_taken(&app, offering).await,
        1,
        "the quota handed the seat back"
    );
    assert_eq!(apply(&app, &other, offering).await["state"], "enrolled");
    assert_eq!(seats_taken(&app, offering).await, 2);
}

#[actix_web::test]
async fn promotion_skips_people_whose_institution_is_at_its_quota() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let bps = centre.institution(&app, "BPS", "asociado").await;
    let ccss = centre.institution(&app, "CCSS", "titular").await;
    let offering = centre
        .offering(&app, json!({ "capacity": 2, "institution_quota": 1 }))
        .await;
    let (_, imss_1) = learner(&app, "a@imss.gob.mx", "Ana", Some(imss));
    let (_, bps_1) = learner(&app, "b@bps.gub.uy", "Beatriz", Some(bps));
    let (_, imss_2) = learner(&app, "c@imss.gob.mx", "Carlos", Some(imss));
    let (_, ccss_1) = learner(&app, "d@ccss.sa.cr", "Dora", Some(ccss));
    apply(&app, &imss_1, offering).await;
    let leaving = id(&apply(&app, &bps_1, offering).await);
    assert_eq!(apply(&app, &imss_2, offering).await["waitlist_position"], 1);
    assert_eq!(apply(&app, &ccss_1, offering).await["waitlist_position"], 2);

    ok_json(
        withdraw(&app, &bps_1, leaving, None).await,
        StatusCode::OK,
        "withdraw",
    )
    .await;
    assert_eq!(
        roster_rows(&app, &centre.instructor, offering).await,
        [
            row("a@imss.gob.mx", "enrolled", None),
            row("b@bps.gub.uy", "withdrawn", None),
            row("c@imss.gob.mx", "waitlisted", Some(1)),
            row("d@ccss.sa.cr", "enrolled", None),
        ]
    );
    assert_eq!(seats_taken(&app, offering).await, 2);
}

#[actix_web::test]
async fn raising_the_capacity_fills_the_new_seats_from_the_waitlist_in_order() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({ "capacity": 1 })).await;
    let (_, a) = learner(&app, "a@imss.gob.mx", "Ana", None);
    let (_, b) = learner(&app, "b@imss.gob.mx", "Beatriz", None);
    let (_, c) = learner(&app, "c@imss.gob.mx", "Carlos", None);
    apply(&app, &a, offering).await;
    let second = apply(&app, &b, offering).await;
    let third = apply(&app, &c, offering).await;
    assert_eq!(third["waitlist_position"], 2);

    let res = app
        .patch_as(
            &format!("/offerings/{offering}"),
            &centre.instructor,
            json!({ "capacity": 2 }),
        )
        .await;
    let updated = ok_json(res, StatusCode::OK, "raise the capacity").await;
    assert_eq!(
        updated["seats_taken"], 2,
        "the answer already counts the promotion"
    );
    assert_eq!(state_of(&app, &b, id(&second)).await, "enrolled");
    let still = enrolment(&app, &c, id(&third)).await;
    assert_eq!(still["state"], "waitlisted");
    assert_eq!(still["waitlist_position"], 1);
    assert_eq!(
        enrolment_subjects(&app, "b@imss.gob.mx")
            .last()
            .map(String::as_str),
        Some(CONFIRMED)
    );
}
