//! Names of uploaded files and of people: nothing that disguises them survives, and a
//! download keeps its exact name.

use crate::common::TestApp;
use crate::enrolment_fixtures::*;

use reqwest::{multipart, Method, StatusCode};
use serde_json::{json, Value};

async fn lesson_file(app: &TestApp, centre: &Centre, name: &str) -> (Value, String) {
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
            json!({"title": "Lectura", "kind": "file"}),
        )
        .await;
    let lesson = ok_json(lesson, StatusCode::CREATED, "lesson").await["id"]
        .as_i64()
        .unwrap();
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(PDF.to_vec()).file_name(name.to_owned()),
    );
    let res = app
        .client
        .post(app.url(&format!("/lessons/{lesson}/file")))
        .bearer_auth(&centre.instructor)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let view = ok_json(res, StatusCode::OK, "upload").await;
    let res = app
        .get_as(&format!("/lessons/{lesson}/file"), &centre.instructor)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    (view, disposition)
}

#[actix_web::test]
async fn a_lesson_file_named_dot_dot_or_with_bidi_controls_gets_a_plain_name() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    for (sent, kept) in [
        ("..", "document"),
        (".", "document"),
        ("factura\u{202E}fdp.exe", "facturafdp.exe"),
        ("\u{2066}informe\u{2069}.pdf", "informe.pdf"),
    ] {
        let (view, disposition) = lesson_file(&app, &centre, sent).await;
        assert_eq!(view["file"]["name"], kept, "{sent:?}: {view}");
        assert_eq!(
            disposition,
            format!("attachment; filename=\"{kept}\""),
            "{sent:?}"
        );
    }
}

#[actix_web::test]
async fn a_download_keeps_its_accented_name_through_filename_star() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let (view, disposition) = lesson_file(&app, &centre, "cotización.pdf").await;
    assert_eq!(view["file"]["name"], "cotización.pdf");
    assert_eq!(
        disposition,
        "attachment; filename=\"cotizaci_n.pdf\"; filename*=UTF-8''cotizaci%C3%B3n.pdf"
    );
}

#[actix_web::test]
async fn application_documents_and_people_lose_bidi_controls_from_their_names() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": "institution_endorsed" }))
        .await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let id = id(&apply(&app, &token, offering).await);
    for (sent, kept) in [("..", "document"), ("cv\u{202E}fdp.exe", "cvfdp.exe")] {
        let encoded: String = sent.bytes().map(|b| format!("%{b:02X}")).collect();
        let res = app
            .send_bytes_as(
                Method::PUT,
                &format!("/enrolments/{id}/documents/cv"),
                &token,
                "application/pdf",
                &[("X-File-Name", encoded.as_str())],
                PDF.to_vec(),
            )
            .await;
        let view = ok_json(res, StatusCode::OK, "upload").await;
        assert_eq!(view["documents"][0]["file_name"], kept, "{sent:?}");
        let res = app
            .get_as(&format!("/enrolments/{id}/documents/cv"), &token)
            .await;
        assert_eq!(
            res.headers()["content-disposition"],
            format!("attachment; filename=\"{kept}\"").as_str()
        );
    }

    // A person's name: registration and profile keep the letters, not the overrides.
    let res = app
        .patch_as(
            "/me",
            &token,
            json!({"full_name": "Ana \u{202E}zeréP\u{202C}"}),
        )
        .await;
    let me = ok_json(res, StatusCode::OK, "profile").await;
    assert_eq!(me["full_name"], "Ana zeréP");
}
