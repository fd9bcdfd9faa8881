//! Quizzes: the question bank, auto-grading of each kind, the server's time limit,
//! attempts and extensions, answers kept from learners until the quiz closes for them,
//! overrides of short answers, and quizzes in the gradebook.

use aula_core::Clock;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    assessment_fixtures::*,
    common::TestApp,
    enrolment_fixtures::{learner, ok_json, COURSE},
};

async fn question(app: &TestApp, token: &str, body: Value) -> i64 {
    let res = app
        .post_as(&format!("/courses/{COURSE}/questions"), token, body)
        .await;
    id(&ok_json(res, StatusCode::CREATED, "create a question").await)
}

/// One question of each kind, 1 point each (the multiple choice: 2, proportional).
async fn bank(app: &TestApp, staff: &str) -> Vec<i64> {
    vec![
        question(app, staff, json!({ "kind": "single_choice", "tags": ["pensiones"], "texts": [
            { "locale": "es", "prompt": "¿Qué organismo agrupa a las instituciones?", "choices": ["OIT", "CISS", "OMS"],
              "explanation": "La CISS es la Conferencia Interamericana de Seguridad Social." },
            { "locale": "en", "prompt": "Which body gathers the institutions?", "choices": ["ILO", "CISS", "WHO"] } ],
            "correct": [1] })).await,
        question(app, staff, json!({ "kind": "multiple_choice", "points": 2, "partial_credit": "proportional",
            "texts": [{ "locale": "es", "prompt": "Riesgos cubiertos", "choices": ["Vejez", "Invalidez", "Turismo", "Muerte"] }],
            "correct": [0, 1, 3] })).await,
        question(app, staff, json!({ "kind": "true_false",
            "texts": [{ "locale": "es", "prompt": "El reparto es un sistema de capitalización individual." }],
            "correct": [0] })).await,
        question(app, staff, json!({ "kind": "short_answer", "accepted_answers": ["pensión no contributiva"],
            "texts": [{ "locale": "es", "prompt": "¿Cómo se llama la pensión sin cotizaciones?" }] })).await,
        question(app, staff, json!({ "kind": "numeric", "numeric_answer": 12.5, "numeric_tolerance": 0.5,
            "texts": [{ "locale": "es", "prompt": "Tasa de cotización (%)" }] })).await,
    ]
}

async fn quiz(app: &TestApp, class: &Class, body: Value) -> Value {
    let mut full = json!({
        "title": "Cuestionario 1",
        "closes_at": at(app.clock.now() + Duration::days(7)),
        "max_score": 10,
        "weight": 50,
    });
    for (k, v) in body.as_object().unwrap() {
        full[k] = v.clone();
    }
    let res = app
        .post_as(
            &format!("/offerings/{}/quizzes", class.offering),
            &class.centre.instructor,
            full,
        )
        .await;
    ok_json(res, StatusCode::CREATED, "create a quiz").await
}

fn fixed(ids: &[i64]) -> Value {
    json!(ids
        .iter()
        .map(|q| json!({ "question_id": q }))
        .collect::<Vec<_>>())
}

async fn start(app: &TestApp, token: &str, quiz: i64) -> reqwest::Response {
    app.post_as(&format!("/quizzes/{quiz}/attempts"), token, json!({}))
        .await
}

async fn answer(
    app: &TestApp,
    token: &str,
    attempt: i64,
    position: i64,
    response: &str,
) -> reqwest::Response {
    app.put_as(
        &format!("/quiz-attempts/{attempt}/answers/{position}"),
        token,
        json!({ "response": response }),
    )
    .await
}

/// The attempt's position of a question by its prompt's start.
fn position_of(attempt: &Value, prompt: &str) -> i64 {
    attempt["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["prompt"].as_str().unwrap().starts_with(prompt))
        .map(|q| q["position"].as_i64().unwrap())
        .unwrap_or_else(|| panic!("no question {prompt}: {attempt}"))
}

fn leaks(attempt: &Value) -> bool {
    attempt["questions"].as_array().unwrap().iter().any(|q| {
        [
            "correct",
            "accepted_answers",
            "numeric_answer",
            "explanation",
        ]
        .iter()
        .any(|k| q.get(*k).is_some())
    })
}

#[actix_web::test]
async fn each_question_kind_is_graded_at_submission_and_answers_stay_hidden_until_the_close() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut class = Class::open(&app).await;
    let ids = bank(&app, &class.centre.instructor).await;
    let q = quiz(&app, &class, json!({ "parts": fixed(&ids) })).await;
    let seen = ok_json(
        app.get_as(&format!("/quizzes/{}", id(&q)), &class.ana.token)
            .await,
        StatusCode::OK,
        "read",
    )
    .await;
    assert!(
        seen.get("parts").is_none(),
        "learners do not see what is drawn: {seen}"
    );
    let attempt = ok_json(
        start(&app, &class.ana.token, id(&q)).await,
        StatusCode::OK,
        "start",
    )
    .await;
    assert!(!leaks(&attempt), "{attempt}");
    let a = id(&attempt);
    let t = class.ana.token.clone();
    // Right: single choice (CISS), true/false (false), short answer without accents,
    // numeric within tolerance. Partly right: two of three risks and no wrong one.
    for (prompt, response) in [
        ("¿Qué organismo", "1"),
        ("Riesgos", "0 3"),
        ("El reparto", "0"),
        ("¿Cómo se llama", "  PENSION no contributiva "),
        ("Tasa", "12,9"),
    ] {
        let p = position_of(&attempt, prompt);
        ok_json(
            answer(&app, &t, a, p, response).await,
            StatusCode::OK,
            prompt,
        )
        .await;
    }
    // A choice out of range is refused and the answer kept.
    let p = problem(
        answer(&app, &t, a, position_of(&attempt, "Riesgos"), "0 9").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "response");
    let done = ok_json(
        app.post_as(&format!("/quiz-attempts/{a}/submit"), &t, json!({}))
            .await,
        StatusCode::OK,
        "submit",
    )
    .await;
    // 1 + 2 × (3 of 4 choices marked as they should be) + 1 + 1 + 1 = 5.5 of 6.
    assert_eq!(done["points"], 5.5);
    assert_eq!(done["max_points"], 6.0);
    assert_eq!(done["score"], 9.17);
    assert!(!leaks(&done), "submitted but not closed: {done}");
    let points: Vec<f64> = done["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["points"].as_f64().unwrap())
        .collect();
    assert_eq!(points.iter().sum::<f64>(), 5.5);
    // In English where written, Spanish otherwise.
    let en = ok_json(
        app.get_as(&format!("/quiz-attempts/{a}?lang=en"), &t).await,
        StatusCode::OK,
        "read",
    )
    .await;
    let (which, rate) = (position_of(&en, "Which body"), position_of(&en, "Tasa"));
    assert_eq!(en["questions"][which as usize]["locale"], "en");
    assert_eq!(
        en["questions"][rate as usize]["locale"], "es",
        "said in the language it is written in"
    );
    // Once the quiz is closed for her the right answers and explanations are shown.
    app.clock.advance(Duration::days(8));
    class.ana.token = app.mint_token(&class.ana.user);
    let review = ok_json(
        app.get_as(&format!("/quiz-attempts/{a}"), &class.ana.token)
            .await,
        StatusCode::OK,
        "review",
    )
    .await;
    assert_eq!(review["review"], true);
    let single = &review["questions"][position_of(&review, "¿Qué organismo") as usize];
    assert_eq!(single["correct"], json!([1]));
    assert!(single["explanation"]
        .as_str()
        .unwrap()
        .contains("Conferencia"));
}

#[actix_web::test]
async fn answers_after_the_time_limit_are_refused_and_the_attempt_counts_what_came_in_time() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut class = Class::open(&app).await;
    let ids = bank(&app, &class.centre.instructor).await;
    let q = quiz(
        &app,
        &class,
        json!({ "parts": fixed(&ids[..1]), "time_limit_minutes": 10 }),
    )
    .await;
    let attempt = ok_json(
        start(&app, &class.ana.token, id(&q)).await,
        StatusCode::OK,
        "start",
    )
    .await;
    let a = id(&attempt);
    assert!(attempt["seconds_left"].as_i64().unwrap() <= 600);
    app.clock.advance(Duration::minutes(5));
    ok_json(
        answer(&app, &class.ana.token, a, 0, "1").await,
        StatusCode::OK,
        "in time",
    )
    .await;
    // Starting again resumes the same attempt.
    let again = ok_json(
        start(&app, &class.ana.token, id(&q)).await,
        StatusCode::OK,
        "resume",
    )
    .await;
    assert_eq!(id(&again), a);
    assert_eq!(again["questions"][0]["response"], "1");
    app.clock.advance(Duration::minutes(6));
    class.ana.token = app.mint_token(&class.ana.user);
    let p = problem(
        answer(&app, &class.ana.token, a, 0, "0").await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "attempt_closed");
    let read = ok_json(
        app.get_as(&format!("/quiz-attempts/{a}"), &class.ana.token)
            .await,
        StatusCode::OK,
        "read",
    )
    .await;
    assert_eq!(read["questions"][0]["response"], "1");
    assert_eq!(read["points"], 1.0);
    assert_eq!(read["submitted_at"], attempt["deadline_at"]);
}

#[actix_web::test]
async fn attempts_are_limited_scored_by_the_rule_and_an_extension_adds_one() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let ids = bank(&app, &class.centre.instructor).await;
    let q = id(&quiz(
        &app,
        &class,
        json!({ "parts": fixed(&ids[..1]), "max_attempts": 1, "scoring": "highest" }),
    )
    .await);
    let t = &class.ana.token;
    let first = id(&ok_json(start(&app, t, q).await, StatusCode::OK, "start").await);
    ok_json(
        answer(&app, t, first, 0, "1").await,
        StatusCode::OK,
        "answer",
    )
    .await;
    ok_json(
        app.post_as(&format!("/quiz-attempts/{first}/submit"), t, json!({}))
            .await,
        StatusCode::OK,
        "submit",
    )
    .await;
    let p = problem(start(&app, t, q).await, StatusCode::CONFLICT).await;
    assert_eq!(p["code"], "no_attempts_left");
    let res = app
        .put_as(
            &format!("/quizzes/{q}/extensions/{}", class.ana.enrolment_id),
            &class.centre.instructor,
            json!({ "extra_attempts": 1, "reason": "Se cortó la conexión" }),
        )
        .await;
    ok_json(res, StatusCode::OK, "extension").await;
    let granted = ok_json(
        app.get_as(
            &format!("/quizzes/{q}/extensions"),
            &class.centre.instructor,
        )
        .await,
        StatusCode::OK,
        "list",
    )
    .await;
    assert_eq!(granted[0]["reason"], "Se cortó la conexión");
    assert_eq!(
        app.get_as(&format!("/quizzes/{q}/extensions"), t)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let second = id(&ok_json(start(&app, t, q).await, StatusCode::OK, "second").await);
    ok_json(
        answer(&app, t, second, 0, "2").await,
        StatusCode::OK,
        "wrong",
    )
    .await;
    ok_json(
        app.post_as(&format!("/quiz-attempts/{second}/submit"), t, json!({}))
            .await,
        StatusCode::OK,
        "submit",
    )
    .await;
    let mine = ok_json(
        app.get_as(&format!("/quizzes/{q}"), t).await,
        StatusCode::OK,
        "read",
    )
    .await;
    assert_eq!(mine["mine"]["attempts_allowed"], 2);
    assert_eq!(mine["mine"]["score"], 10.0, "the highest of 10 and 0");
    // Another person can neither read nor answer her attempt.
    assert_eq!(
        app.get_as(&format!("/quiz-attempts/{first}"), &class.ben.token)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        answer(&app, &class.ben.token, second, 0, "1")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = app
        .post_as(
            &format!("/quiz-attempts/{second}/submit"),
            &class.ben.token,
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Staff read every attempt.
    let list = ok_json(
        app.get_as(&format!("/quizzes/{q}/attempts"), &class.centre.instructor)
            .await,
        StatusCode::OK,
        "list",
    )
    .await;
    assert_eq!(list["total"], 2);
    // Attempts were made: the quiz stays.
    let p = problem(
        app.delete_as(&format!("/quizzes/{q}"), &class.centre.instructor)
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "quiz_in_use");
}

#[actix_web::test]
async fn a_random_draw_takes_distinct_questions_of_its_tag() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let staff = &class.centre.instructor;
    for i in 0..4 {
        question(&app, staff, json!({ "kind": "single_choice", "tags": ["Actuaría"], "texts": [
            { "locale": "es", "prompt": format!("Pregunta {i}"), "choices": ["a", "b", "c", "d", "e"] }], "correct": [0] })).await;
    }
    question(&app, staff, json!({ "kind": "true_false", "tags": ["otra"], "texts": [{ "locale": "es", "prompt": "Fuera" }], "correct": [1] })).await;
    // More than the tag holds is refused.
    let res = app
        .post_as(
            &format!("/offerings/{}/quizzes", class.offering),
            staff,
            json!({
            "title": "Azar", "closes_at": at(app.clock.now() + Duration::days(1)), "max_score": 10,
            "parts": [{ "tag": "actuaria", "count": 5 }] }),
        )
        .await;
    assert_eq!(
        problem(res, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"],
        "parts[0].count"
    );
    let q = id(&quiz(
        &app,
        &class,
        json!({ "parts": [{ "tag": "actuaria", "count": 3 }] }),
    )
    .await);
    let attempt = ok_json(
        start(&app, &class.ana.token, q).await,
        StatusCode::OK,
        "start",
    )
    .await;
    let prompts: Vec<&str> = attempt["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["prompt"].as_str().unwrap())
        .collect();
    assert_eq!(prompts.len(), 3);
    assert!(
        prompts.iter().all(|p| p.starts_with("Pregunta")),
        "{prompts:?}"
    );
    let mut unique = prompts.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3);
    for q in attempt["questions"].as_array().unwrap() {
        let mut order: Vec<i64> = q["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["position"].as_i64().unwrap())
            .collect();
        order.sort();
        assert_eq!(order, [0, 1, 2, 3, 4]);
    }
}

#[actix_web::test]
async fn a_short_answer_can_be_given_other_points_with_a_reason() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let ids = bank(&app, &class.centre.instructor).await;
    let q = id(&quiz(&app, &class, json!({ "parts": fixed(&ids[3..4]) })).await);
    let a = id(&ok_json(
        start(&app, &class.ana.token, q).await,
        StatusCode::OK,
        "start",
    )
    .await);
    ok_json(
        answer(&app, &class.ana.token, a, 0, "pension asistencial").await,
        StatusCode::OK,
        "answer",
    )
    .await;
    let done = ok_json(
        app.post_as(
            &format!("/quiz-attempts/{a}/submit"),
            &class.ana.token,
            json!({}),
        )
        .await,
        StatusCode::OK,
        "submit",
    )
    .await;
    assert_eq!(done["points"], 0.0);
    let path = format!("/quiz-attempts/{a}/answers/0/points");
    let p = problem(
        app.put_as(
            &path,
            &class.centre.instructor,
            json!({ "points": 2, "reason": "x" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "points");
    assert_eq!(
        app.put_as(
            &path,
            &class.ana.token,
            json!({ "points": 1, "reason": "yo" })
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    let fixed = ok_json(
        app.put_as(
            &path,
            &class.centre.instructor,
            json!({ "points": 1, "reason": "Sinónimo aceptado" }),
        )
        .await,
        StatusCode::OK,
        "override",
    )
    .await;
    assert_eq!(fixed["points"], 1.0);
    assert_eq!(fixed["questions"][0]["overridden"], true);
    assert_eq!(fixed["score"], 10.0);
}

#[actix_web::test]
async fn quizzes_count_in_the_gradebook_with_their_weight_and_the_bank_is_for_staff() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let class = Class::open(&app).await;
    let staff = class.centre.instructor.clone();
    let ids = bank(&app, &staff).await;
    let essay = id(&class.assignment(&app, json!({ "weight": 50 })).await);
    // Weights are shared with assignments: 50 + 60 is refused.
    let res = app
        .post_as(&format!("/offerings/{}/quizzes", class.offering), &staff, json!({
            "title": "Pesado", "closes_at": at(app.clock.now() + Duration::days(1)), "max_score": 10, "weight": 60,
            "parts": fixed(&ids[..1]) }))
        .await;
    assert_eq!(
        problem(res, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["code"],
        "exceeds_total"
    );
    let q = id(&quiz(&app, &class, json!({ "parts": fixed(&ids[..2]) })).await);
    ok_json(
        grade(
            &app,
            &staff,
            essay,
            class.ana.enrolment_id,
            json!({ "score": 80 }),
        )
        .await,
        StatusCode::OK,
        "grade",
    )
    .await;
    let a = id(&ok_json(
        start(&app, &class.ana.token, q).await,
        StatusCode::OK,
        "start",
    )
    .await);
    // Only the single choice, right: 1 of 3 points = 3.33 of 10.
    ok_json(
        answer(&app, &class.ana.token, a, 0, "1").await,
        StatusCode::OK,
        "answer",
    )
    .await;
    ok_json(
        app.post_as(
            &format!("/quiz-attempts/{a}/submit"),
            &class.ana.token,
            json!({}),
        )
        .await,
        StatusCode::OK,
        "submit",
    )
    .await;
    let row = book_row(&app, &staff, class.offering, class.ana.enrolment_id).await;
    let quiz_cell = row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "quiz")
        .cloned()
        .unwrap();
    assert_eq!(quiz_cell["score"], 3.33);
    // (50 × 80 + 50 × 33.3) / 100
    assert_eq!(row["final_grade"], 56.65);
    // The bank holds the answers: learners and strangers are not told it exists.
    let (_, stranger) = learner(&app, "otra@ccss.sa.cr", "Otra", None);
    for token in [&class.ana.token, &stranger] {
        assert_eq!(
            app.get_as(&format!("/courses/{COURSE}/questions"), token)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get_as(&format!("/questions/{}", ids[0]), token)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
    }
    let listed = ok_json(
        app.get_as(
            &format!("/courses/{COURSE}/questions?tag=pensiones"),
            &staff,
        )
        .await,
        StatusCode::OK,
        "bank",
    )
    .await;
    assert_eq!(listed["total"], 1);
}
