use aula_db::{is_unique_violation, schema::app_secrets, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Returns the secret stored under `name`, storing `generate()` first when there is
/// none. Safe when several instances start at once: the first insert wins.
pub fn get_or_create_secret(
    conn: &mut DbConnection,
    name: &str,
    now: NaiveDateTime,
    generate: impl FnOnce() -> String,
) -> QueryResult<String> {
    let existing = app_secrets::table
        .find(name)
        .select(app_secrets::value)
        .first::<String>(conn)
        .optional()?;
    if let Some(value) = existing {
        return Ok(value);
    }
    match diesel::insert_into(app_secrets::table)
        .values((
            app_secrets::name.eq(name),
            app_secrets::value.eq(generate()),
            app_secrets::created_at.eq(now),
        ))
        .execute(conn)
    {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {}
        Err(e) => return Err(e),
    }
    app_secrets::table
        .find(name)
        .select(app_secrets::value)
        .first(conn)
}
