//! Seats under a burst: hundreds of simultaneous applications to one `open` offering,
//! sent to the real `aula serve` — one process on SQLite (the supported shape), two
//! processes sharing the database on PostgreSQL (`AULA_TEST_BACKEND=postgres`).
//! `AULA_TEST_SERVE_PROCESSES=N` overrides the number of processes.
//!
//! Capacity and the per-institution quota must hold exactly: every application is
//! answered 201, the seats go to exactly as many people as the rules allow, everybody
//! else is waitlisted with a distinct place that does not change after they were told
//! it, and `seats_taken` matches the seat-holders. The figures (requests, wall time,
//! outcome) are printed; run with `--nocapture` to see them. Nothing is asserted about
//! time.
//!
//! Accounts are written straight into the database with a placeholder password hash,
//! and their access tokens are signed with the servers' `AULA_JWT_SECRET`: signing in
//! 700 people would spend minutes in argon2 and prove nothing about seats.

use std::{
    collections::{BTreeMap, HashMap},
    fs::File,
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use aula_catalog::{
    courses::{self, CourseInput, TranslationInput},
    model::{AdmissionPolicy, Level, Modality, ProgrammeType},
    offerings::{self, OfferingInput},
    Catalog, LocalStorage, NoEnrolments,
};
use aula_core::{Locale, ManualClock};
use aula_db::{
    schema::{
        enrolment_events, enrolments, institutions, offerings as offering_rows, user_roles, users,
    },
    testing::TestDb,
    DbConnection, DbUrl,
};
use aula_identity::{JwtKeys, User};
use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::{dsl::count_star, prelude::*};
use serde_json::Value;

const JWT_SECRET: &str = "concurrency-test-secret-of-at-least-32-bytes";

/// One `aula serve` on a free loopback port; killed when dropped.
struct Server {
    child: Child,
    url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(db: &TestDb) -> Self {
        let dir = tempfile::tempdir().expect("data directory");
        let port = {
            let probe = TcpListener::bind("127.0.0.1:0").expect("free port");
            probe.local_addr().expect("port").port()
        };
        let url = format!("http://127.0.0.1:{port}");
        let log = dir.path().join("serve.log");
        let out = File::create(&log).expect("server log");
        let child = Command::new(env!("CARGO_BIN_EXE_aula"))
            .arg("serve")
            .env("AULA_DATABASE_URL", db.url_string())
            .env("AULA_DATA_DIR", dir.path())
            .env("AULA_BIND", format!("127.0.0.1:{port}"))
            .env("AULA_PUBLIC_URL", &url)
            .env("AULA_JWT_SECRET", JWT_SECRET)
            .env("AULA_FRONTEND_DIR", dir.path().join("no-frontend"))
            .env("AULA_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .spawn()
            .expect("start aula serve");
        Self {
            child,
            url,
            log,
            _dir: dir,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    async fn wait_healthy(&mut self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let health = client
                .get(format!("{}/api/v1/health", self.url))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("aula serve exited with {status}:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "aula serve did not become healthy:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = self.log();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            eprintln!("--- last lines of {} ---", self.log.display());
            tail.iter().rev().for_each(|line| eprintln!("{line}"));
        }
    }
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Inserts verified accounts with the given role and institution; returns their ids in order.
fn add_users(
    conn: &mut DbConnection,
    prefix: &str,
    people: &[Option<i64>],
    role: &str,
) -> Vec<i64> {
    let at = now();
    let emails: Vec<String> = (0..people.len())
        .map(|i| format!("{prefix}-{i:04}@concurrency.test"))
        .collect();
    for (chunk, institutions) in emails.chunks(250).zip(people.chunks(250)) {
        let rows: Vec<_> = chunk
            .iter()
            .zip(institutions)
            .map(|(email, institution)| {
                (
                    users::email.eq(email),
                    users::full_name.eq(email),
                    // Never used: nobody signs in, tokens are signed by the test.
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
    let ids: HashMap<String, i64> = users::table
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

fn add_institutions(conn: &mut DbConnection, count: usize) -> Vec<i64> {
    let at = now();
    (0..count)
        .map(|i| {
            diesel::insert_into(institutions::table)
                .values((
                    institutions::name.eq(format!("Institución de prueba {i}")),
                    institutions::acronym.eq(format!("CONC{i}")),
                    institutions::country.eq("MX"),
                    institutions::membership_category.eq("titular"),
                    institutions::created_at.eq(at),
                    institutions::updated_at.eq(at),
                ))
                .returning(institutions::id)
                .get_result(conn)
                .expect("insert institution")
        })
        .collect()
}

/// A published course with an `open` offering whose enrolment window is open now.
fn open_offering(
    conn: &mut DbConnection,
    admin: &User,
    code: &str,
    capacity: i32,
    quota: Option<i32>,
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
            title: format!("Curso {code} para la prueba de concurrencia"),
            summary: "Plazas bajo una ráfaga de solicitudes.".into(),
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

fn tokens(conn: &mut DbConnection, ids: &[i64]) -> Vec<String> {
    let keys = JwtKeys::new(JWT_SECRET.as_bytes());
    let versions: HashMap<i64, i32> = users::table
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

/// What one application got back.
struct Answer {
    status: u16,
    body: Value,
}

/// Sends one application per token, all at once (spread round-robin over `servers`),
/// and returns the answers in token order with the wall time of the burst.
async fn burst(
    client: &reqwest::Client,
    servers: &[String],
    offering: i64,
    tokens: Vec<String>,
) -> (Vec<Answer>, Duration) {
    let start = Arc::new(tokio::sync::Barrier::new(tokens.len() + 1));
    let tasks: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(i, token)| {
            let url = format!(
                "{}/api/v1/offerings/{offering}/enrolments",
                servers[i % servers.len()]
            );
            let (client, start) = (client.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                let response = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&serde_json::json!({}))
                    .send()
                    .await
                    .expect("the server answers");
                let status = response.status().as_u16();
                let body = response.json::<Value>().await.unwrap_or(Value::Null);
                Answer { status, body }
            })
        })
        .collect();
    start.wait().await;
    let began = Instant::now();
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        answers.push(task.await.expect("request task"));
    }
    (answers, began.elapsed())
}

async fn get_json(client: &reqwest::Client, url: String, token: &str) -> Value {
    let response = client
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .expect("GET answered");
    assert_eq!(response.status().as_u16(), 200, "GET {url}");
    response.json().await.expect("JSON")
}

/// The waitlist place of each waitlisted enrolment (by id), as the roster shows it to
/// the administrator, page by page.
async fn waitlist_places(
    client: &reqwest::Client,
    server: &str,
    offering: i64,
    admin: &str,
) -> BTreeMap<i64, i64> {
    let mut places = BTreeMap::new();
    for page in 1.. {
        let url = format!(
            "{server}/api/v1/offerings/{offering}/roster?state=waitlisted&per_page=100&page={page}"
        );
        let list = get_json(client, url, admin).await;
        let items = list["items"].as_array().expect("items");
        if items.is_empty() {
            break;
        }
        for e in items {
            let id = e["id"].as_i64().expect("an enrolment id");
            let place = e["waitlist_position"].as_i64().expect("a waitlist place");
            assert!(
                places.insert(id, place).is_none(),
                "enrolment {id} listed twice"
            );
        }
    }
    places
}

/// Seat-holders per institution in the database, and the offering's counter.
fn seat_counts(conn: &mut DbConnection, offering: i64) -> (BTreeMap<Option<i64>, i64>, i32) {
    let held: Vec<(Option<i64>, i64)> = enrolments::table
        .filter(enrolments::offering_id.eq(offering))
        .filter(enrolments::state.eq("enrolled"))
        .group_by(enrolments::institution_id)
        .select((enrolments::institution_id, count_star()))
        .load(conn)
        .expect("seat-holders");
    let taken = offering_rows::table
        .find(offering)
        .select(offering_rows::seats_taken)
        .first(conn)
        .expect("seats_taken");
    (held.into_iter().collect(), taken)
}

struct Expected {
    enrolled: usize,
    waitlisted: usize,
}

/// The servers under test and what the checks need to reach them.
struct Rig<'a> {
    db: &'a TestDb,
    client: reqwest::Client,
    servers: Vec<String>,
    admin_token: String,
}

/// The burst and every check on its outcome; prints the figures.
async fn run_scenario(
    rig: &Rig<'_>,
    name: &str,
    offering: i64,
    tokens: Vec<String>,
    expected: &Expected,
) -> (BTreeMap<Option<i64>, i64>, i32) {
    let Rig {
        db,
        client,
        servers,
        admin_token,
    } = rig;
    let requests = tokens.len();
    let (answers, wall) = burst(client, servers, offering, tokens).await;

    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for a in &answers {
        *statuses.entry(a.status).or_default() += 1;
    }
    let failures: Vec<&Value> = answers
        .iter()
        .filter(|a| a.status != 201)
        .map(|a| &a.body)
        .take(5)
        .collect();
    assert!(
        answers.iter().all(|a| a.status < 500),
        "{name}: server errors, statuses {statuses:?}, e.g. {failures:?}"
    );
    assert_eq!(
        statuses.get(&201).copied().unwrap_or(0),
        requests,
        "{name}: every application is accepted; statuses {statuses:?}, e.g. {failures:?}"
    );
    let state_of = |s: &str| answers.iter().filter(|a| a.body["state"] == s).count();
    let (enrolled, waitlisted) = (state_of("enrolled"), state_of("waitlisted"));

    let shown = get_json(
        client,
        format!("{}/api/v1/offerings/{offering}", servers[0]),
        admin_token,
    )
    .await;
    let seats_taken = shown["seats_taken"].as_i64().expect("seats_taken");
    let places = waitlist_places(client, &servers[0], offering, admin_token).await;
    let mut sorted_places: Vec<i64> = places.values().copied().collect();
    sorted_places.sort_unstable();

    let backend = match db.url() {
        DbUrl::Postgresql(_) => "postgresql",
        DbUrl::Sqlite(_) => "sqlite",
    };
    println!(
        "concurrency [{name}] backend={backend} processes={} requests={requests} wall={:.2}s \
         ({:.0} req/s) enrolled={enrolled} waitlisted={waitlisted} seats_taken={seats_taken} \
         waitlist_places={}..={}",
        servers.len(),
        wall.as_secs_f64(),
        requests as f64 / wall.as_secs_f64(),
        sorted_places.first().copied().unwrap_or(0),
        sorted_places.last().copied().unwrap_or(0),
    );

    assert_eq!(enrolled, expected.enrolled, "{name}: enrolled");
    assert_eq!(waitlisted, expected.waitlisted, "{name}: waitlisted");
    assert_eq!(seats_taken, expected.enrolled as i64, "{name}: seats_taken");
    let want: Vec<i64> = (1..=expected.waitlisted as i64).collect();
    assert_eq!(
        sorted_places, want,
        "{name}: waitlist places are 1..=N, none twice"
    );
    // Nobody left during the burst, so the place each applicant was told is still theirs:
    // nobody who answered later was put ahead of them.
    let shifted: Vec<(i64, i64, i64)> = answers
        .iter()
        .filter(|a| a.body["state"] == "waitlisted")
        .filter_map(|a| {
            let id = a.body["id"].as_i64().expect("enrolment id");
            let told = a.body["waitlist_position"]
                .as_i64()
                .expect("a waitlist place");
            let now = places.get(&id).copied().unwrap_or(0);
            (told != now).then_some((id, told, now))
        })
        .collect();
    assert!(
        shifted.is_empty(),
        "{name}: {} of {waitlisted} waitlisted applicants were told a place that later \
         changed, e.g. (enrolment, told, now) {:?}",
        shifted.len(),
        &shifted[..shifted.len().min(5)]
    );

    let mut conn = db.conn();
    let (held, taken) = seat_counts(&mut conn, offering);
    assert_eq!(
        held.values().sum::<i64>(),
        i64::from(taken),
        "{name}: the counter matches the seat-holders"
    );
    let events: i64 = enrolment_events::table
        .inner_join(enrolments::table.on(enrolments::id.eq(enrolment_events::enrolment_id)))
        .filter(enrolments::offering_id.eq(offering))
        .select(count_star())
        .first(&mut conn)
        .expect("history");
    assert_eq!(events, requests as i64, "{name}: one history row each");
    (held, taken)
}

#[test]
fn simultaneous_applications_fill_exactly_the_seats_and_quotas() {
    let Some(db) = TestDb::new() else { return };
    let processes = match std::env::var("AULA_TEST_SERVE_PROCESSES") {
        Ok(n) => n.parse().expect("AULA_TEST_SERVE_PROCESSES is a number"),
        Err(_) => match db.url() {
            DbUrl::Postgresql(_) => 2,
            DbUrl::Sqlite(_) => 1,
        },
    };

    // Fixture: an administrator, two offerings, the applicants and their tokens.
    let mut conn = db.conn();
    let admin_id = add_users(&mut conn, "admin", &[None], "admin")[0];
    let admin = aula_identity::users::get(&mut conn, admin_id).expect("admin");
    let admin_token = tokens(&mut conn, &[admin_id]).remove(0);

    // 1. Capacity only: 500 applicants for 50 seats.
    let (capacity, applicants) = (50, 500);
    let plain = open_offering(&mut conn, &admin, "CONC-001", capacity, None);
    let plain_people = add_users(&mut conn, "plain", &vec![None; applicants], "student");
    let plain_tokens = tokens(&mut conn, &plain_people);

    // 2. Quota: 10 institutions × 20 applicants, at most 4 seats each, 50 seats. Each
    // institution can fill its quota before the seats run out, so exactly 4 × 10 = 40
    // seats are taken whatever the order: min(capacity, Σ min(quota, applicants of i)).
    let (quota, per_institution) = (4, 20);
    let institutions = add_institutions(&mut conn, 10);
    let quota_offering = open_offering(&mut conn, &admin, "CONC-002", capacity, Some(quota));
    // Request i goes to server i % processes: half of each institution's people to each.
    let spread: Vec<Option<i64>> = (0..institutions.len() * per_institution)
        .map(|i| Some(institutions[(i / 2) % institutions.len()]))
        .collect();
    let quota_people = add_users(&mut conn, "quota", &spread, "student");
    let quota_tokens = tokens(&mut conn, &quota_people);
    let quota_seats =
        (capacity as usize).min(institutions.len() * (quota as usize).min(per_institution));
    drop(conn);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut servers: Vec<Server> = (0..processes).map(|_| Server::start(&db)).collect();
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(1024)
            .timeout(Duration::from_secs(300))
            .build()
            .expect("HTTP client");
        for server in &mut servers {
            server.wait_healthy(&client).await;
        }
        let rig = Rig {
            db: &db,
            client,
            servers: servers.iter().map(|s| s.url.clone()).collect(),
            admin_token,
        };

        run_scenario(
            &rig,
            "capacity",
            plain,
            plain_tokens,
            &Expected {
                enrolled: capacity as usize,
                waitlisted: applicants - capacity as usize,
            },
        )
        .await;

        let (held, _) = run_scenario(
            &rig,
            "quota",
            quota_offering,
            quota_tokens,
            &Expected {
                enrolled: quota_seats,
                waitlisted: spread.len() - quota_seats,
            },
        )
        .await;
        for institution in &institutions {
            assert_eq!(
                held.get(&Some(*institution)).copied().unwrap_or(0),
                i64::from(quota),
                "institution {institution} holds exactly its quota"
            );
        }
    });
    for server in &servers {
        let log = server.log();
        assert!(
            !log.contains("ERROR") && !log.contains("database is locked"),
            "the server logged errors:\n{log}"
        );
    }
}
