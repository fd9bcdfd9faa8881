//! Conversions and checks of the copy over small tables made for them, one of every
//! column type the schema uses. Needs PostgreSQL (skipped when unreachable, outside CI).

use aula_db::{testing::TestDb, DbUrl};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::{
    connection::SimpleConnection,
    pg::PgConnection,
    sql_types::{BigInt, Binary, Bool, Date, Double, Integer, Nullable, Text, Timestamp},
    sqlite::SqliteConnection,
    Connection, QueryableByName, RunQueryDsl,
};

use super::{copy, plan, report, shown, transfer, Checked, CopyError, FILLED_BY_MIGRATIONS};

struct Pair {
    lite: SqliteConnection,
    pg: PgConnection,
    _target: TestDb,
    _dir: tempfile::TempDir,
}

/// A SQLite and an empty PostgreSQL database, each given its own DDL.
fn pair(sqlite_ddl: &str, pg_ddl: &str) -> Option<Pair> {
    let target = TestDb::empty_postgres()?;
    let DbUrl::Postgresql(url) = target.url() else {
        unreachable!("an empty PostgreSQL database")
    };
    let mut pg = PgConnection::establish(url).expect("connect to PostgreSQL");
    pg.batch_execute(pg_ddl).expect("PostgreSQL tables");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("source.db");
    let mut lite = SqliteConnection::establish(&path.to_string_lossy()).expect("open SQLite");
    lite.batch_execute(sqlite_ddl).expect("SQLite tables");
    Some(Pair {
        lite,
        pg,
        _target: target,
        _dir: dir,
    })
}

const SQLITE_KINDS: &str = "
    CREATE TABLE kinds (
        id INTEGER PRIMARY KEY, flag BOOLEAN NOT NULL, at TIMESTAMP, day DATE, data BLOB,
        body TEXT, big BIGINT, small INTEGER, score DOUBLE PRECISION,
        next_id BIGINT REFERENCES kinds (id));
    INSERT INTO kinds VALUES
        (1, 1, '2026-03-01 09:05:00', '2026-03-01', x'00ff10',
         'Núñez 🎓 São Paulo	tab
line \\ end', 9007199254740993, -2147483648, 0.1 + 0.2, 3),
        (2, 0, '2026-03-01 09:05:00.123456789', NULL, x'', '', -9223372036854775808,
         2147483647, 1.0 / 3, 1),
        (3, 1, '2026-03-01T09:05:00.5', NULL, NULL, NULL, NULL, NULL, 1e300, 3),
        (4, 0, NULL, NULL, NULL, 'Ωμέγα', 0, 0, 5e-324, NULL);
    CREATE TABLE words (word TEXT PRIMARY KEY, n INTEGER NOT NULL);
    INSERT INTO words VALUES ('é', 1), ('e', 2), ('Z', 3), ('a', 4), ('😀', 5), ('ß', 6);";

const PG_KINDS: &str = "
    CREATE TABLE kinds (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, flag BOOLEAN NOT NULL,
        at TIMESTAMP, day DATE, data BYTEA, body TEXT, big BIGINT, small INTEGER,
        score DOUBLE PRECISION, next_id BIGINT REFERENCES kinds (id));
    CREATE TABLE words (word TEXT PRIMARY KEY, n INTEGER NOT NULL);";

#[derive(QueryableByName, Debug, PartialEq)]
struct Kinds {
    #[diesel(sql_type = Bool)]
    flag: bool,
    #[diesel(sql_type = Nullable<Timestamp>)]
    at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Date>)]
    day: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Binary>)]
    data: Option<Vec<u8>>,
    #[diesel(sql_type = Nullable<Text>)]
    body: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    big: Option<i64>,
    #[diesel(sql_type = Nullable<Integer>)]
    small: Option<i32>,
    #[diesel(sql_type = Nullable<Double>)]
    score: Option<f64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    next_id: Option<i64>,
}

fn at(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").ok()
}

#[test]
fn every_column_type_arrives_as_the_application_reads_it() {
    let Some(mut db) = pair(SQLITE_KINDS, PG_KINDS) else {
        return;
    };
    // Under a linguistic collation 'Z' sorts after 'a': the copy must still read both
    // sides in the same (byte) order. ICU's root collation is there on most builds.
    let icu: Present = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') AS present",
    )
    .get_result(&mut db.pg)
    .unwrap();
    if icu.present {
        db.pg
            .batch_execute("ALTER TABLE words ALTER COLUMN word TYPE TEXT COLLATE \"und-x-icu\"")
            .unwrap();
    }
    let tables = plan::read(&mut db.lite, &mut db.pg).expect("plan");
    assert_eq!(tables.len(), 2);
    let mut sums = Vec::new();
    for table in &tables {
        let copied = transfer::copy_table(&mut db.lite, &mut db.pg, table).expect("copy");
        if table.name == "kinds" {
            assert_eq!(copied.deferred, 1, "row 1 points at the later row 3");
            assert_eq!(copied.truncated, 1, "nanoseconds of row 2");
        }
        let target = transfer::target_sum(&mut db.pg, table).expect("read back");
        assert_eq!(target, copied.source, "{}", table.name);
        sums.push(copied.source);
    }
    assert_eq!(transfer::reset_sequences(&mut db.pg, &tables).unwrap(), 1);

    let rows: Vec<Kinds> = diesel::sql_query(
        "SELECT flag, at, day, data, body, big, small, score, next_id FROM kinds ORDER BY id",
    )
    .load(&mut db.pg)
    .unwrap();
    let expected = vec![
        Kinds {
            flag: true,
            at: at("2026-03-01 09:05:00"),
            day: NaiveDate::from_ymd_opt(2026, 3, 1),
            data: Some(vec![0, 0xff, 0x10]),
            body: Some("Núñez 🎓 São Paulo\ttab\nline \\ end".into()),
            big: Some(9_007_199_254_740_993),
            small: Some(i32::MIN),
            score: Some(0.1 + 0.2),
            next_id: Some(3),
        },
        Kinds {
            flag: false,
            at: at("2026-03-01 09:05:00.123456"),
            day: None,
            data: Some(Vec::new()),
            body: Some(String::new()),
            big: Some(i64::MIN),
            small: Some(i32::MAX),
            score: Some(1.0 / 3.0),
            next_id: Some(1),
        },
        Kinds {
            flag: true,
            at: at("2026-03-01 09:05:00.5"),
            day: None,
            data: None,
            body: None,
            big: None,
            small: None,
            score: Some(1e300),
            next_id: Some(3),
        },
        Kinds {
            flag: false,
            at: None,
            day: None,
            data: None,
            body: Some("Ωμέγα".into()),
            big: Some(0),
            small: Some(0),
            score: Some(5e-324),
            next_id: None,
        },
    ];
    assert_eq!(rows, expected);

    // The next id PostgreSQL gives follows the copied ones.
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let next: Id = diesel::sql_query("INSERT INTO kinds (flag) VALUES (true) RETURNING id")
        .get_result(&mut db.pg)
        .unwrap();
    assert_eq!(next.id, 5);
}

#[test]
fn a_value_postgresql_cannot_take_is_refused_naming_its_row() {
    let cases = [
        ("'many'", "n", "text where the PostgreSQL column is Integer"),
        ("4294967296", "n", "out of range"),
    ];
    for (value, column, problem) in cases {
        let Some(mut db) = pair(
            &format!(
                "CREATE TABLE bad (id INTEGER PRIMARY KEY, n INTEGER, t TEXT);
                 INSERT INTO bad VALUES (7, {value}, 'fine');"
            ),
            "CREATE TABLE bad (id BIGINT PRIMARY KEY, n INTEGER, t TEXT);",
        ) else {
            return;
        };
        let tables = plan::read(&mut db.lite, &mut db.pg).unwrap();
        match transfer::copy_table(&mut db.lite, &mut db.pg, &tables[0]) {
            Err(CopyError::BadValue {
                table,
                column: c,
                row,
                problem: p,
            }) => {
                assert_eq!(
                    (table.as_str(), c.as_str(), row.as_str()),
                    ("bad", column, "id=7")
                );
                assert!(p.contains(problem), "{p}");
            }
            Err(other) => panic!("{other}"),
            Ok(_) => panic!("{value} copied"),
        }
    }
    let Some(mut db) = pair(
        "CREATE TABLE bad (id INTEGER PRIMARY KEY, t TEXT);
         INSERT INTO bad VALUES (1, 'a' || char(0) || 'b');",
        "CREATE TABLE bad (id BIGINT PRIMARY KEY, t TEXT);",
    ) else {
        return;
    };
    let tables = plan::read(&mut db.lite, &mut db.pg).unwrap();
    let refused = transfer::copy_table(&mut db.lite, &mut db.pg, &tables[0]).err();
    assert!(
        refused
            .as_ref()
            .is_some_and(|e| e.to_string().contains("NUL")),
        "{refused:?}"
    );
}

#[test]
fn tables_and_columns_on_one_side_only_are_named() {
    let Some(mut db) = pair(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, extra TEXT); CREATE TABLE only_here (id INTEGER);",
        "CREATE TABLE a (id BIGINT PRIMARY KEY, other TEXT);",
    ) else {
        return;
    };
    let error = plan::read(&mut db.lite, &mut db.pg)
        .err()
        .map(|e| e.to_string());
    let error = error.unwrap_or_default();
    for difference in [
        "column a.extra is missing in PostgreSQL",
        "column a.other is missing in SQLite",
        "table only_here is missing in PostgreSQL",
    ] {
        assert!(error.contains(difference), "{error}");
    }
}

#[test]
fn a_failure_part_way_leaves_the_target_empty() {
    let Some(mut db) = pair(
        "CREATE TABLE a (id INTEGER PRIMARY KEY);
         INSERT INTO a VALUES (1), (2);
         CREATE TABLE b (id INTEGER PRIMARY KEY, a_id BIGINT REFERENCES a (id), flag BOOLEAN);
         INSERT INTO b VALUES (1, 1, 1), (2, 2, 7);",
        "CREATE TABLE a (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
         CREATE TABLE b (id BIGINT PRIMARY KEY, a_id BIGINT REFERENCES a (id), flag BOOLEAN);",
    ) else {
        return;
    };
    let tables = plan::read(&mut db.lite, &mut db.pg).unwrap();
    assert_eq!(
        tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    let mut progress = Vec::new();
    let lite = &mut db.lite;
    let failed = db
        .pg
        .transaction(|pg| copy(lite, pg, &tables, &mut progress))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        failed.as_deref(),
        Some("b.flag (id=2): 7 is not a boolean (0 or 1)")
    );
    assert!(String::from_utf8_lossy(&progress).contains("1/2] a"));
    let left: Present = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM a) AS present")
        .get_result(&mut db.pg)
        .unwrap();
    assert!(!left.present, "the rows of a were rolled back");
}

#[test]
fn the_report_shows_both_sides_of_a_difference() {
    let sum = |rows, sha256: &str| transfer::Sum {
        rows,
        sha256: sha256.into(),
    };
    let checked = [
        Checked {
            table: "users".into(),
            source: sum(15, "be7ef4294d15c7cd0000"),
            target: sum(15, "be7ef4294d15c7cd0000"),
        },
        Checked {
            table: "grades".into(),
            source: sum(3, "c0f099e97fd6e9ae1111"),
            target: sum(2, "0123456789abcdef2222"),
        },
    ];
    let mut out = Vec::new();
    report(&checked, 6, &mut out).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out),
        "table      rows  checksum          ok\n\
         users        15  be7ef4294d15c7cd  ok\n\
         grades        3  c0f099e97fd6e9ae  DIFFERS: PostgreSQL has 2 rows, checksum 0123456789abcdef\n"
    );
}

#[derive(QueryableByName)]
struct Present {
    #[diesel(sql_type = Bool)]
    present: bool,
}

/// The copy lets a target hold rows only where the migrations write them.
#[test]
fn the_tables_the_migrations_fill_are_the_ones_the_copy_expects() {
    let Some(target) = TestDb::empty_postgres() else {
        return;
    };
    let mut conn = target.conn();
    aula_db::run_migrations(&mut conn).unwrap();
    let aula_db::DbConnection::Postgresql(pg) = &mut conn else {
        unreachable!("a PostgreSQL database")
    };
    let mut filled = Vec::new();
    for table in plan::pg_tables(pg).unwrap() {
        if table == plan::MIGRATIONS_TABLE {
            continue;
        }
        let found: Present = diesel::sql_query(format!(
            "SELECT EXISTS (SELECT 1 FROM {}) AS present",
            plan::ident(&table)
        ))
        .get_result(pg)
        .unwrap();
        if found.present {
            filled.push(table);
        }
    }
    assert_eq!(filled, FILLED_BY_MIGRATIONS);
}

#[test]
fn passwords_in_urls_are_not_shown() {
    assert_eq!(
        shown("postgres://aula:s3cret@db.example.org:5432/aula"),
        "postgres://aula:***@db.example.org:5432/aula"
    );
    assert_eq!(
        shown("postgres://postgres@127.0.0.1/x"),
        "postgres://postgres@127.0.0.1/x"
    );
}
