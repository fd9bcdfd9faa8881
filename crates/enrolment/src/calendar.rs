//! A person's own calendar: a secret address, kept only as its hash, that calendar
//! applications subscribe to without signing in. It carries the sessions of the
//! offerings where the person holds a seat, with their rooms and places.

use aula_catalog::sessions::personal_calendar;
use aula_core::hash_token;
use aula_db::{
    schema::{calendar_feeds, enrolments},
    DbConnection,
};
use aula_identity::{users, User, UserStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    error::{EnrolmentError, Result},
    model::State,
    service::Admissions,
};

/// Whether the person has a calendar address (the address itself is shown only once).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarFeed {
    pub active: bool,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub created_at: Option<NaiveDateTime>,
}

/// A new calendar address's secret; it cannot be read again, only replaced.
#[derive(Debug, Clone)]
pub struct NewCalendarFeed {
    pub token: String,
    pub created_at: NaiveDateTime,
}

/// The actor's calendar address, if any.
pub fn feed(conn: &mut DbConnection, actor: &User) -> Result<CalendarFeed> {
    let created_at: Option<NaiveDateTime> = calendar_feeds::table
        .find(actor.id)
        .select(calendar_feeds::created_at)
        .first(conn)
        .optional()?;
    Ok(CalendarFeed {
        active: created_at.is_some(),
        created_at,
    })
}

/// Gives the actor a new calendar address; the previous one stops working.
pub fn create_feed(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
) -> Result<NewCalendarFeed> {
    let token = svc.tokens.token();
    let now = svc.now();
    aula_db::transaction(conn, |conn| {
        diesel::delete(calendar_feeds::table.find(actor.id)).execute(conn)?;
        diesel::insert_into(calendar_feeds::table)
            .values((
                calendar_feeds::user_id.eq(actor.id),
                calendar_feeds::token_hash.eq(hash_token(&token)),
                calendar_feeds::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok::<_, EnrolmentError>(())
    })?;
    Ok(NewCalendarFeed {
        token,
        created_at: now,
    })
}

/// Switches the actor's calendar address off.
pub fn revoke_feed(conn: &mut DbConnection, actor: &User) -> Result<()> {
    diesel::delete(calendar_feeds::table.find(actor.id)).execute(conn)?;
    Ok(())
}

/// The calendar behind a secret address: the sessions of every offering its owner
/// holds a seat in, titles in the owner's language. `host` makes event ids unique.
pub fn feed_calendar(
    conn: &mut DbConnection,
    svc: &Admissions,
    token: &str,
    host: &str,
) -> Result<String> {
    let user_id: i64 = calendar_feeds::table
        .filter(calendar_feeds::token_hash.eq(hash_token(token)))
        .select(calendar_feeds::user_id)
        .first(conn)
        .optional()?
        .ok_or(EnrolmentError::CalendarFeedNotFound)?;
    // A disabled account's address stops working with the rest of its access.
    let owner = users::by_ids(conn, &[user_id])?
        .remove(&user_id)
        .filter(|owner| owner.status == UserStatus::Active)
        .ok_or(EnrolmentError::CalendarFeedNotFound)?;
    let offerings: Vec<i64> = enrolments::table
        .filter(enrolments::user_id.eq(user_id))
        .filter(enrolments::state.eq_any(State::texts(State::SEAT_HOLDING)))
        .select(enrolments::offering_id)
        .load(conn)?;
    Ok(personal_calendar(
        conn,
        &offerings,
        &format!("Aula — {}", owner.full_name),
        Some(owner.locale),
        host,
        svc.now(),
    )?)
}
