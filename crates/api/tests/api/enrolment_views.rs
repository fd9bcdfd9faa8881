//! What staff read: the roster with its filters and paging, its CSV export, and the
//! approvals waiting for them.

use crate::catalog_fixtures;
use crate::common;
use crate::enrolment_fixtures;

use aula_identity::Role;
use common::{assert_problem, TestApp};
use enrolment_fixtures::*;
use reqwest::StatusCode;
use serde_json::json;

/// An offering with five people of two institutions: three seats, two waitlisted.
async fn full_offering(app: &TestApp, centre: &Centre) -> (i64, i64, i64) {
    let imss = centre.institution(app, "IMSS", "titular").await;
    let bps = centre.institution(app, "BPS", "asociado").await;
    let offering = centre.offering(app, json!({ "capacity": 3 })).await;
    for (email, name, institution) in [
        ("ana@imss.gob.mx", "Ana Pérez", imss),
        ("eva@bps.gub.uy", "Eva Rodríguez", bps),
        ("luis@imss.gob.mx", "Luis Pérez", imss),
        ("raul@bps.gub.uy", "Raúl Núñez", bps),
        ("sara@imss.gob.mx", "Sara Díaz", imss),
    ] {
        let (_, token) = learner(app, email, name, Some(institution));
        apply(app, &token, offering).await;
        app.clock.advance(chrono::TimeDelta::seconds(1));
    }
    (offering, imss, bps)
}

#[actix_web::test]
async fn the_roster_filters_by_state_institution_and_name_and_pages() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let (offering, imss, bps) = full_offering(&app, &centre).await;
    let base = format!("/offerings/{offering}/roster");
    let staff = &centre.instructor;

    let all = page(&app, staff, &base).await;
    assert_eq!(all["total"], 5);
    assert_eq!(
        emails(&all),
        [
            "ana@imss.gob.mx",
            "eva@bps.gub.uy",
            "luis@imss.gob.mx",
            "raul@bps.gub.uy",
            "sara@imss.gob.mx"
        ],
        "oldest application first"
    );
    let cases = [
        (
            "?state=waitlisted".to_owned(),
            vec!["raul@bps.gub.uy", "sara@imss.gob.mx"],
        ),
        (
            format!("?institution_id={bps}"),
            vec!["eva@bps.gub.uy", "raul@bps.gub.uy"],
        ),
        (
            format!("?state=enrolled&institution_id={imss}"),
            vec!["ana@imss.gob.mx", "luis@imss.gob.mx"],
        ),
        (
            "?q=p%C3%A9rez".to_owned(),
            vec!["ana@imss.gob.mx", "luis@imss.gob.mx"],
        ),
        (
            "?q=BPS.GUB".to_owned(),
            vec!["eva@bps.gub.uy", "raul@bps.gub.uy"],
        ),
        ("?q=nadie".to_owned(), vec![]),
    ];
    for (query, expected) in cases {
        let found = page(&app, staff, &format!("{base}{query}")).await;
        assert_eq!(emails(&found), expected, "{query}");
        assert_eq!(found["total"], expected.len(), "{query}");
    }

    let second = page(&app, staff, &format!("{base}?per_page=2&page=2")).await;
    assert_eq!(
        (
            second["total"].as_i64(),
            second["page"].as_i64(),
            second["per_page"].as_i64()
        ),
        (Some(5), Some(2), Some(2))
    );
    assert_eq!(emails(&second), ["luis@imss.gob.mx", "raul@bps.gub.uy"]);
    let last = page(
        &app,
        staff,
        &format!("{base}?per_page=2&page=3&institution_id={imss}"),
    )
    .await;
    assert_eq!((last["total"].as_i64(), emails(&last).len()), (Some(3), 0));

    let (_, student) = learner(&app, "x@gmail.com", "X", None);
    let (_, other_teacher) = app.person("otro@ciess.org", "Otro", None, &[Role::Instructor]);
    for token in [&student, &other_teacher] {
        let problem = assert_problem(
            app.get_as(&base, token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        assert!(problem.get("items").is_none());
        assert_problem(
            app.get_as(&format!("{base}.csv"), token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
}

#[actix_web::test]
async fn the_roster_exports_as_csv_with_a_byte_order_mark() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let (offering, _, _) = full_offering(&app, &centre).await;
    let res = app
        .get_as(
            &format!("/offerings/{offering}/roster.csv"),
            &centre.instructor,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "a header and one row per enrolment: {text}");
    assert_eq!(
        lines[0],
        "enrolment_id,course_code,course_title,start_date,full_name,email,institution,state,\
         waitlist_position,fee,currency,payment_status,payment_reference,progress_percent,\
         attendance_percent,applied_at"
    );
    assert!(
        lines[2].contains(",Eva Rodríguez,eva@bps.gub.uy,BPS,enrolled,,0.00,USD,unpaid,"),
        "{}",
        lines[2]
    );
    assert!(
        lines[4].contains(",raul@bps.gub.uy,BPS,waitlisted,1,"),
        "{}",
        lines[4]
    );

    let waitlisted = app
        .get_as(
            &format!("/offerings/{offering}/roster.csv?state=waitlisted"),
            &centre.instructor,
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(waitlisted.lines().count(), 3, "{waitlisted}");
}

#[actix_web::test]
async fn approvals_list_pending_applications_of_the_instructors_own_offerings() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let (_, other) = app.person("otro@ciess.org", "Otro Docente", None, &[Role::Instructor]);
    let other_course = catalog_fixtures::create_course(
        &app,
        &other,
        catalog_fixtures::course("SEG-101", "Seguridad social"),
    )
    .await;
    assert_eq!(other_course["code"], "SEG-101");
    catalog_fixtures::publish(&app, &centre.admin, "SEG-101").await;
    let mine = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let theirs = offering_of(
        &app,
        &other,
        "SEG-101",
        json!({ "admission_policy": "approval" }),
    )
    .await;
    let open = centre.offering(&app, json!({})).await;
    for (email, offering) in [
        ("a@imss.gob.mx", mine),
        ("b@imss.gob.mx", theirs),
        ("c@imss.gob.mx", mine),
        ("d@imss.gob.mx", open),
    ] {
        let (_, token) = learner(&app, email, "Persona", None);
        apply(&app, &token, offering).await;
        app.clock.advance(chrono::TimeDelta::seconds(1));
    }

    let queue = page(&app, &centre.instructor, "/staff/approvals").await;
    assert_eq!(emails(&queue), ["a@imss.gob.mx", "c@imss.gob.mx"]);
    assert_eq!(queue["total"], 2);
    let queue = page(&app, &other, "/staff/approvals").await;
    assert_eq!(emails(&queue), ["b@imss.gob.mx"]);
    let everything = page(&app, &centre.admin, "/staff/approvals").await;
    assert_eq!(
        emails(&everything),
        ["a@imss.gob.mx", "b@imss.gob.mx", "c@imss.gob.mx"]
    );

    let (_, student) = learner(&app, "x@gmail.com", "X", None);
    assert_problem(
        app.get_as("/staff/approvals", &student).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[actix_web::test]
async fn exported_text_never_starts_a_spreadsheet_formula() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre.offering(&app, json!({})).await;
    let hostile = "=HYPERLINK(\"https://evil.example\";\"Ver\")";
    let (_, token) = learner(&app, "ana@imss.gob.mx", hostile, None);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();
    let res = app
        .put_as(
            &format!("/enrolments/{id}/payment"),
            &centre.instructor,
            json!({ "status": "paid", "reference": "@SUM(1+1)" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let text = app
        .get_as(
            &format!("/offerings/{offering}/roster.csv"),
            &centre.instructor,
        )
        .await
        .text()
        .await
        .unwrap();
    let row = text.lines().nth(1).unwrap();
    assert!(
        row.contains("\"'=HYPERLINK(\"\"https://evil.example\"\";\"\"Ver\"\")\""),
        "{row}"
    );
    assert!(row.contains(",'@SUM(1+1),"), "{row}");
    for cell in row.split(',') {
        let cell = cell.trim_start_matches('"');
        assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell} in {row}");
    }
}

#[actix_web::test]
async fn a_learner_reads_their_enrolments_in_one_course_with_one_request() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let first = centre.offering(&app, json!({})).await;
    let second = centre.offering(&app, json!({})).await;
    let staff = crate::catalog_fixtures::Staff {
        admin: centre.admin.clone(),
        instructor: centre.instructor.clone(),
        instructor_id: centre.instructor_user.id,
    };
    crate::catalog_fixtures::published(
        &app,
        &staff,
        crate::catalog_fixtures::course("SAL-110", "Seguro de salud"),
    )
    .await;
    let other = offering_of(&app, &centre.instructor, "SAL-110", json!({})).await;
    let (_, student) = learner(&app, "ana@inss.gov.br", "Ana Souza", None);
    for offering in [first, second, other] {
        apply(&app, &student, offering).await;
    }

    let mine = page(&app, &student, "/me/enrolments?course=pen-201").await;
    let mut offerings: Vec<i64> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["offering_id"].as_i64().unwrap())
        .collect();
    offerings.sort_unstable();
    assert_eq!(offerings, vec![first, second]);
    assert_eq!(mine["total"], 2);
    let none = page(&app, &student, "/me/enrolments?course=XXX-999").await;
    assert_eq!(none["total"], 0);
    let all = page(&app, &student, "/me/enrolments").await;
    assert_eq!(all["total"], 3);
}
