//! Fees by membership, and payment before a seat when the offering requires it.

use crate::common;
use crate::enrolment_fixtures;

use common::{assert_problem, TestApp};
use enrolment_fixtures::*;
use reqwest::StatusCode;
use serde_json::json;

#[actix_web::test]
async fn the_fee_follows_the_membership_of_the_applicants_institution() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let member = centre.institution(&app, "IMSS", "titular").await;
    let associate = centre.institution(&app, "BPS", "asociado").await;
    let outsider = centre.institution(&app, "ACME", "non_member").await;
    let offering = centre
        .offering(
            &app,
            json!({ "fee_member": 5000, "fee_non_member": 15000, "currency": "USD" }),
        )
        .await;
    let cases = [
        ("ana@imss.gob.mx", Some(member), 5000),
        ("bea@bps.gub.uy", Some(associate), 5000),
        ("carlos@acme.com", Some(outsider), 15000),
        ("dora@gmail.com", None, 15000),
    ];
    for (email, institution, fee) in cases {
        let (_, token) = learner(&app, email, "Persona", institution);
        let created = apply(&app, &token, offering).await;
        assert_eq!(created["fee"], fee, "{email}");
        assert_eq!(created["currency"], "USD");
        assert_eq!(created["payment_status"], "unpaid");
        assert_eq!(created["state"], "enrolled", "no payment required");
    }

    // The amount is fixed on the enrolment when it is created.
    let res = app
        .patch_as(
            &format!("/offerings/{offering}"),
            &centre.instructor,
            json!({ "fee_non_member": 99900 }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let roster = page(
        &app,
        &centre.instructor,
        &format!("/offerings/{offering}/roster"),
    )
    .await;
    let fees: Vec<i64> = roster["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fee"].as_i64().unwrap())
        .collect();
    assert_eq!(fees, [5000, 5000, 15000, 15000]);
}

#[actix_web::test]
async fn staff_cannot_admit_until_the_fee_is_settled() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre
        .offering(
            &app,
            json!({ "admission_policy": "approval", "payment_required": true,
                    "fee_non_member": 15000 }),
        )
        .await;
    let (_, token) = learner(&app, "dora@gmail.com", "Dora Ruiz", None);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();

    assert_problem(
        decide(&app, &centre.instructor, id, "admit", None).await,
        StatusCode::CONFLICT,
        "payment_outstanding",
    )
    .await;
    assert_eq!(state_of(&app, &token, id).await, "pending_approval");
    assert_eq!(seats_taken(&app, offering).await, 0);

    let path = format!("/enrolments/{id}/payment");
    let paid = json!({ "status": "paid", "reference": "TRX-001" });
    assert_problem(
        app.put_as(&path, &token, paid.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        enrolment(&app, &token, id).await["payment_status"],
        "unpaid"
    );

    let recorded = ok_json(
        app.put_as(&path, &centre.instructor, paid).await,
        StatusCode::OK,
        "record the payment",
    )
    .await;
    assert_eq!(recorded["payment_status"], "paid");
    assert_eq!(recorded["payment_reference"], "TRX-001");
    let admitted = ok_json(
        decide(&app, &centre.instructor, id, "admit", None).await,
        StatusCode::OK,
        "admit",
    )
    .await;
    assert_eq!(admitted["state"], "enrolled");
    assert_eq!(seats_taken(&app, offering).await, 1);
}

#[actix_web::test]
async fn an_open_application_with_a_fee_due_waits_for_approval() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let member = centre.institution(&app, "IMSS", "titular").await;
    let offering = centre
        .offering(
            &app,
            json!({ "admission_policy": "open", "payment_required": true,
                    "fee_member": 0, "fee_non_member": 15000 }),
        )
        .await;
    let (_, payer) = learner(&app, "dora@gmail.com", "Dora Ruiz", None);
    let due = apply(&app, &payer, offering).await;
    assert_eq!(due["state"], "pending_approval");
    assert_eq!(due["fee"], 15000);
    // Members pay nothing here: nothing is due, so they take a seat at once.
    let (_, free) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(member));
    let seated = apply(&app, &free, offering).await;
    assert_eq!(
        (seated["state"].as_str(), seated["fee"].as_i64()),
        (Some("enrolled"), Some(0))
    );
    assert_eq!(seats_taken(&app, offering).await, 1);

    let id = due["id"].as_i64().unwrap();
    let waived = ok_json(
        app.put_as(
            &format!("/enrolments/{id}/payment"),
            &centre.instructor,
            json!({ "status": "scholarship", "reference": "BECA-7" }),
        )
        .await,
        StatusCode::OK,
        "scholarship",
    )
    .await;
    assert_eq!(waived["payment_status"], "scholarship");
    let admitted = ok_json(
        decide(&app, &centre.instructor, id, "admit", None).await,
        StatusCode::OK,
        "admit",
    )
    .await;
    assert_eq!(admitted["state"], "enrolled");
    assert_eq!(seats_taken(&app, offering).await, 2);
}

#[actix_web::test]
async fn every_payment_record_is_kept_with_who_and_when() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre
        .offering(&app, json!({ "fee_non_member": 15000, "currency": "USD" }))
        .await;
    let (_, token) = learner(&app, "ana@example.org", "Ana", None);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();
    let path = format!("/enrolments/{id}/payment");
    for body in [
        json!({ "status": "paid", "reference": "TRX-001" }),
        json!({ "status": "scholarship", "reference": "BECA-7" }),
    ] {
        ok_json(
            app.put_as(&path, &centre.instructor, body).await,
            StatusCode::OK,
            "record a payment",
        )
        .await;
    }
    let seen = enrolment(&app, &token, id).await;
    assert_eq!(
        seen["payment_status"], "scholarship",
        "the latest is current"
    );
    let kept: Vec<(String, String, String)> = seen["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["status"].as_str().unwrap().to_owned(),
                p["reference"].as_str().unwrap().to_owned(),
                p["recorded_by"]["full_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        kept,
        [
            ("paid".into(), "TRX-001".into(), "Lucía Fernández".into()),
            (
                "scholarship".into(),
                "BECA-7".into(),
                "Lucía Fernández".into()
            ),
        ]
    );
}
