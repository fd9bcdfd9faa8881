//! Starting the three instances, the fixtures the steps write straight into the
//! database, and step 1: the migrations ran once, by one of them.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use aula_core::Locale;
use aula_db::{testing::TestDb, DbConnection};
use aula_identity::{NewUser, Role, User};
use diesel::{
    prelude::*,
    sql_types::{BigInt, Text},
};

use crate::{support, PASSWORD};

/// One `aula serve` on a free loopback port; killed when dropped.
pub(crate) struct Instance {
    pub(crate) name: char,
    pub(crate) serve: support::Serve,
    data: tempfile::TempDir,
}

impl Instance {
    fn start(name: char, database_url: &str) -> Self {
        let data = tempfile::tempdir().expect("data directory");
        let label = format!("instance {name}");
        let serve = support::Serve::start(&label, database_url, data.path(), |serve, url| {
            serve
                .env("AULA_PUBLIC_URL", url)
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
                .env_remove("AULA_LOG_FORMAT");
        })
        .tail_on_panic(30, Some("mail written to file"));
        Self { name, serve, data }
    }

    pub(crate) fn log(&self) -> String {
        self.serve.log()
    }

    pub(crate) fn mail_dir(&self) -> PathBuf {
        self.data.path().join("mail")
    }

    pub(crate) fn api(&self, path: &str) -> String {
        self.serve.api(path)
    }

    pub(crate) async fn wait_healthy(&mut self, client: &reqwest::Client, deadline: Instant) {
        self.serve
            .wait_healthy(client, deadline, Duration::from_millis(50))
            .await;
    }
}

/// The three instances, A, B and C; all killed when dropped.
pub(crate) struct Cluster {
    pub(crate) instances: Vec<Instance>,
}

impl Cluster {
    /// Starts the three back to back, before any of them has touched the database.
    pub(crate) fn start(db: &TestDb) -> Self {
        let url = db.url_string();
        Self {
            instances: ['A', 'B', 'C']
                .into_iter()
                .map(|name| Instance::start(name, &url))
                .collect(),
        }
    }

    pub(crate) fn a(&self) -> &Instance {
        &self.instances[0]
    }

    pub(crate) fn b(&self) -> &Instance {
        &self.instances[1]
    }

    pub(crate) fn c(&self) -> &Instance {
        &self.instances[2]
    }

    /// The instance request `i` of a round-robin spread goes to.
    pub(crate) fn nth(&self, i: usize) -> &Instance {
        &self.instances[i % self.instances.len()]
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for instance in &mut self.instances {
            let _ = instance.serve.child.kill();
        }
    }
}

// ---------------------------------------------------------------------------------
// Fixtures, written straight into the database once it is migrated.

/// Verified students (placeholder password: they never sign in, their tokens are
/// signed by the test); returns their ids in order.
pub(crate) fn add_students(conn: &mut DbConnection, prefix: &str, count: usize) -> Vec<i64> {
    support::add_users(
        conn,
        prefix,
        "instances.test",
        &vec![None; count],
        "student",
    )
}

/// An account with a real password, to sign in with.
pub(crate) fn add_account(conn: &mut DbConnection, secret: &str, email: &str, role: Role) -> User {
    aula_identity::auth::create_user(
        conn,
        &support::identity(secret.as_bytes(), "http://127.0.0.1"),
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
pub(crate) fn open_offering(
    conn: &mut DbConnection,
    admin: &User,
    code: &str,
    capacity: i32,
) -> i64 {
    let text = support::CourseText {
        title: "de varias instancias",
        summary: "Tres servidores, una base de datos.",
    };
    support::open_offering(conn, admin, code, capacity, None, &text)
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

pub(crate) fn migrations_run_once_when_three_instances_start_together(
    cluster: &Cluster,
    db: &TestDb,
) {
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
