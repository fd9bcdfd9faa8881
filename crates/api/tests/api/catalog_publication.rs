//! Publishing checks that a course is ready; instructors ask for review and
//! administrators publish or send it back.

use aula_core::Clock;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    catalog_fixtures::{course, create_course, create_offering, offering, staff},
    common::{assert_problem, TestApp},
    enrolment_fixtures::{error, field_errors, ok_json},
};

/// A draft with only a title in Spanish and no edition.
fn bare(code: &str) -> Value {
    let mut body = course(code, "Pensiones");
    body["translation"]["summary"] = json!("");
    body["translation"]["description_md"] = json!("  ");
    body
}

#[actix_web::test]
async fn publishing_refuses_a_course_without_an_edition_or_its_texts_and_says_what_is_missing() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    create_course(&app, &staff.instructor, bare("PEN-201")).await;

    let res = app
        .post_as("/courses/PEN-201/publish", &staff.admin, json!({}))
        .await;
    let problem = assert_problem(res, StatusCode::CONFLICT, "course_not_ready").await;
    assert_eq!(
        field_errors(&problem),
        vec![
            error("publication.offerings", "required"),
            error("publication.summary", "required"),
            error("publication.description", "required"),
        ]
    );
    let english = app
        .client
        .post(app.url("/courses/PEN-201/publish"))
        .bearer_auth(&staff.admin)
        .header("Accept-Language", "en")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let problem: Value = english.json().await.unwrap();
    assert_eq!(problem["errors"][0]["message"], "Add at least one edition");

    // With the texts but still no edition, only the edition is missing.
    let texts = json!({"title": "Pensiones", "summary": "Resumen", "description_md": "Texto"});
    let res = app
        .put_as("/courses/PEN-201/translations/es", &staff.instructor, texts)
        .await;
    ok_json(res, StatusCode::OK, "write the texts").await;
    let res = app
        .post_as("/courses/PEN-201/publish", &staff.admin, json!({}))
        .await;
    let problem = assert_problem(res, StatusCode::CONFLICT, "course_not_ready").await;
    assert_eq!(
        field_errors(&problem),
        vec![error("publication.offerings", "required")]
    );

    let body = offering(app.clock.now(), -1, 10);
    create_offering(&app, &staff.instructor, "PEN-201", body).await;
    let res = app
        .post_as("/courses/PEN-201/publish", &staff.admin, json!({}))
        .await;
    let published = ok_json(res, StatusCode::OK, "publish").await;
    assert_eq!(published["status"], "published");
}

#[actix_web::test]
async fn an_instructor_asks_for_review_and_the_admin_sees_the_queue_and_sends_it_back_with_a_note()
{
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    create_course(&app, &staff.instructor, bare("PEN-201")).await;

    // Not ready: the instructor learns what is missing at once.
    let res = app
        .post_as(
            "/courses/PEN-201/review-request",
            &staff.instructor,
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "course_not_ready").await;

    let texts = json!({"title": "Pensiones", "summary": "Resumen", "description_md": "Texto"});
    app.put_as("/courses/PEN-201/translations/es", &staff.instructor, texts)
        .await;
    let body = offering(app.clock.now(), -1, 10);
    create_offering(&app, &staff.instructor, "PEN-201", body).await;
    let res = app
        .post_as(
            "/courses/PEN-201/review-request",
            &staff.instructor,
            json!({}),
        )
        .await;
    let course = ok_json(res, StatusCode::OK, "ask for review").await;
    assert_eq!(course["status"], "draft");
    assert!(course["review"]["requested_at"].is_string(), "{course}");

    // Instructors cannot publish, nor see the queue.
    let res = app
        .post_as("/courses/PEN-201/publish", &staff.instructor, json!({}))
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.get_as("/course-reviews", &staff.instructor).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;

    let queue = ok_json(
        app.get_as("/course-reviews", &staff.admin).await,
        StatusCode::OK,
        "the queue",
    )
    .await;
    assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
    assert_eq!(queue[0]["code"], "PEN-201");
    assert_eq!(queue[0]["title"], "Pensiones");
    assert_eq!(queue[0]["instructors"][0]["full_name"], "Lucía Fernández");

    let res = app
        .post_as(
            "/courses/PEN-201/send-back",
            &staff.admin,
            json!({"note": " "}),
        )
        .await;
    assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .post_as(
            "/courses/PEN-201/send-back",
            &staff.admin,
            json!({"note": "Añada los objetivos de aprendizaje"}),
        )
        .await;
    let course = ok_json(res, StatusCode::OK, "send back").await;
    assert_eq!(course["review"]["requested_at"], Value::Null);
    assert_eq!(
        course["review"]["note"],
        "Añada los objetivos de aprendizaje"
    );
    let queue = ok_json(
        app.get_as("/course-reviews", &staff.admin).await,
        StatusCode::OK,
        "the queue",
    )
    .await;
    assert_eq!(queue, json!([]));
    // Sending back twice is not possible: it is no longer awaiting review.
    let res = app
        .post_as(
            "/courses/PEN-201/send-back",
            &staff.admin,
            json!({"note": "x"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "invalid_transition").await;

    // Asked again and published: the request and the note are settled.
    app.post_as(
        "/courses/PEN-201/review-request",
        &staff.instructor,
        json!({}),
    )
    .await;
    let res = app
        .post_as("/courses/PEN-201/publish", &staff.admin, json!({}))
        .await;
    let course = ok_json(res, StatusCode::OK, "publish").await;
    assert_eq!(
        course["review"],
        json!({"requested_at": null, "note": null})
    );
    let res = app
        .post_as(
            "/courses/PEN-201/review-request",
            &staff.instructor,
            json!({}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "invalid_transition").await;
}
