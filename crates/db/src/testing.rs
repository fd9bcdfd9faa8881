//! Fresh databases for tests: every test gets its own, dropped afterwards.
//!
//! The backend comes from `AULA_TEST_BACKEND` (`sqlite`, the default, or `postgres`).
//! PostgreSQL tests connect to `AULA_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and create a database per test.
//! When PostgreSQL is selected but unreachable, tests are skipped with a message —
//! unless `CI` is set, where that is a failure.
//!
//! Migrating costs more than most tests, so each backend keeps one migrated template,
//! named after a hash of its migration files, and every test database is a copy of it:
//! `CREATE DATABASE … TEMPLATE` on PostgreSQL, a file copy on SQLite. Templates of
//! older migration sets are left in place (another checkout may still be copying
//! them); `aula_template_*` databases and `aula-test-template-*.db` files in the
//! temporary directory can be removed whenever no tests run.

use std::{
    path::{Path, PathBuf},
    sync::OnceLock,
};

use diesel::{connection::SimpleConnection, Connection, PgConnection, RunQueryDsl};
use rand::Rng;

use crate::{run_migrations, DbConnection, DbPool, DbUrl};

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A migrated database that lives as long as this value.
pub struct TestDb {
    url: DbUrl,
    pg_admin: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A new, migrated database of the backend selected for this test run, or `None`
    /// (after saying so) when that backend is PostgreSQL and it cannot be reached locally.
    pub fn new() -> Option<Self> {
        let backend = std::env::var("AULA_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into());
        match backend.as_str() {
            "postgres" | "postgresql" => Self::postgres(),
            "sqlite" => Some(Self::sqlite()),
            other => panic!("AULA_TEST_BACKEND must be `sqlite` or `postgres`, not `{other}`"),
        }
    }

    fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let path = dir.path().join("aula-test.db");
        std::fs::copy(sqlite_template(), &path).expect("copy the template database");
        Self {
            url: DbUrl::Sqlite(path.to_string_lossy().into_owned()),
            pg_admin: None,
            _dir: Some(dir),
        }
    }

    fn postgres() -> Option<Self> {
        Self::postgres_from(postgres_template)
    }

    /// An empty SQLite database, for tests of the migrations themselves.
    pub fn empty_sqlite() -> Self {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let path = dir.path().join("aula-empty.db");
        Self {
            url: DbUrl::Sqlite(path.to_string_lossy().into_owned()),
            pg_admin: None,
            _dir: Some(dir),
        }
    }

    /// An empty PostgreSQL database, for tests of the migrations themselves; `None`
    /// (after saying so) when PostgreSQL cannot be reached locally outside CI.
    pub fn empty_postgres() -> Option<Self> {
        Self::postgres_from(|_| "template0")
    }

    fn postgres_from(template: fn(&str) -> &'static str) -> Option<Self> {
        let admin_url = without_tls(
            &std::env::var("AULA_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned()),
        );
        let mut admin = match PgConnection::establish(&admin_url) {
            Ok(conn) => conn,
            Err(e) if std::env::var_os("CI").is_some() => {
                panic!("PostgreSQL is required in CI but unreachable at {admin_url}: {e}")
            }
            Err(e) => {
                eprintln!("SKIPPED: PostgreSQL unreachable at {admin_url} ({e}); test not run on PostgreSQL");
                return None;
            }
        };
        let template = template(&admin_url);
        let name = format!("aula_test_{:016x}", rand::rng().random::<u64>());
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .expect("create a test database");
        let url = replace_database(&admin_url, &name);
        Some(Self {
            url: DbUrl::Postgresql(url),
            pg_admin: Some((admin_url, name)),
            _dir: None,
        })
    }

    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    /// The URL as `AULA_DATABASE_URL` would hold it.
    pub fn url_string(&self) -> String {
        match &self.url {
            DbUrl::Postgresql(url) => url.clone(),
            DbUrl::Sqlite(path) => format!("sqlite://{path}"),
        }
    }

    /// Eight connections, none kept open in advance: a pool that replenished itself
    /// would go on reconnecting in the background after the database is dropped.
    pub fn pool(&self) -> DbPool {
        r2d2::Pool::builder()
            .max_size(8)
            .min_idle(Some(0))
            .connection_timeout(std::time::Duration::from_secs(10))
            .build(crate::Manager(self.url.clone()))
            .expect("pool the test database")
    }

    pub fn conn(&self) -> DbConnection {
        self.url.connect().expect("connect to the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.pg_admin {
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// A hash of the backend's migration files as compiled in (see `build.rs`): a template
/// is reused only for the migrations it was made from.
fn migrations_hash(backend: &str) -> &'static str {
    match backend {
        "sqlite" => include_str!(concat!(env!("OUT_DIR"), "/migrations-sqlite.hash")),
        _ => include_str!(concat!(env!("OUT_DIR"), "/migrations-postgres.hash")),
    }
}

/// The migrated SQLite template of this migration set, made once (written beside its
/// final name and renamed into place, so a concurrent test process never copies half).
fn sqlite_template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let hash = migrations_hash("sqlite");
        let path = std::env::temp_dir().join(format!("aula-test-template-{hash}.db"));
        if path.exists() {
            return path;
        }
        let building = path.with_extension(format!("{:016x}.tmp", rand::rng().random::<u64>()));
        {
            let mut conn = DbUrl::Sqlite(building.to_string_lossy().into_owned())
                .connect()
                .expect("create the template database");
            run_migrations(&mut conn).expect("migrate the template database");
            // One file to copy: fold the write-ahead log back into the database.
            conn.batch_execute("PRAGMA journal_mode = DELETE")
                .expect("leave WAL mode in the template");
        }
        std::fs::rename(&building, &path).expect("move the template into place");
        path
    })
}

/// The name of the migrated PostgreSQL template of this migration set, made once
/// under an advisory lock. Nobody stays connected to it, so it can be copied.
fn postgres_template(admin_url: &str) -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        const LOCK: i64 = 0x4155_4C41_5445_4D50; // "AULATEMP"
        let name = format!("aula_template_{}", migrations_hash("postgres"));
        let mut admin = PgConnection::establish(admin_url).expect("connect to PostgreSQL");
        diesel::sql_query(format!("SELECT pg_advisory_lock({LOCK})"))
            .execute(&mut admin)
            .expect("take the template lock");
        let found: Present = diesel::sql_query(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS present",
        )
        .bind::<diesel::sql_types::Text, _>(&name)
        .get_result(&mut admin)
        .expect("look for the template");
        if !found.present {
            let building = format!("{name}_building");
            // Separate statements: PostgreSQL runs a multi-statement string as one
            // transaction, which DROP DATABASE refuses.
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                .expect("drop a half-built template");
            admin
                .batch_execute(&format!("CREATE DATABASE {building}"))
                .expect("create the template database");
            {
                let mut conn = DbUrl::Postgresql(replace_database(admin_url, &building))
                    .connect()
                    .expect("connect to the template database");
                run_migrations(&mut conn).expect("migrate the template database");
            }
            admin
                .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                .expect("name the template database");
        }
        diesel::sql_query(format!("SELECT pg_advisory_unlock({LOCK})"))
            .execute(&mut admin)
            .expect("release the template lock");
        name
    })
}

#[derive(diesel::QueryableByName)]
struct Present {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    present: bool,
}

/// Test databases are reached without TLS unless the URL asks for it: libpq's OpenSSL
/// clean-up at process exit can crash a test binary whose server threads are still
/// connected when the tests end.
fn without_tls(url: &str) -> String {
    if url.contains("sslmode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end);
    let mut out = match path_start {
        Some(i) => format!("{}/{}", &base[..i], name),
        None => format!("{base}/{name}"),
    };
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Runs `statement` with `table`'s CHECK constraints out of the way, to store what the
/// schema would refuse (as a hand edit or an older release might have): the tests that
/// prove a bad stored value is an error when loaded, never a silent default.
pub fn store_unchecked(conn: &mut DbConnection, table: &str, statement: &str) {
    let sql = match conn {
        DbConnection::Sqlite(_) => format!(
            "PRAGMA ignore_check_constraints = ON; {statement}; PRAGMA ignore_check_constraints = OFF;"
        ),
        DbConnection::Postgresql(_) => format!(
            "DO $$ DECLARE c record; BEGIN \
               FOR c IN SELECT conname FROM pg_constraint \
                        WHERE conrelid = '{table}'::regclass AND contype = 'c' LOOP \
                 EXECUTE format('ALTER TABLE {table} DROP CONSTRAINT %I', c.conname); \
               END LOOP; END $$; {statement};"
        ),
    };
    conn.batch_execute(&sql)
        .unwrap_or_else(|e| panic!("store unchecked in {table}: {e}"));
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced_in_urls() {
        use super::replace_database as r;
        assert_eq!(
            r("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(r("postgres://u@h", "x"), "postgres://u@h/x");
        assert_eq!(
            r("postgres:///postgres?host=/run/pg", "x"),
            "postgres:///x?host=/run/pg"
        );
    }
}
