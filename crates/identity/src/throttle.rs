use aula_db::{is_unique_violation, schema::rate_limits, DbConnection};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::error::{IdentityError, Result};

/// At most `max` hits per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i32,
    pub window: TimeDelta,
}

/// Throttles for the endpoints that guess secrets or send mail.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub login_per_ip: Limit,
    /// Sign-ins to one account from one address.
    pub login_per_account: Limit,
    pub reset_per_ip: Limit,
    pub reset_per_account: Limit,
    /// Sign-ups from one address (each sends a mail and costs a password hash).
    pub register_per_ip: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_per_ip: Limit {
                max: 50,
                window: TimeDelta::minutes(15),
            },
            login_per_account: Limit {
                max: 10,
                window: TimeDelta::minutes(15),
            },
            reset_per_ip: Limit {
                max: 20,
                window: TimeDelta::hours(1),
            },
            reset_per_account: Limit {
                max: 5,
                window: TimeDelta::hours(1),
            },
            register_per_ip: Limit {
                max: 20,
                window: TimeDelta::hours(1),
            },
        }
    }
}

/// Counts one hit in `bucket`'s fixed window, kept in the database so that every
/// instance shares it; refuses with the seconds left when the window is full. Other
/// crates throttle their public endpoints with it too (certificate verification).
pub fn hit(conn: &mut DbConnection, bucket: &str, limit: Limit, now: NaiveDateTime) -> Result<()> {
    let current: Option<(NaiveDateTime, i32)> = rate_limits::table
        .find(bucket)
        .select((rate_limits::window_started_at, rate_limits::hits))
        .first(conn)
        .optional()?;
    match current {
        None => {
            // In a savepoint: on PostgreSQL a failed statement would otherwise abort the
            // caller's whole transaction.
            let inserted = aula_db::transaction(conn, |conn| {
                diesel::insert_into(rate_limits::table)
                    .values((
                        rate_limits::bucket.eq(bucket),
                        rate_limits::window_started_at.eq(now),
                        rate_limits::hits.eq(1),
                    ))
                    .execute(conn)
            });
            match inserted {
                Ok(_) => Ok(()),
                // Another request opened the window first: count in it.
                Err(e) if is_unique_violation(&e) => increment(conn, bucket),
                Err(e) => Err(e.into()),
            }
        }
        Some((started, _)) if now >= started + limit.window => {
            diesel::update(rate_limits::table.find(bucket))
                .set((
                    rate_limits::window_started_at.eq(now),
                    rate_limits::hits.eq(1),
                ))
                .execute(conn)?;
            Ok(())
        }
        Some((started, hits)) if hits >= limit.max => {
            let left = (started + limit.window - now).num_seconds().max(1);
            Err(IdentityError::RateLimited {
                retry_after_seconds: left,
            })
        }
        Some(_) => increment(conn, bucket),
    }
}

fn increment(conn: &mut DbConnection, bucket: &str) -> Result<()> {
    diesel::update(rate_limits::table.find(bucket))
        .set(rate_limits::hits.eq(rate_limits::hits + 1))
        .execute(conn)?;
    Ok(())
}

/// Forgets a bucket, e.g. an account's failed sign-ins after a successful one.
pub(crate) fn clear(conn: &mut DbConnection, bucket: &str) -> Result<()> {
    diesel::delete(rate_limits::table.find(bucket)).execute(conn)?;
    Ok(())
}
