//! Forgetting what has expired, so the token and throttle tables stay small.

use aula_db::{
    schema::{one_time_tokens, rate_limits, refresh_tokens},
    DbConnection,
};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::error::Result;

/// Rows removed by [`purge_expired`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub refresh_tokens: usize,
    pub one_time_tokens: usize,
    pub rate_limits: usize,
}

/// Throttle windows are at most an hour long; a day-old window is over for certain.
const STALE_WINDOW: TimeDelta = TimeDelta::days(1);

/// Deletes refresh and one-time tokens past their expiry (they can no longer be
/// used, whatever their state) and throttle windows that ended long ago.
pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> Result<Purged> {
    Ok(Purged {
        refresh_tokens: diesel::delete(
            refresh_tokens::table.filter(refresh_tokens::expires_at.lt(now)),
        )
        .execute(conn)?,
        one_time_tokens: diesel::delete(
            one_time_tokens::table.filter(one_time_tokens::expires_at.lt(now)),
        )
        .execute(conn)?,
        rate_limits: diesel::delete(
            rate_limits::table.filter(rate_limits::window_started_at.lt(now - STALE_WINDOW)),
        )
        .execute(conn)?,
    })
}
