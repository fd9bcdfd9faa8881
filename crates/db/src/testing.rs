//! Fresh databases for tests: every test gets its own, dropped afterwards.
//!
//! The backend comes from `AULA_TEST_BACKEND` (`sqlite`, the default, or `postgres`).
//! PostgreSQL tests connect to `AULA_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and create a database per test.
//! When PostgreSQL is selected but unreachable, tests are skipped with a message —
//! unless `CI` is set, where that is a failure.

use diesel::{connection::SimpleConnection, Connection, PgConnection};
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
        let db = match backend.as_str() {
            "postgres" | "postgresql" => Self::postgres()?,
            "sqlite" => Self::sqlite(),
            other => panic!("AULA_TEST_BACKEND must be `sqlite` or `postgres`, not `{other}`"),
        };
        let mut conn = db.url.connect().expect("connect to the test database");
        run_migrations(&mut conn).expect("migrate the test database");
        Some(db)
    }

    fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let path = dir.path().join("aula-test.db");
        Self {
            url: DbUrl::Sqlite(path.to_string_lossy().into_owned()),
            pg_admin: None,
            _dir: Some(dir),
        }
    }

    fn postgres() -> Option<Self> {
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
        let name = format!("aula_test_{:016x}", rand::rng().random::<u64>());
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
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
