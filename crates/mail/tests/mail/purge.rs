use aula_core::{Clock, Locale};
use aula_db::testing::TestDb;
use aula_mail::{enqueue, purge_sent, status_counts, Mail, Transport};
use chrono::TimeDelta;

use crate::support::{self, NAME};

#[test]
fn only_mail_delivered_before_the_cut_off_is_purged() {
    let Some(db) = TestDb::new() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = support::clock();
    let mail = Mail::PasswordChanged {
        full_name: NAME.into(),
    };
    enqueue(
        &mut db.conn(),
        clock.now(),
        "old@example.org",
        Locale::Es,
        &mail,
    )
    .expect("enqueue");
    let worker = support::worker(
        &db,
        Transport::files(dir.path()).expect("files"),
        &clock,
        support::config(),
    );
    assert_eq!(worker.deliver_due().expect("deliver").sent, 1);

    clock.advance(TimeDelta::days(40));
    enqueue(
        &mut db.conn(),
        clock.now(),
        "new@example.org",
        Locale::Es,
        &mail,
    )
    .expect("enqueue");
    assert_eq!(worker.deliver_due().expect("deliver").sent, 1);
    enqueue(
        &mut db.conn(),
        clock.now(),
        "waiting@example.org",
        Locale::Es,
        &mail,
    )
    .expect("enqueue");

    let removed = purge_sent(&mut db.conn(), clock.now() - TimeDelta::days(30)).expect("purge");
    assert_eq!(removed, 1);
    let counts = status_counts(&mut db.conn()).expect("counts");
    assert_eq!(
        (counts.sent, counts.pending),
        (1, 1),
        "recent and pending mail stay"
    );
}
