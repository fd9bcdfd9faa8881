//! The durable job table on the selected backend: a key deduplicates pending work,
//! a lease keeps a job to one worker, failures come back after the back-off, and
//! work is given up after its last attempt.

use aula_db::{
    jobs::{self, retry_delay},
    testing::TestDb,
};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

fn noon() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 4)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

#[test]
fn a_pending_key_is_queued_once_and_again_after_it_is_done() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    let now = noon();
    let first = jobs::enqueue(&mut conn, "k", "{}", Some("k:1"), now, now).unwrap();
    assert!(first.is_some());
    assert_eq!(
        jobs::enqueue(&mut conn, "k", "{}", Some("k:1"), now, now).unwrap(),
        None
    );
    // Without a key, every request is its own job.
    assert!(jobs::enqueue(&mut conn, "k", "{}", None, now, now)
        .unwrap()
        .is_some());
    assert!(jobs::enqueue(&mut conn, "k", "{}", None, now, now)
        .unwrap()
        .is_some());
    jobs::mark_done(&mut conn, first.unwrap(), now).unwrap();
    assert!(jobs::enqueue(&mut conn, "k", "{}", Some("k:1"), now, now)
        .unwrap()
        .is_some());
    assert_eq!(jobs::counts(&mut conn).unwrap().pending, 3);
}

#[test]
fn a_leased_job_is_not_claimed_twice_until_its_lease_ends() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    let now = noon();
    jobs::enqueue(&mut conn, "render", "1", None, now, now).unwrap();
    jobs::enqueue(&mut conn, "other", "2", None, now, now).unwrap();
    let lease = now + TimeDelta::minutes(10);
    let mine = jobs::claim_due(&mut conn, &["render"], now, lease, 10).unwrap();
    assert_eq!(mine.len(), 1, "only the kinds asked for");
    assert!(jobs::claim_due(&mut conn, &["render"], now, lease, 10)
        .unwrap()
        .is_empty());
    // The worker died: once the lease is over, another takes the job up.
    let later = lease + TimeDelta::seconds(1);
    let again = jobs::claim_due(
        &mut conn,
        &["render"],
        later,
        later + TimeDelta::minutes(10),
        10,
    )
    .unwrap();
    assert_eq!(again, mine);
}

#[test]
fn failures_come_back_after_the_back_off_and_end_after_the_last_attempt() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    let mut now = noon();
    jobs::enqueue(&mut conn, "render", "1", None, now, now).unwrap();
    for attempt in 1..=3 {
        let claimed = jobs::claim_due(
            &mut conn,
            &["render"],
            now,
            now + TimeDelta::minutes(10),
            10,
        )
        .unwrap();
        assert_eq!(claimed.len(), 1, "attempt {attempt}");
        jobs::mark_failed(&mut conn, &claimed[0], "the store is down", 3, now).unwrap();
        if attempt < 3 {
            // Not before its back-off…
            let early = now + retry_delay(attempt) - TimeDelta::seconds(1);
            assert!(jobs::claim_due(&mut conn, &["render"], early, early, 10)
                .unwrap()
                .is_empty());
            now += retry_delay(attempt);
        }
    }
    let counts = jobs::counts(&mut conn).unwrap();
    assert_eq!(
        (counts.pending, counts.failed),
        (0, 1),
        "given up after the third failure"
    );
    let much_later = now + TimeDelta::days(1);
    assert!(
        jobs::claim_due(&mut conn, &["render"], much_later, much_later, 10)
            .unwrap()
            .is_empty()
    );
}
