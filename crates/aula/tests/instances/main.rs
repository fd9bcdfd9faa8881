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
//!
//! The steps live in modules named after what they check; [`setup`] starts the
//! instances and writes the fixtures.

#[path = "../support/mod.rs"]
mod support;

mod catalog;
mod certificates;
mod crash;
mod mail_and_jobs;
mod seats;
mod sessions;
mod setup;

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use aula_db::{schema::app_secrets, testing::TestDb, DbConnection};
use aula_identity::{JwtKeys, Role, User};
use diesel::prelude::*;
use serde_json::Value;

use catalog::a_catalog_change_on_one_instance_is_served_by_the_others_within_a_second;
use certificates::certificates_issued_through_every_instance_at_once_have_distinct_codes;
use crash::an_instance_killed_mid_load_loses_no_write_it_acknowledged;
use mail_and_jobs::{
    each_mail_is_delivered_once_and_no_job_runs_twice,
    sign_ups_through_every_instance_each_queue_one_mail,
};
use seats::seats_held_exactly_when_people_apply_through_every_instance_at_once;
use sessions::a_refresh_token_rotates_once_across_instances_and_its_reuse_ends_the_family;
use setup::{add_account, migrations_run_once_when_three_instances_start_together, Cluster};
use support::now;

const PASSWORD: &str = "Marea-Quieta-Sobre-Lisboa-77";

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
        support::tokens(&mut self.conn(), &self.keys, ids)
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
    let client = support::http_client(0, Duration::from_secs(60));

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
