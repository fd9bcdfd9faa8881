//! Enrolment rules through the crate's public functions, on a real database.

use std::sync::Arc;

use aula_catalog::{
    courses::{self, CourseInput, TranslationInput},
    model::{AdmissionPolicy, Level, Modality, ProgrammeType},
    offerings::{self, OfferingInput},
    sessions::{self, SessionInput},
    LocalStorage,
};
use aula_core::{Clock, Locale, ManualClock, SeededTokenSource};
use aula_db::{testing::TestDb, DbConnection};
use aula_enrolment::{
    attendance::{self, Record, SheetInput},
    flow::{self, ApplyInput, Decision},
    Admissions, AttendanceStatus, State,
};
use aula_identity::{
    institutions::{self, InstitutionInput},
    AuthConfig, Identity, Limits, NewUser, Role, User,
};
use chrono::{TimeDelta, Utc};
use diesel::{connection::SimpleConnection, Connection};

struct World {
    _db: TestDb,
    conn: DbConnection,
    clock: ManualClock,
    identity: Identity,
    svc: Admissions,
    admin: User,
    _files: tempfile::TempDir,
}

fn world() -> Option<World> {
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
        Arc::new(clock.clone()),
        Arc::new(SeededTokenSource::new(8)),
        Arc::new(LocalStorage::new(files.path())),
        identity.clone(),
        "https://aula.test",
        1024 * 1024,
    );
    let admin = person(&identity, &mut conn, "admin@ciess.test", None, Role::Admin);
    Some(World {
        _db: db,
        conn,
        clock,
        identity,
        svc,
        admin,
        _files: files,
    })
}

fn person(
    identity: &Identity,
    conn: &mut DbConnection,
    email: &str,
    institution_id: Option<i64>,
    role: Role,
) -> User {
    aula_identity::auth::create_user(
        conn,
        identity,
        &NewUser {
            email: email.into(),
            full_name: email.into(),
            password: "cotización-2026".into(),
            locale: Locale::Es,
            institution_id,
            roles: vec![role],
        },
    )
    .expect("create a person")
}

impl World {
    fn institution(&mut self, acronym: &str) -> i64 {
        let input = InstitutionInput {
            name: Some(format!("Instituto {acronym}")),
            acronym: Some(acronym.into()),
            country: Some("MX".into()),
            membership_category: Some("titular".into()),
        };
        institutions::create(&mut self.conn, &self.identity, &self.admin, &input)
            .expect("create an institution")
            .id
    }

    fn learner(&mut self, email: &str, institution_id: Option<i64>) -> User {
        person(
            &self.identity,
            &mut self.conn,
            email,
            institution_id,
            Role::Student,
        )
    }

    /// A published course with one open offering under `policy`.
    fn offering(&mut self, capacity: i32, quota: Option<i32>) -> i64 {
        let now = self.clock.now();
        let course = CourseInput {
            code: Some("SEG-101".into()),
            topic: Some("pensions".into()),
            programme_type: Some(ProgrammeType::Course),
            modality: Some(Modality::Online),
            level: Some(Level::Introductory),
            hours: Some(10),
            primary_language: Some(Locale::Es),
            translation: Some(TranslationInput {
                title: "Seguridad social".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let code =
            courses::create(&mut self.conn, self.svc.catalog(), &self.admin, &course).unwrap();
        put_in_catalog(&mut self.conn, &code);
        let at = now.and_utc();
        let input = OfferingInput {
            start_date: Some((now + TimeDelta::days(10)).date()),
            end_date: Some((now + TimeDelta::days(40)).date()),
            enrolment_opens_at: Some(at - TimeDelta::days(1)),
            enrolment_closes_at: Some(at + TimeDelta::days(9)),
            time_zone: Some("America/Mexico_City".into()),
            capacity: Some(capacity),
            admission_policy: Some(AdmissionPolicy::Open),
            institution_quota: quota,
            currency: Some("USD".into()),
            ..Default::default()
        };
        offerings::create(
            &mut self.conn,
            self.svc.catalog(),
            &self.admin,
            &code,
            &input,
        )
        .unwrap()
        .id
    }

    fn apply(&mut self, who: &User, offering: i64) -> State {
        let e = flow::apply(
            &mut self.conn,
            &self.svc,
            who,
            offering,
            &ApplyInput::default(),
            None,
        )
        .expect("apply");
        // Later arrivals on the waitlist are strictly later.
        self.clock.advance(TimeDelta::seconds(1));
        e.state
    }

    fn state_of(&mut self, who: &User, offering: i64) -> State {
        flow::mine_in(&mut self.conn, &self.svc, who, offering, None)
            .unwrap()
            .state
    }
}

#[test]
fn promotion_skips_people_whose_institution_is_at_quota() {
    let Some(mut w) = world() else { return };
    let (a, b) = (w.institution("IMSS"), w.institution("ISSSTE"));
    let offering = w.offering(3, Some(1));
    let a1 = w.learner("a1@imss.test", Some(a));
    let b1 = w.learner("b1@issste.test", Some(b));
    let loner = w.learner("loner@example.test", None);
    let a2 = w.learner("a2@imss.test", Some(a));
    let b2 = w.learner("b2@issste.test", Some(b));
    assert_eq!(w.apply(&a1, offering), State::Enrolled);
    assert_eq!(w.apply(&b1, offering), State::Enrolled);
    assert_eq!(w.apply(&loner, offering), State::Enrolled);
    // Full: both wait, IMSS first.
    assert_eq!(w.apply(&a2, offering), State::Waitlisted);
    assert_eq!(w.apply(&b2, offering), State::Waitlisted);

    // The person without an institution leaves; IMSS is at its quota of one, so the
    // seat goes to the ISSSTE applicant even though the IMSS one waited longer.
    let loner_id = flow::mine_in(&mut w.conn, &w.svc, &loner, offering, None)
        .unwrap()
        .id;
    flow::withdraw(
        &mut w.conn,
        &w.svc,
        &loner,
        loner_id,
        &Decision::default(),
        None,
    )
    .unwrap();
    assert_eq!(
        w.state_of(&b2, offering),
        State::Waitlisted,
        "ISSSTE is at quota too"
    );
    assert_eq!(w.state_of(&a2, offering), State::Waitlisted);

    // The IMSS seat-holder leaves: now the IMSS applicant is first and fits.
    let a1_id = flow::mine_in(&mut w.conn, &w.svc, &a1, offering, None)
        .unwrap()
        .id;
    flow::withdraw(&mut w.conn, &w.svc, &a1, a1_id, &Decision::default(), None).unwrap();
    assert_eq!(w.state_of(&a2, offering), State::Enrolled);
    let seats = offerings::get(&mut w.conn, w.svc.catalog(), None, offering)
        .unwrap()
        .seats_taken;
    assert_eq!(
        seats, 2,
        "b1 and a2; the third seat waits for someone under quota"
    );
}

#[test]
fn attendance_rate_leaves_excused_sessions_out() {
    let Some(mut w) = world() else { return };
    let offering = w.offering(5, None);
    let learner = w.learner("ana@example.test", None);
    assert_eq!(w.apply(&learner, offering), State::Enrolled);
    let id = flow::mine_in(&mut w.conn, &w.svc, &learner, offering, None)
        .unwrap()
        .id;
    let start = w.clock.now().and_utc();
    let statuses = [
        AttendanceStatus::Present,
        AttendanceStatus::Absent,
        AttendanceStatus::Excused,
        AttendanceStatus::Present,
    ];
    for (n, status) in statuses.into_iter().enumerate() {
        let session = sessions::create(
            &mut w.conn,
            &w.admin,
            offering,
            &SessionInput {
                title: format!("Sesión {n}"),
                starts_at: start + TimeDelta::days(n as i64),
                ends_at: start + TimeDelta::days(n as i64) + TimeDelta::hours(2),
                place: None,
                link: None,
            },
        )
        .unwrap();
        let input = SheetInput {
            records: vec![Record {
                enrolment_id: id,
                status,
            }],
        };
        attendance::record(&mut w.conn, &w.svc, &w.admin, session.id, &input).unwrap();
    }
    let view = flow::get(&mut w.conn, &w.svc, &learner, id, None).unwrap();
    assert_eq!(view.attendance_rate, Some(67), "2 present of 3 counted");
}

#[test]
fn history_and_payment_rows_cannot_be_changed_or_removed() {
    let Some(mut w) = world() else { return };
    let offering = w.offering(5, None);
    // A fee to record a payment against.
    let fee = OfferingInput {
        fee_non_member: Some(5000),
        ..Default::default()
    };
    offerings::update(&mut w.conn, w.svc.catalog(), &w.admin, offering, &fee).unwrap();
    let learner = w.learner("ana@example.test", None);
    w.apply(&learner, offering);
    let changed = w
        .conn
        .transaction(|c| c.batch_execute("UPDATE enrolment_events SET reason = 'rewritten'"));
    assert!(changed.is_err(), "an update of the history is refused");
    let removed = w
        .conn
        .transaction(|c| c.batch_execute("DELETE FROM enrolment_events"));
    assert!(removed.is_err(), "a deletion from the history is refused");
    let id = flow::mine_in(&mut w.conn, &w.svc, &learner, offering, None)
        .unwrap()
        .id;
    let payment = flow::PaymentInput {
        status: aula_enrolment::PaymentStatus::Paid,
        reference: Some("TRX-1".into()),
    };
    flow::record_payment(&mut w.conn, &w.svc, &w.admin, id, &payment, None).unwrap();
    for sql in [
        "UPDATE enrolment_payments SET reference = 'TRX-2'",
        "DELETE FROM enrolment_payments",
    ] {
        let refused = w.conn.transaction(|c| c.batch_execute(sql));
        assert!(refused.is_err(), "payment records are append-only: {sql}");
    }
    let history = flow::history(&mut w.conn, &learner, id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].to, State::Enrolled);
    assert_eq!(history[0].reason, None);
}

#[test]
fn the_database_refuses_more_seats_taken_than_the_capacity() {
    let Some(mut w) = world() else { return };
    let offering = w.offering(1, None);
    let learner = w.learner("ana@example.test", None);
    w.apply(&learner, offering);
    for sql in [
        format!("UPDATE offerings SET seats_taken = 2 WHERE id = {offering}"),
        format!("UPDATE offerings SET seats_taken = -1 WHERE id = {offering}"),
        format!("UPDATE offerings SET capacity = 0 WHERE id = {offering}"),
    ] {
        let err = w
            .conn
            .transaction(|c| c.batch_execute(&sql))
            .expect_err(&sql);
        assert!(aula_db::is_check_violation(&err), "{sql}: {err:?}");
    }
}

#[test]
fn the_roster_costs_the_same_queries_for_3_or_30_enrolments() {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use aula_core::PageRequest;
    use aula_enrolment::lists::{self, Filter};
    use diesel::connection::InstrumentationEvent;

    let Some(mut w) = world() else { return };
    let inst = w.institution("IMSS");
    let offering = w.offering(40, None);
    for i in 0..30 {
        let learner = w.learner(&format!("p{i}@imss.test"), Some(inst));
        w.apply(&learner, offering);
    }
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    w.conn
        .set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if matches!(event, InstrumentationEvent::StartQuery { .. }) {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
    let mut queries_for = |per_page: i64| {
        count.store(0, Ordering::SeqCst);
        let page = lists::roster(
            &mut w.conn,
            &w.svc,
            &w.admin,
            offering,
            &Filter::default(),
            PageRequest::new(1, per_page),
            Some(Locale::En),
        )
        .unwrap();
        assert_eq!(page.items.len() as i64, per_page);
        count.load(Ordering::SeqCst)
    };
    let small = queries_for(3);
    let large = queries_for(30);
    assert!(small > 0);
    assert_eq!(
        small, large,
        "the number of queries does not grow with the page"
    );
}

/// Puts a course in the catalog without the readiness checks of publishing (an edition,
/// every text), which have their own tests.
fn put_in_catalog(conn: &mut aula_db::DbConnection, code: &str) {
    use aula_db::schema::courses;
    use diesel::prelude::*;
    diesel::update(courses::table.filter(courses::code.eq(code)))
        .set(courses::status.eq("published"))
        .execute(conn)
        .expect("put the course in the catalog");
}
