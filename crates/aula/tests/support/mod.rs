//! What the command-line tests share: running `aula`, an `aula serve` process on a free
//! loopback port, the services the checks read through, and fixtures written straight
//! into the database. Each test target uses part of it.
#![allow(dead_code)]

use std::{
    fs::File,
    io::Write,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use aula_catalog::{
    courses::{self, CourseInput, TranslationInput},
    model::{AdmissionPolicy, Level, Modality, ProgrammeType},
    offerings::{self, OfferingInput},
    Catalog, LocalStorage, NoEnrolments,
};
use aula_core::{Locale, ManualClock, OsTokenSource, SystemClock};
use aula_db::{
    schema::{user_roles, users},
    testing::TestDb,
    DbConnection,
};
use aula_identity::{AuthConfig, Identity, JwtKeys, Limits, User};
use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `aula` with `args` on a database and a data directory, `stdin` written to its
/// standard input, and waits for it to finish.
pub fn aula(database_url: &str, data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aula"))
        .args(args)
        .env("AULA_DATABASE_URL", database_url)
        .env("AULA_DATA_DIR", data_dir)
        .env("AULA_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run aula");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("aula finishes")
}

/// An HTTP client for the servers under test, never through a proxy.
pub fn http_client(pool_max_idle_per_host: usize, timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(pool_max_idle_per_host)
        .timeout(timeout)
        .build()
        .expect("HTTP client")
}

/// Whether `db` is PostgreSQL, which `aula backup` does not copy: then `out`, the
/// backup's outcome, is a failure whose message names `says`.
pub fn backup_refused_on_postgresql(db: &TestDb, out: &Output, says: &str) -> bool {
    if db.url().backend() != aula_db::Backend::Postgresql {
        return false;
    }
    assert!(!out.status.success(), "PostgreSQL is not copied by aula");
    assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
    true
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// One `aula serve` on a free loopback port, its output in `serve.log` in its data
/// directory; killed when dropped, and then, if the test is failing and
/// [`Serve::tail_on_panic`] asked for it, the end of its log printed.
pub struct Serve {
    pub child: Child,
    pub port: u16,
    pub url: String,
    pub log: PathBuf,
    label: String,
    tail: usize,
    leave_out: Option<&'static str>,
}

impl Serve {
    /// Starts `aula serve` on `database_url` and `data_dir`; `settings` adds the
    /// environment particular to the test (`AULA_LOG` among it), given the server's URL.
    pub fn start(
        label: &str,
        database_url: &str,
        data_dir: &Path,
        settings: impl FnOnce(&mut Command, &str),
    ) -> Self {
        let port = free_port();
        let url = format!("http://127.0.0.1:{port}");
        let log = data_dir.join("serve.log");
        let out = File::create(&log).expect("server log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_aula"));
        command
            .arg("serve")
            .env("AULA_DATABASE_URL", database_url)
            .env("AULA_DATA_DIR", data_dir)
            .env("AULA_BIND", format!("127.0.0.1:{port}"))
            .env("AULA_FRONTEND_DIR", data_dir.join("no-frontend"));
        settings(&mut command, &url);
        let child = command
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .spawn()
            .expect("start aula serve");
        Self {
            child,
            port,
            url,
            log,
            label: label.into(),
            tail: 0,
            leave_out: None,
        }
    }

    /// On a failing test, print the last `lines` of the log, leaving out those that
    /// contain `leave_out`.
    pub fn tail_on_panic(mut self, lines: usize, leave_out: Option<&'static str>) -> Self {
        self.tail = lines;
        self.leave_out = leave_out;
        self
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the health endpoint answers, polling every `poll`; fails if the
    /// process exits or `deadline` passes first.
    pub async fn wait_healthy(
        &mut self,
        client: &reqwest::Client,
        deadline: Instant,
        poll: Duration,
    ) {
        loop {
            let health = client.get(self.api("/health")).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited with {status}:\n{}", self.label, self.log());
            }
            assert!(
                Instant::now() < deadline,
                "{} did not become healthy:\n{}",
                self.label,
                self.log()
            );
            tokio::time::sleep(poll).await;
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if self.tail > 0 && std::thread::panicking() {
            let log = self.log();
            let tail: Vec<&str> = log
                .lines()
                .filter(|l| self.leave_out.is_none_or(|out| !l.contains(out)))
                .rev()
                .take(self.tail)
                .collect();
            eprintln!("--- last lines of {} ---", self.label);
            tail.iter().rev().for_each(|line| eprintln!("{line}"));
        }
    }
}

/// The identity service, as the command line builds it, signing with `secret`.
pub fn identity(secret: &[u8], public_url: &str) -> Identity {
    Identity::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        secret,
        AuthConfig {
            public_url: public_url.into(),
            limits: Limits::default(),
        },
    )
}

/// The certification service over the files in `data_dir`.
pub fn certification(data_dir: &Path) -> aula_certification::Certification {
    let storage = Arc::new(LocalStorage::new(data_dir.join("files")));
    let assessment = aula_assessment::Assessment::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        storage.clone(),
        "https://aula.test",
        1 << 20,
    );
    aula_certification::Certification::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        storage,
        assessment,
        "https://aula.test",
    )
}

// ---------------------------------------------------------------------------------
// Fixtures, written straight into a migrated database.

/// Inserts verified accounts `{prefix}-{i:04}@{domain}`, one per entry of `people`
/// (its institution), with the given role; returns their ids in order. Their password
/// hash is a placeholder: nobody signs in, their tokens are signed by the test.
pub fn add_users(
    conn: &mut DbConnection,
    prefix: &str,
    domain: &str,
    people: &[Option<i64>],
    role: &str,
) -> Vec<i64> {
    let at = now();
    let emails: Vec<String> = (0..people.len())
        .map(|i| format!("{prefix}-{i:04}@{domain}"))
        .collect();
    for (chunk, institutions) in emails.chunks(250).zip(people.chunks(250)) {
        let rows: Vec<_> = chunk
            .iter()
            .zip(institutions)
            .map(|(email, institution)| {
                (
                    users::email.eq(email),
                    users::full_name.eq(email),
                    users::password_hash.eq("-"),
                    users::locale.eq("es"),
                    users::institution_id.eq(*institution),
                    users::status.eq("active"),
                    users::email_verified_at.eq(Some(at)),
                    users::created_at.eq(at),
                    users::updated_at.eq(at),
                )
            })
            .collect();
        let insert = diesel::insert_into(users::table).values(&rows);
        match conn {
            DbConnection::Postgresql(pg) => insert.execute(pg),
            DbConnection::Sqlite(lite) => insert.execute(lite),
        }
        .expect("insert accounts");
    }
    let ids: std::collections::HashMap<String, i64> = users::table
        .filter(users::email.like(format!("{prefix}-%")))
        .select((users::email, users::id))
        .load::<(String, i64)>(conn)
        .expect("account ids")
        .into_iter()
        .collect();
    let ids: Vec<i64> = emails.iter().map(|e| ids[e]).collect();
    let roles: Vec<_> = ids
        .iter()
        .map(|id| (user_roles::user_id.eq(*id), user_roles::role.eq(role)))
        .collect();
    for chunk in roles.chunks(250) {
        let insert = diesel::insert_into(user_roles::table).values(chunk);
        match conn {
            DbConnection::Postgresql(pg) => insert.execute(pg),
            DbConnection::Sqlite(lite) => insert.execute(lite),
        }
        .expect("insert roles");
    }
    ids
}

/// Access tokens for `ids`, signed with `keys`.
pub fn tokens(conn: &mut DbConnection, keys: &JwtKeys, ids: &[i64]) -> Vec<String> {
    let versions: std::collections::HashMap<i64, i32> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::token_version))
        .load::<(i64, i32)>(conn)
        .expect("token versions")
        .into_iter()
        .collect();
    ids.iter()
        .map(|id| keys.issue(*id, versions[id], now()).expect("sign token"))
        .collect()
}

/// The Spanish text of a test's courses: `Curso {code} {title}`, and a summary.
pub struct CourseText {
    pub title: &'static str,
    pub summary: &'static str,
}

/// A published course `code` with an `open` offering whose enrolment window is open
/// now; returns the offering's id.
pub fn open_offering(
    conn: &mut DbConnection,
    admin: &User,
    code: &str,
    capacity: i32,
    quota: Option<i32>,
    text: &CourseText,
) -> i64 {
    let at = now();
    // Only the clock matters here: the course has no documents and no lesson readers.
    let catalog = Catalog::new(
        Arc::new(ManualClock::new(at)),
        Arc::new(LocalStorage::new(std::env::temp_dir())),
        Arc::new(NoEnrolments),
    );
    let course = CourseInput {
        code: Some(code.into()),
        topic: Some("pensions".into()),
        programme_type: Some(ProgrammeType::ALL[0]),
        modality: Some(Modality::ALL[0]),
        level: Some(Level::ALL[0]),
        hours: Some(20),
        primary_language: Some(Locale::Es),
        languages: Some(vec![Locale::Es]),
        prerequisites: None,
        instructor_ids: None,
        translation: Some(TranslationInput {
            title: format!("Curso {code} {}", text.title),
            summary: text.summary.into(),
            description_md: "Prueba.".into(),
            learning_outcomes: vec!["Ninguno".into()],
        }),
    };
    courses::create(conn, &catalog, admin, &course).expect("create course");
    let start = (at + TimeDelta::days(30)).date();
    let offering = OfferingInput {
        start_date: Some(start),
        end_date: Some(start + TimeDelta::days(28)),
        enrolment_opens_at: Some((at - TimeDelta::days(1)).and_utc()),
        enrolment_closes_at: Some((at + TimeDelta::days(20)).and_utc()),
        time_zone: Some("America/Mexico_City".into()),
        capacity: Some(capacity),
        admission_policy: Some(AdmissionPolicy::Open),
        institution_quota: quota,
        currency: Some("USD".into()),
        ..Default::default()
    };
    let id = offerings::create(conn, &catalog, admin, code, &offering)
        .expect("create offering")
        .id;
    // Publishing needs an edition.
    courses::publish(conn, &catalog, admin, code).expect("publish course");
    id
}
