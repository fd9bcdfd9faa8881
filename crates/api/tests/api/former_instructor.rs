//! A course's instructor listing grants staff rights only while its person holds the
//! instructor role; without it the listing is inert.

use crate::common::{assert_problem, TestApp};
use crate::enrolment_fixtures::*;

use chrono::TimeDelta;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use aula_core::Clock;

/// The staff requests a listed instructor makes on their course, with what each answers
/// a stranger: a visible record "forbidden", an enrolment they may not see "not found".
async fn staff_requests(
    app: &TestApp,
    token: &str,
    offering: i64,
    lesson: i64,
    session: i64,
) -> Vec<(String, Response, StatusCode)> {
    let start = (app.clock.now() + TimeDelta::days(3)).and_utc();
    let session_body = json!({ "title": "Sesión", "starts_at": start.to_rfc3339(),
                               "ends_at": (start + TimeDelta::hours(2)).to_rfc3339() });
    let f = StatusCode::FORBIDDEN;
    vec![
        (
            "roster".into(),
            app.get_as(&format!("/offerings/{offering}/roster"), token)
                .await,
            f,
        ),
        (
            "roster.csv".into(),
            app.get_as(&format!("/offerings/{offering}/roster.csv"), token)
                .await,
            f,
        ),
        (
            "approvals".into(),
            app.get_as("/staff/approvals", token).await,
            f,
        ),
        (
            "course edit".into(),
            app.patch_as(&format!("/courses/{COURSE}"), token, json!({"hours": 12}))
                .await,
            f,
        ),
        (
            "new module".into(),
            app.post_as(
                &format!("/courses/{COURSE}/modules"),
                token,
                json!({"title": "Otro"}),
            )
            .await,
            f,
        ),
        (
            "lesson edit".into(),
            app.patch_as(
                &format!("/lessons/{lesson}"),
                token,
                json!({"title": "Cambiada"}),
            )
            .await,
            f,
        ),
        (
            "offering edit".into(),
            app.patch_as(
                &format!("/offerings/{offering}"),
                token,
                json!({"capacity": 20}),
            )
            .await,
            f,
        ),
        (
            "new session".into(),
            app.post_as(
                &format!("/offerings/{offering}/sessions"),
                token,
                session_body,
            )
            .await,
            f,
        ),
        (
            "attendance sheet".into(),
            app.get_as(&format!("/sessions/{session}/attendance"), token)
                .await,
            f,
        ),
    ]
}

async fn set_roles(app: &TestApp, admin: &str, user_id: i64, roles: Value) {
    let res = app
        .patch_as(
            &format!("/users/{user_id}"),
            admin,
            json!({ "roles": roles }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "set roles");
}

async fn json_of(res: Response) -> Value {
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[actix_web::test]
async fn a_listed_instructor_whose_role_is_removed_loses_every_staff_right() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre
        .offering(&app, json!({"admission_policy": "approval"}))
        .await;
    let module = app
        .post_as(
            &format!("/courses/{COURSE}/modules"),
            &centre.instructor,
            json!({"title": "Módulo"}),
        )
        .await;
    let module = ok_json(module, StatusCode::CREATED, "module").await["id"]
        .as_i64()
        .unwrap();
    let lesson = app
        .post_as(
            &format!("/modules/{module}/lessons"),
            &centre.instructor,
            json!({"title": "Lección", "kind": "text", "body_md": "Texto"}),
        )
        .await;
    let lesson = ok_json(lesson, StatusCode::CREATED, "lesson").await["id"]
        .as_i64()
        .unwrap();
    let start = (app.clock.now() + TimeDelta::days(2)).and_utc();
    let session = app
        .post_as(
            &format!("/offerings/{offering}/sessions"),
            &centre.instructor,
            json!({ "title": "Sesión 1", "starts_at": start.to_rfc3339(),
                    "ends_at": (start + TimeDelta::hours(2)).to_rfc3339() }),
        )
        .await;
    let session = ok_json(session, StatusCode::CREATED, "session").await["id"]
        .as_i64()
        .unwrap();
    let (_, ana) = learner(&app, "ana@example.org", "Ana", None);
    let application = id(&apply(&app, &ana, offering).await);

    // Listed and holding the role: staff.
    for (what, res, _) in staff_requests(&app, &centre.instructor, offering, lesson, session).await
    {
        assert!(
            res.status().is_success(),
            "{what} as instructor: {}",
            res.status()
        );
    }

    let teacher = centre.instructor_user.id;
    set_roles(&app, &centre.admin, teacher, json!(["student"])).await;

    for (what, res, expected) in
        staff_requests(&app, &centre.instructor, offering, lesson, session).await
    {
        assert_eq!(res.status(), expected, "{what} after the role was removed");
    }
    assert_problem(
        app.post_as(
            &format!("/enrolments/{application}/admit"),
            &centre.instructor,
            json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "enrolment_not_found",
    )
    .await;
    let mine = json_of(
        app.get_as("/courses?mine=true&status=all", &centre.instructor)
            .await,
    )
    .await;
    assert_eq!(mine["items"], json!([]), "teaches nothing: {mine}");
    let course = json_of(app.get_as(&format!("/courses/{COURSE}"), &ana).await).await;
    assert_eq!(course["instructors"], json!([]), "not shown as teaching");

    // The listing was kept: restoring the role restores the rights.
    set_roles(&app, &centre.admin, teacher, json!(["instructor"])).await;
    let roster = app
        .get_as(&format!("/offerings/{offering}/roster"), &centre.instructor)
        .await;
    assert_eq!(roster.status(), StatusCode::OK);
}
