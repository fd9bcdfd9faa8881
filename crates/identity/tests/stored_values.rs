//! A stored text outside its vocabulary is an error when the row is loaded, never a
//! silent default (the schema refuses such values; an old release or a hand edit may not).

use aula_db::testing::{store_unchecked, TestDb};
use aula_db::{schema, DbConnection};
use aula_identity::{institutions, users, IdentityError};
use diesel::{prelude::*, result::Error::DeserializationError};

const USER: &str = "INSERT INTO users (email, full_name, password_hash, locale, status, \
     created_at, updated_at) VALUES ('ana@bps.uy', 'Ana', '', '{locale}', '{status}', \
     CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";

fn user(locale: &str, status: &str) -> String {
    USER.replace("{locale}", locale).replace("{status}", status)
}

fn user_id(conn: &mut DbConnection) -> i64 {
    schema::users::table
        .select(schema::users::id)
        .first(conn)
        .expect("the stored user")
}

fn institution_id(conn: &mut DbConnection) -> i64 {
    schema::institutions::table
        .select(schema::institutions::id)
        .first(conn)
        .expect("the stored institution")
}

fn is_bad_stored_value(error: &IdentityError) -> bool {
    matches!(error, IdentityError::Database(DeserializationError(_)))
}

#[test]
fn a_user_with_an_unknown_stored_locale_fails_to_load() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    store_unchecked(&mut conn, "users", &user("xx", "active"));
    let id = user_id(&mut conn);
    let error = users::get(&mut conn, id).unwrap_err();
    assert!(is_bad_stored_value(&error), "{error:?}");
}

#[test]
fn a_user_with_an_unknown_stored_status_fails_to_load() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    store_unchecked(&mut conn, "users", &user("es", "suspended"));
    let id = user_id(&mut conn);
    let error = users::get(&mut conn, id).unwrap_err();
    assert!(is_bad_stored_value(&error), "{error:?}");
}

#[test]
fn a_user_with_an_unknown_stored_role_fails_to_load() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    store_unchecked(&mut conn, "users", &user("es", "active"));
    store_unchecked(
        &mut conn,
        "user_roles",
        "INSERT INTO user_roles (user_id, role) VALUES ((SELECT id FROM users), 'dean')",
    );
    let id = user_id(&mut conn);
    let error = users::get(&mut conn, id).unwrap_err();
    assert!(is_bad_stored_value(&error), "{error:?}");
}

#[test]
fn an_institution_with_an_unknown_stored_category_fails_to_load() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    store_unchecked(
        &mut conn,
        "institutions",
        "INSERT INTO institutions (name, acronym, country, membership_category, created_at, \
         updated_at) VALUES ('Banco de Previsión Social', 'BPS', 'UY', 'honorary', \
         CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    );
    let id = institution_id(&mut conn);
    let error = institutions::get(&mut conn, id).unwrap_err();
    assert!(is_bad_stored_value(&error), "{error:?}");
}
