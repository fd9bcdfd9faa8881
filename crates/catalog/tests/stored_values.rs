//! A stored text outside its vocabulary is an error when the row is loaded, never a
//! silent default (the schema refuses such values; an old release or a hand edit may not).

use std::sync::Arc;

use aula_catalog::{offerings, view, Catalog, CatalogError, LocalStorage, NoEnrolments};
use aula_core::SystemClock;
use aula_db::{
    testing::{store_unchecked, TestDb},
    DbConnection,
};
use diesel::{prelude::*, result::Error::DeserializationError};

fn course(conn: &mut DbConnection, status: &str) {
    store_unchecked(
        conn,
        "courses",
        &format!(
            "INSERT INTO courses (code, topic_id, programme_type, modality, level, hours, \
             primary_language, status, search_text, created_at, updated_at) \
             VALUES ('PEN-201', (SELECT MIN(id) FROM topics), 'course', 'online', \
             'introductory', 20, 'es', '{status}', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
    );
}

fn offering(conn: &mut DbConnection, start_date: &str, policy: &str) {
    store_unchecked(
        conn,
        "offerings",
        &format!(
            "INSERT INTO offerings (course_id, start_date, end_date, enrolment_opens_at, \
             enrolment_closes_at, time_zone, capacity, admission_policy, currency, created_at, \
             updated_at, payment_required) VALUES ((SELECT id FROM courses WHERE code = 'PEN-201'), '{start_date}', '2027-03-31', \
             '2027-01-01 00:00:00', '2027-02-01 00:00:00', 'America/Montevideo', 20, \
             '{policy}', 'USD', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, false)"
        ),
    );
}

fn offering_id(conn: &mut DbConnection) -> i64 {
    aula_db::schema::offerings::table
        .select(aula_db::schema::offerings::id)
        .first(conn)
        .expect("the stored offering")
}

fn is_bad_stored_value(error: &CatalogError) -> bool {
    matches!(error, CatalogError::Database(DeserializationError(_)))
}

#[test]
fn a_course_with_an_unknown_stored_status_fails_to_load() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    course(&mut conn, "retired");
    let error = view::detail(&mut conn, None, "PEN-201", None).unwrap_err();
    assert!(is_bad_stored_value(&error), "{error:?}");
}

#[test]
fn an_offering_with_an_unknown_stored_admission_policy_fails_to_load() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    course(&mut conn, "published");
    offering(&mut conn, "2027-03-01", "lottery");
    let id = offering_id(&mut conn);
    let files = tempfile::tempdir().expect("a directory for files");
    let catalog = Catalog::new(
        Arc::new(SystemClock),
        Arc::new(LocalStorage::new(files.path())),
        Arc::new(NoEnrolments),
    );
    let error = offerings::get(&mut conn, &catalog, None, id).unwrap_err();
    assert!(is_bad_stored_value(&error), "{error:?}");
}

#[test]
fn an_offering_with_a_stored_start_date_that_is_no_date_fails_to_load() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    course(&mut conn, "published");
    offering(&mut conn, "2027-02-30", "open");
    let id = offering_id(&mut conn);
    let files = tempfile::tempdir().expect("a directory for files");
    let catalog = Catalog::new(
        Arc::new(SystemClock),
        Arc::new(LocalStorage::new(files.path())),
        Arc::new(NoEnrolments),
    );
    let error = offerings::get(&mut conn, &catalog, None, id).unwrap_err();
    assert!(is_bad_stored_value(&error), "{error:?}");
}
