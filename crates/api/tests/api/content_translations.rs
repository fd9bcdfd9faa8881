//! Modules, lessons and sessions in the reader's language, falling back to the course's
//! primary one and saying which language is served.

use aula_core::Clock;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    catalog_fixtures::get,
    common::{assert_problem, TestApp},
    enrolment_fixtures::{apply, learner, ok_json, Centre, COURSE},
};

async fn outline(app: &TestApp, token: Option<&str>, lang: &str) -> Value {
    let path = format!("/courses/{COURSE}/modules?lang={lang}");
    let res = match token {
        Some(token) => app.get_as(&path, token).await,
        None => get(app, &path).await,
    };
    ok_json(res, StatusCode::OK, "outline").await
}

#[actix_web::test]
async fn titles_and_bodies_are_served_in_the_readers_language_else_the_primary_one() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let t = &centre.instructor;
    let module = ok_json(
        app.post_as(
            &format!("/courses/{COURSE}/modules"),
            t,
            json!({"title": "Fundamentos"}),
        )
        .await,
        StatusCode::CREATED,
        "module",
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let lesson_in =
        |title: &str| json!({"title": title, "kind": "text", "body_md": "Hola **mundo**"});
    let mut lessons = Vec::new();
    for title in ["Introducción", "Glosario"] {
        let res = app
            .post_as(&format!("/modules/{module}/lessons"), t, lesson_in(title))
            .await;
        lessons.push(
            ok_json(res, StatusCode::CREATED, "lesson").await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let res = app
        .put_as(
            &format!("/modules/{module}/translations/pt"),
            t,
            json!({"title": "Bases"}),
        )
        .await;
    let edited = ok_json(res, StatusCode::OK, "translate a module").await;
    assert_eq!(
        edited["title"], "Fundamentos",
        "editors see the primary text"
    );
    assert_eq!(edited["translations"][0]["locale"], "pt");
    let res = app
        .put_as(
            &format!("/lessons/{}/translations/pt", lessons[0]),
            t,
            json!({"title": "Introdução", "body_md": "Olá **mundo**"}),
        )
        .await;
    ok_json(res, StatusCode::OK, "translate a lesson").await;

    let pt = outline(&app, None, "pt").await;
    assert_eq!(pt[0]["title"], "Bases");
    assert_eq!(pt[0]["locale"], "pt");
    assert_eq!(pt[0]["lessons"][0]["title"], "Introdução");
    assert_eq!(pt[0]["lessons"][0]["locale"], "pt");
    assert_eq!(
        pt[0]["lessons"][1]["title"], "Glosario",
        "untranslated: primary"
    );
    assert_eq!(pt[0]["lessons"][1]["locale"], "es");
    assert!(
        pt[0].get("translations").is_none(),
        "readers get one language"
    );
    let fr = outline(&app, None, "fr").await;
    assert_eq!(fr[0]["title"], "Fundamentos");
    assert_eq!(fr[0]["locale"], "es");
    let editor = outline(&app, Some(t), "es").await;
    assert_eq!(
        editor[0]["lessons"][0]["translations"][0]["title"],
        "Introdução"
    );

    let (_, ana) = learner(&app, "ana@example.org", "Ana", None);
    let offering = centre.offering(&app, json!({})).await;
    apply(&app, &ana, offering).await;
    let lesson = ok_json(
        app.get_as(&format!("/lessons/{}?lang=pt", lessons[0]), &ana)
            .await,
        StatusCode::OK,
        "read in pt",
    )
    .await;
    assert_eq!(lesson["title"], "Introdução");
    assert_eq!(lesson["locale"], "pt");
    assert!(lesson["body_html"]
        .as_str()
        .unwrap()
        .contains("Olá <strong>mundo</strong>"));
    assert!(lesson.get("body_md").is_none() && lesson.get("translations").is_none());
    let lesson = ok_json(
        app.get_as(&format!("/lessons/{}?lang=fr", lessons[0]), &ana)
            .await,
        StatusCode::OK,
        "read in fr",
    )
    .await;
    assert_eq!(lesson["locale"], "es");
    assert!(lesson["body_html"].as_str().unwrap().contains("Hola"));

    // Session titles too, in the offering and in the learner's next session.
    let starts = (app.clock.now() + Duration::days(11)).and_utc();
    let res = app
        .post_as(
            &format!("/offerings/{offering}/sessions"),
            t,
            json!({"title": "Clase inaugural", "starts_at": starts.to_rfc3339(),
                   "ends_at": (starts + Duration::hours(2)).to_rfc3339()}),
        )
        .await;
    let session = ok_json(res, StatusCode::CREATED, "session").await["id"]
        .as_i64()
        .unwrap();
    let res = app
        .put_as(
            &format!("/sessions/{session}/translations/pt"),
            t,
            json!({"title": "Aula inaugural"}),
        )
        .await;
    ok_json(res, StatusCode::OK, "translate a session").await;
    let detail = ok_json(
        get(&app, &format!("/offerings/{offering}?lang=pt")).await,
        StatusCode::OK,
        "offering in pt",
    )
    .await;
    assert_eq!(detail["sessions"][0]["title"], "Aula inaugural");
    assert_eq!(detail["sessions"][0]["locale"], "pt");
    let in_pt = app
        .client
        .get(app.url("/me/enrolments"))
        .bearer_auth(&ana)
        .header("accept-language", "pt")
        .send()
        .await
        .unwrap();
    let mine = ok_json(in_pt, StatusCode::OK, "my learning in pt").await;
    assert_eq!(mine["items"][0]["next_session"]["title"], "Aula inaugural");
}

#[actix_web::test]
async fn the_primary_language_tab_edits_the_items_own_text_and_only_editors_translate() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let t = &centre.instructor;
    let module = ok_json(
        app.post_as(
            &format!("/courses/{COURSE}/modules"),
            t,
            json!({"title": "Fundamentos"}),
        )
        .await,
        StatusCode::CREATED,
        "module",
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let res = app
        .put_as(
            &format!("/modules/{module}/translations/es"),
            t,
            json!({"title": "Bases del sistema"}),
        )
        .await;
    let renamed = ok_json(res, StatusCode::OK, "edit the primary text").await;
    assert_eq!(renamed["title"], "Bases del sistema");
    assert_eq!(renamed["translations"], json!([]));

    let (_, ana) = learner(&app, "ana@example.org", "Ana", None);
    let res = app
        .put_as(
            &format!("/modules/{module}/translations/pt"),
            &ana,
            json!({"title": "Bases"}),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .put_as(
            &format!("/modules/{module}/translations/de"),
            t,
            json!({"title": "Grundlagen"}),
        )
        .await;
    assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .put_as(
            &format!("/modules/{module}/translations/pt"),
            t,
            json!({"title": "  "}),
        )
        .await;
    assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .put_as(
            "/modules/999999/translations/pt",
            t,
            json!({"title": "Bases"}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "module_not_found").await;
}
