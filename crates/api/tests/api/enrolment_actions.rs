//! Each enrolment says what its reader may do to it now (`actions`), the rule the
//! decisions enforce; the exhaustive proof is in `crates/enrolment/tests/actions.rs`.

use crate::common;
use crate::enrolment_fixtures;

use common::{assert_problem, TestApp};
use enrolment_fixtures::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn actions(enrolment: &Value) -> Vec<&str> {
    enrolment["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a.as_str().expect("an action"))
        .collect()
}

#[actix_web::test]
async fn each_reader_is_offered_what_they_may_do_as_the_application_moves() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let offering = centre
        .offering(
            &app,
            json!({ "admission_policy": "institution_endorsed", "fee_member": 5000,
                    "payment_required": true }),
        )
        .await;
    let (_, learner) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let (_, coordinator) = coordinator(&app, "coord@imss.gob.mx", imss);
    let id = id(&apply(&app, &learner, offering).await);

    let offered = |token: &str| {
        let app = &app;
        let token = token.to_owned();
        async move { actions(&enrolment(app, &token, id).await).join(" ") }
    };
    assert_eq!(offered(&learner).await, "withdraw upload_documents");
    // Endorsing waits for the documents; declining does not.
    assert_eq!(offered(&coordinator).await, "decline");
    assert_eq!(offered(&centre.instructor).await, "withdraw record_payment");
    assert_eq!(
        offered(&centre.admin).await,
        "decline withdraw record_payment"
    );

    upload_all(&app, &learner, id).await;
    assert_eq!(offered(&coordinator).await, "endorse decline");
    let endorsed = ok_json(
        decide(&app, &coordinator, id, "endorse", None).await,
        StatusCode::OK,
        "endorse",
    )
    .await;
    // The answer to a decision lists what its author may do next.
    assert_eq!(actions(&endorsed), Vec::<&str>::new());
    // The fee is unpaid: staff may reject, remove or record the payment, not admit.
    assert_eq!(
        offered(&centre.instructor).await,
        "reject withdraw record_payment"
    );
    assert_problem(
        decide(&app, &centre.instructor, id, "admit", None).await,
        StatusCode::CONFLICT,
        "payment_outstanding",
    )
    .await;
    let paid = app
        .put_as(
            &format!("/enrolments/{id}/payment"),
            &centre.instructor,
            json!({ "status": "paid", "reference": "TRX-7" }),
        )
        .await;
    let paid = ok_json(paid, StatusCode::OK, "record the payment").await;
    assert_eq!(
        actions(&paid),
        ["admit", "reject", "withdraw", "record_payment"]
    );

    // Lists carry the same actions as the enrolment itself.
    let queue = page(&app, &centre.instructor, "/staff/approvals").await;
    assert_eq!(actions(&queue["items"][0]), actions(&paid));
    let mine = page(&app, &learner, "/me/enrolments").await;
    assert_eq!(actions(&mine["items"][0]), ["withdraw"]);
}

#[actix_web::test]
async fn a_free_enrolment_has_no_payment_to_record() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    // Members pay nothing here.
    let offering = centre.offering(&app, json!({})).await;
    let (_, learner) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let id = id(&apply(&app, &learner, offering).await);
    let seen = enrolment(&app, &centre.instructor, id).await;
    assert_eq!(seen["fee"], 0);
    assert_eq!(actions(&seen), ["complete", "fail", "withdraw"]);
    assert_problem(
        app.put_as(
            &format!("/enrolments/{id}/payment"),
            &centre.instructor,
            json!({ "status": "waived" }),
        )
        .await,
        StatusCode::CONFLICT,
        "nothing_to_pay",
    )
    .await;
    assert_eq!(enrolment(&app, &learner, id).await["payments"], json!([]));
}
