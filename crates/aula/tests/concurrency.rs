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

mod support;

use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, Instant},
};

use aula_db::{
    schema::{enrolment_events, enrolments, institutions, offerings as offering_rows},
    testing::TestDb,
    DbConnection, DbUrl,
};
use aula_identity::JwtKeys;
use diesel::{dsl::count_star, prelude::*};
use serde_json::Value;
use support::{now, open_offering, CourseText, Serve};

const JWT_SECRET: &str = "concurrency-test-secret-of-at-least-32-bytes";
const DOMAIN: &str = "concurrency.test";
const COURSE: CourseText = CourseText {
    title: "para la prueba de concurrencia",
    summary: "Plazas bajo una ráfaga de solicitudes.",
};

/// One `aula serve` on a free loopback port; killed when dropped.
struct Server {
    serve: Serve,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(db: &TestDb) -> Self {
        let dir = tempfile::tempdir().expect("data directory");
        let serve = Serve::start("aula serve", &db.url_string(), dir.path(), |serve, url| {
            serve
                .env("AULA_PUBLIC_URL", url)
                .env("AULA_JWT_SECRET", JWT_SECRET)
                .env("AULA_LOG", "warn");
        })
        .tail_on_panic(40, None);
        Self { serve, _dir: dir }
    }
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

/// Verified accounts with the given role and institution; their ids in order.
fn add_users(
    conn: &mut DbConnection,
    prefix: &str,
    people: &[Option<i64>],
    role: &str,
) -> Vec<i64> {
    support::add_users(conn, prefix, DOMAIN, people, role)
}

fn tokens(conn: &mut DbConnection, ids: &[i64]) -> Vec<String> {
    support::tokens(conn, &JwtKeys::new(JWT_SECRET.as_bytes()), ids)
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
    let plain = open_offering(&mut conn, &admin, "CONC-001", capacity, None, &COURSE);
    let plain_people = add_users(&mut conn, "plain", &vec![None; applicants], "student");
    let plain_tokens = tokens(&mut conn, &plain_people);

    // 2. Quota: 10 institutions × 20 applicants, at most 4 seats each, 50 seats. Each
    // institution can fill its quota before the seats run out, so exactly 4 × 10 = 40
    // seats are taken whatever the order: min(capacity, Σ min(quota, applicants of i)).
    let (quota, per_institution) = (4, 20);
    let institutions = add_institutions(&mut conn, 10);
    let quota_offering = open_offering(
        &mut conn,
        &admin,
        "CONC-002",
        capacity,
        Some(quota),
        &COURSE,
    );
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
        let client = support::http_client(1024, Duration::from_secs(300));
        for server in &mut servers {
            let deadline = Instant::now() + Duration::from_secs(60);
            server
                .serve
                .wait_healthy(&client, deadline, Duration::from_millis(100))
                .await;
        }
        let rig = Rig {
            db: &db,
            client,
            servers: servers.iter().map(|s| s.serve.url.clone()).collect(),
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
        let log = server.serve.log();
        assert!(
            !log.contains("ERROR") && !log.contains("database is locked"),
            "the server logged errors:\n{log}"
        );
    }
}
