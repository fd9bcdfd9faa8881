//! Uploads are authorised before their body is read, and received within their limit.

use crate::common::{assert_problem, TestApp, UPLOAD_LIMIT};
use crate::enrolment_fixtures::*;

use reqwest::{Method, StatusCode};
use serde_json::json;

/// A body past the size limit: read to the end, it would be refused as too large.
fn oversized() -> Vec<u8> {
    let mut body = PDF.to_vec();
    body.resize(UPLOAD_LIMIT + 64 * 1024, b' ');
    body
}

/// `bytes` as the `file` part of a multipart form with boundary `XYZ`.
fn multipart(bytes: Vec<u8>) -> Vec<u8> {
    let mut body =
        b"--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n\
        Content-Type: application/pdf\r\n\r\n"
            .to_vec();
    body.extend(bytes);
    body.extend_from_slice(b"\r\n--XYZ--\r\n");
    body
}

#[actix_web::test]
async fn a_students_upload_to_a_lesson_is_forbidden_before_its_body_is_read() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
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
    let (_, student) = learner(&app, "ana@example.org", "Ana", None);
    let res = app
        .send_bytes_as(
            Method::POST,
            &format!("/lessons/{lesson}/file"),
            &student,
            "multipart/form-data; boundary=XYZ",
            &[],
            multipart(oversized()),
        )
        .await;
    // Forbidden, not "too large": the body was never looked at.
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    // The instructor's oversized upload is read and refused as too large.
    let res = app
        .send_bytes_as(
            Method::POST,
            &format!("/lessons/{lesson}/file"),
            &centre.instructor,
            "multipart/form-data; boundary=XYZ",
            &[],
            multipart(oversized()),
        )
        .await;
    assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "file_too_large").await;
    let res = app
        .send_bytes_as(
            Method::POST,
            &format!("/lessons/{lesson}/file"),
            &centre.instructor,
            "multipart/form-data; boundary=XYZ",
            &[],
            multipart(PDF.to_vec()),
        )
        .await;
    assert_eq!(
        ok_json(res, StatusCode::OK, "upload").await["file"]["name"],
        "x.pdf"
    );
}

#[actix_web::test]
async fn a_document_upload_to_someone_elses_application_is_refused_before_its_body_is_read() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": "institution_endorsed" }))
        .await;
    let (_, ana) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let (_, luis) = learner(&app, "luis@imss.gob.mx", "Luis Gómez", Some(imss));
    let application = id(&apply(&app, &ana, offering).await);
    let res = app
        .send_bytes_as(
            Method::PUT,
            &format!("/enrolments/{application}/documents/cv"),
            &luis,
            "application/pdf",
            &[],
            oversized(),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "enrolment_not_found").await;
    // Its owner's oversized upload is read and refused as too large.
    let res = app
        .send_bytes_as(
            Method::PUT,
            &format!("/enrolments/{application}/documents/cv"),
            &ana,
            "application/pdf",
            &[],
            oversized(),
        )
        .await;
    assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "file_too_large").await;
}

#[actix_web::test]
async fn uploads_past_the_concurrent_limit_are_refused_while_one_is_being_received() {
    let Some(app) = TestApp::spawn_configured(aula_identity::Limits::default(), |config| {
        config.max_concurrent_uploads = 1
    })
    .await
    else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": "institution_endorsed" }))
        .await;
    let (_, ana) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let application = id(&apply(&app, &ana, offering).await);
    let path = format!("/api/v1/enrolments/{application}/documents/cv");

    // One upload starts and stalls halfway, holding the only slot.
    let head = format!(
        "PUT {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {ana}\r\n\
         Content-Type: application/pdf\r\nContent-Length: {}\r\n\r\n",
        PDF.len() + 1000
    );
    let start_stalled = || {
        let mut stream =
            std::net::TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
        std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
        std::io::Write::write_all(&mut stream, PDF).unwrap();
        stream
    };
    let mut stalled = start_stalled();

    // Once it holds the slot, another upload is turned away at once.
    let mut answer = StatusCode::OK;
    for _ in 0..200 {
        let res = upload(
            &app,
            &ana,
            application,
            "transcript",
            "application/pdf",
            PDF,
        )
        .await;
        answer = res.status();
        if answer == StatusCode::SERVICE_UNAVAILABLE {
            assert_problem(res, answer, "service_unavailable").await;
            break;
        }
        // The other upload may have taken the slot first and the stalled one been
        // turned away (an answer or a closed connection): start it again.
        stalled.set_nonblocking(true).unwrap();
        let mut probe = [0u8; 1];
        let answered = !matches!(
            stalled.peek(&mut probe),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
        );
        if answered {
            stalled = start_stalled();
        } else {
            stalled.set_nonblocking(false).unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        answer,
        StatusCode::SERVICE_UNAVAILABLE,
        "an upload past the limit is refused while another is received"
    );

    // When it ends, the slot is free again.
    drop(stalled);
    let mut answer = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..50 {
        answer = upload(
            &app,
            &ana,
            application,
            "transcript",
            "application/pdf",
            PDF,
        )
        .await
        .status();
        if answer == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(answer, StatusCode::OK);
}
