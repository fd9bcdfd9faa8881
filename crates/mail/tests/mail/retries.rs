use aula_core::{Clock, Locale};
use aula_db::testing::TestDb;
use aula_mail::{enqueue, outbox_entry, retry_delay, Mail, OutboxStatus, Transport, WorkerConfig};
use chrono::TimeDelta;

use crate::support::{self, closed_port, NAME};

#[test]
fn an_unreachable_server_is_retried_with_backoff_until_the_mail_fails() {
    let Some(db) = TestDb::new() else { return };
    let clock = support::clock();
    let mail = Mail::PasswordChanged {
        full_name: NAME.into(),
    };
    let id = enqueue(
        &mut db.conn(),
        clock.now(),
        "ana@example.org",
        Locale::Es,
        &mail,
    )
    .expect("enqueue");
    let transport = Transport::smtp(&format!("smtp://127.0.0.1:{}", closed_port())).expect("url");
    let config = WorkerConfig {
        max_attempts: 3,
        ..support::config()
    };
    let worker = support::worker(&db, transport, &clock, config);
    let entry = || {
        outbox_entry(&mut db.conn(), id)
            .expect("load")
            .expect("row exists")
    };

    // First attempt fails: counted, error kept, retried 30 s later, lease cleared.
    let report = worker.deliver_due().expect("deliver");
    assert_eq!((report.claimed, report.retrying), (1, 1));
    let row = entry();
    assert_eq!((row.status, row.attempts), (OutboxStatus::Pending, 1));
    assert_eq!(row.next_attempt_at, support::start() + retry_delay(1));
    assert_eq!(row.locked_until, None);
    assert!(
        row.last_error
            .as_deref()
            .is_some_and(|e| e.contains("SMTP")),
        "{:?}",
        row.last_error
    );

    // Not tried again before it is due.
    clock.advance(TimeDelta::seconds(29));
    assert_eq!(worker.deliver_due().expect("deliver").claimed, 0);
    assert_eq!(entry().attempts, 1);

    // Second attempt at 30 s; the next waits twice as long.
    clock.advance(TimeDelta::seconds(1));
    assert_eq!(worker.deliver_due().expect("deliver").retrying, 1);
    let row = entry();
    assert_eq!(row.attempts, 2);
    assert_eq!(row.next_attempt_at, clock.now() + TimeDelta::seconds(60));

    clock.advance(TimeDelta::seconds(59));
    assert_eq!(worker.deliver_due().expect("deliver").claimed, 0);

    // Third attempt is the last.
    clock.advance(TimeDelta::seconds(1));
    let report = worker.deliver_due().expect("deliver");
    assert_eq!((report.claimed, report.failed), (1, 1));
    let row = entry();
    assert_eq!((row.status, row.attempts), (OutboxStatus::Failed, 3));
    assert_eq!(row.sent_at, None);

    clock.advance(TimeDelta::days(1));
    assert_eq!(worker.deliver_due().expect("deliver").claimed, 0);
}

#[test]
fn a_leased_mail_is_not_claimed_again_until_the_lease_expires() {
    let Some(db) = TestDb::new() else { return };
    let clock = support::clock();
    let mail = Mail::PasswordChanged {
        full_name: NAME.into(),
    };
    let id = enqueue(
        &mut db.conn(),
        clock.now(),
        "ana@example.org",
        Locale::En,
        &mail,
    )
    .expect("enqueue");
    // A worker that leased the row and died before recording anything.
    let lease = clock.now() + TimeDelta::minutes(10);
    {
        use aula_db::schema::mail_outbox;
        use diesel::prelude::*;
        diesel::update(mail_outbox::table.find(id))
            .set(mail_outbox::locked_until.eq(Some(lease)))
            .execute(&mut db.conn())
            .expect("lease");
    }
    let sink = crate::support::SmtpSink::start();
    let worker = support::worker(&db, sink.transport(), &clock, support::config());

    assert_eq!(worker.deliver_due().expect("deliver").claimed, 0);
    clock.advance(TimeDelta::minutes(10));
    assert_eq!(worker.deliver_due().expect("deliver").sent, 1);
    assert_eq!(sink.received().len(), 1);
}
