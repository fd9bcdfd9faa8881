//! Bulk enrolment from a CSV file: dry runs, all-or-nothing, invitations.

use crate::common;
use crate::enrolment_fixtures;

use aula_identity::users;
use common::{assert_problem, TestApp, PASSWORD};
use enrolment_fixtures::*;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

const HEADER: &str = "email,full_name,institution\n";

async fn import(app: &TestApp, token: &str, offering: i64, query: &str, csv: &str) -> Response {
    app.send_bytes_as(
        Method::POST,
        &format!("/offerings/{offering}/enrolments/import{query}"),
        token,
        "text/csv",
        &[],
        csv.as_bytes().to_vec(),
    )
    .await
}

/// `(line, email, outcome, account_created)` of each row of a report.
fn outcomes(report: &Value) -> Vec<(i64, String, String, bool)> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_i64().unwrap(),
                r["email"].as_str().unwrap().to_owned(),
                r["outcome"].as_str().unwrap().to_owned(),
                r["account_created"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn outcome(line: i64, email: &str, outcome: &str, created: bool) -> (i64, String, String, bool) {
    (line, email.to_owned(), outcome.to_owned(), created)
}

fn exists(app: &TestApp, email: &str) -> bool {
    users::find_by_email(&mut app.db.conn(), email)
        .unwrap()
        .is_some()
}

async fn roster_total(app: &TestApp, staff: &str, offering: i64) -> i64 {
    page(app, staff, &format!("/offerings/{offering}/roster")).await["total"]
        .as_i64()
        .unwrap()
}

/// A file with one good new person and three bad rows.
fn file_with_bad_rows() -> String {
    format!(
        "{HEADER}nueva@imss.gob.mx,Nueva Persona,IMSS\n\
         ana@,Ana Mal Escrita,\n\
         otro@ejemplo.org,Otra Persona,XYZ\n\
         NUEVA@imss.gob.mx,Nueva Otra Vez,IMSS\n"
    )
}

#[actix_web::test]
async fn a_dry_run_reports_what_would_happen_and_writes_nothing() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    centre.institution(&app, "IMSS", "titular").await;
    let offering = centre.offering(&app, json!({ "capacity": 2 })).await;
    learner(&app, "existe@imss.gob.mx", "Ya Existe", None);
    let csv = format!(
        "{HEADER}existe@imss.gob.mx,Ya Existe,\n\
         nueva@imss.gob.mx,Nueva Persona,IMSS\n\
         tercera@imss.gob.mx,Tercera Persona,\n"
    );

    let res = import(&app, &centre.instructor, offering, "?dry_run=true", &csv).await;
    let report = ok_json(res, StatusCode::OK, "dry run").await;
    assert_eq!(
        (report["dry_run"].as_bool(), report["applied"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(
        outcomes(&report),
        [
            outcome(2, "existe@imss.gob.mx", "enrolled", false),
            outcome(3, "nueva@imss.gob.mx", "enrolled", true),
            outcome(4, "tercera@imss.gob.mx", "waitlisted", true),
        ]
    );
    assert_eq!(
        report["summary"],
        json!({ "enrolled": 2, "waitlisted": 1, "already_enrolled": 0, "errors": 0,
                "accounts_created": 2 })
    );
    assert_eq!(roster_total(&app, &centre.instructor, offering).await, 0);
    assert_eq!(seats_taken(&app, offering).await, 0);
    for email in ["nueva@imss.gob.mx", "tercera@imss.gob.mx"] {
        assert!(!exists(&app, email), "{email} was created");
        assert!(app.mails_to(email).is_empty(), "{email} was mailed");
    }
    assert!(app.mails_to("existe@imss.gob.mx").is_empty());
}

#[actix_web::test]
async fn one_bad_row_with_all_or_nothing_writes_nothing() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    centre.institution(&app, "IMSS", "titular").await;
    let offering = centre.offering(&app, json!({})).await;

    let res = import(
        &app,
        &centre.instructor,
        offering,
        "?all_or_nothing=true",
        &file_with_bad_rows(),
    )
    .await;
    let report = ok_json(res, StatusCode::OK, "import").await;
    assert_eq!(
        (report["dry_run"].as_bool(), report["applied"].as_bool()),
        (Some(false), Some(false))
    );
    let rows = report["rows"].as_array().unwrap();
    let errors: Vec<(i64, Vec<(String, String)>)> = rows
        .iter()
        .map(|r| (r["line"].as_i64().unwrap(), field_errors(r)))
        .collect();
    assert_eq!(
        errors,
        [
            (2, vec![]),
            (3, vec![error("email", "invalid_email")]),
            (4, vec![error("institution", "not_found")]),
            (5, vec![error("email", "duplicate_in_file")]),
        ]
    );
    assert_eq!(report["summary"]["errors"], 3);
    assert_eq!(report["summary"]["enrolled"], 1);
    assert_eq!(roster_total(&app, &centre.instructor, offering).await, 0);
    assert_eq!(seats_taken(&app, offering).await, 0);
    assert!(!exists(&app, "nueva@imss.gob.mx"));
    assert!(app.mails_to("nueva@imss.gob.mx").is_empty());
}

#[actix_web::test]
async fn good_rows_are_applied_and_new_people_are_invited() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let offering = centre.offering(&app, json!({})).await;

    let res = import(
        &app,
        &centre.instructor,
        offering,
        "",
        &file_with_bad_rows(),
    )
    .await;
    let report = ok_json(res, StatusCode::OK, "import").await;
    assert_eq!(report["applied"], true);
    assert_eq!(
        outcomes(&report),
        [
            outcome(2, "nueva@imss.gob.mx", "enrolled", true),
            outcome(3, "ana@", "error", false),
            outcome(4, "otro@ejemplo.org", "error", false),
            outcome(5, "nueva@imss.gob.mx", "error", false),
        ]
    );
    let roster = page(
        &app,
        &centre.instructor,
        &format!("/offerings/{offering}/roster"),
    )
    .await;
    assert_eq!(emails(&roster), ["nueva@imss.gob.mx"]);
    assert_eq!(roster["items"][0]["state"], "enrolled");
    assert_eq!(roster["items"][0]["learner"]["institution"]["id"], imss);
    assert!(!exists(&app, "otro@ejemplo.org"));

    let mails = app.mails_to("nueva@imss.gob.mx");
    let invitations: Vec<_> = mails
        .iter()
        .filter(|m| m.template == "invitation")
        .collect();
    assert_eq!(invitations.len(), 1);
    assert!(
        invitations[0].subject.contains("Sistemas de pensiones")
            || invitations[0].body_text.contains("Sistemas de pensiones")
    );
    let link = common::extract_token(&invitations[0].body_text, "reset-password")
        .expect("a link to choose a password");
    let res = app
        .post(
            "/auth/password-reset/confirm",
            json!({ "token": link, "password": PASSWORD }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let session = app.login("nueva@imss.gob.mx", PASSWORD).await;
    assert_eq!(session["user"]["email_verified"], true);

    // Importing again finds the person enrolled.
    let again = import(
        &app,
        &centre.instructor,
        offering,
        "",
        &format!("{HEADER}nueva@imss.gob.mx,Nueva Persona,IMSS\n"),
    )
    .await;
    let again = ok_json(again, StatusCode::OK, "import again").await;
    assert_eq!(
        outcomes(&again),
        [outcome(2, "nueva@imss.gob.mx", "already_enrolled", false)]
    );
    assert_eq!(roster_total(&app, &centre.instructor, offering).await, 1);
}

#[actix_web::test]
async fn line_numbers_are_those_of_the_file() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let csv = format!(
        "{HEADER}una@imss.gob.mx,Una Persona,\n\n\
         \"dos@imss.gob.mx\",\"Dos\nPersona\",\n\
         mal@,Mal,\n"
    );
    let res = import(&app, &centre.instructor, offering, "?dry_run=true", &csv).await;
    let report = ok_json(res, StatusCode::OK, "dry run").await;
    let lines: Vec<i64> = outcomes(&report).into_iter().map(|r| r.0).collect();
    assert_eq!(lines, [2, 4, 6]);
}

#[actix_web::test]
async fn a_file_without_the_header_row_or_from_a_non_staff_member_is_refused() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    assert_problem(
        import(
            &app,
            &centre.instructor,
            offering,
            "",
            "correo,nombre,institucion\nana@imss.gob.mx,Ana,\n",
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_csv",
    )
    .await;
    let (_, student) = learner(&app, "ana@imss.gob.mx", "Ana", None);
    assert_problem(
        import(
            &app,
            &student,
            offering,
            "",
            &format!("{HEADER}x@imss.gob.mx,X,\n"),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert!(!exists(&app, "x@imss.gob.mx"));
    assert_eq!(roster_total(&app, &centre.instructor, offering).await, 0);
}
