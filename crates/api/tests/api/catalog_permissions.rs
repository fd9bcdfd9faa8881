//! Who may read and change the catalog.

use crate::catalog_fixtures;
use crate::common;

use aula_core::Clock;
use aula_identity::Role;
use catalog_fixtures::*;
use common::{assert_problem, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[actix_web::test]
async fn students_cannot_create_courses() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (_, student) = app
        .token_for("student@demo.test", "Student", &[Role::Student])
        .await;
    assert_problem(
        app.post_as("/courses", &student, course("PEN-201", "Pensiones"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/courses", course("PEN-201", "Pensiones")).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[actix_web::test]
async fn an_instructor_cannot_edit_another_instructors_course() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    let (_, other) = app
        .token_for("otro@demo.test", "Otro Docente", &[Role::Instructor])
        .await;
    let created = create_course(&app, &staff.instructor, course("PEN-201", "Pensiones")).await;
    assert_eq!(
        created["instructors"][0]["id"], staff.instructor_id,
        "the author teaches it"
    );

    // A draft of someone else does not exist for them; a published one is forbidden.
    assert_problem(
        app.patch_as("/courses/PEN-201", &other, json!({"hours": 10}))
            .await,
        StatusCode::NOT_FOUND,
        "course_not_found",
    )
    .await;
    publish(&app, &staff.admin, "PEN-201").await;
    assert_problem(
        app.patch_as("/courses/PEN-201", &other, json!({"hours": 10}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        put_as(
            &app,
            "/courses/PEN-201/translations/en",
            &other,
            json!({"title": "Hijacked"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_as(
            "/courses/PEN-201/offerings",
            &other,
            offering(app.clock.now(), 0, 10),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let res = app
        .patch_as("/courses/PEN-201", &staff.instructor, json!({"hours": 10}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .patch_as("/courses/PEN-201", &staff.admin, json!({"hours": 12}))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "administrators edit every course"
    );
}

#[actix_web::test]
async fn drafts_and_their_offerings_are_invisible_to_the_public() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    create_course(&app, &staff.instructor, course("PEN-201", "Pensiones")).await;
    let offering = create_offering(
        &app,
        &staff.instructor,
        "PEN-201",
        offering(app.clock.now(), 0, 10),
    )
    .await;
    let id = offering["id"].as_i64().unwrap();

    assert_eq!(get_json(&app, "/courses").await["total"], 0);
    assert_problem(
        get(&app, "/courses/PEN-201").await,
        StatusCode::NOT_FOUND,
        "course_not_found",
    )
    .await;
    assert_problem(
        get(&app, "/courses/PEN-201/offerings").await,
        StatusCode::NOT_FOUND,
        "course_not_found",
    )
    .await;
    assert_problem(
        get(&app, &format!("/offerings/{id}")).await,
        StatusCode::NOT_FOUND,
        "offering_not_found",
    )
    .await;
    assert_problem(
        get(&app, &format!("/offerings/{id}/calendar.ics")).await,
        StatusCode::NOT_FOUND,
        "offering_not_found",
    )
    .await;
    let (_, student) = app
        .token_for("student@demo.test", "Student", &[Role::Student])
        .await;
    assert_problem(
        app.get_as("/courses/PEN-201", &student).await,
        StatusCode::NOT_FOUND,
        "course_not_found",
    )
    .await;
    assert_eq!(
        app.get_as("/courses/PEN-201", &staff.instructor)
            .await
            .status(),
        StatusCode::OK
    );
    let drafts = app
        .get_as("/courses?status=draft", &staff.admin)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(
        codes(&drafts),
        ["PEN-201"],
        "administrators can list drafts"
    );

    publish(&app, &staff.admin, "PEN-201").await;
    assert_eq!(
        get(&app, &format!("/offerings/{id}")).await.status(),
        StatusCode::OK
    );
    assert_eq!(get_json(&app, "/courses").await["total"], 1);
}

#[actix_web::test]
async fn only_administrators_publish_and_archive_and_archived_courses_can_return() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    create_course(&app, &staff.instructor, course("PEN-201", "Pensiones")).await;
    assert_problem(
        app.post_as("/courses/PEN-201/publish", &staff.instructor, json!({}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_as("/courses/PEN-201/archive", &staff.admin, json!({}))
            .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    publish(&app, &staff.admin, "PEN-201").await;
    let archived = app
        .post_as("/courses/PEN-201/archive", &staff.admin, json!({}))
        .await;
    assert_eq!(
        archived.json::<serde_json::Value>().await.unwrap()["status"],
        "archived"
    );
    assert_problem(
        get(&app, "/courses/PEN-201").await,
        StatusCode::NOT_FOUND,
        "course_not_found",
    )
    .await;
    publish(&app, &staff.admin, "PEN-201").await;
    assert_eq!(
        get_json(&app, "/courses/PEN-201").await["status"],
        "published"
    );
}

#[actix_web::test]
async fn lesson_bodies_are_refused_to_people_not_enrolled() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    published(&app, &staff, course("PEN-201", "Pensiones")).await;
    let module = app
        .post_as(
            "/courses/PEN-201/modules",
            &staff.instructor,
            json!({"title": "Fundamentos"}),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let lesson = app
        .post_as(
            &format!("/modules/{}/lessons", module["id"]),
            &staff.instructor,
            json!({"title": "Tasa de reemplazo", "kind": "text", "body_md": "Contenido **privado**"}),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let path = format!("/lessons/{}", lesson["id"]);

    let outline = get_json(&app, "/courses/PEN-201/modules").await;
    assert_eq!(
        outline[0]["lessons"][0]["title"], "Tasa de reemplazo",
        "titles are public"
    );
    assert!(!outline.to_string().contains("privado"));

    assert_problem(
        get(&app, &path).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let (_, student) = app
        .token_for("student@demo.test", "Student", &[Role::Student])
        .await;
    assert_problem(
        app.get_as(&path, &student).await,
        StatusCode::FORBIDDEN,
        "not_enrolled",
    )
    .await;
    let (_, other) = app
        .token_for("otro@demo.test", "Otro", &[Role::Instructor])
        .await;
    assert_problem(
        app.get_as(&path, &other).await,
        StatusCode::FORBIDDEN,
        "not_enrolled",
    )
    .await;
    for token in [&staff.instructor, &staff.admin] {
        let res = app.get_as(&path, token).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            body["body_html"],
            "<p>Contenido <strong>privado</strong></p>\n"
        );
        // Editors get the Markdown source back, to edit it.
        assert_eq!(body["body_md"], "Contenido **privado**");
    }
}
