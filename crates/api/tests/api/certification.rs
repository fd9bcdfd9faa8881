//! Certification over HTTP: eligibility arithmetic, idempotent bulk issue, the reissue
//! chain, revocation in verification and in the status list, expiry, the PDF's text
//! and QR code, the signed badge against the published keys, and who may read what.

use std::{io::Read, process::Command};

use aula_core::{sha256_hex, Clock};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::TimeDelta;
use reqwest::StatusCode;
use rsa::{pkcs1v15::VerifyingKey, signature::Verifier, BigUint, RsaPublicKey};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::{
    assessment_fixtures::{grade, hand_in, id, problem, seat, Class, Seat},
    common::TestApp,
    enrolment_fixtures::{learner, ok_json, Centre},
};

/// A session `days` from now; returns its id.
async fn session(app: &TestApp, class: &Class, days: i64) -> i64 {
    let start = (app.clock.now() + TimeDelta::days(days)).and_utc();
    let res = app
        .post_as(
            &format!("/offerings/{}/sessions", class.offering),
            &class.centre.instructor,
            json!({ "title": format!("Sesión {days}"), "starts_at": start.to_rfc3339(),
                    "ends_at": (start + TimeDelta::hours(2)).to_rfc3339() }),
        )
        .await;
    id(&ok_json(res, StatusCode::CREATED, "a session").await)
}

async fn attend(app: &TestApp, class: &Class, session: i64, records: &[(&Seat, &str)]) {
    let records: Vec<Value> = records
        .iter()
        .map(|(s, status)| json!({ "enrolment_id": s.enrolment_id, "status": status }))
        .collect();
    let res = app
        .put_as(
            &format!("/sessions/{session}/attendance"),
            &class.centre.instructor,
            json!({ "records": records }),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

/// Ana attends every session and scores 90; Ben attends one of three and scores 40.
async fn cohort(app: &TestApp) -> Class {
    let class = Class::open(app).await;
    for day in [-3, -2, -1] {
        let s = session(app, &class, day).await;
        let ben = if day == -3 { "present" } else { "absent" };
        attend(
            app,
            &class,
            s,
            &[(&class.ana, "present"), (&class.ben, ben)],
        )
        .await;
    }
    let essay = id(&class.assignment(app, json!({ "weight": 100 })).await);
    for (who, score) in [(&class.ana, 90), (&class.ben, 40)] {
        hand_in(app, &who.token, essay, "Mi ensayo").await;
        let res = grade(
            app,
            &class.centre.instructor,
            essay,
            who.enrolment_id,
            json!({ "score": score }),
        )
        .await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{}",
            res.text().await.unwrap()
        );
    }
    class
}

async fn issue(app: &TestApp, token: &str, offering: i64, body: Value) -> reqwest::Response {
    app.post_as(&format!("/offerings/{offering}/certificates"), token, body)
        .await
}

/// Runs the certification jobs due (rendering, mail, sweeps) as the server's runner would.
pub fn run_jobs(app: &TestApp) {
    let report = aula_certification::jobs::drain(&mut app.db.conn(), &app.certification)
        .expect("run the background jobs");
    assert_eq!(report.failed, 0, "{report:?}");
}

fn learner_row<'a>(report: &'a Value, seat: &Seat) -> &'a Value {
    report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["enrolment_id"] == seat.enrolment_id)
        .expect("the learner's row")
}

fn kind<'a>(row: &'a Value, kind: &str) -> &'a Value {
    row["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == kind)
        .unwrap()
}

fn rule<'a>(kind: &'a Value, name: &str) -> &'a Value {
    kind["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == name)
        .unwrap()
}

fn certificate_mails(app: &TestApp, email: &str) -> Vec<aula_mail::OutboxEntry> {
    app.mails_to(email)
        .into_iter()
        .filter(|m| m.template == "certificate_issued")
        .collect()
}

#[actix_web::test]
async fn eligibility_is_reported_rule_by_rule_and_bulk_issue_twice_issues_and_mails_once() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = cohort(&app).await;
    let staff = &class.centre.instructor;
    let report = ok_json(
        app.get_as(
            &format!("/offerings/{}/certification", class.offering),
            staff,
        )
        .await,
        StatusCode::OK,
        "the eligibility report",
    )
    .await;
    assert_eq!(report["attendance_threshold"], 70);
    assert_eq!(report["sessions"], 3);
    let ana = learner_row(&report, &class.ana);
    assert_eq!(kind(ana, "participation")["eligible"], true);
    assert_eq!(kind(ana, "approval")["eligible"], true);
    assert_eq!(rule(kind(ana, "approval"), "final_grade")["value"], 90.0);
    let ben = learner_row(&report, &class.ben);
    let attendance = rule(kind(ben, "participation"), "attendance");
    assert_eq!(
        (
            attendance["value"].as_f64(),
            attendance["required"].as_f64()
        ),
        (Some(33.0), Some(70.0))
    );
    assert_eq!(attendance["met"], false);
    let grade = rule(kind(ben, "approval"), "final_grade");
    assert_eq!(
        (grade["value"].as_f64(), grade["met"].as_bool()),
        (Some(40.0), Some(false))
    );
    assert_eq!(
        rule(kind(ben, "participation"), "required_lessons")["applicable"],
        false
    );

    let first = ok_json(
        issue(
            &app,
            staff,
            class.offering,
            json!({ "kind": "participation" }),
        )
        .await,
        StatusCode::OK,
        "bulk issue",
    )
    .await;
    assert_eq!(
        (
            first["issued"].as_array().unwrap().len(),
            first["not_eligible"].as_i64()
        ),
        (1, Some(1))
    );
    let again = ok_json(
        issue(
            &app,
            staff,
            class.offering,
            json!({ "kind": "participation" }),
        )
        .await,
        StatusCode::OK,
        "bulk issue again",
    )
    .await;
    assert_eq!(
        (
            again["issued"].as_array().unwrap().len(),
            again["already_issued"].as_i64()
        ),
        (0, Some(1))
    );
    run_jobs(&app);
    run_jobs(&app);
    let mails = certificate_mails(&app, &class.ana.user.email);
    assert_eq!(mails.len(), 1, "one mail per issue");
    let files = aula_mail::attachments_of(&mut app.db.conn(), mails[0].id).unwrap();
    assert_eq!(files.len(), 1);
    assert!(
        files[0].content.starts_with(b"%PDF"),
        "the PDF goes attached"
    );
    assert!(certificate_mails(&app, &class.ben.user.email).is_empty());

    // Naming someone not eligible needs a reason; a seat of another offering is refused.
    let refused = problem(
        issue(
            &app,
            staff,
            class.offering,
            json!({ "kind": "participation", "enrolment_ids": [class.ben.enrolment_id] }),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(refused["code"], "not_eligible");
    assert!(
        refused["detail"].as_str().unwrap().contains("attendance"),
        "{refused}"
    );
    let other_offering = class.centre.offering(&app, json!({})).await;
    let stranger = seat(
        &app,
        &class.centre,
        other_offering,
        "otra@bps.gub.uy",
        "Otra Persona",
    )
    .await;
    let wrong = problem(
        issue(
            &app,
            staff,
            class.offering,
            json!({ "kind": "participation", "enrolment_ids": [stranger.enrolment_id] }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(wrong["errors"][0]["code"], "not_on_roster", "{wrong}");
    let waived = ok_json(
        issue(&app, staff, class.offering, json!({ "kind": "participation", "enrolment_ids": [class.ben.enrolment_id], "override_reason": "Comisión de servicio acreditada" })).await,
        StatusCode::OK,
        "issue with an override",
    )
    .await;
    let id = waived["issued"][0]["id"].as_i64().unwrap();
    let view = ok_json(
        app.get_as(&format!("/certificates/{id}"), staff).await,
        StatusCode::OK,
        "the certificate",
    )
    .await;
    assert_eq!(view["override_reason"], "Comisión de servicio acreditada");
    // Revoked, it may be issued again: the new one follows as version 2.
    let revoked = app
        .post_as(
            &format!("/certificates/{id}/revoke"),
            staff,
            json!({ "reason": "Emitido por error" }),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let again = ok_json(
        issue(&app, staff, class.offering, json!({ "kind": "participation", "enrolment_ids": [class.ben.enrolment_id], "override_reason": "Acreditada de nuevo" })).await,
        StatusCode::OK,
        "issue after a revocation",
    )
    .await;
    let again = again["issued"][0]["id"].as_i64().unwrap();
    let view = ok_json(
        app.get_as(&format!("/certificates/{again}"), staff).await,
        StatusCode::OK,
        "the new one",
    )
    .await;
    assert_eq!(view["version"], 2);
    // Learners do not issue.
    let denied = problem(
        issue(
            &app,
            &class.ana.token,
            class.offering,
            json!({ "kind": "approval" }),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(denied["code"], "forbidden");
}

#[actix_web::test]
async fn two_simultaneous_bulk_issues_make_one_certificate_per_person() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = cohort(&app).await;
    let staff = &class.centre.instructor;
    let body = json!({ "kind": "approval" });
    let (a, b) = futures_join(
        issue(&app, staff, class.offering, body.clone()),
        issue(&app, &class.centre.admin, class.offering, body.clone()),
    )
    .await;
    let a = ok_json(a, StatusCode::OK, "first").await;
    let b = ok_json(b, StatusCode::OK, "second").await;
    let issued = a["issued"].as_array().unwrap().len() + b["issued"].as_array().unwrap().len();
    assert_eq!(issued, 1, "{a} {b}");
    let list = ok_json(
        app.get_as(
            &format!("/offerings/{}/certificates", class.offering),
            staff,
        )
        .await,
        StatusCode::OK,
        "list",
    )
    .await;
    assert_eq!(list["total"], 1);
}

async fn futures_join<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> (A::Output, B::Output) {
    let (a, b) = tokio::join!(a, b);
    (a, b)
}

async fn verify(app: &TestApp, code: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/verify/{code}")))
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn reissue_supersedes_revocation_shows_in_verification_and_the_status_list_and_expiry_comes()
{
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = cohort(&app).await;
    let staff = &class.centre.instructor;
    let settings = app
        .put_as(
            &format!("/offerings/{}/certification/settings", class.offering),
            staff,
            json!({ "auto_issue": false, "validity_months": 12 }),
        )
        .await;
    assert_eq!(settings.status(), StatusCode::OK);
    let made = ok_json(
        issue(&app, staff, class.offering, json!({ "kind": "approval" })).await,
        StatusCode::OK,
        "issue",
    )
    .await;
    let first = made["issued"][0].clone();
    run_jobs(&app);
    let code = first["code"].as_str().unwrap().to_owned();

    // Typed loosely: lower case, spaces.
    let loose = code.to_lowercase().replace('-', " ");
    let found = ok_json(verify(&app, &loose).await, StatusCode::OK, "verify").await;
    assert_eq!(
        (found["status"].as_str(), found["code"].as_str()),
        (Some("valid"), Some(code.as_str()))
    );
    assert_eq!(found["final_grade"], 90.0);
    assert_eq!(found["learner_name"], "Ana Pérez");
    let pdf = app
        .get_as(
            &format!("/certificates/{}/pdf", first["id"]),
            &class.ana.token,
        )
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(found["pdf_sha256"], sha256_hex(&pdf));
    let by_file = app
        .client
        .post(app.url("/verification/document"))
        .header("content-type", "application/pdf")
        .body(pdf.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(
        ok_json(by_file, StatusCode::OK, "verify the PDF").await["code"],
        code.as_str()
    );
    let forged = app
        .client
        .post(app.url("/verification/document"))
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.4 not ours".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem(forged, StatusCode::NOT_FOUND).await["code"],
        "document_not_recognised"
    );
    assert_eq!(
        problem(
            verify(&app, "CIESS-2222-3333-4444").await,
            StatusCode::NOT_FOUND
        )
        .await["code"],
        "certificate_not_found"
    );
    let malformed = problem(
        verify(&app, "hello").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(malformed["errors"][0]["code"], "invalid_code");

    // Reissue: a new code, the same award date; the old one points to it.
    app.clock.advance(TimeDelta::days(3));
    let token = app.mint_token(&class.centre.instructor_user);
    let second = ok_json(
        app.post_as(
            &format!("/certificates/{}/reissue", first["id"]),
            &token,
            json!({ "reason": "Corrección del nombre" }),
        )
        .await,
        StatusCode::CREATED,
        "reissue",
    )
    .await;
    run_jobs(&app);
    let new_code = second["code"].as_str().unwrap();
    assert_ne!(new_code, code);
    let old = ok_json(verify(&app, &code).await, StatusCode::OK, "the old one").await;
    assert_eq!(
        (old["status"].as_str(), old["superseded_by"].as_str()),
        (Some("superseded"), Some(new_code))
    );
    let new = ok_json(verify(&app, new_code).await, StatusCode::OK, "the new one").await;
    assert_eq!(new["awarded_at"], old["awarded_at"]);
    assert_eq!(new["version"], 2);

    // Revocation: in verification, once only, and in the status list.
    let revoked = app
        .post_as(
            &format!("/certificates/{}/revoke", second["id"]),
            &token,
            json!({ "reason": "Plagio comprobado" }),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let shown = ok_json(verify(&app, new_code).await, StatusCode::OK, "revoked").await;
    assert_eq!(
        (shown["status"].as_str(), shown["status_reason"].as_str()),
        (Some("revoked"), Some("Plagio comprobado"))
    );
    let twice = app
        .post_as(
            &format!("/certificates/{}/revoke", second["id"]),
            &token,
            json!({ "reason": "otra vez" }),
        )
        .await;
    assert_eq!(
        problem(twice, StatusCode::CONFLICT).await["code"],
        "certificate_status_conflict"
    );
    let unknown = app
        .post_as(
            "/certificates/999999/revoke",
            &token,
            json!({ "reason": "x" }),
        )
        .await;
    assert_eq!(
        problem(unknown, StatusCode::NOT_FOUND).await["code"],
        "certificate_not_found"
    );
    let list: Value = app
        .client
        .get(app.url("/credentials/status/revocation"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bits = status_bits(&list);
    let index = second["id"].as_u64().unwrap() as usize;
    assert!(bit(&bits, index), "the revoked certificate's bit is set");
    assert!(
        !bit(&bits, first["id"].as_u64().unwrap() as usize),
        "a superseded one is not revoked"
    );

    // Expiry: twelve months after issue a valid certificate verifies as expired.
    let participation = ok_json(
        issue(
            &app,
            &token,
            class.offering,
            json!({ "kind": "participation" }),
        )
        .await,
        StatusCode::OK,
        "participation",
    )
    .await;
    let p_code = participation["issued"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        ok_json(verify(&app, &p_code).await, StatusCode::OK, "valid").await["status"],
        "valid"
    );
    app.clock.advance(TimeDelta::days(370));
    assert_eq!(
        ok_json(verify(&app, &p_code).await, StatusCode::OK, "expired").await["status"],
        "expired"
    );
}

fn status_bits(list: &Value) -> Vec<u8> {
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    assert!(encoded.starts_with('u'), "multibase base64url");
    let zipped = URL_SAFE_NO_PAD.decode(&encoded[1..]).unwrap();
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&zipped[..])
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

fn bit(bytes: &[u8], i: usize) -> bool {
    bytes[i / 8] & (0x80 >> (i % 8)) != 0
}

fn tool(name: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed (apt-get install poppler-utils zbar-tools): {e}")
    });
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[actix_web::test]
async fn the_pdf_prints_accented_names_exactly_and_its_qr_code_opens_the_verify_url() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let jose = seat(
        &app,
        &centre,
        offering,
        "jose@imss.gob.mx",
        "José Ñúñez Gonçalves",
    )
    .await;
    let made = ok_json(
        issue(
            &app,
            &centre.instructor,
            offering,
            json!({ "kind": "participation" }),
        )
        .await,
        StatusCode::OK,
        "issue",
    )
    .await;
    let pending = app
        .get_as(
            &format!("/certificates/{}/pdf", made["issued"][0]["id"]),
            &jose.token,
        )
        .await;
    assert_eq!(
        problem(pending, StatusCode::CONFLICT).await["code"],
        "certificate_pending"
    );
    run_jobs(&app);
    let cert = ok_json(
        app.get_as(
            &format!("/certificates/{}", made["issued"][0]["id"]),
            &jose.token,
        )
        .await,
        StatusCode::OK,
        "mine",
    )
    .await;
    let pdf = app
        .get_as(&format!("/certificates/{}/pdf", cert["id"]), &jose.token)
        .await
        .bytes()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = String::from_utf8(tool("pdftotext", &[file.to_str().unwrap(), "-"])).unwrap();
    assert!(text.contains("José Ñúñez Gonçalves"), "{text}");
    let png = dir.path().join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-singlefile",
            file.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    );
    let decoded = String::from_utf8(tool(
        "zbarimg",
        &["--quiet", "--raw", &format!("{}.png", png.display())],
    ))
    .unwrap();
    assert_eq!(
        decoded.trim(),
        format!(
            "https://aula.test/verify/{}",
            cert["code"].as_str().unwrap()
        )
    );
    assert_eq!(cert["verify_url"], decoded.trim());
    eprintln!("certificate PDF: {} bytes", pdf.len());
}

#[actix_web::test]
async fn the_badge_verifies_against_the_published_keys_and_fails_once_tampered() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = cohort(&app).await;
    let made = ok_json(
        issue(
            &app,
            &class.centre.instructor,
            class.offering,
            json!({ "kind": "approval" }),
        )
        .await,
        StatusCode::OK,
        "issue",
    )
    .await;
    run_jobs(&app);
    let res = app
        .get_as(
            &format!("/certificates/{}/badge", made["issued"][0]["id"]),
            &class.ana.token,
        )
        .await;
    assert_eq!(res.headers()["content-type"], "application/vc+jwt");
    let jwt = res.text().await.unwrap();
    let jwks: Value = app
        .client
        .get(format!("{}/.well-known/jwks.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let claims = verify_rs256(&jwt, &jwks).expect("a genuine badge verifies");
    assert!(claims["type"]
        .as_array()
        .unwrap()
        .contains(&json!("OpenBadgeCredential")));
    assert_eq!(
        claims["@context"][0],
        "https://www.w3.org/ns/credentials/v2"
    );
    assert_eq!(claims["issuer"]["id"], "https://aula.test/api/v1/issuer");
    assert!(claims["validFrom"].is_string() && claims["id"].is_string());
    let subject = &claims["credentialSubject"];
    let identifier = &subject["identifier"][0];
    let salt = identifier["salt"].as_str().unwrap();
    assert_eq!(
        identifier["identityHash"],
        format!(
            "sha256${}",
            sha256_hex(format!("{}{salt}", class.ana.user.email).as_bytes())
        )
    );
    assert_eq!(identifier["hashed"], true);
    let achievement = &subject["achievement"];
    for field in [
        "id",
        "type",
        "name",
        "description",
        "achievementType",
        "inLanguage",
    ] {
        assert!(!achievement[field].is_null(), "achievement.{field}");
    }
    assert!(achievement["criteria"]["narrative"].is_string());
    assert!(achievement["creditsAvailable"].is_number());
    assert_eq!(
        claims["credentialStatus"][0]["type"],
        "BitstringStatusListEntry"
    );
    assert!(
        !jwt.contains(&class.ana.user.email),
        "the e-mail address travels hashed only"
    );
    let issuer: Value = app
        .client
        .get(app.url("/issuer"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(issuer["id"], claims["issuer"]["id"]);

    // Tampered (a grade changed) or truncated: no longer genuine.
    let parts: Vec<&str> = jwt.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["name"] = json!("Certificate of approval: something else");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    assert!(verify_rs256(&forged, &jwks).is_err());
    assert!(verify_rs256(&jwt[..jwt.len() - 10], &jwks).is_err());
    // Anyone may hand the badge back to the centre to be checked.
    let check = |badge: String| {
        app.client
            .post(app.url("/verification/badge"))
            .header("content-type", "application/vc+jwt")
            .body(badge)
            .send()
    };
    let genuine = ok_json(
        check(jwt.clone()).await.unwrap(),
        StatusCode::OK,
        "verify the badge",
    )
    .await;
    assert_eq!(
        genuine["code"],
        claims["id"].as_str().unwrap().rsplit('/').next().unwrap()
    );
    assert_eq!(genuine["status"], "valid");
    for bad in [
        forged.clone(),
        jwt[..jwt.len() - 10].to_owned(),
        "not.a.badge".to_owned(),
    ] {
        let refused = problem(check(bad).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused["code"], "badge_invalid");
    }
    // The public credential URL answers with the same badge.
    let public = app
        .client
        .get(
            claims["id"]
                .as_str()
                .unwrap()
                .replace("https://aula.test", &app.base),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(public, jwt);
}

/// RS256 checked with the RSA primitives directly, not the JWT library that signed it.
fn verify_rs256(jwt: &str, jwks: &Value) -> Result<Value, String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err("not three parts".into());
    };
    let head: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    if head["alg"] != "RS256" {
        return Err("algorithm".into());
    }
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == head["kid"])
        .ok_or("no key with this kid")?;
    let n = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap());
    let e = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap());
    let public = RsaPublicKey::new(n, e).map_err(|e| e.to_string())?;
    let sig = rsa::pkcs1v15::Signature::try_from(
        URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|e| e.to_string())?
            .as_slice(),
    )
    .map_err(|e| e.to_string())?;
    VerifyingKey::<Sha256>::new(public)
        .verify(format!("{header}.{payload}").as_bytes(), &sig)
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())
}

#[actix_web::test]
async fn certificates_and_their_files_are_read_only_by_holder_staff_and_coordinator() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = cohort(&app).await;
    let made = ok_json(
        issue(
            &app,
            &class.centre.instructor,
            class.offering,
            json!({ "kind": "approval" }),
        )
        .await,
        StatusCode::OK,
        "issue",
    )
    .await;
    run_jobs(&app);
    let id = made["issued"][0]["id"].as_i64().unwrap();
    let (_, outsider) = learner(&app, "otro@ciess.org", "Otro Instructor", None);
    for path in [
        format!("/certificates/{id}"),
        format!("/certificates/{id}/pdf"),
        format!("/certificates/{id}/badge"),
    ] {
        assert_eq!(
            app.get_as(&path, &class.ana.token).await.status(),
            StatusCode::OK,
            "holder {path}"
        );
        assert_eq!(
            app.get_as(&path, &class.centre.instructor).await.status(),
            StatusCode::OK,
            "staff {path}"
        );
        for stranger in [&class.ben.token, &outsider] {
            let res = app.get_as(&path, stranger).await;
            assert_eq!(
                problem(res, StatusCode::NOT_FOUND).await["code"],
                "certificate_not_found",
                "{path}"
            );
        }
    }
    let mine = ok_json(
        app.get_as("/me/certificates", &class.ben.token).await,
        StatusCode::OK,
        "Ben's",
    )
    .await;
    assert_eq!(mine, json!([]));
    let revoke = app
        .post_as(
            &format!("/certificates/{id}/revoke"),
            &class.ana.token,
            json!({ "reason": "no" }),
        )
        .await;
    assert_eq!(revoke.status(), StatusCode::FORBIDDEN);
    let report = app
        .get_as(
            &format!("/offerings/{}/certification", class.offering),
            &outsider,
        )
        .await;
    assert_eq!(
        problem(report, StatusCode::NOT_FOUND).await["code"],
        "offering_not_found"
    );
}
