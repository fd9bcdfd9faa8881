//! `aula db copy`: the demo data moved from SQLite into a new PostgreSQL database, then
//! used there through the application's own code.
//!
//! Needs PostgreSQL (AULA_TEST_POSTGRES_URL): skipped with a message when it is
//! unreachable, a failure in CI.

mod support;

use std::time::Instant;

use aula_core::{Clock, SystemClock};
use aula_db::{schema, testing::TestDb, DbConnection, DbUrl};
use aula_identity::{auth, Identity, DEMO_PASSWORD};
use diesel::{prelude::*, sql_types::BigInt, sql_types::Text};
use support::{aula, certification, text};

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn application_tables(sqlite: &mut DbConnection) -> Vec<String> {
    diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' \
         ESCAPE '\\' AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load::<Name>(sqlite)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect()
}

fn count(conn: &mut DbConnection, table: &str) -> i64 {
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM \"{table}\""))
        .get_result::<Count>(conn)
        .unwrap()
        .n
}

fn identity(secret: &str) -> Identity {
    support::identity(secret.as_bytes(), "https://aula.test")
}

/// The signing secret `aula serve` generated and kept in the database.
fn jwt_secret(conn: &mut DbConnection) -> String {
    aula_identity::get_or_create_secret(conn, "jwt_secret", SystemClock.now(), || {
        unreachable!("the demo database holds its secret")
    })
    .unwrap()
}

type CertificateRow = (String, String, Option<i64>);

fn certificates(conn: &mut DbConnection) -> Vec<CertificateRow> {
    use schema::certificates::dsl::*;
    certificates
        .order(id)
        .select((code, status, supersedes_id))
        .load(conn)
        .unwrap()
}

#[test]
fn the_demo_moves_from_sqlite_into_a_new_postgresql_database_and_works_there() {
    let Some(target) = TestDb::empty_postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source_url = format!("sqlite://{}", dir.path().join("aula.db").display());
    let seeded = aula(&source_url, dir.path(), &["seed", "demo"], "");
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));

    // A session opened before the move stays valid after it.
    let mut source = DbUrl::parse(&source_url).connect().unwrap();
    let secret = jwt_secret(&mut source);
    let before = auth::login(
        &mut source,
        &identity(&secret),
        "student@demo.test",
        DEMO_PASSWORD,
        "127.0.0.1",
    )
    .expect("the demo student signs in on SQLite");

    let target_url = target.url_string();
    let args = ["db", "copy", "--from", &source_url, "--to", &target_url];
    let started = Instant::now();
    let copied = aula(&source_url, dir.path(), &args, "");
    let took = started.elapsed();
    let report = text(&copied.stdout);
    assert!(
        copied.status.success(),
        "{report}\n{}",
        text(&copied.stderr)
    );
    eprintln!("{report}(the demo copied in {took:.2?})");

    // Every table is in the report with its count and a matching checksum, and the
    // counts are the databases' own.
    let mut copy = target.conn();
    let tables = application_tables(&mut source);
    assert!(tables.len() >= 56, "{tables:?}");
    let mut total = 0;
    for table in &tables {
        let rows = count(&mut source, table);
        assert_eq!(count(&mut copy, table), rows, "{table}");
        let line = report
            .lines()
            .find(|l| l.split_whitespace().next() == Some(table) && l.ends_with("  ok"))
            .unwrap_or_else(|| panic!("{table} verified in the report:\n{report}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[1], rows.to_string(), "{line}");
        assert_eq!(fields[2].len(), 16, "a checksum: {line}");
        total += rows;
    }
    assert!(total > 500, "the demo has data: {total} rows");
    assert!(
        report.contains(&format!("Copied {total} rows of {} tables", tables.len())),
        "{report}"
    );
    assert!(report.contains("every row count and checksum matches"));
    assert!(
        !report.contains("s3cret") && !report.contains("DIFFERS"),
        "{report}"
    );

    // The certificates, the superseded one with its link, verify as before.
    let issued = certificates(&mut source);
    assert_eq!(certificates(&mut copy), issued);
    assert!(issued.iter().any(|(_, status, _)| status == "superseded"));
    assert!(issued.iter().any(|(_, _, supersedes)| supersedes.is_some()));
    let (on_sqlite, on_postgres) = (certification(dir.path()), certification(dir.path()));
    for (code, _, _) in &issued {
        let was = aula_certification::verify::by_code(&mut source, &on_sqlite, "10.0.0.1", code)
            .unwrap()
            .status;
        let is = aula_certification::verify::by_code(&mut copy, &on_postgres, "10.0.0.1", code)
            .unwrap()
            .status;
        assert_eq!(is, was, "{code}");
    }

    // The password hashes, the signing secret and the sessions came along; new rows
    // (refresh tokens) take fresh ids.
    assert_eq!(jwt_secret(&mut copy), secret);
    let on_copy = identity(&secret);
    let user = auth::authenticate(&mut copy, &on_copy, &before.access_token)
        .expect("a token issued on SQLite is valid on the copy");
    assert_eq!(user.email, "student@demo.test");
    auth::refresh(&mut copy, &on_copy, &before.refresh_token)
        .expect("a refresh token issued on SQLite turns on the copy");
    let session = auth::login(
        &mut copy,
        &on_copy,
        "admin@demo.test",
        DEMO_PASSWORD,
        "127.0.0.1",
    )
    .expect("the demo administrator signs in on the copy");
    assert_eq!(session.user.email, "admin@demo.test");

    // A second copy into the same database is refused and changes nothing.
    let users = count(&mut copy, "users");
    let again = aula(&source_url, dir.path(), &args, "");
    assert!(!again.status.success());
    let refused = text(&again.stderr);
    assert!(refused.contains("already holds data"), "{refused}");
    assert_eq!(count(&mut copy, "users"), users);

    // The application runs on the copy: the demo is found in place, and a new account
    // takes the next id (the sequences were moved past the copied ids).
    let demo = aula(&target_url, dir.path(), &["seed", "demo"], "");
    assert!(
        text(&demo.stdout).contains("already present; nothing changed"),
        "{}{}",
        text(&demo.stdout),
        text(&demo.stderr)
    );
    let last: i64 = schema::users::table
        .select(diesel::dsl::max(schema::users::id))
        .get_result::<Option<i64>>(&mut copy)
        .unwrap()
        .unwrap_or_default();
    let create = [
        "user",
        "create",
        "--email",
        "nueva@ciess.org",
        "--name",
        "Renée Ñúñez 🎓",
        "--role",
        "student",
    ];
    let created = aula(
        &target_url,
        dir.path(),
        &create,
        "una frase de paso larga\n",
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(
        text(&created.stdout).contains(&format!("created user {} ", last + 1)),
        "{}",
        text(&created.stdout)
    );
}

#[test]
fn the_copy_names_what_it_refuses_to_copy() {
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("sqlite://{}", dir.path().join("none.db").display());
    let cases: [(&[&str], &str); 3] = [
        (
            &["--from", &missing, "--to", "postgres://u@127.0.0.1/x"],
            "there is no SQLite database at",
        ),
        (
            &[
                "--from",
                "postgres://u@127.0.0.1/a",
                "--to",
                "postgres://u@127.0.0.1/b",
            ],
            "--from must name a SQLite database",
        ),
        (
            &["--from", &missing, "--to", "sqlite://other.db"],
            "--to must be a PostgreSQL URL",
        ),
    ];
    for (args, message) in cases {
        let out = aula(
            "sqlite://unused.db",
            dir.path(),
            &[&["db", "copy"], args].concat(),
            "",
        );
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out.stderr).contains(message), "{}", text(&out.stderr));
    }
    assert!(
        !dir.path().join("none.db").exists(),
        "a mistyped source is not created"
    );
}
