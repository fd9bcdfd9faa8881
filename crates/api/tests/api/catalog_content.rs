//! Course content: rendered Markdown, ordering, and uploaded documents.

use crate::catalog_fixtures;
use crate::common;

use catalog_fixtures::*;
use common::{assert_problem, TestApp, UPLOAD_LIMIT};
use reqwest::{multipart, StatusCode};
use serde_json::{json, Value};

const HOSTILE: &str = "# Hola\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n\
    [clic](javascript:alert(1)) <a href=\"javascript:alert(2)\" onclick=\"alert(3)\">aquí</a>";

fn assert_inert(html: &str) {
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("onerror"), "{html}");
    assert!(!lower.contains("onclick"), "{html}");
    assert!(!lower.contains("href=\"javascript"), "{html}");
}

async fn lesson(app: &TestApp, token: &str, module: i64, body: Value) -> Value {
    let res = app
        .post_as(&format!("/modules/{module}/lessons"), token, body)
        .await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn module(app: &TestApp, token: &str, code: &str, title: &str) -> i64 {
    app.post_as(
        &format!("/courses/{code}/modules"),
        token,
        json!({ "title": title }),
    )
    .await
    .json::<Value>()
    .await
    .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[actix_web::test]
async fn stored_scripts_and_handlers_never_come_back_executable() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    let mut body = course("PEN-201", "Pensiones");
    body["translation"]["description_md"] = json!(HOSTILE);
    published(&app, &staff, body).await;
    let course = get_json(&app, "/courses/PEN-201").await;
    let html = course["description_html"].as_str().unwrap();
    assert!(html.contains("<h1>Hola</h1>"), "{html}");
    assert_inert(html);
    assert!(
        course.get("description_md").is_none(),
        "the source is for editors only"
    );

    let m = module(&app, &staff.instructor, "PEN-201", "Uno").await;
    let text = lesson(
        &app,
        &staff.instructor,
        m,
        json!({"title": "T", "kind": "text", "body_md": HOSTILE}),
    )
    .await;
    assert_inert(text["body_html"].as_str().unwrap());
}

#[actix_web::test]
async fn lesson_kinds_are_checked() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    create_course(&app, &staff.instructor, course("PEN-201", "Pensiones")).await;
    let m = module(&app, &staff.instructor, "PEN-201", "Uno").await;
    let path = format!("/modules/{m}/lessons");
    let refused = [
        (
            json!({"title": "V", "kind": "video", "url": "http://video.example.org/1"}),
            "url",
            "https_required",
        ),
        (
            json!({"title": "L", "kind": "link", "url": "javascript:alert(1)"}),
            "url",
            "invalid_url",
        ),
        (json!({"title": "T", "kind": "text"}), "body_md", "required"),
    ];
    for (body, field, code) in refused {
        let problem = assert_problem(
            app.post_as(&path, &staff.instructor, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
        assert_eq!(problem["errors"][0]["code"], code);
    }
    let video = lesson(&app, &staff.instructor, m, json!({"title": "V", "kind": "video", "url": "https://video.ciess.org/1", "required": false})).await;
    assert_eq!(video["required"], false);
}

#[actix_web::test]
async fn modules_and_lessons_follow_the_order_given() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    create_course(&app, &staff.instructor, course("PEN-201", "Pensiones")).await;
    let a = module(&app, &staff.instructor, "PEN-201", "A").await;
    let b = module(&app, &staff.instructor, "PEN-201", "B").await;
    let c = module(&app, &staff.instructor, "PEN-201", "C").await;
    let res = put_as(
        &app,
        "/courses/PEN-201/modules/order",
        &staff.instructor,
        json!({"ids": [c, a, b]}),
    )
    .await;
    let outline: Value = res.json().await.unwrap();
    let titles: Vec<&str> = outline
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["C", "A", "B"]);
    assert_problem(
        put_as(
            &app,
            "/courses/PEN-201/modules/order",
            &staff.instructor,
            json!({"ids": [c, a]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let one = lesson(
        &app,
        &staff.instructor,
        a,
        json!({"title": "1", "kind": "text", "body_md": "x"}),
    )
    .await;
    let two = lesson(
        &app,
        &staff.instructor,
        a,
        json!({"title": "2", "kind": "text", "body_md": "y"}),
    )
    .await;
    let module: Value = put_as(
        &app,
        &format!("/modules/{a}/lessons/order"),
        &staff.instructor,
        json!({"ids": [two["id"], one["id"]]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(module["lessons"][0]["title"], "2");
    assert_eq!(module["lessons"][1]["position"], 2);
}

async fn upload(
    app: &TestApp,
    token: &str,
    lesson: i64,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    app.client
        .post(app.url(&format!("/lessons/{lesson}/file")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

#[actix_web::test]
async fn uploads_are_refused_when_too_large_or_not_an_accepted_type() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    published(&app, &staff, course("PEN-201", "Pensiones")).await;
    let m = module(&app, &staff.instructor, "PEN-201", "Uno").await;
    let l = lesson(
        &app,
        &staff.instructor,
        m,
        json!({"title": "Lectura", "kind": "file"}),
    )
    .await;
    let id = l["id"].as_i64().unwrap();

    // Not multipart at all: the wrong media type, not a server error.
    let res = app
        .post_as(
            &format!("/lessons/{id}/file"),
            &staff.instructor,
            json!({"file": "x"}),
        )
        .await;
    assert_problem(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let mut big = pdf();
    big.resize(UPLOAD_LIMIT + 1, b' ');
    assert_problem(
        upload(&app, &staff.instructor, id, "big.pdf", big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
    )
    .await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0".to_vec();
    assert_problem(
        upload(&app, &staff.instructor, id, "malware.pdf", elf).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "file_type_not_allowed",
    )
    .await;
    assert_problem(
        upload(
            &app,
            &staff.instructor,
            id,
            "text.pdf",
            b"just words".to_vec(),
        )
        .await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "file_type_not_allowed",
    )
    .await;

    // A PNG named .pdf is accepted as what it is.
    let res = upload(&app, &staff.instructor, id, "figura.pdf", png).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["file"]["content_type"], "image/png");

    let res = upload(&app, &staff.instructor, id, "../../lectura.pdf", pdf()).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["kind"], "file");
    assert_eq!(
        body["file"],
        json!({"name": "lectura.pdf", "content_type": "application/pdf", "size": pdf().len()})
    );

    let (_, other) = app
        .token_for("otro@demo.test", "Otro", &[aula_identity::Role::Instructor])
        .await;
    assert_problem(
        upload(&app, &other, id, "x.pdf", pdf()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let path = format!("/lessons/{id}/file");
    assert_problem(
        get(&app, &path).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let (_, student) = app
        .token_for(
            "student@demo.test",
            "Student",
            &[aula_identity::Role::Student],
        )
        .await;
    assert_problem(
        app.get_as(&path, &student).await,
        StatusCode::FORBIDDEN,
        "not_enrolled",
    )
    .await;
    let res = app.get_as(&path, &staff.instructor).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf());
}

fn stored_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            count(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(app.files.path())
}

#[actix_web::test]
async fn deleting_a_module_removes_its_lessons_documents() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let staff = staff(&app).await;
    published(&app, &staff, course("PEN-201", "Pensiones")).await;
    let m = module(&app, &staff.instructor, "PEN-201", "Lecturas").await;
    let l = lesson(
        &app,
        &staff.instructor,
        m,
        json!({"title": "Guía", "kind": "file"}),
    )
    .await;
    let res = upload(
        &app,
        &staff.instructor,
        l["id"].as_i64().unwrap(),
        "guia.pdf",
        pdf(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(stored_files(&app), 1);

    let res = app
        .client
        .delete(app.url(&format!("/modules/{m}")))
        .bearer_auth(&staff.instructor)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(stored_files(&app), 0, "no orphaned document is left behind");
}
