//! Who sees what of an offering's coursework: every role against every resource, in one
//! table. Strangers are told nothing exists (404); people related to the offering but
//! not allowed an action are refused (403).

use aula_core::Clock;
use aula_identity::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    assessment_fixtures::*,
    common::TestApp,
    enrolment_fixtures::{coordinator, enrol, learner, ok_json, COURSE},
};

const OK: StatusCode = StatusCode::OK;
const NO: StatusCode = StatusCode::FORBIDDEN;
const NF: StatusCode = StatusCode::NOT_FOUND;

#[actix_web::test]
async fn each_role_sees_exactly_its_share_of_the_coursework() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let imss = class.centre.institution(&app, "IMSS", "titular").await;
    let bps = class.centre.institution(&app, "BPS", "titular").await;
    // The learner whose work is read, from the IMSS.
    let (user, owner) = learner(&app, "lucia@imss.gob.mx", "Lucía Ramos", Some(imss));
    let e = id(&enrol(&app, &class.centre.admin, class.offering, user.id).await);
    let a = id(&class.assignment(&app, json!({ "weight": 40 })).await);
    let staff = class.centre.instructor.clone();
    let q_id = {
        let res = app
            .post_as(
                &format!("/courses/{COURSE}/questions"),
                &staff,
                json!({ "kind": "true_false",
                "texts": [{ "locale": "es", "prompt": "¿Sí?" }], "correct": [1] }),
            )
            .await;
        id(&ok_json(res, StatusCode::CREATED, "question").await)
    };
    let quiz = {
        let res = app
            .post_as(&format!("/offerings/{}/quizzes", class.offering), &staff, json!({
                "title": "Q", "closes_at": at(app.clock.now() + chrono::Duration::days(7)), "max_score": 10,
                "parts": [{ "question_id": q_id }] }))
            .await;
        id(&ok_json(res, StatusCode::CREATED, "quiz").await)
    };
    let sub = id(&ok_json(
        submit(&app, &owner, a, Some("mi trabajo"), &[("t.pdf", PDF)]).await,
        StatusCode::CREATED,
        "hand in",
    )
    .await);
    let attempt = id(&ok_json(
        app.post_as(&format!("/quizzes/{quiz}/attempts"), &owner, json!({}))
            .await,
        OK,
        "start",
    )
    .await);
    ok_json(
        grade(&app, &staff, a, e, json!({ "score": 70 })).await,
        OK,
        "grade",
    )
    .await;

    let (_, other_instructor) = app.person(
        "docente@ciess.org",
        "Otro Docente",
        None,
        &[Role::Instructor],
    );
    let (_, own_coordinator) = coordinator(&app, "coord@imss.gob.mx", imss);
    let (_, other_coordinator) = coordinator(&app, "coord@bps.gub.uy", bps);
    let (_, stranger) = learner(&app, "nadie@ccss.sa.cr", "Nadie", None);
    let people: [(&str, &str); 8] = [
        ("owner", &owner),
        ("classmate", &class.ben.token),
        ("instructor", &staff),
        ("admin", &class.centre.admin),
        ("other instructor", &other_instructor),
        ("own coordinator", &own_coordinator),
        ("other coordinator", &other_coordinator),
        ("stranger", &stranger),
    ];
    let o = class.offering;
    #[rustfmt::skip]
    let table: Vec<(String, [StatusCode; 8])> = vec![
        //                                                  owner classm instr admin o.ins own.c oth.c strngr
        (format!("/offerings/{o}/assignments"),            [OK, OK, OK, OK, NF, NF, NF, NF]),
        (format!("/assignments/{a}"),                      [OK, OK, OK, OK, NF, NF, NF, NF]),
        (format!("/assignments/{a}/submissions?enrolment_id={e}"), [OK, NF, OK, OK, NF, NF, NF, NF]),
        (format!("/submissions/{sub}"),                    [OK, NF, OK, OK, NF, NF, NF, NF]),
        (format!("/assignments/{a}/grades/{e}"),           [NO, NO, OK, OK, NF, NF, NF, NF]),
        (format!("/offerings/{o}/grading-queue"),          [NO, NO, OK, OK, NF, NF, NF, NF]),
        (format!("/offerings/{o}/gradebook"),              [NO, NO, OK, OK, NF, NF, NF, NF]),
        (format!("/offerings/{o}/gradebook.csv"),          [NO, NO, OK, OK, NF, NF, NF, NF]),
        (format!("/enrolments/{e}/final-grade"),           [NO, NO, OK, OK, NF, NF, NF, NF]),
        (format!("/offerings/{o}/final-grades"),           [NF, NF, OK, OK, NF, OK, OK, NF]),
        (format!("/offerings/{o}/quizzes"),                [OK, OK, OK, OK, NF, NF, NF, NF]),
        (format!("/quizzes/{quiz}"),                       [OK, OK, OK, OK, NF, NF, NF, NF]),
        (format!("/quizzes/{quiz}/attempts"),              [NO, NO, OK, OK, NF, NF, NF, NF]),
        (format!("/quiz-attempts/{attempt}"),              [OK, NF, OK, OK, NF, NF, NF, NF]),
        (format!("/courses/{COURSE}/questions"),           [NF, NF, OK, OK, NF, NF, NF, NF]),
        (format!("/questions/{q_id}"),                     [NF, NF, OK, OK, NF, NF, NF, NF]),
    ];
    let mut wrong = Vec::new();
    for (path, expected) in &table {
        for ((who, token), want) in people.iter().zip(expected) {
            let got = app.get_as(path, token).await.status();
            if got != *want {
                wrong.push(format!("{who} GET {path}: {got}, expected {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // A coordinator reads final grades of their own institution's people only.
    for (token, names) in [
        (&own_coordinator, vec!["Lucía Ramos"]),
        (&other_coordinator, vec![]),
    ] {
        let list = ok_json(
            app.get_as(&format!("/offerings/{o}/final-grades"), token)
                .await,
            OK,
            "final grades",
        )
        .await;
        let got: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["full_name"].as_str().unwrap())
            .collect();
        assert_eq!(got, names);
    }
}
