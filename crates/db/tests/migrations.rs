//! Migrations apply, revert and re-apply on the backend under test.

use aula_db::{revert_all_migrations, run_migrations, testing::TestDb, DbUrl};

#[test]
fn down_migrations_reverse_up_migrations_exactly() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    assert!(
        run_migrations(&mut conn).unwrap().is_empty(),
        "a fresh test database is fully migrated"
    );
    revert_all_migrations(&mut conn).unwrap();
    let applied = run_migrations(&mut conn).unwrap();
    assert_eq!(
        applied.len(),
        std::fs::read_dir(migrations("sqlite")).unwrap().count()
    );
    revert_all_migrations(&mut conn).unwrap();
    run_migrations(&mut conn).unwrap();
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |dir: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&migrations("sqlite")), names(&migrations("postgres")));
}

#[test]
fn an_unreachable_postgres_url_reports_the_connection_error() {
    let err = DbUrl::parse("postgres://nobody@127.0.0.1:1/aula")
        .connect()
        .err()
        .expect("must fail");
    // PostgreSQL's own words, not a SQLite attempt at a file called "postgres://…".
    assert!(
        err.to_string().contains("127.0.0.1") && err.to_string().contains("refused"),
        "{err}"
    );
}

#[test]
fn sqlite_connections_enforce_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let url = DbUrl::Sqlite(
        dir.path()
            .join("nested/dir/aula.db")
            .to_string_lossy()
            .into_owned(),
    );
    let mut conn = url.connect().unwrap();
    run_migrations(&mut conn).unwrap();
    use diesel::RunQueryDsl;
    let orphan = diesel::sql_query("INSERT INTO user_roles (user_id, role) VALUES (999, 'admin')")
        .execute(&mut conn);
    assert!(orphan.is_err(), "a role of a missing user is refused");
}

fn migrations(backend: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(backend)
}
