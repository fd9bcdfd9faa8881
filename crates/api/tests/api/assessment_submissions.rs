//! Handing work in: receipts, attempts, late policies, extensions, file checks and who
//! sees what.

use aula_core::Clock;
use aula_identity::Role;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::{
    assessment_fixtures::*,
    common::TestApp,
    enrolment_fixtures::{learner, ok_json},
};

async fn attempts(app: &TestApp, token: &str, assignment: i64) -> Vec<Value> {
    ok_json(
        app.get_as(&format!("/assignments/{assignment}/submissions"), token)
            .await,
        StatusCode::OK,
        "list attempts",
    )
    .await
    .as_array()
    .unwrap()
    .clone()
}

#[actix_web::test]
async fn a_learner_hands_in_and_gets_a_receipt_with_file_fingerprints_also_mailed() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let res = submit(
        &app,
        &class.ana.token,
        a,
        Some("Mi ensayo"),
        &[("ensayo-año.pdf", PDF)],
    )
    .await;
    let receipt = ok_json(res, StatusCode::CREATED, "hand in").await;
    assert_eq!(receipt["attempt"], 1);
    assert_eq!(receipt["late"], false);
    assert_eq!(receipt["body"], "Mi ensayo");
    let file = &receipt["files"][0];
    let expected: String = Sha256::digest(PDF)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(file["sha256"], expected.as_str());
    assert_eq!(file["file_name"], "ensayo-año.pdf");
    assert_eq!(file["content_type"], "application/pdf");
    let mails = app.mails_to("ana@imss.gob.mx");
    let mail = mails
        .iter()
        .find(|m| m.template == "submission_receipt")
        .expect("a receipt mailed");
    assert!(mail.body_text.contains(&expected), "{}", mail.body_text);
    assert!(mail.body_text.contains("ensayo-año.pdf"));
    // The file reads back as handed in, shown in the page (a PDF).
    let res = app
        .get_as(
            &format!("/submissions/{}/files/{}", id(&receipt), id(file)),
            &class.centre.instructor,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("inline"), "{disposition}");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
}

#[actix_web::test]
async fn resubmitting_keeps_every_attempt_until_the_due_date() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    hand_in(&app, &class.ana.token, a, "Primera versión").await;
    app.clock.advance(Duration::minutes(1));
    let second = hand_in(&app, &class.ana.token, a, "Segunda versión").await;
    assert_eq!(second["attempt"], 2);
    let all = attempts(&app, &class.ana.token, a).await;
    let bodies: Vec<&str> = all.iter().map(|s| s["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["Segunda versión", "Primera versión"]);
    // After the due date a resubmission is refused and nothing is lost.
    app.clock.advance(Duration::days(8));
    let mut class = class;
    class.ana.token = app.mint_token(&class.ana.user);
    let p = problem(
        submit(&app, &class.ana.token, a, Some("Tercera"), &[]).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "submission_closed");
    assert_eq!(attempts(&app, &class.ana.token, a).await.len(), 2);
}

#[actix_web::test]
async fn an_identical_attempt_is_refused_and_nothing_is_added() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let res = submit(&app, &class.ana.token, a, None, &[("a.pdf", PDF)]).await;
    ok_json(res, StatusCode::CREATED, "first").await;
    let p = problem(
        submit(&app, &class.ana.token, a, None, &[("copia.pdf", PDF)]).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "duplicate_submission");
    assert_eq!(attempts(&app, &class.ana.token, a).await.len(), 1);
}

#[actix_web::test]
async fn late_policies_flag_penalise_or_refuse_work_after_the_due_date() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut class = Class::open(&app).await;
    let accept = id(&class.assignment(&app, json!({ "weight": 10 })).await);
    let penalty = id(&class
        .assignment(
            &app,
            json!({ "weight": 10, "late_policy": "penalty", "late_penalty_percent": 20 }),
        )
        .await);
    let refuse = id(&class
        .assignment(&app, json!({ "weight": 10, "late_policy": "refuse" }))
        .await);
    let cutoff = id(&class
        .assignment(
            &app,
            json!({ "weight": 10, "cutoff_at": at(app.clock.now() + Duration::days(9)) }),
        )
        .await);
    app.clock.advance(Duration::days(8));
    class.ana.token = app.mint_token(&class.ana.user);
    class.centre.refresh(&app);
    let late = hand_in(&app, &class.ana.token, accept, "tarde").await;
    assert_eq!(
        (late["late"].clone(), late["penalty_percent"].clone()),
        (json!(true), json!(0))
    );
    let penalised = hand_in(&app, &class.ana.token, penalty, "tarde").await;
    assert_eq!(penalised["late"], true);
    assert_eq!(penalised["penalty_percent"], 20);
    let p = problem(
        submit(&app, &class.ana.token, refuse, Some("tarde"), &[]).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "submission_closed");
    assert!(attempts(&app, &class.ana.token, refuse).await.is_empty());
    // Before the cut-off late work is taken; after it, not.
    hand_in(&app, &class.ana.token, cutoff, "antes del corte").await;
    app.clock.advance(Duration::days(2));
    class.ben.token = app.mint_token(&class.ben.user);
    let p = problem(
        submit(
            &app,
            &class.ben.token,
            cutoff,
            Some("después del corte"),
            &[],
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "submission_closed");
    // The penalty comes off the grade: 80 points become 64.
    class.centre.refresh(&app);
    let g = ok_json(
        grade(
            &app,
            &class.centre.instructor,
            penalty,
            class.ana.enrolment_id,
            json!({ "score": 80 }),
        )
        .await,
        StatusCode::OK,
        "grade",
    )
    .await;
    assert_eq!(g["score"], 80.0);
    assert_eq!(g["penalty_percent"], 20);
    assert_eq!(g["final_score"], 64.0);
}

#[actix_web::test]
async fn an_extension_moves_one_learners_due_date_only() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut class = Class::open(&app).await;
    let a = class
        .assignment(&app, json!({ "late_policy": "refuse" }))
        .await;
    let (a, due) = (id(&a), a["due_at"].as_str().unwrap().to_owned());
    let due = chrono::DateTime::parse_from_rfc3339(&due)
        .unwrap()
        .naive_utc();
    // An extension must come after the assignment's own due date and give a reason.
    let res = app
        .put_as(
            &format!("/assignments/{a}/extensions/{}", class.ana.enrolment_id),
            &class.centre.instructor,
            json!({ "due_at": at(due + Duration::days(3)), "reason": " " }),
        )
        .await;
    assert_eq!(
        problem(res, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"],
        "reason"
    );
    let res = app
        .put_as(
            &format!("/assignments/{a}/extensions/{}", class.ana.enrolment_id),
            &class.centre.instructor,
            json!({ "due_at": at(due + Duration::days(3)), "reason": "Licencia médica" }),
        )
        .await;
    ok_json(res, StatusCode::OK, "grant an extension").await;
    app.clock.set(due + Duration::days(1));
    class.ana.token = app.mint_token(&class.ana.user);
    class.ben.token = app.mint_token(&class.ben.user);
    let mine = ok_json(
        app.get_as(&format!("/assignments/{a}"), &class.ana.token)
            .await,
        StatusCode::OK,
        "read",
    )
    .await;
    assert_eq!(mine["mine"]["extended"], true);
    assert_eq!(mine["mine"]["can_submit"], true);
    let on_time = hand_in(&app, &class.ana.token, a, "con prórroga").await;
    assert_eq!(on_time["late"], false);
    let p = problem(
        submit(&app, &class.ben.token, a, Some("sin prórroga"), &[]).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "submission_closed");
}

#[actix_web::test]
async fn files_are_checked_by_content_size_and_count_and_nothing_is_kept_on_refusal() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let files_only = id(&class
        .assignment(
            &app,
            json!({ "weight": 10, "accepts_text": false, "max_files": 1, "max_file_bytes": 200 }),
        )
        .await);
    let token = &class.ana.token;
    // A PNG named .pdf is judged by its content.
    let p = problem(
        submit(&app, token, files_only, None, &[("trabajo.pdf", PNG)]).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert_eq!(p["code"], "file_type_not_allowed");
    let p = problem(
        submit(
            &app,
            token,
            files_only,
            None,
            &[("a.pdf", PDF), ("b.pdf", PDF)],
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        (
            p["errors"][0]["field"].clone(),
            p["errors"][0]["code"].clone()
        ),
        (json!("files"), json!("too_many"))
    );
    let mut big = PDF.to_vec();
    big.resize(400, b' ');
    let p = problem(
        submit(&app, token, files_only, None, &[("grande.pdf", &big)]).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(p["code"], "file_too_large");
    let p = problem(
        submit(&app, token, files_only, Some("solo texto"), &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "body");
    let p = problem(
        submit(&app, token, files_only, Some("  "), &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        (
            p["errors"][0]["field"].clone(),
            p["errors"][0]["code"].clone()
        ),
        (json!("files"), json!("empty"))
    );
    assert!(attempts(&app, token, files_only).await.is_empty());
    let stored = walk(app.files.path());
    assert!(
        stored.iter().all(|p| !p.contains("submissions")),
        "{stored:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path.display().to_string());
            }
        }
    }
    out
}

#[actix_web::test]
async fn an_assignment_takes_nothing_before_it_opens() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class
        .assignment(
            &app,
            json!({ "opens_at": at(app.clock.now() + Duration::days(1)) }),
        )
        .await);
    let p = problem(
        submit(&app, &class.ana.token, a, Some("pronto"), &[]).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "submission_closed");
}

#[actix_web::test]
async fn coursework_is_visible_only_to_the_offerings_people() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let attempt = ok_json(
        submit(
            &app,
            &class.ana.token,
            a,
            Some("privado"),
            &[("p.pdf", PDF)],
        )
        .await,
        StatusCode::CREATED,
        "hand in",
    )
    .await;
    let sub = id(&attempt);
    let (_, stranger) = learner(&app, "otra@ccss.sa.cr", "Otra Persona", None);
    let (_, other_teacher) = app.person(
        "docente@ciess.org",
        "Otro Docente",
        None,
        &[Role::Instructor],
    );
    let (_, coordinator) = app.person(
        "coord@imss.gob.mx",
        "Coordinación",
        None,
        &[Role::Coordinator],
    );
    for token in [&stranger, &other_teacher, &coordinator] {
        for path in [
            format!("/assignments/{a}"),
            format!("/assignments/{a}/submissions"),
            format!("/submissions/{sub}"),
            format!("/offerings/{}/assignments", class.offering),
        ] {
            let res = app.get_as(&path, token).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        }
    }
    // A classmate sees the assignment, never another person's work.
    let res = app
        .get_as(&format!("/submissions/{sub}"), &class.ben.token)
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .get_as(
            &format!(
                "/assignments/{a}/submissions?enrolment_id={}",
                class.ana.enrolment_id
            ),
            &class.ben.token,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(attempts(&app, &class.ben.token, a).await.is_empty());
    let file = id(&attempt["files"][0]);
    let res = app
        .get_as(
            &format!("/submissions/{sub}/files/{file}"),
            &class.ben.token,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Learners cannot set coursework, grade or read the gradebook.
    let res = app
        .post_as(
            &format!("/offerings/{}/assignments", class.offering),
            &class.ana.token,
            json!({ "title": "x" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = grade(
        &app,
        &class.ana.token,
        a,
        class.ana.enrolment_id,
        json!({ "score": 100 }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app
        .get_as(
            &format!("/offerings/{}/gradebook", class.offering),
            &class.ana.token,
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The offering's staff and administrators see everything.
    for token in [&class.centre.instructor, &class.centre.admin] {
        let res = app.get_as(&format!("/submissions/{sub}"), token).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    // A learner cannot hand in for someone else: the attempt is always their own.
    let res = submit(&app, &class.centre.instructor, a, Some("por Ana"), &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn a_form_without_parts_is_an_empty_attempt_not_a_broken_body() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let res = app
        .send_bytes_as(
            reqwest::Method::POST,
            &format!("/assignments/{a}/submissions"),
            &class.ana.token,
            "multipart/form-data; boundary=XYZ",
            &[],
            b"--XYZ--\r\n".to_vec(),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (
            p["errors"][0]["field"].clone(),
            p["errors"][0]["code"].clone()
        ),
        (json!("body"), json!("empty"))
    );
}
