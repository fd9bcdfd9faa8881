//! Certification records over HTTP: automatic issue, the coordinator's register, the
//! staff's CSV and ZIP, signatories and their signatures, and the verification throttle.

use std::io::{Cursor, Read};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    assessment_fixtures::{problem, seat, Class},
    certification::run_jobs,
    common::TestApp,
    enrolment_fixtures::{coordinator, enrol, learner, ok_json, Centre},
};

const SIGNATURE: &[u8] = include_bytes!("../../../aula/assets/signature-demo.png");

async fn list(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    ok_json(app.get_as(path, token).await, StatusCode::OK, path).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

#[actix_web::test]
async fn automatic_issue_certifies_everyone_eligible_in_the_background() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let staff = &class.centre.instructor;
    let path = format!("/offerings/{}/certification/settings", class.offering);
    let saved = app
        .put_as(
            &path,
            staff,
            json!({ "auto_issue": true, "validity_months": null }),
        )
        .await;
    assert_eq!(
        ok_json(saved, StatusCode::OK, "settings").await["auto_issue"],
        true
    );
    let bad = app
        .put_as(
            &path,
            staff,
            json!({ "auto_issue": true, "validity_months": 0 }),
        )
        .await;
    assert_eq!(
        problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"],
        "validity_months"
    );
    let learner_refused = app
        .put_as(
            &path,
            &class.ana.token,
            json!({ "auto_issue": false, "validity_months": null }),
        )
        .await;
    assert_eq!(learner_refused.status(), StatusCode::FORBIDDEN);

    let certificates = format!("/offerings/{}/certificates", class.offering);
    assert!(
        list(&app, staff, &certificates).await.is_empty(),
        "nothing before the sweep runs"
    );
    run_jobs(&app);
    // No sessions, no required lessons, no coursework: everyone has participation,
    // nobody has a final grade for approval.
    let issued = list(&app, staff, &certificates).await;
    assert_eq!(issued.len(), 2, "{issued:?}");
    assert!(issued
        .iter()
        .all(|c| c["kind"] == "participation" && c["ready"] == true && c["issued_by"].is_null()));
    // Later sweeps find nothing new to issue.
    app.clock.advance(chrono::TimeDelta::minutes(16));
    run_jobs(&app);
    let staff = app.mint_token(&class.centre.instructor_user);
    assert_eq!(list(&app, &staff, &certificates).await.len(), 2);
}

#[actix_web::test]
async fn coordinators_read_and_export_their_institutions_certificates_only() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let bps = centre.institution(&app, "BPS", "titular").await;
    let (ana, ana_token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    enrol(&app, &centre.admin, offering, ana.id).await;
    seat(
        &app,
        &centre,
        offering,
        "otro@bps.gub.uy",
        "Otro Sin Institución",
    )
    .await;
    let (_, imss_coordinator) = coordinator(&app, "coord@imss.gob.mx", imss);
    let (_, bps_coordinator) = coordinator(&app, "coord@bps.gub.uy", bps);
    let made = app
        .post_as(
            &format!("/offerings/{offering}/certificates"),
            &centre.instructor,
            json!({ "kind": "participation" }),
        )
        .await;
    assert_eq!(
        ok_json(made, StatusCode::OK, "issue").await["issued"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    run_jobs(&app);

    let theirs = list(&app, &imss_coordinator, "/coordinator/certificates").await;
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["learner_name"], "Ana Pérez");
    assert!(list(&app, &bps_coordinator, "/coordinator/certificates")
        .await
        .is_empty());
    let id = theirs[0]["id"].as_i64().unwrap();
    assert_eq!(
        app.get_as(&format!("/certificates/{id}/pdf"), &imss_coordinator)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(&format!("/certificates/{id}/pdf"), &bps_coordinator)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let csv = app
        .get_as("/coordinator/certificates.csv", &imss_coordinator)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for spreadsheets"
    );
    let csv = String::from_utf8(csv.to_vec()).unwrap();
    assert!(
        csv.contains(theirs[0]["code"].as_str().unwrap()) && csv.contains("Ana Pérez"),
        "{csv}"
    );
    let refused = app.get_as("/coordinator/certificates", &ana_token).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // The mail went to Ana and, as a copy, to her institution's coordinator.
    let copies: Vec<_> = app
        .mails_to("coord@imss.gob.mx")
        .into_iter()
        .filter(|m| m.template == "certificate_issued")
        .collect();
    assert_eq!(copies.len(), 1);
    assert!(copies[0].body_text.contains("Ana Pérez"));
}

#[actix_web::test]
async fn staff_download_the_register_and_the_pdfs_of_an_offering() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let staff = &class.centre.instructor;
    let made = app
        .post_as(
            &format!("/offerings/{}/certificates", class.offering),
            staff,
            json!({ "kind": "participation" }),
        )
        .await;
    ok_json(made, StatusCode::OK, "issue").await;
    run_jobs(&app);
    let codes: Vec<String> = list(
        &app,
        staff,
        &format!("/offerings/{}/certificates", class.offering),
    )
    .await
    .iter()
    .map(|c| c["code"].as_str().unwrap().to_owned())
    .collect();
    let register = app
        .get_as(
            &format!("/offerings/{}/certificates.csv", class.offering),
            staff,
        )
        .await;
    assert!(register.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let register = register.text().await.unwrap();
    assert!(codes.iter().all(|c| register.contains(c.as_str())));
    assert!(register.contains("Benjamín Núñez"));
    let zip = app
        .get_as(
            &format!("/offerings/{}/certificates.zip", class.offering),
            staff,
        )
        .await;
    assert_eq!(zip.headers()["content-type"], "application/zip");
    let mut archive =
        zip::ZipArchive::new(Cursor::new(zip.bytes().await.unwrap().to_vec())).unwrap();
    assert_eq!(archive.len(), 2);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        assert!(codes.iter().any(|c| name.contains(c.as_str())), "{name}");
        let mut head = [0u8; 4];
        file.read_exact(&mut head).unwrap();
        assert_eq!(&head, b"%PDF");
    }
    let denied = app
        .get_as(
            &format!("/offerings/{}/certificates.zip", class.offering),
            &class.ana.token,
        )
        .await;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn administrators_keep_signatories_whose_names_certificates_print() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let admin = &class.centre.admin;
    let body =
        json!({ "name": "Dra. Gabriela Ríos", "title": "Directora del CIESS", "position": 0 });
    assert_eq!(
        app.post_as("/signatories", &class.centre.instructor, body.clone())
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let blank = app
        .post_as("/signatories", admin, json!({ "name": " ", "title": "x" }))
        .await;
    assert_eq!(
        problem(blank, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"],
        "name"
    );
    let made = ok_json(
        app.post_as("/signatories", admin, body).await,
        StatusCode::CREATED,
        "a signatory",
    )
    .await;
    let id = made["id"].as_i64().unwrap();
    let put = |content_type: &'static str, bytes: Vec<u8>| {
        app.client
            .put(app.url(&format!("/signatories/{id}/signature")))
            .bearer_auth(admin)
            .header("content-type", content_type)
            .body(bytes)
            .send()
    };
    assert_eq!(
        put("text/plain", b"hello".to_vec()).await.unwrap().status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let fake = problem(
        put("image/png", b"not an image".to_vec()).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fake["errors"][0]["code"], "wrong_type");
    let cut = problem(
        put("image/png", SIGNATURE[..SIGNATURE.len() / 2].to_vec())
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        cut["errors"][0]["code"], "invalid",
        "a broken image never reaches a certificate"
    );
    let saved = ok_json(
        put("image/png", SIGNATURE.to_vec()).await.unwrap(),
        StatusCode::OK,
        "the signature",
    )
    .await;
    assert_eq!(saved["has_signature"], true);
    let image = app
        .get_as(&format!("/signatories/{id}/signature"), admin)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&image[..], SIGNATURE);

    let made = app
        .post_as(
            &format!("/offerings/{}/certificates", class.offering),
            &class.centre.instructor,
            json!({ "kind": "participation", "enrolment_ids": [class.ana.enrolment_id] }),
        )
        .await;
    let code = ok_json(made, StatusCode::OK, "issue").await["issued"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    run_jobs(&app);
    // Removing the signatory leaves what issued certificates print.
    assert_eq!(
        app.delete_as(&format!("/signatories/{id}"), admin)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let again = app.delete_as(&format!("/signatories/{id}"), admin).await;
    assert_eq!(
        problem(again, StatusCode::NOT_FOUND).await["code"],
        "signatory_not_found"
    );
    let verified: Value = app
        .client
        .get(app.url(&format!("/verify/{code}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        verified["signatories"],
        json!([{ "name": "Dra. Gabriela Ríos", "title": "Directora del CIESS" }])
    );
}

#[actix_web::test]
async fn verification_is_throttled_per_address() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut last = StatusCode::OK;
    for _ in 0..61 {
        let res = app
            .client
            .get(app.url("/verify/CIESS-2222-3333-4444"))
            .send()
            .await
            .unwrap();
        last = res.status();
        if last == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().contains_key("retry-after"));
            break;
        }
        assert_eq!(last, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        last,
        StatusCode::TOO_MANY_REQUESTS,
        "the 61st in a minute is refused"
    );
}
