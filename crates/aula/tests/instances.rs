//! Three `aula serve` processes on one PostgreSQL database behave as one service.
//!
//! The three start at the same moment on a new, empty database, each with its own data
//! directory (mail is written to files there) and no `AULA_JWT_SECRET`: the signing
//! secret is the one the first of them stores in the database. They sit behind a
//! pretend load balancer (`AULA_TRUST_PROXY`, a client address per person) and are
//! driven together. Then:
//!
//! 1. the migrations ran once, by one of them;
//! 2. every message is delivered exactly once, by one of them, and no background job
//!    runs twice;
//! 3. seats stay exact when people apply through all three at once, twice each;
//! 4. certificates issued through all three at once have distinct codes, one per seat;
//! 5. a refresh token rotates once across them, and its reuse ends the session family;
//! 6. a catalog change made through one is served by the others within a second;
//! 7. killing one with SIGKILL mid-load loses no write it had acknowledged.
//!
//! The steps share the three processes (starting them is most of the cost), so they
//! run in this order inside one test; each is a function named after what it proves.
//! Figures are printed: run with `--nocapture` to see them.
//!
//! PostgreSQL only (`AULA_TEST_BACKEND=postgres`): several instances on one SQLite file
//! is not a supported shape. Skipped with a message otherwise, or when PostgreSQL is
//! unreachable outside CI.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    fs::File,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
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
    schema::{
        app_secrets, certificate_documents, certificates, enrolment_events, enrolments, jobs,
        mail_outbox, offerings as offering_rows, user_roles, users,
    },
    testing::TestDb,
    DbConnection,
};
use aula_identity::{AuthConfig, Identity, JwtKeys, Limits, NewUser, Role, User};
use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::{dsl::count_star, prelude::*, sql_types::BigInt, sql_types::Text};
use serde_json::{json, Value};

const PASSWORD: &str = "Marea-Quieta-Sobre-Lisboa-77";

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// One `aula serve` on a free loopback port; killed when dropped.
struct Instance {
    name: char,
    child: Child,
    url: String,
    data: tempfile::TempDir,
    log: PathBuf,
}

impl Instance {
    fn start(name: char, database_url: &str) -> Self {
        let data = tempfile::tempdir().expect("data directory");
        let port = {
            let probe = TcpListener::bind("127.0.0.1:0").expect("free port");
            probe.local_addr().expect("port").port()
        };
        let url = format!("http://127.0.0.1:{port}");
        let log = data.path().join("serve.log");
        let out = File::create(&log).expect("server log");
        let child = Command::new(env!("CARGO_BIN_EXE_aula"))
            .arg("serve")
            .env("AULA_DATABASE_URL", database_url)
            .env("AULA_DATA_DIR", data.path())
            .env("AULA_BIND", format!("127.0.0.1:{port}"))
            .env("AULA_PUBLIC_URL", &url)
            .env("AULA_FRONTEND_DIR", data.path().join("no-frontend"))
            .env("AULA_TRUST_PROXY", "true")
            // What the checks read: migrations applied, jobs run, mail written.
            .env(
                "AULA_LOG",
                "warn,aula::serve=info,aula::jobs=info,aula_mail=info",
            )
            // Mail to files in the data directory; the secret from the database.
            .env_remove("AULA_SMTP_URL")
            .env_remove("AULA_JWT_SECRET")
            .env_remove("AULA_STORAGE_URL")
            .env_remove("AULA_LOG_FORMAT")
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .spawn()
            .expect("start aula serve");
        Self {
            name,
            child,
            url,
            data,
            log,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn mail_dir(&self) -> PathBuf {
        self.data.path().join("mail")
    }

    fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    async fn wait_healthy(&mut self, client: &reqwest::Client, deadline: Instant) {
        loop {
            let health = client.get(self.api("/health")).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "instance {} exited with {status}:\n{}",
                    self.name,
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "instance {} did not become healthy:\n{}",
                self.name,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = self.log();
            let tail: Vec<&str> = log
                .lines()
                .filter(|l| !l.contains("mail written to file"))
                .rev()
                .take(30)
                .collect();
            eprintln!("--- last lines of instance {} ---", self.name);
            tail.iter().rev().for_each(|line| eprintln!("{line}"));
        }
    }
}

/// The three instances, A, B and C; all killed when dropped.
struct Cluster {
    instances: Vec<Instance>,
}

impl Cluster {
    /// Starts the three back to back, before any of them has touched the database.
    fn start(db: &TestDb) -> Self {
        let url = db.url_string();
        Self {
            instances: ['A', 'B', 'C']
                .into_iter()
                .map(|name| Instance::start(name, &url))
                .collect(),
        }
    }

    fn a(&self) -> &Instance {
        &self.instances[0]
    }

    fn b(&self) -> &Instance {
        &self.instances[1]
    }

    fn c(&self) -> &Instance {
        &self.instances[2]
    }

    /// The instance request `i` of a round-robin spread goes to.
    fn nth(&self, i: usize) -> &Instance {
        &self.instances[i % self.instances.len()]
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for instance in &mut self.instances {
            let _ = instance.child.kill();
        }
    }
}

/// What the steps share: the processes, the database, an HTTP client and the
/// administrator.
struct Rig {
    cluster: Cluster,
    db: TestDb,
    client: reqwest::Client,
    keys: JwtKeys,
    admin: User,
    admin_token: String,
}

impl Rig {
    fn conn(&self) -> DbConnection {
        self.db.conn()
    }

    /// Access tokens for `ids`, signed with the secret the instances share.
    fn tokens(&self, ids: &[i64]) -> Vec<String> {
        let mut conn = self.conn();
        let versions: HashMap<i64, i32> = users::table
            .filter(users::id.eq_any(ids))
            .select((users::id, users::token_version))
            .load::<(i64, i32)>(&mut conn)
            .expect("token versions")
            .into_iter()
            .collect();
        ids.iter()
            .map(|id| self.keys.issue(*id, versions[id], now()).expect("sign"))
            .collect()
    }
}

/// An answer: status and JSON body (`Null` when there is none).
struct Answer {
    status: u16,
    body: Value,
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the instance answers");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    Answer { status, body }
}

async fn get_ok(client: &reqwest::Client, url: String, token: Option<&str>) -> Value {
    let mut request = client.get(&url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer = send(request).await;
    assert_eq!(answer.status, 200, "GET {url}: {}", answer.body);
    answer.body
}

fn count_by_status<'a>(answers: impl IntoIterator<Item = &'a Answer>) -> BTreeMap<u16, usize> {
    let mut statuses = BTreeMap::new();
    for a in answers {
        *statuses.entry(a.status).or_default() += 1;
    }
    statuses
}

/// Runs every future at once and returns their outputs in order.
async fn all<T: Send + 'static>(
    futures: Vec<impl std::future::Future<Output = T> + Send + 'static>,
) -> Vec<T> {
    let tasks: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        out.push(task.await.expect("request task"));
    }
    out
}

// ---------------------------------------------------------------------------------
// Fixtures, written straight into the database once it is migrated.

/// Verified students (placeholder password: they never sign in, their tokens are
/// signed by the test); returns their ids in order.
fn add_students(conn: &mut DbConnection, prefix: &str, count: usize) -> Vec<i64> {
    let at = now();
    let emails: Vec<String> = (0..count)
        .map(|i| format!("{prefix}-{i:04}@instances.test"))
        .collect();
    let rows: Vec<_> = emails
        .iter()
        .map(|email| {
            (
                users::email.eq(email),
                users::full_name.eq(email),
                users::password_hash.eq("-"),
                users::locale.eq("es"),
                users::status.eq("active"),
                users::email_verified_at.eq(Some(at)),
                users::created_at.eq(at),
                users::updated_at.eq(at),
            )
        })
        .collect();
    let DbConnection::Postgresql(pg) = conn else {
        unreachable!("PostgreSQL only")
    };
    diesel::insert_into(users::table)
        .values(&rows)
        .execute(pg)
        .expect("insert students");
    let ids: HashMap<String, i64> = users::table
        .filter(users::email.like(format!("{prefix}-%")))
        .select((users::email, users::id))
        .load::<(String, i64)>(conn)
        .expect("student ids")
        .into_iter()
        .collect();
    let ids: Vec<i64> = emails.iter().map(|e| ids[e]).collect();
    let roles: Vec<_> = ids
        .iter()
        .map(|id| (user_roles::user_id.eq(*id), user_roles::role.eq("student")))
        .collect();
    let DbConnection::Postgresql(pg) = conn else {
        unreachable!("PostgreSQL only")
    };
    diesel::insert_into(user_roles::table)
        .values(&roles)
        .execute(pg)
        .expect("insert roles");
    ids
}

fn identity(secret: &str) -> Identity {
    Identity::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        secret.as_bytes(),
        AuthConfig {
            public_url: "http://127.0.0.1".into(),
            limits: Limits::default(),
        },
    )
}

/// An account with a real password, to sign in with.
fn add_account(conn: &mut DbConnection, secret: &str, email: &str, role: Role) -> User {
    aula_identity::auth::create_user(
        conn,
        &identity(secret),
        &NewUser {
            email: email.into(),
            full_name: format!("Persona {email}"),
            password: PASSWORD.into(),
            locale: Locale::Es,
            institution_id: None,
            roles: vec![role],
        },
    )
    .expect("create an account")
}

/// A published course with an `open` offering whose enrolment window is open now;
/// returns the offering's id.
fn open_offering(conn: &mut DbConnection, admin: &User, code: &str, capacity: i32) -> i64 {
    let at = now();
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
            title: format!("Curso {code} de varias instancias"),
            summary: "Tres servidores, una base de datos.".into(),
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
        currency: Some("USD".into()),
        ..Default::default()
    };
    let id = offerings::create(conn, &catalog, admin, code, &offering)
        .expect("create offering")
        .id;
    courses::publish(conn, &catalog, admin, code).expect("publish course");
    id
}

// ---------------------------------------------------------------------------------
// 1. Migrations

#[derive(QueryableByName)]
struct VersionCount {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The versions an instance logged as applied.
fn applied_in_log(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains("applied migration"))
        .filter_map(|l| l.split("migration=").nth(1))
        .map(|v| v.split_whitespace().next().unwrap_or_default().to_owned())
        .collect()
}

fn migrations_run_once_when_three_instances_start_together(cluster: &Cluster, db: &TestDb) {
    let folders =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/postgres"))
            .expect("the PostgreSQL migrations")
            .filter(|e| e.as_ref().is_ok_and(|e| e.path().join("up.sql").is_file()))
            .count();
    let rows: Vec<VersionCount> = diesel::sql_query(
        "SELECT version, COUNT(*) AS n FROM __diesel_schema_migrations GROUP BY version",
    )
    .load(&mut db.conn())
    .expect("the migrations table");
    assert_eq!(rows.len(), folders, "every migration is recorded");
    assert!(
        rows.iter().all(|r| r.n == 1),
        "each version once: {:?}",
        rows.iter()
            .filter(|r| r.n != 1)
            .map(|r| &r.version)
            .collect::<Vec<_>>()
    );

    let applied: Vec<(char, Vec<String>)> = cluster
        .instances
        .iter()
        .map(|i| (i.name, applied_in_log(&i.log())))
        .collect();
    let migrators: Vec<char> = applied
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(n, _)| *n)
        .collect();
    let all_applied: Vec<&String> = applied.iter().flat_map(|(_, v)| v).collect();
    let distinct: BTreeSet<&String> = all_applied.iter().copied().collect();
    let recorded: BTreeSet<&String> = rows.iter().map(|r| &r.version).collect();
    println!(
        "instances [migrations] {folders} migrations, applied by instance {migrators:?}; \
         the others found none pending"
    );
    assert_eq!(
        migrators.len(),
        1,
        "one instance migrates, the others wait for it and find nothing to do: {applied:?}"
    );
    assert_eq!(all_applied.len(), folders, "each applied once: {applied:?}");
    assert_eq!(distinct, recorded, "what was applied is what is recorded");
}

// ---------------------------------------------------------------------------------
// 3. Seats

fn seats_held_exactly_when_people_apply_through_every_instance_at_once(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
) {
    let (capacity, applicants) = (20_usize, 90_usize);
    let mut conn = rig.conn();
    let offering = open_offering(&mut conn, &rig.admin, "INST-001", capacity as i32);
    let people = add_students(&mut conn, "seat", applicants);
    let tokens = rig.tokens(&people);

    // Everybody applies twice at once, through two different instances.
    let requests: Vec<_> = (0..applicants * 2)
        .map(|r| {
            let (person, copy) = (r / 2, r % 2);
            let client = rig.client.clone();
            let url = rig
                .cluster
                .nth(person + copy)
                .api(&format!("/offerings/{offering}/enrolments"));
            let token = tokens[person].clone();
            async move {
                let answer = send(client.post(url).bearer_auth(token).json(&json!({}))).await;
                (person, answer)
            }
        })
        .collect();
    let began = Instant::now();
    let answers = runtime.block_on(all(requests));
    let wall = began.elapsed();

    let statuses = count_by_status(answers.iter().map(|(_, a)| a));
    assert!(
        answers.iter().all(|(_, a)| a.status < 500),
        "no server errors: {statuses:?}"
    );
    let mut per_person: BTreeMap<usize, Vec<&Answer>> = BTreeMap::new();
    for (person, answer) in &answers {
        per_person.entry(*person).or_default().push(answer);
    }
    for (person, got) in &per_person {
        let created = got.iter().filter(|a| a.status == 201).count();
        let refused: Vec<&Value> = got
            .iter()
            .filter(|a| a.status != 201)
            .map(|a| &a.body["code"])
            .collect();
        assert_eq!(
            (created, refused),
            (1, vec![&json!("already_enrolled")]),
            "applicant {person}: one application accepted, the copy refused"
        );
    }
    let state_of = |s: &str| answers.iter().filter(|(_, a)| a.body["state"] == s).count();
    let (enrolled, waitlisted) = (state_of("enrolled"), state_of("waitlisted"));

    let held: i64 = enrolments::table
        .filter(enrolments::offering_id.eq(offering))
        .filter(enrolments::state.eq("enrolled"))
        .select(count_star())
        .first(&mut conn)
        .expect("seat-holders");
    let rows: Vec<i64> = enrolments::table
        .filter(enrolments::offering_id.eq(offering))
        .select(enrolments::user_id)
        .load(&mut conn)
        .expect("enrolments");
    let seats_taken: i32 = offering_rows::table
        .find(offering)
        .select(offering_rows::seats_taken)
        .first(&mut conn)
        .expect("seats_taken");
    let shown = runtime.block_on(get_ok(
        &rig.client,
        rig.cluster.c().api(&format!("/offerings/{offering}")),
        Some(&rig.admin_token),
    ));
    println!(
        "instances [seats] {applicants} applicants × 2 requests over 3 instances in \
         {:.2}s: enrolled={enrolled} waitlisted={waitlisted} seats_taken={seats_taken} \
         statuses={statuses:?}",
        wall.as_secs_f64()
    );
    assert_eq!(enrolled, capacity.min(applicants), "enrolled");
    assert_eq!(waitlisted, applicants - enrolled, "waitlisted");
    assert_eq!(held, enrolled as i64, "seat-holders in the database");
    assert_eq!(seats_taken, enrolled as i32, "seats_taken");
    assert_eq!(shown["seats_taken"], enrolled, "seats_taken as served");
    let distinct: BTreeSet<i64> = rows.iter().copied().collect();
    assert_eq!(
        (rows.len(), distinct.len()),
        (applicants, applicants),
        "one enrolment per person, nobody twice"
    );
}

// ---------------------------------------------------------------------------------
// 2a. Sign-ups queue mail on every instance

fn sign_ups_through_every_instance_each_queue_one_mail(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
) -> usize {
    let count = 30;
    let requests: Vec<_> = (0..count)
        .map(|i| {
            let client = rig.client.clone();
            let url = rig.cluster.nth(i).api("/auth/register");
            async move {
                send(
                    client
                        .post(url)
                        // A client address per person, as a load balancer would pass on:
                        // the sign-up throttle is per address and shared by the instances.
                        .header(
                            "X-Forwarded-For",
                            format!("10.1.{}.{}", i / 200, i % 200 + 1),
                        )
                        .json(&json!({
                            "email": format!("signup-{i:03}@instances.test"),
                            "full_name": format!("Persona Nueva {i}"),
                            "password": PASSWORD,
                            "locale": "es",
                        })),
                )
                .await
            }
        })
        .collect();
    let answers = runtime.block_on(all(requests));
    let statuses = count_by_status(&answers);
    assert_eq!(
        statuses,
        BTreeMap::from([(202, count)]),
        "every sign-up accepted: {:?}",
        answers.iter().map(|a| &a.body).find(|b| !b.is_null())
    );
    let queued: i64 = mail_outbox::table
        .filter(mail_outbox::recipient.like("signup-%@instances.test"))
        .select(count_star())
        .first(&mut rig.conn())
        .expect("queued mail");
    assert_eq!(queued, count as i64, "one verification mail per sign-up");
    count
}

// ---------------------------------------------------------------------------------
// 4. Certificates

fn certificates_issued_through_every_instance_at_once_have_distinct_codes(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
) -> usize {
    let (offerings, per_offering) = (3_usize, 10_usize);
    let mut conn = rig.conn();
    let ids: Vec<i64> = (0..offerings)
        .map(|o| {
            open_offering(
                &mut conn,
                &rig.admin,
                &format!("INST-{:03}", 10 + o),
                per_offering as i32,
            )
        })
        .collect();
    // Each cohort enrols through the three instances; with no sessions and no required
    // lessons, every seat-holder is eligible for a participation certificate.
    let people = add_students(&mut conn, "cert", offerings * per_offering);
    let tokens = rig.tokens(&people);
    let applications: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let (client, token) = (rig.client.clone(), token.clone());
            let url = rig
                .cluster
                .nth(i)
                .api(&format!("/offerings/{}/enrolments", ids[i / per_offering]));
            async move { send(client.post(url).bearer_auth(token).json(&json!({}))).await }
        })
        .collect();
    let enrolled = runtime.block_on(all(applications));
    assert!(
        enrolled
            .iter()
            .all(|a| a.status == 201 && a.body["state"] == "enrolled"),
        "every cohort member holds a seat: {:?}",
        count_by_status(&enrolled)
    );

    // Bulk issue of every offering through every instance, all at once.
    let requests: Vec<_> = ids
        .iter()
        .flat_map(|offering| rig.cluster.instances.iter().map(move |at| (*offering, at)))
        .map(|(offering, at)| {
            let client = rig.client.clone();
            let url = at.api(&format!("/offerings/{offering}/certificates"));
            let token = rig.admin_token.clone();
            async move {
                let answer = send(
                    client
                        .post(url)
                        .bearer_auth(token)
                        .json(&json!({ "kind": "participation" })),
                )
                .await;
                (offering, answer)
            }
        })
        .collect();
    let began = Instant::now();
    let answers = runtime.block_on(all(requests));
    let wall = began.elapsed();
    for (offering, answer) in &answers {
        assert_eq!(answer.status, 200, "issue in {offering}: {}", answer.body);
        let issued = answer.body["issued"].as_array().expect("issued").len();
        let already = answer.body["already_issued"].as_u64().expect("already") as usize;
        assert_eq!(
            (issued + already, answer.body["not_eligible"].as_u64()),
            (per_offering, Some(0)),
            "each answer accounts for the whole cohort: {}",
            answer.body
        );
    }
    let mut answered_codes = Vec::new();
    for offering in &ids {
        let issued: usize = answers
            .iter()
            .filter(|(o, _)| o == offering)
            .map(|(_, a)| a.body["issued"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(
            issued, per_offering,
            "offering {offering}: issued once in all, whichever instance did it"
        );
        for (_, a) in answers.iter().filter(|(o, _)| o == offering) {
            for c in a.body["issued"].as_array().expect("issued") {
                answered_codes.push(c["code"].as_str().expect("a code").to_owned());
            }
        }
    }

    let rows: Vec<(String, i64)> = certificates::table
        .filter(certificates::offering_id.eq_any(&ids))
        .select((certificates::code, certificates::enrolment_id))
        .load(&mut conn)
        .expect("certificates");
    let codes: BTreeSet<&String> = rows.iter().map(|(c, _)| c).collect();
    let seats: BTreeSet<i64> = rows.iter().map(|(_, e)| *e).collect();
    let total = offerings * per_offering;
    println!(
        "instances [certificates] {} bulk issues ({offerings} offerings × 3 instances) in \
         {:.2}s: {} certificates, {} distinct codes",
        answers.len(),
        wall.as_secs_f64(),
        rows.len(),
        codes.len()
    );
    assert_eq!(rows.len(), total, "one certificate per seat");
    assert_eq!(codes.len(), total, "no two certificates share a code");
    assert_eq!(seats.len(), total, "nobody holds two");
    let answered: BTreeSet<&String> = answered_codes.iter().collect();
    assert_eq!(answered, codes, "the codes answered are the codes stored");

    // The database is the backstop: a unique index on the code.
    #[derive(QueryableByName)]
    struct Definition {
        #[diesel(sql_type = Text)]
        indexdef: String,
    }
    let indexes: Vec<Definition> =
        diesel::sql_query("SELECT indexdef FROM pg_indexes WHERE tablename = 'certificates'")
            .load(&mut conn)
            .expect("indexes");
    assert!(
        indexes.iter().any(
            |i| i.indexdef.starts_with("CREATE UNIQUE INDEX") && i.indexdef.ends_with("(code)")
        ),
        "certificates.code is unique in the schema: {:?}",
        indexes.iter().map(|i| &i.indexdef).collect::<Vec<_>>()
    );
    total
}

// ---------------------------------------------------------------------------------
// 2b. Delivery: every message once, every job once

/// The outbox id in a mail file's `Message-ID: <aula.{id}.{micros}@…>`.
fn outbox_id(file: &Path) -> i64 {
    let text = std::fs::read_to_string(file).expect("a mail file");
    let id = text
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("message-id")
                .then(|| value.trim())
        })
        .and_then(|v| v.strip_prefix("<aula."))
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse().ok());
    id.unwrap_or_else(|| panic!("no outbox id in {}", file.display()))
}

/// `done=N` summed over an instance's "background jobs run" lines.
fn jobs_done_in_log(log: &str) -> i64 {
    log.lines()
        .filter(|l| l.contains("background jobs run"))
        .filter_map(|l| l.split("done=").nth(1))
        .filter_map(|v| v.split_whitespace().next()?.parse::<i64>().ok())
        .sum()
}

fn each_mail_is_delivered_once_and_no_job_runs_twice(rig: &Rig, certificates_issued: usize) {
    let mut conn = rig.conn();
    // The instances poll every second or two; wait for the queues to empty.
    let began = Instant::now();
    loop {
        let unsent: i64 = mail_outbox::table
            .filter(mail_outbox::status.ne("sent"))
            .select(count_star())
            .first(&mut conn)
            .expect("unsent mail");
        let unfinished: i64 = jobs::table
            .filter(jobs::status.ne("done"))
            .select(count_star())
            .first(&mut conn)
            .expect("unfinished jobs");
        if unsent == 0 && unfinished == 0 {
            break;
        }
        if began.elapsed() > Duration::from_secs(30) {
            let stuck: Vec<(i64, i32, Option<NaiveDateTime>, Option<String>)> = jobs::table
                .filter(jobs::status.ne("done"))
                .select((
                    jobs::id,
                    jobs::attempts,
                    jobs::locked_until,
                    jobs::last_error,
                ))
                .limit(5)
                .load(&mut conn)
                .expect("unfinished jobs");
            panic!(
                "still {unsent} unsent messages and {unfinished} unfinished jobs, e.g. \
                 (id, attempts, leased until, last error) {stuck:?}"
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let drained = began.elapsed();

    // Jobs: one render per certificate, each finished at the first attempt, and run by
    // exactly one instance (the instances' own counts add up to the number of jobs).
    let job_rows: Vec<(i64, String, String, i32, Option<NaiveDateTime>)> = jobs::table
        .select((
            jobs::id,
            jobs::kind,
            jobs::status,
            jobs::attempts,
            jobs::finished_at,
        ))
        .load(&mut conn)
        .expect("jobs");
    let renders = job_rows
        .iter()
        .filter(|j| j.1 == aula_certification::jobs::RENDER)
        .count();
    assert_eq!(
        renders, certificates_issued,
        "one render job per certificate"
    );
    assert!(
        job_rows
            .iter()
            .all(|j| j.2 == "done" && j.3 == 0 && j.4.is_some()),
        "every job done at the first attempt: {:?}",
        job_rows.iter().filter(|j| j.3 != 0).collect::<Vec<_>>()
    );
    let runs: Vec<(char, i64)> = rig
        .cluster
        .instances
        .iter()
        .map(|i| (i.name, jobs_done_in_log(&i.log())))
        .collect();
    let documents: i64 = certificate_documents::table
        .select(count_star())
        .first(&mut conn)
        .expect("documents");
    assert_eq!(
        runs.iter().map(|(_, n)| n).sum::<i64>(),
        job_rows.len() as i64,
        "jobs run per instance {runs:?}: each job ran once"
    );
    assert_eq!(
        documents, certificates_issued as i64,
        "one PDF per certificate"
    );

    // Mail: the files in the three mail directories, by the outbox row they came from.
    let sent: Vec<(i64, String)> = mail_outbox::table
        .select((mail_outbox::id, mail_outbox::template))
        .load(&mut conn)
        .expect("outbox");
    let mut deliveries: BTreeMap<i64, Vec<char>> = BTreeMap::new();
    let mut per_instance: Vec<(char, usize)> = Vec::new();
    for instance in &rig.cluster.instances {
        let files: Vec<PathBuf> = std::fs::read_dir(instance.mail_dir())
            .map(|dir| {
                dir.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        per_instance.push((instance.name, files.len()));
        for file in files {
            deliveries
                .entry(outbox_id(&file))
                .or_default()
                .push(instance.name);
        }
    }
    let mut templates: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, template) in &sent {
        *templates.entry(template).or_default() += 1;
    }
    println!(
        "instances [delivery] {} messages {templates:?} written by instance {per_instance:?}; \
         {} jobs run by instance {runs:?}; queues empty {:.1}s after the last request",
        sent.len(),
        job_rows.len(),
        drained.as_secs_f64()
    );
    let twice: Vec<(&i64, &Vec<char>)> = deliveries.iter().filter(|(_, w)| w.len() > 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
    let delivered: BTreeSet<i64> = deliveries.keys().copied().collect();
    let queued: BTreeSet<i64> = sent.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        delivered, queued,
        "every queued message delivered, none other"
    );
    assert_eq!(
        templates.get("certificate_issued").copied(),
        Some(certificates_issued),
        "one certificate mail per certificate"
    );
    assert!(
        per_instance.iter().filter(|(_, n)| *n > 0).count() >= 2,
        "delivery is shared by the instances: {per_instance:?}"
    );
}

// ---------------------------------------------------------------------------------
// 5. Refresh tokens

fn a_refresh_token_rotates_once_across_instances_and_its_reuse_ends_the_family(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
    secret: &str,
) {
    let email = "rotation@instances.test";
    add_account(&mut rig.conn(), secret, email, Role::Student);
    let client = &rig.client;
    let (a, b, c) = (rig.cluster.a(), rig.cluster.b(), rig.cluster.c());
    runtime.block_on(async {
        let refresh = |at: &Instance, token: &str| {
            send(
                client
                    .post(at.api("/auth/refresh"))
                    .json(&json!({ "refresh_token": token })),
            )
        };
        let signed_in = send(
            client
                .post(a.api("/auth/login"))
                .json(&json!({ "email": email, "password": PASSWORD })),
        )
        .await;
        assert_eq!(signed_in.status, 200, "sign-in on A: {}", signed_in.body);
        let first = signed_in.body["refresh_token"].as_str().unwrap().to_owned();
        let access = signed_in.body["access_token"].as_str().unwrap().to_owned();
        // A's access token is good on B and C: they sign with the same secret.
        for at in [b, c] {
            let me = get_ok(client, at.api("/me"), Some(&access)).await;
            assert_eq!(me["email"], email, "instance {}", at.name);
        }

        let rotated = refresh(b, &first).await;
        assert_eq!(rotated.status, 200, "refresh on B: {}", rotated.body);
        let second = rotated.body["refresh_token"].as_str().unwrap().to_owned();
        assert_ne!(second, first, "a new refresh token");
        assert!(
            rotated.body["access_token"].is_string(),
            "a new access token"
        );

        let reused = refresh(c, &first).await;
        assert_eq!(
            (reused.status, &reused.body["code"]),
            (401, &json!("refresh_token_reused")),
            "the used token is refused on C"
        );
        // The rule: a token presented twice was stolen, so its whole family is revoked;
        // the rightful holder's newer token no longer works anywhere either.
        let after = refresh(a, &second).await;
        assert_eq!(
            (after.status, &after.body["code"]),
            (401, &json!("invalid_refresh_token")),
            "the family is revoked: the token B gave is refused on A"
        );
        println!(
            "instances [refresh] signed in on A, refreshed on B, reuse refused on C \
             ({}), the family's newer token then refused on A",
            reused.body["code"]
        );
    });
}

// ---------------------------------------------------------------------------------
// 6. Catalog

fn a_catalog_change_on_one_instance_is_served_by_the_others_within_a_second(
    rig: &Rig,
    runtime: &tokio::runtime::Runtime,
) {
    let code = "INST-001";
    let client = &rig.client;
    let (a, b, c) = (rig.cluster.a(), rig.cluster.b(), rig.cluster.c());
    let page = |at: &Instance| at.api(&format!("/courses/{code}?lang=es"));
    runtime.block_on(async {
        // B and C hold the catalog in memory, confirmed a moment ago.
        let old = get_ok(client, page(b), None).await["title"].clone();
        assert_eq!(old, get_ok(client, page(c), None).await["title"]);
        let title = "Pensiones para tres servidores, revisado";
        let changed = send(
            client
                .put(a.api(&format!("/courses/{code}/translations/es")))
                .bearer_auth(&rig.admin_token)
                .json(&json!({
                    "title": title,
                    "summary": "Tres servidores, una base de datos.",
                    "description_md": "Prueba.",
                    "learning_outcomes": ["Ninguno"],
                })),
        )
        .await;
        assert_eq!(changed.status, 200, "change on A: {}", changed.body);
        assert_eq!(changed.body["title"], title);
        let answered = Instant::now();

        let seen = |at: &'static str, url: String, list: String| {
            let client = client.clone();
            async move {
                loop {
                    let shown = get_ok(&client, url.clone(), None).await;
                    if shown["title"] == title {
                        let listed = get_ok(&client, list.clone(), None).await;
                        let cards = listed["items"].as_array().expect("items");
                        assert!(
                            cards.iter().any(|card| card["title"] == title),
                            "{at}: the list finds the new title once the page shows it"
                        );
                        return answered.elapsed();
                    }
                    assert!(
                        answered.elapsed() < Duration::from_secs(5),
                        "{at} still serves {}",
                        shown["title"]
                    );
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        };
        let search = |at: &Instance| at.api("/courses?q=revisado&lang=es");
        let (on_b, on_c) =
            tokio::join!(seen("B", page(b), search(b)), seen("C", page(c), search(c)));
        println!(
            "instances [catalog] a title changed on A was served by B after {} ms and by C \
             after {} ms",
            on_b.as_millis(),
            on_c.as_millis()
        );
        for (at, elapsed) in [("B", on_b), ("C", on_c)] {
            assert!(
                elapsed <= Duration::from_secs(1),
                "{at} served the change after {elapsed:?}"
            );
        }
    });
}

// ---------------------------------------------------------------------------------
// 7. SIGKILL

fn an_instance_killed_mid_load_loses_no_write_it_acknowledged(
    rig: &mut Rig,
    runtime: &tokio::runtime::Runtime,
) {
    let (streams, people_count) = (6_usize, 300_usize);
    let mut conn = rig.conn();
    let offering = open_offering(&mut conn, &rig.admin, "INST-099", people_count as i32);
    let people = add_students(&mut conn, "kill", people_count);
    let tokens = Arc::new(rig.tokens(&people));
    let next = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(AtomicUsize::new(0));
    let b = rig
        .cluster
        .b()
        .api(&format!("/offerings/{offering}/enrolments"));

    // Streams of applications to B, one at a time each, until B stops answering.
    let stopped = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..streams)
        .map(|_| {
            let (client, url) = (rig.client.clone(), b.clone());
            let (tokens, next, accepted, stopped) = (
                tokens.clone(),
                next.clone(),
                accepted.clone(),
                stopped.clone(),
            );
            async move {
                let mut acknowledged = Vec::new();
                let mut lost = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= tokens.len() {
                        break;
                    }
                    let sent = client
                        .post(&url)
                        .bearer_auth(&tokens[i])
                        .json(&json!({}))
                        .send()
                        .await;
                    let answer = match sent {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            match r.json::<Value>().await {
                                Ok(body) => Some((status, body)),
                                Err(_) => None,
                            }
                        }
                        Err(_) => None,
                    };
                    match answer {
                        Some((201, body)) => {
                            accepted.fetch_add(1, Ordering::SeqCst);
                            acknowledged.push((i, body["id"].as_i64().expect("an id")));
                        }
                        Some((status, body)) => panic!("B answered {status}: {body}"),
                        // No answer: the process is gone; whatever it was doing is
                        // unknown to the client and not counted.
                        None => {
                            lost += 1;
                            stopped.store(true, Ordering::SeqCst);
                            break;
                        }
                    }
                }
                (acknowledged, lost)
            }
        })
        .collect();
    let tasks: Vec<_> = workers.into_iter().map(|w| runtime.spawn(w)).collect();

    // Kill B once a good part of the load has been acknowledged, writes in flight.
    let began = Instant::now();
    while accepted.load(Ordering::SeqCst) < people_count / 4 {
        assert!(
            began.elapsed() < Duration::from_secs(20),
            "B acknowledged only {} writes",
            accepted.load(Ordering::SeqCst)
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let instance = &mut rig.cluster.instances[1];
    instance.child.kill().expect("SIGKILL B");
    let status = instance.child.wait().expect("B ends");
    let killed_after = began.elapsed();
    let mut acknowledged = Vec::new();
    let mut lost = 0;
    for task in tasks {
        let (mine, gone) = runtime.block_on(task).expect("stream");
        acknowledged.extend(mine);
        lost += gone;
    }
    assert!(stopped.load(Ordering::SeqCst), "the streams saw B go");
    assert!(
        acknowledged.len() < people_count,
        "B was killed before the load ended"
    );

    // Everything B acknowledged is there, as A serves it.
    let a = rig.cluster.a();
    let checks: Vec<_> = acknowledged
        .iter()
        .map(|(_, id)| {
            let (client, token) = (rig.client.clone(), rig.admin_token.clone());
            let url = a.api(&format!("/enrolments/{id}"));
            async move { (url.clone(), get_ok(&client, url, Some(&token)).await) }
        })
        .collect();
    let found = runtime.block_on(all(checks));
    for (url, enrolment) in &found {
        assert_eq!(enrolment["state"], "enrolled", "{url}");
    }
    let ids: BTreeSet<i64> = acknowledged.iter().map(|(_, id)| *id).collect();
    let stored: Vec<(i64, String)> = enrolments::table
        .filter(enrolments::offering_id.eq(offering))
        .select((enrolments::id, enrolments::state))
        .load(&mut conn)
        .expect("enrolments");
    let stored_ids: BTreeSet<i64> = stored.iter().map(|(id, _)| *id).collect();
    assert!(
        ids.is_subset(&stored_ids),
        "every acknowledged write is stored"
    );
    // Those in flight when B died either committed whole or not at all.
    let seats_taken: i32 = offering_rows::table
        .find(offering)
        .select(offering_rows::seats_taken)
        .first(&mut conn)
        .expect("seats_taken");
    let events: i64 = enrolment_events::table
        .filter(enrolment_events::enrolment_id.eq_any(&stored_ids))
        .select(count_star())
        .first(&mut conn)
        .expect("history");
    println!(
        "instances [sigkill] B killed ({status}) {:.2}s into a load of {streams} streams: \
         {} writes acknowledged, all found through A; {} in flight without an answer; \
         {} stored in all",
        killed_after.as_secs_f64(),
        acknowledged.len(),
        lost,
        stored.len()
    );
    assert_eq!(
        seats_taken as usize,
        stored.len(),
        "seats_taken matches the rows"
    );
    assert_eq!(
        events as usize,
        stored.len(),
        "one history row per enrolment"
    );

    // A and C carry on.
    for at in [rig.cluster.a(), rig.cluster.c()] {
        let health = runtime.block_on(send(rig.client.get(at.api("/health"))));
        assert_eq!(health.status, 200, "instance {} is healthy", at.name);
    }
}

// ---------------------------------------------------------------------------------

#[test]
fn three_instances_on_one_postgresql_database_behave_as_one_service() {
    let backend = std::env::var("AULA_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into());
    if !matches!(backend.as_str(), "postgres" | "postgresql") {
        eprintln!(
            "SKIPPED: several `aula serve` instances share a PostgreSQL database, never a \
             SQLite file; run with AULA_TEST_BACKEND=postgres"
        );
        return;
    }
    let Some(db) = TestDb::empty_postgres() else {
        return;
    };
    let began = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    // A new connection per request: an idle pooled one may be closed by the server
    // (keep-alive) just as it is reused, and a request would fail for the test's sake.
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("HTTP client");

    let mut cluster = Cluster::start(&db);
    let deadline = Instant::now() + Duration::from_secs(60);
    runtime.block_on(async {
        for instance in &mut cluster.instances {
            instance.wait_healthy(&client, deadline).await;
        }
    });
    let started = began.elapsed();
    migrations_run_once_when_three_instances_start_together(&cluster, &db);

    // The secret the first instance stored, which all three sign with.
    let mut conn = db.conn();
    let secret: String = app_secrets::table
        .find("jwt_secret")
        .select(app_secrets::value)
        .first(&mut conn)
        .expect("the stored signing secret");
    let admin = add_account(&mut conn, &secret, "admin@instances.test", Role::Admin);
    drop(conn);
    let keys = JwtKeys::new(secret.as_bytes());
    let admin_token = keys
        .issue(admin.id, admin.token_version, now())
        .expect("sign");
    let mut rig = Rig {
        cluster,
        db,
        client,
        keys,
        admin,
        admin_token,
    };

    sign_ups_through_every_instance_each_queue_one_mail(&rig, &runtime);
    seats_held_exactly_when_people_apply_through_every_instance_at_once(&rig, &runtime);
    let certificates =
        certificates_issued_through_every_instance_at_once_have_distinct_codes(&rig, &runtime);
    each_mail_is_delivered_once_and_no_job_runs_twice(&rig, certificates);
    a_refresh_token_rotates_once_across_instances_and_its_reuse_ends_the_family(
        &rig, &runtime, &secret,
    );
    a_catalog_change_on_one_instance_is_served_by_the_others_within_a_second(&rig, &runtime);
    an_instance_killed_mid_load_loses_no_write_it_acknowledged(&mut rig, &runtime);

    for instance in [rig.cluster.a(), rig.cluster.c()] {
        let log = instance.log();
        let errors: Vec<&str> = log.lines().filter(|l| l.contains("ERROR")).collect();
        assert!(
            errors.is_empty(),
            "instance {} logged errors:\n{}",
            instance.name,
            errors.join("\n")
        );
    }
    println!(
        "instances: healthy {:.1}s after start; whole run {:.1}s",
        started.as_secs_f64(),
        began.elapsed().as_secs_f64()
    );
}
