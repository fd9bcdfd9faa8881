//! Constraint violations are recognised the same way on both backends, so domain code
//! can turn them into the same answer.

use aula_db::{is_check_violation, is_foreign_key_violation, is_unique_violation, testing::TestDb};
use diesel::{connection::SimpleConnection, RunQueryDsl};

fn setup(conn: &mut aula_db::DbConnection) {
    conn.batch_execute(
        "CREATE TABLE parents (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, \
             size INTEGER NOT NULL CHECK (size >= 0));
         CREATE TABLE children (id BIGINT PRIMARY KEY, \
             parent_id BIGINT NOT NULL REFERENCES parents (id) ON DELETE RESTRICT);
         INSERT INTO parents (id, name, size) VALUES (1, 'one', 1);
         INSERT INTO children (id, parent_id) VALUES (1, 1);",
    )
    .expect("create the tables");
}

#[test]
fn removing_a_referenced_row_is_a_foreign_key_violation() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    setup(&mut conn);
    let err = diesel::sql_query("DELETE FROM parents WHERE id = 1")
        .execute(&mut conn)
        .expect_err("a referenced row stays");
    assert!(is_foreign_key_violation(&err), "{err:?}");
    assert!(!is_unique_violation(&err) && !is_check_violation(&err));
}

#[test]
fn a_reference_to_a_missing_row_is_a_foreign_key_violation() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    setup(&mut conn);
    let err = diesel::sql_query("INSERT INTO children (id, parent_id) VALUES (2, 99)")
        .execute(&mut conn)
        .expect_err("an orphan is refused");
    assert!(is_foreign_key_violation(&err), "{err:?}");
}

#[test]
fn a_duplicate_is_a_unique_violation() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    setup(&mut conn);
    let err = diesel::sql_query("INSERT INTO parents (id, name, size) VALUES (2, 'one', 1)")
        .execute(&mut conn)
        .expect_err("a duplicate name is refused");
    assert!(is_unique_violation(&err), "{err:?}");
    assert!(!is_foreign_key_violation(&err));
}

#[test]
fn a_value_outside_a_check_is_a_check_violation() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    setup(&mut conn);
    let err = diesel::sql_query("UPDATE parents SET size = -1 WHERE id = 1")
        .execute(&mut conn)
        .expect_err("a negative size is refused");
    assert!(is_check_violation(&err), "{err:?}");
    assert!(!is_foreign_key_violation(&err));
}
