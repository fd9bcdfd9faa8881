//! A stored text outside its vocabulary is an error when the row is loaded, never a
//! silent default (the schema refuses such values; an old release or a hand edit may not).

use std::sync::Arc;

use aula_catalog::LocalStorage;
use aula_core::{Locale, ManualClock, PageRequest, SeededTokenSource};
use aula_db::{
    testing::{store_unchecked, TestDb},
    DbConnection,
};
use aula_enrolment::{lists, Admissions, EnrolmentError};
use aula_identity::{AuthConfig, Identity, Limits, NewUser, Role, User};
use chrono::Utc;
use diesel::result::Error::DeserializationError;

/// Lists the learner's enrolments after storing one with `state` and `payment_status`.
fn mine_with(state: &str, payment_status: &str) -> Option<EnrolmentError> {
    let db = TestDb::new()?;
    let mut conn = db.conn();
    let clock = ManualClock::new(Utc::now().naive_utc());
    let identity = Identity::new(
        Arc::new(clock.clone()),
        Arc::new(SeededTokenSource::new(7)),
        b"enrolment-test-secret-enrolment-test",
        AuthConfig {
            public_url: "https://aula.test".into(),
            limits: Limits::default(),
        },
    );
    let files = tempfile::tempdir().expect("a directory for documents");
    let svc = Admissions::new(
        Arc::new(clock),
        Arc::new(SeededTokenSource::new(8)),
        Arc::new(LocalStorage::new(files.path())),
        identity.clone(),
        "https://aula.test",
        1024 * 1024,
    );
    let learner = learner(&identity, &mut conn);
    store(&mut conn, &learner, state, payment_status);
    let page = PageRequest::new(1, 20);
    Some(lists::mine(&mut conn, &svc, &learner, None, None, page, None).unwrap_err())
}

fn learner(identity: &Identity, conn: &mut DbConnection) -> User {
    aula_identity::auth::create_user(
        conn,
        identity,
        &NewUser {
            email: "ana@bps.uy".into(),
            full_name: "Ana".into(),
            password: "cotización-2026".into(),
            locale: Locale::Es,
            institution_id: None,
            roles: vec![Role::Student],
        },
    )
    .expect("create the learner")
}

fn store(conn: &mut DbConnection, learner: &User, state: &str, payment_status: &str) {
    store_unchecked(
        conn,
        "courses",
        "INSERT INTO courses (code, topic_id, programme_type, modality, level, hours, \
         primary_language, status, search_text, created_at, updated_at) \
         VALUES ('PEN-201', (SELECT MIN(id) FROM topics), 'course', 'online', \
         'introductory', 20, 'es', 'published', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    );
    store_unchecked(
        conn,
        "offerings",
        "INSERT INTO offerings (course_id, start_date, end_date, enrolment_opens_at, \
         enrolment_closes_at, time_zone, capacity, admission_policy, currency, created_at, \
         updated_at, payment_required) VALUES ((SELECT id FROM courses WHERE code = 'PEN-201'), '2027-03-01', '2027-03-31', \
         '2027-01-01 00:00:00', '2027-02-01 00:00:00', 'America/Montevideo', 20, \
         'open', 'USD', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, false)",
    );
    store_unchecked(
        conn,
        "enrolments",
        &format!(
            "INSERT INTO enrolments (offering_id, user_id, state, fee, currency, payment_status, \
             created_at, updated_at) VALUES ((SELECT MIN(id) FROM offerings), {}, '{state}', 0, 'USD', '{payment_status}', \
             CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            learner.id
        ),
    );
}

fn is_bad_stored_value(error: &EnrolmentError) -> bool {
    matches!(error, EnrolmentError::Database(DeserializationError(_)))
}

#[test]
fn an_enrolment_with_an_unknown_stored_state_fails_to_load() {
    let Some(error) = mine_with("admitted", "unpaid") else {
        return;
    };
    assert!(is_bad_stored_value(&error), "{error:?}");
}

#[test]
fn an_enrolment_with_an_unknown_stored_payment_status_fails_to_load() {
    let Some(error) = mine_with("enrolled", "pending") else {
        return;
    };
    assert!(is_bad_stored_value(&error), "{error:?}");
}
