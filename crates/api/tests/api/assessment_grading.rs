//! Grading: rubrics, the grade range, regrade history, release, the queue, the weighted
//! final grade, overrides, the gradebook's exports and imports, and who reads them.

use aula_core::Clock;
use aula_identity::Role;
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::{
    assessment_fixtures::*,
    common::TestApp,
    enrolment_fixtures::{coordinator, enrol, learner, ok_json},
};

fn rubric(best: (f64, f64)) -> Value {
    json!({ "criteria": [
        { "title": "Análisis", "levels": [
            { "title": "Insuficiente", "points": 0 }, { "title": "Bueno", "points": best.0 / 2.0 },
            { "title": "Excelente", "points": best.0 } ] },
        { "title": "Redacción", "levels": [
            { "title": "Débil", "points": 0 }, { "title": "Clara", "points": best.1 } ] },
    ] })
}

async fn put_rubric(app: &TestApp, token: &str, a: i64, body: Value) -> reqwest::Response {
    app.put_as(&format!("/assignments/{a}/rubric"), token, body)
        .await
}

fn level_ids(assignment: &Value) -> Vec<Vec<i64>> {
    assignment["rubric"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["levels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["id"].as_i64().unwrap())
                .collect()
        })
        .collect()
}

#[actix_web::test]
async fn a_rubric_grade_sums_its_levels_and_the_rubric_is_then_fixed() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let staff = &class.centre.instructor;
    // The best levels must add up to the maximum score.
    let p = problem(
        put_rubric(&app, staff, a, rubric((60.0, 30.0))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        (
            p["errors"][0]["field"].clone(),
            p["errors"][0]["code"].clone()
        ),
        (json!("criteria"), json!("total_mismatch"))
    );
    let with_rubric = ok_json(
        put_rubric(&app, staff, a, rubric((60.0, 40.0))).await,
        StatusCode::OK,
        "rubric",
    )
    .await;
    let levels = level_ids(&with_rubric);
    hand_in(&app, &class.ana.token, a, "Ensayo").await;
    // One level per criterion: a missing one is refused.
    let p = problem(
        grade(
            &app,
            staff,
            a,
            class.ana.enrolment_id,
            json!({ "levels": [levels[0][2]] }),
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
        (json!("levels"), json!("required"))
    );
    let g = ok_json(
        grade(
            &app,
            staff,
            a,
            class.ana.enrolment_id,
            json!({ "levels": [levels[0][1], levels[1][1]], "feedback": "Buen *análisis*" }),
        )
        .await,
        StatusCode::OK,
        "grade with the rubric",
    )
    .await;
    assert_eq!(g["score"], 70.0);
    assert_eq!(g["levels"], json!([levels[0][1], levels[1][1]]));
    assert!(g["feedback_html"]
        .as_str()
        .unwrap()
        .contains("<em>análisis</em>"));
    // Grading began: the rubric and the maximum no longer change, and are as they were.
    let p = problem(
        put_rubric(&app, staff, a, rubric((50.0, 50.0))).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "rubric_in_use");
    let p = problem(
        app.patch_as(
            &format!("/assignments/{a}"),
            staff,
            json!({ "max_score": 50 }),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "rubric_in_use");
    let now = ok_json(
        app.get_as(&format!("/assignments/{a}"), staff).await,
        StatusCode::OK,
        "read",
    )
    .await;
    assert_eq!(level_ids(&now), levels);
    assert_eq!(now["max_score"], 100);
    // Deleting it would lose work.
    let p = problem(
        app.delete_as(&format!("/assignments/{a}"), staff).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "assignment_in_use");
}

#[actix_web::test]
async fn a_changed_grade_needs_a_reason_and_every_version_is_kept() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let staff = &class.centre.instructor;
    let e = class.ana.enrolment_id;
    for score in [101.0, -1.0] {
        let p = problem(
            grade(&app, staff, a, e, json!({ "score": score })).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            (
                p["errors"][0]["field"].clone(),
                p["errors"][0]["code"].clone()
            ),
            (json!("score"), json!("out_of_range"))
        );
    }
    let record = ok_json(
        app.get_as(&format!("/assignments/{a}/grades/{e}"), staff)
            .await,
        StatusCode::OK,
        "read",
    )
    .await;
    assert!(record["grade"].is_null());
    ok_json(
        grade(
            &app,
            staff,
            a,
            e,
            json!({ "score": 70, "feedback": "Bien" }),
        )
        .await,
        StatusCode::OK,
        "grade",
    )
    .await;
    let p = problem(
        grade(&app, staff, a, e, json!({ "score": 80 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        (
            p["errors"][0]["field"].clone(),
            p["errors"][0]["code"].clone()
        ),
        (json!("reason"), json!("required"))
    );
    // Sending the same grade again changes nothing and needs no reason.
    ok_json(
        grade(&app, staff, a, e, json!({ "score": 70 })).await,
        StatusCode::OK,
        "same grade",
    )
    .await;
    app.clock.advance(Duration::minutes(5));
    let admin = &class.centre.admin;
    ok_json(
        grade(
            &app,
            admin,
            a,
            e,
            json!({ "score": 80, "reason": "Revisión solicitada por la alumna" }),
        )
        .await,
        StatusCode::OK,
        "regrade",
    )
    .await;
    let record = ok_json(
        app.get_as(&format!("/assignments/{a}/grades/{e}"), staff)
            .await,
        StatusCode::OK,
        "read",
    )
    .await;
    assert_eq!(record["grade"]["score"], 80.0);
    assert_eq!(record["grade"]["feedback"], "Bien");
    let history = record["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0]["score"], 70.0);
    assert!(history[0]["reason"].is_null());
    assert_eq!(history[0]["actor_name"], "Lucía Fernández");
    assert_eq!(history[1]["score"], 80.0);
    assert_eq!(history[1]["reason"], "Revisión solicitada por la alumna");
    assert_eq!(history[1]["actor_name"], "Admin");
}

#[actix_web::test]
async fn learners_see_grades_and_feedback_only_after_release() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    hand_in(&app, &class.ana.token, a, "Ensayo").await;
    let staff = &class.centre.instructor;
    ok_json(
        grade(
            &app,
            staff,
            a,
            class.ana.enrolment_id,
            json!({ "score": 88, "feedback": "Muy **bien**" }),
        )
        .await,
        StatusCode::OK,
        "grade",
    )
    .await;
    let read = |token: String| {
        let app = &app;
        async move {
            ok_json(
                app.get_as(&format!("/assignments/{a}"), &token).await,
                StatusCode::OK,
                "read",
            )
            .await
        }
    };
    assert!(read(class.ana.token.clone()).await["mine"]["grade"].is_null());
    let mine = ok_json(
        app.get_as("/me/grades", &class.ana.token).await,
        StatusCode::OK,
        "my grades",
    )
    .await;
    assert_eq!(mine[0]["row"]["cells"][0]["status"], "pending");
    assert!(mine[0]["row"]["cells"][0]["score"].is_null());
    assert!(mine[0]["row"]["final_grade"].is_null());
    release(&app, staff, a).await;
    let after = read(class.ana.token.clone()).await;
    assert_eq!(after["mine"]["grade"]["score"], 88.0);
    assert!(after["mine"]["grade"]["feedback_html"]
        .as_str()
        .unwrap()
        .contains("<strong>bien</strong>"));
    let mine = ok_json(
        app.get_as("/me/grades", &class.ana.token).await,
        StatusCode::OK,
        "my grades",
    )
    .await;
    assert_eq!(mine[0]["row"]["cells"][0]["score"], 88.0);
    assert_eq!(mine[0]["row"]["final_grade"], 88.0);
    assert_eq!(mine[0]["provisional"], false);
    // Ben, ungraded, sees no one else's grade.
    let ben = read(class.ben.token.clone()).await;
    assert!(ben["mine"]["grade"].is_null());
    assert_eq!(ben["mine"]["attempts"], json!([]));
}

async fn queue(app: &TestApp, staff: &str, offering: i64) -> Vec<(String, bool)> {
    let path = format!("/offerings/{offering}/grading-queue");
    let page = ok_json(app.get_as(&path, staff).await, StatusCode::OK, "queue").await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["learner_name"].as_str().unwrap().to_owned(),
                i["regrade"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn the_queue_lists_ungraded_latest_attempts_oldest_first() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let staff = class.centre.instructor.clone();
    hand_in(&app, &class.ana.token, a, "Ana 1").await;
    app.clock.advance(Duration::minutes(1));
    hand_in(&app, &class.ben.token, a, "Ben 1").await;
    assert_eq!(
        queue(&app, &staff, class.offering).await,
        [
            ("Ana Pérez".to_owned(), false),
            ("Benjamín Núñez".to_owned(), false)
        ]
    );
    ok_json(
        grade(
            &app,
            &staff,
            a,
            class.ana.enrolment_id,
            json!({ "score": 60 }),
        )
        .await,
        StatusCode::OK,
        "grade",
    )
    .await;
    assert_eq!(
        queue(&app, &staff, class.offering).await,
        [("Benjamín Núñez".to_owned(), false)]
    );
    app.clock.advance(Duration::minutes(1));
    hand_in(&app, &class.ana.token, a, "Ana 2").await;
    assert_eq!(
        queue(&app, &staff, class.offering).await,
        [
            ("Benjamín Núñez".to_owned(), false),
            ("Ana Pérez".to_owned(), true)
        ]
    );
    let res = app
        .get_as(
            &format!("/offerings/{}/grading-queue", class.offering),
            &class.ana.token,
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn the_final_grade_is_the_weighted_mean_of_what_counts() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut class = Class::open(&app).await;
    let essay = id(&class
        .assignment(&app, json!({ "weight": 60, "missing_work": "zero" }))
        .await);
    let report = id(&class
        .assignment(&app, json!({ "title": "Informe", "weight": 40, "max_score": 20, "missing_work": "excluded" }))
        .await);
    let optional = id(&class
        .assignment(&app, json!({ "title": "Opcional", "weight": 0 }))
        .await);
    // Past 100 in all is refused, and nothing is added.
    let p = problem(
        app.post_as(&format!("/offerings/{}/assignments", class.offering), &class.centre.instructor,
            json!({ "title": "Extra", "due_at": at(app.clock.now() + Duration::days(3)), "max_score": 10, "weight": 1 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        (
            p["errors"][0]["field"].clone(),
            p["errors"][0]["code"].clone()
        ),
        (json!("weight"), json!("exceeds_total"))
    );
    let staff = class.centre.instructor.clone();
    let listed = ok_json(
        app.get_as(
            &format!("/offerings/{}/assignments", class.offering),
            &staff,
        )
        .await,
        StatusCode::OK,
        "list",
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 3);
    hand_in(&app, &class.ana.token, essay, "Ensayo").await;
    hand_in(&app, &class.ana.token, report, "Informe").await;
    let (ana, ben) = (class.ana.enrolment_id, class.ben.enrolment_id);
    for (a, e, score) in [
        (essay, ana, 80.0),
        (report, ana, 15.0),
        (optional, ana, 10.0),
    ] {
        ok_json(
            grade(&app, &staff, a, e, json!({ "score": score })).await,
            StatusCode::OK,
            "grade",
        )
        .await;
    }
    // Before anything is due Ben's work is open and nothing counts yet.
    let row = book_row(&app, &staff, class.offering, ben).await;
    assert!(row["final_grade"].is_null());
    assert_eq!(row["cells"][0]["status"], "open");
    // (60 × 80 % + 40 × 75 %) / 100; the weight-0 item does not count.
    let row = book_row(&app, &staff, class.offering, ana).await;
    assert_eq!(row["final_grade"], 78.0);
    assert_eq!(row["passed"], true);
    // Past due: Ben's missing essay counts 0, his missing report is left out.
    app.clock.advance(Duration::days(8));
    class.centre.refresh(&app);
    let staff = class.centre.instructor.clone();
    let row = book_row(&app, &staff, class.offering, ben).await;
    let statuses: Vec<&str> = row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses[..2], ["missing", "excluded"]);
    assert_eq!(row["final_grade"], 0.0);
    assert_eq!(row["passed"], false);
    // Graded later, the report counts: (60 × 0 + 40 × 90) / 100.
    ok_json(
        grade(&app, &staff, report, ben, json!({ "score": 18 })).await,
        StatusCode::OK,
        "grade",
    )
    .await;
    let row = book_row(&app, &staff, class.offering, ben).await;
    assert_eq!(row["final_grade"], 36.0);
    // Certification reads the same figure.
    let final_grade =
        aula_assessment::gradebook::final_grade_of(&mut app.db.conn(), &app.assessment, ben)
            .unwrap()
            .unwrap();
    assert_eq!(final_grade.final_grade, Some(36.0));
    assert_eq!(final_grade.passed, Some(false));
}

#[actix_web::test]
async fn an_override_replaces_the_final_grade_and_keeps_its_history() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let staff = &class.centre.instructor;
    let ben = class.ben.enrolment_id;
    ok_json(
        grade(&app, staff, a, ben, json!({ "score": 50 })).await,
        StatusCode::OK,
        "grade",
    )
    .await;
    let path = format!("/enrolments/{ben}/final-grade");
    for (body, field) in [
        (json!({ "grade": 101, "reason": "x" }), "grade"),
        (json!({ "grade": 75, "reason": "" }), "reason"),
    ] {
        let p = problem(
            app.put_as(&path, staff, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(p["errors"][0]["field"], field);
    }
    assert_eq!(
        app.put_as(
            &path,
            &class.ben.token,
            json!({ "grade": 100, "reason": "yo" })
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    let (_, stranger) = learner(&app, "otra@ccss.sa.cr", "Otra", None);
    assert_eq!(
        app.put_as(&path, &stranger, json!({ "grade": 100, "reason": "x" }))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let record = ok_json(
        app.put_as(
            &path,
            staff,
            json!({ "grade": 72, "reason": "Trabajo recuperatorio aprobado" }),
        )
        .await,
        StatusCode::OK,
        "override",
    )
    .await;
    assert_eq!(record["computed_grade"], 50.0);
    assert_eq!(record["final_grade"], 72.0);
    assert_eq!(record["passed"], true);
    assert_eq!(
        record["override"]["reason"],
        "Trabajo recuperatorio aprobado"
    );
    let row = book_row(&app, staff, class.offering, ben).await;
    assert_eq!(row["final_grade"], 72.0);
    let record = ok_json(
        app.put_as(
            &path,
            staff,
            json!({ "grade": null, "reason": "Se anula la corrección" }),
        )
        .await,
        StatusCode::OK,
        "lift",
    )
    .await;
    assert_eq!(record["final_grade"], 50.0);
    assert!(record["override"].is_null());
    let history = record["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["grade"], 72.0);
    assert!(history[1]["grade"].is_null());
}

#[actix_web::test]
async fn exports_keep_names_intact_and_coordinators_read_only_their_peoples_final_grades() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let imss = class.centre.institution(&app, "IMSS", "titular").await;
    let (user, token) = learner(&app, "josé@imss.gob.mx", "José Ñúñez Gonçalves", Some(imss));
    let joined = enrol(&app, &class.centre.admin, class.offering, user.id).await;
    let jose = id(&joined);
    let a = id(&class
        .assignment(&app, json!({ "title": "Ensayo: año fiscal" }))
        .await);
    let staff = &class.centre.instructor;
    for (e, s) in [(jose, 90.0), (class.ben.enrolment_id, 40.0)] {
        ok_json(
            grade(&app, staff, a, e, json!({ "score": s })).await,
            StatusCode::OK,
            "grade",
        )
        .await;
    }
    let res = app
        .get_as(
            &format!("/offerings/{}/gradebook.csv", class.offering),
            staff,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.contains("José Ñúñez Gonçalves"), "{text}");
    assert!(text.contains("Ensayo: año fiscal (50%)"), "{text}");
    assert!(
        text.contains("josé@imss.gob.mx,José Ñúñez Gonçalves,IMSS,90,90,yes"),
        "{text}"
    );
    // The IMSS coordinator reads the IMSS person's final grade only.
    let (_, coord) = coordinator(&app, "coord@imss.gob.mx", imss);
    let list = ok_json(
        app.get_as(
            &format!("/offerings/{}/final-grades", class.offering),
            &coord,
        )
        .await,
        StatusCode::OK,
        "final grades",
    )
    .await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["José Ñúñez Gonçalves"]);
    let csv = app
        .get_as(
            &format!("/offerings/{}/final-grades.csv", class.offering),
            &coord,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("José Ñúñez Gonçalves") && !csv.contains("Benjamín"),
        "{csv}"
    );
    // A coordinator reads no gradebook; a learner no one's final grades.
    assert_eq!(
        app.get_as(&format!("/offerings/{}/gradebook", class.offering), &coord)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_as(
            &format!("/offerings/{}/final-grades", class.offering),
            &token
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    let (_, teacher) = app.person(
        "docente@ciess.org",
        "Otro Docente",
        None,
        &[Role::Instructor],
    );
    assert_eq!(
        app.get_as(
            &format!("/offerings/{}/final-grades", class.offering),
            &teacher
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
}

async fn import(app: &TestApp, staff: &str, a: i64, query: &str, csv: &str) -> reqwest::Response {
    let path = format!("/assignments/{a}/grades/import?{query}");
    app.send_bytes_as(
        Method::POST,
        &path,
        staff,
        "text/csv",
        &[],
        csv.as_bytes().to_vec(),
    )
    .await
}

#[actix_web::test]
async fn grades_import_from_csv_after_a_dry_run_that_writes_nothing() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let staff = &class.centre.instructor;
    let file = "email,score,feedback\nana@imss.gob.mx,85,Bien\nben@bps.gub.uy,\"72,5\",\n";
    let report = ok_json(
        import(&app, staff, a, "dry_run=true", file).await,
        StatusCode::OK,
        "dry run",
    )
    .await;
    assert_eq!(report["applied"], false);
    assert_eq!(report["summary"]["graded"], 2);
    assert_eq!(report["rows"][1]["score"], 72.5);
    let book = book_row(&app, staff, class.offering, class.ana.enrolment_id).await;
    assert_eq!(book["cells"][0]["status"], "open");
    // A bad row: nothing is written.
    let bad = "email,score\nana@imss.gob.mx,85\nnadie@x.org,50\nben@bps.gub.uy,150\n";
    let report = ok_json(
        import(&app, staff, a, "", bad).await,
        StatusCode::OK,
        "bad file",
    )
    .await;
    assert_eq!(report["applied"], false);
    assert_eq!(report["summary"]["errors"], 2);
    assert_eq!(report["rows"][1]["errors"][0]["code"], "not_on_roster");
    assert_eq!(report["rows"][2]["errors"][0]["field"], "score");
    assert_eq!(report["rows"][2]["line"], 4);
    assert!(
        book_row(&app, staff, class.offering, class.ana.enrolment_id).await["cells"][0]["score"]
            .is_null()
    );
    let report = ok_json(
        import(&app, staff, a, "", file).await,
        StatusCode::OK,
        "apply",
    )
    .await;
    assert_eq!(report["applied"], true);
    let row = book_row(&app, staff, class.offering, class.ana.enrolment_id).await;
    assert_eq!(row["cells"][0]["score"], 85.0);
    // Changing grades by file needs a reason like any regrade.
    let changed = "email,score\nana@imss.gob.mx,90\n";
    let report = ok_json(
        import(&app, staff, a, "", changed).await,
        StatusCode::OK,
        "no reason",
    )
    .await;
    assert_eq!(report["rows"][0]["errors"][0]["field"], "reason");
    let report = ok_json(
        import(&app, staff, a, "reason=Segunda%20corrección", changed).await,
        StatusCode::OK,
        "with reason",
    )
    .await;
    assert_eq!(report["summary"]["changed"], 1);
    let p = problem(
        import(&app, staff, a, "", "nombre,nota\nx,1\n").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["code"], "invalid_csv");
}

/// Statements `work` sends through a connection of the test database.
fn statements<T>(app: &TestApp, work: impl FnOnce(&mut aula_db::DbConnection) -> T) -> usize {
    use diesel::connection::{Connection, InstrumentationEvent};
    use std::sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    };
    let count = Arc::new(AtomicUsize::new(0));
    let mut conn = app.db.conn();
    let seen = count.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if matches!(event, InstrumentationEvent::StartQuery { .. }) {
            seen.fetch_add(1, Ordering::Relaxed);
        }
    });
    work(&mut conn);
    count.load(Ordering::Relaxed)
}

#[actix_web::test]
async fn the_gradebook_takes_the_same_number_of_queries_whatever_the_cohort() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({ "weight": 10 })).await);
    let staff = &class.centre.instructor_user;
    let book = |conn: &mut aula_db::DbConnection| {
        aula_assessment::gradebook::gradebook(
            conn,
            &app.assessment,
            staff,
            class.offering,
            &Default::default(),
            aula_core::PageRequest::new(1, 100),
        )
        .unwrap()
    };
    ok_json(
        grade(
            &app,
            &class.centre.instructor,
            a,
            class.ana.enrolment_id,
            json!({ "score": 50 }),
        )
        .await,
        StatusCode::OK,
        "grade",
    )
    .await;
    let small = statements(&app, book);
    for i in 0..12 {
        let s = seat(
            &app,
            &class.centre,
            class.offering,
            &format!("p{i}@ciess.org"),
            &format!("Persona {i}"),
        )
        .await;
        hand_in(&app, &s.token, a, "trabajo").await;
        ok_json(
            grade(
                &app,
                &class.centre.instructor,
                a,
                s.enrolment_id,
                json!({ "score": i }),
            )
            .await,
            StatusCode::OK,
            "grade",
        )
        .await;
    }
    for n in 0..4 {
        class
            .assignment(&app, json!({ "title": format!("Otra {n}"), "weight": 10 }))
            .await;
    }
    let large = statements(&app, book);
    assert_eq!(small, large, "queries for 2 learners × 1 item vs 14 × 5");
    assert!((1..=16).contains(&large), "{large} queries");
}

async fn attach(
    app: &TestApp,
    token: &str,
    a: i64,
    e: i64,
    name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
    );
    app.client
        .post(app.url(&format!("/assignments/{a}/grades/{e}/files")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("request")
}

#[actix_web::test]
async fn feedback_files_reach_the_learner_once_grades_are_released() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let a = id(&class.assignment(&app, json!({})).await);
    let staff = &class.centre.instructor;
    let e = class.ana.enrolment_id;
    hand_in(&app, &class.ana.token, a, "Ensayo").await;
    ok_json(
        grade(
            &app,
            staff,
            a,
            e,
            json!({ "score": 75, "feedback": "Ver anotaciones" }),
        )
        .await,
        StatusCode::OK,
        "grade",
    )
    .await;
    // Learners attach nothing; files are judged by content.
    assert_eq!(
        attach(&app, &class.ana.token, a, e, "x.pdf", PDF)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let p = problem(
        attach(&app, staff, a, e, "notas.pdf", b"MZ\x90\0not a pdf").await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert_eq!(p["code"], "file_type_not_allowed");
    let files = ok_json(
        attach(&app, staff, a, e, "anotaciones-señaladas.pdf", PDF).await,
        StatusCode::CREATED,
        "attach",
    )
    .await;
    let file = id(&files[0]);
    assert_eq!(files[0]["file_name"], "anotaciones-señaladas.pdf");
    // Before release the learner is not told the file exists; a classmate never is.
    assert_eq!(
        app.get_as(&format!("/grade-files/{file}"), &class.ana.token)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    release(&app, staff, a).await;
    let res = app
        .get_as(&format!("/grade-files/{file}"), &class.ana.token)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(
        app.get_as(&format!("/grade-files/{file}"), &class.ben.token)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let mine = ok_json(
        app.get_as(&format!("/assignments/{a}"), &class.ana.token)
            .await,
        StatusCode::OK,
        "read",
    )
    .await;
    assert_eq!(mine["mine"]["grade"]["files"][0]["id"], file);
    // Staff remove it; the learner may not.
    assert_eq!(
        app.delete_as(&format!("/grade-files/{file}"), &class.ana.token)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete_as(&format!("/grade-files/{file}"), staff)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get_as(&format!("/grade-files/{file}"), staff)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
