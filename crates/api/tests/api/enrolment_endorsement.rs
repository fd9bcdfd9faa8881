//! `institution_endorsed` offerings: documents, the coordinator's endorsement, staff
//! admission, and who may read the application and the lessons.

use crate::common;
use crate::enrolment_fixtures;

use common::{assert_problem, TestApp, UPLOAD_LIMIT};
use enrolment_fixtures::*;
use reqwest::StatusCode;
use serde_json::json;

const ENDORSED: &str = "institution_endorsed";

/// A published lesson of `PEN-201`; returns its id.
async fn lesson(app: &TestApp, centre: &Centre) -> i64 {
    let module = ok_json(
        app.post_as(
            &format!("/courses/{COURSE}/modules"),
            &centre.instructor,
            json!({ "title": "Fundamentos" }),
        )
        .await,
        StatusCode::CREATED,
        "module",
    )
    .await["id"]
        .as_i64()
        .unwrap();
    ok_json(
        app.post_as(
            &format!("/modules/{module}/lessons"),
            &centre.instructor,
            json!({ "title": "Reparto y capitalización", "kind": "text", "body_md": "Texto" }),
        )
        .await,
        StatusCode::CREATED,
        "lesson",
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

#[actix_web::test]
async fn endorsed_offerings_need_an_institution() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": ENDORSED }))
        .await;
    let (_, token) = learner(&app, "dora@gmail.com", "Dora Ruiz", None);
    assert_problem(
        app.post_as(
            &format!("/offerings/{offering}/enrolments"),
            &token,
            json!({}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "institution_required",
    )
    .await;
    assert_problem(
        app.get_as(&format!("/offerings/{offering}/my-enrolment"), &token)
            .await,
        StatusCode::NOT_FOUND,
        "enrolment_not_found",
    )
    .await;
}

#[actix_web::test]
async fn documents_are_recognised_by_content_and_kept_to_the_size_limit() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": ENDORSED }))
        .await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let (_, other) = learner(&app, "luis@imss.gob.mx", "Luis Gómez", Some(imss));
    let created = apply(&app, &token, offering).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["state"], "pending_endorsement");
    assert_eq!(created["documents"], json!([]));
    assert_eq!(created["documents_complete"], false);

    assert_problem(
        upload(
            &app,
            &token,
            id,
            "cv",
            "application/pdf",
            b"Soy un texto, no un PDF",
        )
        .await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "file_type_not_allowed",
    )
    .await;
    let mut huge = PDF.to_vec();
    huge.resize(UPLOAD_LIMIT + 1, b' ');
    assert_problem(
        upload(&app, &token, id, "cv", "application/pdf", &huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
    )
    .await;
    assert_eq!(enrolment(&app, &token, id).await["documents"], json!([]));

    let first = ok_json(
        upload(&app, &token, id, "cv", "application/pdf", PDF).await,
        StatusCode::OK,
        "upload",
    )
    .await;
    let replacement = [PDF, b"\n% segunda version\n"].concat();
    let replaced = ok_json(
        upload(
            &app,
            &token,
            id,
            "cv",
            "application/octet-stream",
            &replacement,
        )
        .await,
        StatusCode::OK,
        "replace",
    )
    .await;
    for (view, size) in [(&first, PDF.len()), (&replaced, replacement.len())] {
        let docs = view["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 1, "{view}");
        assert_eq!(docs[0]["kind"], "cv");
        assert_eq!(docs[0]["file_name"], "cv.pdf");
        assert_eq!(docs[0]["content_type"], "application/pdf");
        assert_eq!(docs[0]["size"], size);
    }
    assert_eq!(replaced["documents_complete"], false);

    let res = app
        .get_as(&format!("/enrolments/{id}/documents/cv"), &token)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), replacement.as_slice());
    assert_problem(
        app.get_as(&format!("/enrolments/{id}/documents/transcript"), &token)
            .await,
        StatusCode::NOT_FOUND,
        "document_not_found",
    )
    .await;

    // Another learner of the same institution sees nothing of it.
    for path in [
        format!("/enrolments/{id}/documents/cv"),
        format!("/enrolments/{id}/history"),
        format!("/enrolments/{id}"),
    ] {
        let problem = assert_problem(
            app.get_as(&path, &other).await,
            StatusCode::NOT_FOUND,
            "enrolment_not_found",
        )
        .await;
        assert!(!problem.to_string().contains("ana@imss.gob.mx"));
    }
    assert_problem(
        upload(&app, &other, id, "transcript", "application/pdf", PDF).await,
        StatusCode::NOT_FOUND,
        "enrolment_not_found",
    )
    .await;
    assert_eq!(
        enrolment(&app, &token, id).await["documents"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[actix_web::test]
async fn the_learners_coordinator_endorses_a_complete_application_and_staff_admit_it() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let issste = centre.institution(&app, "ISSSTE", "titular").await;
    let lesson = lesson(&app, &centre).await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": ENDORSED }))
        .await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let (own_coordinator, own) = coordinator(&app, "coord@imss.gob.mx", imss);
    let (_, foreign) = coordinator(&app, "coord@issste.gob.mx", issste);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();

    assert_problem(
        decide(&app, &own, id, "endorse", None).await,
        StatusCode::CONFLICT,
        "documents_missing",
    )
    .await;
    upload(&app, &token, id, "cv", "application/pdf", PDF).await;
    upload(&app, &token, id, "transcript", "application/pdf", PDF).await;
    assert_problem(
        decide(&app, &own, id, "endorse", None).await,
        StatusCode::CONFLICT,
        "documents_missing",
    )
    .await;
    let complete = upload_all(&app, &token, id).await;
    assert_eq!(complete["documents_complete"], true);
    assert_eq!(complete["documents"].as_array().unwrap().len(), 3);

    // A coordinator of another institution can neither act nor look.
    for action in ["endorse", "decline"] {
        assert_problem(
            decide(&app, &foreign, id, action, Some("No")).await,
            StatusCode::NOT_FOUND,
            "enrolment_not_found",
        )
        .await;
    }
    assert_problem(
        app.get_as(&format!("/enrolments/{id}/documents/cv"), &foreign)
            .await,
        StatusCode::NOT_FOUND,
        "enrolment_not_found",
    )
    .await;
    assert_eq!(state_of(&app, &token, id).await, "pending_endorsement");
    assert_eq!(history(&app, &token, id).await.len(), 1);
    // Staff do not endorse in the coordinator's place.
    assert_problem(
        decide(&app, &centre.instructor, id, "endorse", None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let res = app
        .get_as(&format!("/enrolments/{id}/documents/transcript"), &own)
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the coordinator reads the file"
    );
    let endorsed = ok_json(
        decide(&app, &own, id, "endorse", None).await,
        StatusCode::OK,
        "endorse",
    )
    .await;
    assert_eq!(endorsed["state"], "pending_approval");
    assert_problem(
        upload(&app, &token, id, "cv", "application/pdf", PDF).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_problem(
        app.get_as(&format!("/lessons/{lesson}"), &token).await,
        StatusCode::FORBIDDEN,
        "not_enrolled",
    )
    .await;

    let admitted = ok_json(
        decide(&app, &centre.instructor, id, "admit", None).await,
        StatusCode::OK,
        "admit",
    )
    .await;
    assert_eq!(admitted["state"], "enrolled");
    let events = history(&app, &own, id).await;
    assert_eq!(
        transitions(&events),
        [
            (None, "pending_endorsement".to_owned()),
            (
                Some("pending_endorsement".to_owned()),
                "pending_approval".to_owned()
            ),
            (Some("pending_approval".to_owned()), "enrolled".to_owned()),
        ]
    );
    assert_eq!(events[1]["actor"]["id"], own_coordinator.id);
    assert_eq!(events[2]["actor"]["id"], centre.instructor_user.id);

    let res = app.get_as(&format!("/lessons/{lesson}"), &token).await;
    let body = ok_json(res, StatusCode::OK, "read the lesson").await;
    assert_eq!(body["title"], "Reparto y capitalización");
}

#[actix_web::test]
async fn people_without_a_seat_cannot_read_the_lessons() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let lesson = lesson(&app, &centre).await;
    let full = centre.offering(&app, json!({ "capacity": 1 })).await;
    let pending = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let (_, seated) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", None);
    let (_, waiting) = learner(&app, "luis@issste.gob.mx", "Luis Gómez", None);
    let (_, applicant) = learner(&app, "bea@bps.gub.uy", "Beatriz Silva", None);
    assert_eq!(apply(&app, &seated, full).await["state"], "enrolled");
    assert_eq!(apply(&app, &waiting, full).await["state"], "waitlisted");
    assert_eq!(
        apply(&app, &applicant, pending).await["state"],
        "pending_approval"
    );

    let path = format!("/lessons/{lesson}");
    assert_eq!(app.get_as(&path, &seated).await.status(), StatusCode::OK);
    for token in [&waiting, &applicant] {
        let problem = assert_problem(
            app.get_as(&path, token).await,
            StatusCode::FORBIDDEN,
            "not_enrolled",
        )
        .await;
        assert!(problem.get("body_html").is_none());
    }
}

#[actix_web::test]
async fn a_coordinator_declines_with_a_reason() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": ENDORSED }))
        .await;
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let (_, own) = coordinator(&app, "coord@imss.gob.mx", imss);
    let id = apply(&app, &token, offering).await["id"].as_i64().unwrap();

    assert_problem(
        decide(&app, &own, id, "decline", None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let declined = ok_json(
        decide(&app, &own, id, "decline", Some("Sin aval de la dirección")).await,
        StatusCode::OK,
        "decline",
    )
    .await;
    assert_eq!(declined["state"], "rejected");
    let events = history(&app, &token, id).await;
    assert_eq!(events.last().unwrap()["reason"], "Sin aval de la dirección");
    let last = app.mails_to("ana@imss.gob.mx").pop().unwrap();
    assert!(last.body_text.contains("Sin aval de la dirección"));
}

#[actix_web::test]
async fn a_coordinator_cannot_endorse_their_own_application() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let offering = centre
        .offering(&app, json!({ "admission_policy": ENDORSED }))
        .await;
    let (_, applicant) = coordinator(&app, "coord@imss.gob.mx", imss);
    let (_, colleague) = coordinator(&app, "coord2@imss.gob.mx", imss);
    let id = apply(&app, &applicant, offering).await["id"]
        .as_i64()
        .unwrap();
    upload_all(&app, &applicant, id).await;

    for action in ["endorse", "decline"] {
        assert_problem(
            decide(&app, &applicant, id, action, Some("Yo mismo")).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_eq!(state_of(&app, &applicant, id).await, "pending_endorsement");
    let endorsed = ok_json(
        decide(&app, &colleague, id, "endorse", None).await,
        StatusCode::OK,
        "a colleague endorses",
    )
    .await;
    assert_eq!(endorsed["state"], "pending_approval");
}

#[actix_web::test]
async fn the_institutions_coordinators_are_asked_to_endorse_in_their_own_language() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let imss = centre.institution(&app, "IMSS", "titular").await;
    let issste = centre.institution(&app, "ISSSTE", "titular").await;
    let res = app
        .put_as(
            &format!("/courses/{COURSE}/translations/en"),
            &centre.instructor,
            json!({ "title": "Pension systems", "summary": "Design choices",
                    "learning_outcomes": ["Understand design"] }),
        )
        .await;
    ok_json(res, StatusCode::OK, "translate the course").await;
    let endorsed = centre
        .offering(&app, json!({ "admission_policy": ENDORSED }))
        .await;
    let approval = centre
        .offering(&app, json!({ "admission_policy": "approval" }))
        .await;
    let (_, spanish) = coordinator(&app, "coord@imss.gob.mx", imss);
    coordinator_speaking(&app, "coord.en@imss.gob.mx", imss, "en").await;
    coordinator(&app, "coord@issste.gob.mx", issste);
    let (_, token) = learner(&app, "ana@imss.gob.mx", "Ana Pérez", Some(imss));
    let coordinators = [
        "coord@imss.gob.mx",
        "coord.en@imss.gob.mx",
        "coord@issste.gob.mx",
    ];

    // Staff approve these applications: coordinators are not asked.
    apply(&app, &token, approval).await;
    for email in coordinators {
        assert!(app.mails_to(email).is_empty(), "{email} was mailed");
    }

    let created = apply(&app, &token, endorsed).await;
    let day = |field: &str| created[field].as_str().unwrap().to_owned();
    let dates = format!("{} – {}", day("start_date"), day("end_date"));
    let link = "https://aula.test/coordinator?tab=endorsements";
    for (email, locale, subject) in [
        (
            "coord@imss.gob.mx",
            "es",
            "Nueva solicitud en espera de su aval: Sistemas de pensiones",
        ),
        (
            "coord.en@imss.gob.mx",
            "en",
            "New application waiting for your endorsement: Pension systems",
        ),
    ] {
        let mails = endorsement_requests(&app, email);
        assert_eq!(mails.len(), 1, "{email}");
        assert_eq!(mails[0].locale.as_str(), locale);
        assert_eq!(mails[0].subject, subject);
        for part in ["Ana Pérez", dates.as_str(), link] {
            assert!(mails[0].body_text.contains(part), "{email}: {part}");
        }
    }
    assert!(app.mails_to("coord@issste.gob.mx").is_empty());
    assert!(endorsement_requests(&app, "ana@imss.gob.mx").is_empty());

    // Applying again asks again; a coordinator applying is not asked about themselves.
    let id = id(&created);
    ok_json(
        withdraw(&app, &token, id, None).await,
        StatusCode::OK,
        "withdraw",
    )
    .await;
    apply(&app, &token, endorsed).await;
    apply(&app, &spanish, endorsed).await;
    assert_eq!(endorsement_requests(&app, "coord@imss.gob.mx").len(), 2);
    assert_eq!(endorsement_requests(&app, "coord.en@imss.gob.mx").len(), 3);
    assert!(app.mails_to("coord@issste.gob.mx").is_empty());
}
