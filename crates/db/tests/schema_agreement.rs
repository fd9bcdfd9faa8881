//! The SQLite and PostgreSQL migrations build the same schema, and their `down.sql`
//! files undo their `up.sql` files exactly.
//!
//! Both are compared with one checked-in description, `tests/schema.snapshot`. After a
//! deliberate schema change (always a new migration in both folders), regenerate it with
//! `AULA_UPDATE_SCHEMA_SNAPSHOT=1 cargo test -p aula-db --test schema_agreement`.

use std::path::PathBuf;

use aula_db::{
    catalogue::Catalogue, revert_all_migrations, run_migrations, testing::TestDb, DbConnection,
};

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schema.snapshot")
}

/// Migrates `conn`'s empty database, then runs down and up again; returns the
/// catalogue after the first migration, having checked the second matches it.
fn migrated_twice(conn: &mut DbConnection, backend: &str) -> String {
    run_migrations(conn).expect("migrate an empty database");
    let first = Catalogue::read(conn).expect("read the catalogue");
    revert_all_migrations(conn).expect("revert every migration");
    let emptied = Catalogue::read(conn).expect("read the catalogue");
    assert!(
        emptied.tables.is_empty(),
        "{backend}: down migrations leave tables behind: {:?}",
        emptied.tables.keys().collect::<Vec<_>>()
    );
    run_migrations(conn).expect("migrate again");
    let second = Catalogue::read(conn).expect("read the catalogue");
    assert_eq!(
        first.render(),
        second.render(),
        "{backend}: up → down → up does not rebuild the same schema"
    );
    first.render()
}

fn compare_with_snapshot(backend: &str, actual: &str) {
    let path = snapshot_path();
    if std::env::var_os("AULA_UPDATE_SCHEMA_SNAPSHOT").is_some() {
        std::fs::write(&path, actual).expect("write the schema snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("read tests/schema.snapshot");
    if expected != actual {
        let diff: Vec<String> = diff_lines(&expected, actual);
        panic!(
            "{backend}'s migrated schema differs from tests/schema.snapshot \
             (- snapshot, + {backend}):\n{}",
            diff.join("\n")
        );
    }
}

/// The lines only one side has, marked `-` (expected) or `+` (actual).
fn diff_lines(expected: &str, actual: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut table_e, mut table_a) = (String::new(), String::new());
    let tagged = |text: &str, table: &mut String| -> Vec<String> {
        text.lines()
            .map(|line| {
                if let Some(name) = line.strip_prefix("table ") {
                    *table = name.to_owned();
                    line.to_owned()
                } else {
                    format!("{table}: {}", line.trim())
                }
            })
            .collect()
    };
    let e = tagged(expected, &mut table_e);
    let a = tagged(actual, &mut table_a);
    out.extend(
        e.iter()
            .filter(|l| !a.contains(l))
            .map(|l| format!("- {l}")),
    );
    out.extend(
        a.iter()
            .filter(|l| !e.contains(l))
            .map(|l| format!("+ {l}")),
    );
    out
}

#[test]
fn sqlite_migrations_build_the_snapshot_schema_and_down_undoes_up() {
    let db = TestDb::empty_sqlite();
    let mut conn = db.conn();
    let catalogue = migrated_twice(&mut conn, "SQLite");
    compare_with_snapshot("SQLite", &catalogue);
}

#[test]
fn postgres_migrations_build_the_snapshot_schema_and_down_undoes_up() {
    let Some(db) = TestDb::empty_postgres() else {
        return;
    };
    let mut conn = db.conn();
    let catalogue = migrated_twice(&mut conn, "PostgreSQL");
    // Regenerating writes SQLite's view; PostgreSQL must then agree with it.
    if std::env::var_os("AULA_UPDATE_SCHEMA_SNAPSHOT").is_none() {
        compare_with_snapshot("PostgreSQL", &catalogue);
    }
}
