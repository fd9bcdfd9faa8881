//! A training centre with a published course, institutions, people and offerings under
//! each admission policy, for the enrolment tests.
#![allow(dead_code)]

use aula_core::Clock;
use aula_identity::{Role, User};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::{catalog_fixtures, common::TestApp};

/// The smallest file recognised as a PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF";
pub const DOCUMENT_KINDS: [&str; 3] = ["application_letter", "cv", "transcript"];
/// The course every offering below belongs to.
pub const COURSE: &str = "PEN-201";

/// An administrator and the instructor who teaches `PEN-201`, with tokens minted at
/// the clock's time (see [`Centre::refresh`]).
pub struct Centre {
    pub admin_user: User,
    pub instructor_user: User,
    pub admin: String,
    pub instructor: String,
    pub course_id: i64,
}

impl Centre {
    /// Staff and the published course `PEN-201`.
    pub async fn open(app: &TestApp) -> Self {
        let (admin_user, admin) = app.person("admin@ciess.org", "Admin", None, &[Role::Admin]);
        let (instructor_user, instructor) = app.person(
            "instructor@ciess.org",
            "Lucía Fernández",
            None,
            &[Role::Instructor],
        );
        let staff = catalog_fixtures::Staff {
            admin: admin.clone(),
            instructor: instructor.clone(),
            instructor_id: instructor_user.id,
        };
        let course_id = catalog_fixtures::published(
            app,
            &staff,
            catalog_fixtures::course(COURSE, "Sistemas de pensiones"),
        )
        .await;
        Self {
            admin_user,
            instructor_user,
            admin,
            instructor,
            course_id,
        }
    }

    /// New tokens after the clock moved past their lifetime.
    pub fn refresh(&mut self, app: &TestApp) {
        self.admin = app.mint_token(&self.admin_user);
        self.instructor = app.mint_token(&self.instructor_user);
    }

    /// An offering of `PEN-201` open to applications now, with `changes` over the
    /// defaults (open policy, 30 seats, fees 0 for members and 150.00 USD otherwise).
    pub async fn offering(&self, app: &TestApp, changes: Value) -> i64 {
        offering_of(app, &self.instructor, COURSE, changes).await
    }

    /// An institution (`category` is a CISS membership category).
    pub async fn institution(&self, app: &TestApp, acronym: &str, category: &str) -> i64 {
        let res = app
            .post_as(
                "/institutions",
                &self.admin,
                json!({ "name": format!("Instituto {acronym}"), "acronym": acronym,
                        "country": "MX", "membership_category": category }),
            )
            .await;
        ok_json(res, StatusCode::CREATED, "create an institution").await["id"]
            .as_i64()
            .unwrap()
    }
}

/// An offering of `code` open to applications now, `changes` merged over the defaults.
pub async fn offering_of(app: &TestApp, token: &str, code: &str, changes: Value) -> i64 {
    let mut body = catalog_fixtures::offering(app.clock.now(), -1, 10);
    for (key, value) in changes.as_object().expect("an object of changes") {
        body[key] = value.clone();
    }
    catalog_fixtures::create_offering(app, token, code, body).await["id"]
        .as_i64()
        .unwrap()
}

/// A student with a verified address and a token.
pub fn learner(app: &TestApp, email: &str, name: &str, institution: Option<i64>) -> (User, String) {
    app.person(email, name, institution, &[Role::Student])
}

/// A coordinator of `institution`.
pub fn coordinator(app: &TestApp, email: &str, institution: i64) -> (User, String) {
    app.person(
        email,
        "Coordinación",
        Some(institution),
        &[Role::Coordinator],
    )
}

/// A coordinator of `institution` who reads Aula (and its mail) in `locale`.
pub async fn coordinator_speaking(
    app: &TestApp,
    email: &str,
    institution: i64,
    locale: &str,
) -> (User, String) {
    let (user, token) = coordinator(app, email, institution);
    let res = app
        .patch_as("/me", &token, json!({ "locale": locale }))
        .await;
    ok_json(res, StatusCode::OK, "choose a language").await;
    let user = aula_identity::users::get(&mut app.db.conn(), user.id).expect("the coordinator");
    (user, token)
}

/// Asserts the status and returns the JSON body.
pub async fn ok_json(res: Response, status: StatusCode, what: &str) -> Value {
    let got = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{what}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"))
}

/// Applies for the token's owner; asserts 201 and returns the enrolment.
pub async fn apply(app: &TestApp, token: &str, offering: i64) -> Value {
    let res = app
        .post_as(
            &format!("/offerings/{offering}/enrolments"),
            token,
            json!({}),
        )
        .await;
    ok_json(res, StatusCode::CREATED, "apply").await
}

/// Staff enrol `user_id` directly.
pub async fn enrol(app: &TestApp, staff: &str, offering: i64, user_id: i64) -> Value {
    let res = app
        .post_as(
            &format!("/offerings/{offering}/enrolments"),
            staff,
            json!({ "user_id": user_id }),
        )
        .await;
    ok_json(res, StatusCode::CREATED, "enrol by staff").await
}

/// `POST /enrolments/{id}/{action}`.
pub async fn decide(
    app: &TestApp,
    token: &str,
    id: i64,
    action: &str,
    reason: Option<&str>,
) -> Response {
    app.post_as(
        &format!("/enrolments/{id}/{action}"),
        token,
        json!({ "reason": reason }),
    )
    .await
}

pub async fn withdraw(app: &TestApp, token: &str, id: i64, reason: Option<&str>) -> Response {
    app.post_as(
        &format!("/enrolments/{id}/withdraw"),
        token,
        json!({ "reason": reason }),
    )
    .await
}

/// One enrolment as `token` reads it (asserts 200).
pub async fn enrolment(app: &TestApp, token: &str, id: i64) -> Value {
    ok_json(
        app.get_as(&format!("/enrolments/{id}"), token).await,
        StatusCode::OK,
        "read an enrolment",
    )
    .await
}

pub async fn state_of(app: &TestApp, token: &str, id: i64) -> String {
    enrolment(app, token, id).await["state"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn history(app: &TestApp, token: &str, id: i64) -> Vec<Value> {
    let res = app
        .get_as(&format!("/enrolments/{id}/history"), token)
        .await;
    ok_json(res, StatusCode::OK, "read the history")
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// `(from, to)` of each history entry, oldest first.
pub fn transitions(events: &[Value]) -> Vec<(Option<String>, String)> {
    events
        .iter()
        .map(|e| {
            (
                e["from"].as_str().map(str::to_owned),
                e["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `offerings.seats_taken` as the public offering shows it.
pub async fn seats_taken(app: &TestApp, offering: i64) -> i64 {
    catalog_fixtures::get_json(app, &format!("/offerings/{offering}")).await["seats_taken"]
        .as_i64()
        .unwrap()
}

/// Uploads a document of an application.
pub async fn upload(
    app: &TestApp,
    token: &str,
    id: i64,
    kind: &str,
    content_type: &str,
    bytes: &[u8],
) -> Response {
    let name = format!("{kind}.pdf");
    app.send_bytes_as(
        Method::PUT,
        &format!("/enrolments/{id}/documents/{kind}"),
        token,
        content_type,
        &[("X-File-Name", name.as_str())],
        bytes.to_vec(),
    )
    .await
}

/// Uploads all three documents as PDF.
pub async fn upload_all(app: &TestApp, token: &str, id: i64) -> Value {
    let mut last = Value::Null;
    for kind in DOCUMENT_KINDS {
        let res = upload(app, token, id, kind, "application/pdf", PDF).await;
        last = ok_json(res, StatusCode::OK, kind).await;
    }
    last
}

/// A page of enrolments read by `token` (asserts 200).
pub async fn page(app: &TestApp, token: &str, path: &str) -> Value {
    ok_json(app.get_as(path, token).await, StatusCode::OK, path).await
}

/// The learners' emails of a page of enrolments, in order.
pub fn emails(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["learner"]["email"].as_str().unwrap().to_owned())
        .collect()
}

/// Subjects of the enrolment mails sent to `email`, oldest first.
pub fn enrolment_subjects(app: &TestApp, email: &str) -> Vec<String> {
    app.mails_to(email)
        .into_iter()
        .filter(|m| m.template == "enrolment_changed")
        .map(|m| m.subject)
        .collect()
}

/// The mails asking `email` (a coordinator) to endorse an application, oldest first.
pub fn endorsement_requests(app: &TestApp, email: &str) -> Vec<aula_mail::OutboxEntry> {
    app.mails_to(email)
        .into_iter()
        .filter(|m| m.template == "endorsement_requested")
        .collect()
}

/// `(field, code)` of each error of a problem document.
pub fn field_errors(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .expect("field errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// One `(field, code)` pair, for comparing with [`field_errors`].
pub fn error(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

/// `(email, state, waitlist_position)` of every enrolment of the offering, oldest first.
pub async fn roster_rows(
    app: &TestApp,
    staff: &str,
    offering: i64,
) -> Vec<(String, String, Option<i64>)> {
    let page = page(
        app,
        staff,
        &format!("/offerings/{offering}/roster?per_page=100"),
    )
    .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["learner"]["email"].as_str().unwrap().to_owned(),
                e["state"].as_str().unwrap().to_owned(),
                e["waitlist_position"].as_i64(),
            )
        })
        .collect()
}

/// One expected line of [`roster_rows`].
pub fn row(email: &str, state: &str, position: Option<i64>) -> (String, String, Option<i64>) {
    (email.to_owned(), state.to_owned(), position)
}

/// The id of an enrolment.
pub fn id(enrolment: &Value) -> i64 {
    enrolment["id"].as_i64().unwrap()
}
