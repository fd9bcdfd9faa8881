//! Expired sign-in records are deleted; live ones are kept.

use std::sync::Arc;

use aula_core::{Locale, ManualClock, OsTokenSource};
use aula_db::testing::TestDb;
use aula_identity::{purge_expired, AuthConfig, Identity, Limits, NewUser, Purged, Role};
use chrono::{TimeDelta, Utc};

fn identity(clock: &ManualClock) -> Identity {
    Identity::new(
        Arc::new(clock.clone()),
        Arc::new(OsTokenSource),
        b"purge-test-secret-purge-test-secret!",
        AuthConfig {
            public_url: "https://aula.test".into(),
            limits: Limits::default(),
        },
    )
}

#[test]
fn expired_tokens_and_finished_throttle_windows_are_purged_and_live_ones_kept() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    let clock = ManualClock::new(Utc::now().naive_utc());
    let identity = identity(&clock);
    aula_identity::auth::create_user(
        &mut conn,
        &identity,
        &NewUser {
            email: "ana@bps.uy".into(),
            full_name: "Ana".into(),
            password: "cotización-2026".into(),
            locale: Locale::Es,
            institution_id: None,
            roles: vec![Role::Student],
        },
    )
    .unwrap();
    // An old session, a reset link and throttle windows, all 31 days ago.
    let old = aula_identity::auth::login(
        &mut conn,
        &identity,
        "ana@bps.uy",
        "cotización-2026",
        "10.0.0.1",
    )
    .unwrap();
    aula_identity::auth::request_password_reset(&mut conn, &identity, "ana@bps.uy", "10.0.0.1")
        .unwrap();
    clock.advance(TimeDelta::days(31));
    let fresh = aula_identity::auth::login(
        &mut conn,
        &identity,
        "ana@bps.uy",
        "cotización-2026",
        "10.0.0.2",
    )
    .unwrap();

    let purged = purge_expired(&mut conn, aula_core::Clock::now(&clock)).unwrap();
    // Old windows: the first sign-in's address, and the reset's address and account
    // (a successful sign-in clears its account window itself).
    assert_eq!(
        purged,
        Purged {
            refresh_tokens: 1,
            one_time_tokens: 1,
            rate_limits: 3
        }
    );

    assert!(
        aula_identity::auth::refresh(&mut conn, &identity, &fresh.refresh_token).is_ok(),
        "the live session survives"
    );
    assert!(aula_identity::auth::refresh(&mut conn, &identity, &old.refresh_token).is_err());
    assert_eq!(
        purge_expired(&mut conn, aula_core::Clock::now(&clock)).unwrap(),
        Purged::default()
    );
}
