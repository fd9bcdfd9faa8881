//! A real server on a free port over a fresh database, per test.
#![allow(dead_code)]

pub mod smtp;

use std::{net::TcpListener, sync::Arc};

use aula_api::{ApiConfig, AppState, Application};
use aula_core::{Clock, Locale, ManualClock, OsTokenSource};
use aula_db::testing::TestDb;
use aula_identity::{AuthConfig, Identity, JwtKeys, Limits, NewUser, Role, User};
use chrono::Utc;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

pub const PASSWORD: &str = "cotización-2026";
pub const PUBLIC_URL: &str = "https://aula.test";
/// Largest upload the test server accepts.
pub const UPLOAD_LIMIT: usize = 1024 * 1024;
pub const JWT_SECRET: &[u8] = b"test-secret-test-secret-test-secret!!";

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub clock: ManualClock,
    pub identity: Identity,
    /// The server's catalog service, for tests that arrange data directly.
    pub catalog: aula_catalog::Catalog,
    /// The server's assessment service.
    pub assessment: aula_assessment::Assessment,
    /// The server's certification service (tests run its background jobs).
    pub certification: aula_certification::Certification,
    pub db: TestDb,
    /// Where uploaded documents are stored.
    pub files: tempfile::TempDir,
    handle: actix_web::dev::ServerHandle,
}

impl TestApp {
    /// `None` when the selected backend (PostgreSQL) is unreachable on a developer machine.
    pub async fn spawn() -> Option<Self> {
        Self::spawn_with(Limits::default()).await
    }

    pub async fn spawn_with(limits: Limits) -> Option<Self> {
        Self::spawn_configured(limits, |_| {}).await
    }

    /// A server that also serves the built web UI from `dir`.
    pub async fn serving_web_ui(dir: std::path::PathBuf) -> Option<Self> {
        Self::spawn_configured(Limits::default(), |config| config.frontend_dir = Some(dir)).await
    }

    /// A server behind a trusted proxy: `X-Forwarded-For` names the client's address.
    pub async fn behind_proxy(limits: Limits) -> Option<Self> {
        Self::spawn_configured(limits, |config| config.trust_proxy = true).await
    }

    /// A server whose settings `configure` changes from the tests' defaults.
    pub async fn spawn_configured(
        limits: Limits,
        configure: impl FnOnce(&mut ApiConfig),
    ) -> Option<Self> {
        let db = TestDb::new()?;
        let files = tempfile::tempdir().expect("a directory for uploads");
        let clock = ManualClock::new(Utc::now().naive_utc());
        let identity = Identity::new(
            Arc::new(clock.clone()),
            Arc::new(OsTokenSource),
            JWT_SECRET,
            AuthConfig {
                public_url: PUBLIC_URL.into(),
                limits,
            },
        );
        let storage: Arc<dyn aula_catalog::Storage> =
            Arc::new(aula_catalog::LocalStorage::new(files.path()));
        let admissions = aula_enrolment::Admissions::new(
            Arc::new(clock.clone()),
            Arc::new(OsTokenSource),
            storage.clone(),
            identity.clone(),
            PUBLIC_URL,
            UPLOAD_LIMIT,
        );
        let assessment = aula_assessment::Assessment::new(
            Arc::new(clock.clone()),
            Arc::new(OsTokenSource),
            storage.clone(),
            PUBLIC_URL,
            UPLOAD_LIMIT,
        );
        let certification = aula_certification::Certification::new(
            Arc::new(clock.clone()),
            Arc::new(aula_core::SeededTokenSource::new(11)),
            storage.clone(),
            assessment.clone(),
            PUBLIC_URL,
        );
        let mut config = ApiConfig {
            max_json_bytes: 16 * 1024,
            max_upload_bytes: UPLOAD_LIMIT,
            ..ApiConfig::default()
        };
        configure(&mut config);
        // Tests arrange rows directly too: confirm the in-memory catalog on every read.
        let catalog = admissions
            .catalog()
            .clone()
            .with_catalog_refresh(std::time::Duration::ZERO);
        let state = AppState {
            pool: db.pool(),
            backend: db.url().backend(),
            identity: identity.clone(),
            mail: aula_mail::Notifier::default(),
            catalog: catalog.clone(),
            admissions: Arc::new(admissions),
            assessment: Arc::new(assessment.clone()),
            certification: Arc::new(certification.clone()),
            metrics: Default::default(),
            uploads: aula_api::UploadSlots::new(config.max_concurrent_uploads),
            config,
        };
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let app = Application::build(state, listener, Some(2)).expect("build the server");
        let base = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        actix_web::rt::spawn(app.run_until_stopped());
        Some(Self {
            base,
            // No idle connections kept: a kept one the server closes at the moment a test
            // reuses it fails the request (seen under heavy load), which says nothing about Aula.
            client: Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .expect("an HTTP client"),
            clock,
            identity,
            catalog,
            assessment,
            certification,
            db,
            files,
            handle,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_as(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch_as(&self, path: &str, token: &str, body: Value) -> Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_as(&self, path: &str, token: &str, body: Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put_as(&self, path: &str, token: &str, body: Value) -> Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete_as(&self, path: &str, token: &str) -> Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// A raw body with its content type (file uploads, CSV imports).
    pub async fn send_bytes_as(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        content_type: &str,
        headers: &[(&str, &str)],
        bytes: Vec<u8>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, content_type);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(bytes).send().await.expect("request")
    }

    /// A verified account made directly through the identity crate.
    pub fn create_user(&self, email: &str, name: &str, roles: &[Role]) -> User {
        self.create_user_in(email, name, None, roles)
    }

    /// A verified account belonging to an institution (or to none).
    pub fn create_user_in(
        &self,
        email: &str,
        name: &str,
        institution_id: Option<i64>,
        roles: &[Role],
    ) -> User {
        let mut conn = self.db.conn();
        aula_identity::auth::create_user(
            &mut conn,
            &self.identity,
            &NewUser {
                email: email.into(),
                full_name: name.into(),
                password: PASSWORD.into(),
                locale: Locale::Es,
                institution_id,
                roles: roles.to_vec(),
            },
        )
        .expect("create a user")
    }

    /// An access token for `user`, signed with the test secret at the clock's current
    /// time: no password check and no sign-in throttle. Mint again after moving the
    /// clock more than the token's lifetime.
    pub fn mint_token(&self, user: &User) -> String {
        JwtKeys::new(JWT_SECRET)
            .issue(user.id, user.token_version, self.clock.now())
            .expect("sign an access token")
    }

    /// An account of `institution_id` and a token for it, without signing in.
    pub fn person(
        &self,
        email: &str,
        name: &str,
        institution_id: Option<i64>,
        roles: &[Role],
    ) -> (User, String) {
        let user = self.create_user_in(email, name, institution_id, roles);
        let token = self.mint_token(&user);
        (user, token)
    }

    /// Takes the verification of `user_id`'s address back, as if never verified.
    pub fn mark_unverified(&self, user_id: i64) {
        use aula_db::schema::users;
        use diesel::prelude::*;
        diesel::update(users::table.find(user_id))
            .set(users::email_verified_at.eq(None::<chrono::NaiveDateTime>))
            .execute(&mut self.db.conn())
            .expect("mark unverified");
    }

    /// Puts a course in the catalog without the readiness checks of publishing.
    pub fn mark_published(&self, code: &str) {
        use aula_db::schema::courses;
        use diesel::prelude::*;
        diesel::update(courses::table.filter(courses::code.eq(code)))
            .set(courses::status.eq("published"))
            .execute(&mut self.db.conn())
            .expect("mark published");
    }

    /// Signs in and returns the session document.
    pub async fn login(&self, email: &str, password: &str) -> Value {
        let res = self
            .post(
                "/auth/login",
                json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "login of {email}");
        res.json().await.expect("session json")
    }

    pub async fn token_for(&self, email: &str, name: &str, roles: &[Role]) -> (User, String) {
        let user = self.create_user(email, name, roles);
        let session = self.login(email, PASSWORD).await;
        (
            user,
            session["access_token"]
                .as_str()
                .expect("access token")
                .to_owned(),
        )
    }

    /// The queued mails to `email`, oldest first.
    pub fn mails_to(&self, email: &str) -> Vec<aula_mail::OutboxEntry> {
        aula_mail::outbox_for(&mut self.db.conn(), email).expect("read the outbox")
    }

    /// The token of the last link to `PUBLIC_URL/<page>?token=` mailed to `email`.
    pub fn token_from_last_mail(&self, email: &str, page: &str) -> String {
        let mails = self.mails_to(email);
        let mail = mails.last().unwrap_or_else(|| panic!("no mail to {email}"));
        extract_token(&mail.body_text, page)
            .unwrap_or_else(|| panic!("no {page} link in {}", mail.body_text))
    }

    /// Registers through the API and verifies through the mailed link.
    pub async fn register_verified(&self, email: &str, name: &str) -> Value {
        let res = self
            .post(
                "/auth/register",
                json!({ "email": email, "password": PASSWORD, "full_name": name, "locale": "es" }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::ACCEPTED, "register {email}");
        let token = self.token_from_last_mail(email, "verify-email");
        let res = self
            .post("/auth/verify-email", json!({ "token": token }))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("user json")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the server before its database is dropped.
        let handle = self.handle.clone();
        drop(handle.stop(false));
    }
}

pub fn extract_token(text: &str, page: &str) -> Option<String> {
    let marker = format!("{PUBLIC_URL}/{page}?token=");
    let start = text.find(&marker)? + marker.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!token.is_empty()).then_some(token)
}

/// Asserts a problem document with `status` and `code`; returns it.
pub async fn assert_problem(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "status of {}", res.url());
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/problem+json"),
        "content type {content_type}"
    );
    let body: Value = res.json().await.expect("problem json");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16());
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    body
}
