//! The actions an enrolment lists are exactly those its reader may take: for every
//! state (and what a step still needs: documents, a settled fee, a fee at all) and every
//! relation to it, each listed action is accepted and every other one refused. Each try
//! runs in a transaction that is rolled back, so all of them start from the same place.

use std::{collections::HashMap, sync::Arc};

use aula_catalog::{
    courses::{self, CourseInput, TranslationInput},
    model::{AdmissionPolicy, Level, Modality, ProgrammeType},
    offerings::{self, OfferingInput},
    LocalStorage,
};
use aula_core::{Clock, Locale, ManualClock, PageRequest, SeededTokenSource};
use aula_db::{testing::TestDb, DbConnection};
use aula_enrolment::{
    documents::{self, Upload},
    flow::{self, ApplyInput, Decision, PaymentInput},
    lists::{self, Filter},
    Action, Admissions, DocumentKind, EnrolmentAction, EnrolmentError, PaymentStatus, State,
};
use aula_identity::{
    institutions::{self, InstitutionInput},
    AuthConfig, Identity, Limits, NewUser, Role, User,
};
use chrono::{TimeDelta, Utc};

/// Recognised as a PDF by its content, which is all the server looks at.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

const FEE: i64 = 10_000;

/// Where an enrolment is brought before the actions are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    AppliedWithoutDocuments,
    AppliedWithDocuments,
    EndorsedFeeUnpaid,
    EndorsedFeePaid,
    Waitlisted,
    Enrolled,
    EnrolledFree,
    Completed,
    Failed,
    Rejected,
    Withdrawn,
}

const CASES: &[Case] = &[
    Case::AppliedWithoutDocuments,
    Case::AppliedWithDocuments,
    Case::EndorsedFeeUnpaid,
    Case::EndorsedFeePaid,
    Case::Waitlisted,
    Case::Enrolled,
    Case::EnrolledFree,
    Case::Completed,
    Case::Failed,
    Case::Rejected,
    Case::Withdrawn,
];

struct World {
    _db: TestDb,
    conn: DbConnection,
    clock: ManualClock,
    svc: Admissions,
    admin: User,
    instructor: User,
    /// A coordinator of the learners' institution who is not one of them.
    coordinator: User,
    /// A student of that institution.
    learner: User,
    /// A coordinator of that institution who applies too (nobody endorses themselves).
    coordinating_learner: User,
    /// A coordinator of another institution, and a student of none: strangers.
    other_coordinator: User,
    stranger: User,
    /// Takes the only seat of the offering where the others wait.
    filler: User,
    course: String,
    _files: tempfile::TempDir,
}

fn person(
    identity: &Identity,
    conn: &mut DbConnection,
    email: &str,
    institution: Option<i64>,
    role: Role,
) -> User {
    let input = NewUser {
        email: email.into(),
        full_name: email.into(),
        password: "cotización-2026".into(),
        locale: Locale::Es,
        institution_id: institution,
        roles: vec![role],
    };
    aula_identity::auth::create_user(conn, identity, &input).expect("create a person")
}

fn institution(conn: &mut DbConnection, identity: &Identity, admin: &User, acronym: &str) -> i64 {
    let input = InstitutionInput {
        name: Some(format!("Instituto {acronym}")),
        acronym: Some(acronym.into()),
        country: Some("MX".into()),
        membership_category: Some("titular".into()),
    };
    institutions::create(conn, identity, admin, &input)
        .expect("create an institution")
        .id
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
    let c = &mut conn;
    let admin = person(&identity, c, "admin@ciess.test", None, Role::Admin);
    let imss = institution(c, &identity, &admin, "IMSS");
    let issste = institution(c, &identity, &admin, "ISSSTE");
    let instructor = person(&identity, c, "docente@ciess.test", None, Role::Instructor);
    let input = CourseInput {
        code: Some("SEG-101".into()),
        topic: Some("pensions".into()),
        programme_type: Some(ProgrammeType::Course),
        modality: Some(Modality::Online),
        level: Some(Level::Introductory),
        hours: Some(10),
        primary_language: Some(Locale::Es),
        instructor_ids: Some(vec![instructor.id]),
        translation: Some(TranslationInput {
            title: "Seguridad social".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let course = courses::create(c, svc.catalog(), &admin, &input).expect("create the course");
    put_in_catalog(c, &course);
    Some(World {
        coordinator: person(
            &identity,
            c,
            "coord@imss.test",
            Some(imss),
            Role::Coordinator,
        ),
        learner: person(&identity, c, "ana@imss.test", Some(imss), Role::Student),
        coordinating_learner: person(
            &identity,
            c,
            "jefa@imss.test",
            Some(imss),
            Role::Coordinator,
        ),
        other_coordinator: person(
            &identity,
            c,
            "coord@issste.test",
            Some(issste),
            Role::Coordinator,
        ),
        stranger: person(&identity, c, "luis@example.test", None, Role::Student),
        filler: person(&identity, c, "primero@example.test", None, Role::Student),
        _db: db,
        conn,
        clock,
        svc,
        admin,
        instructor,
        course,
        _files: files,
    })
}

impl World {
    /// An offering that needs endorsement and, when `fee` is above zero, a settled fee.
    fn offering(&mut self, capacity: i32, fee: i64) -> i64 {
        let now = self.clock.now();
        let at = now.and_utc();
        let input = OfferingInput {
            start_date: Some((now + TimeDelta::days(10)).date()),
            end_date: Some((now + TimeDelta::days(40)).date()),
            enrolment_opens_at: Some(at - TimeDelta::days(1)),
            enrolment_closes_at: Some(at + TimeDelta::days(9)),
            time_zone: Some("America/Lima".into()),
            capacity: Some(capacity),
            admission_policy: Some(AdmissionPolicy::InstitutionEndorsed),
            fee_member: Some(fee),
            fee_non_member: Some(fee),
            payment_required: Some(true),
            currency: Some("USD".into()),
            ..Default::default()
        };
        offerings::create(
            &mut self.conn,
            self.svc.catalog(),
            &self.admin,
            &self.course,
            &input,
        )
        .expect("create an offering")
        .id
    }

    fn decide(&mut self, by: &User, id: i64, action: Action) {
        let reason = Decision {
            reason: Some("Motivo".into()),
        };
        flow::decide(&mut self.conn, &self.svc, by, id, action, &reason, None)
            .unwrap_or_else(|e| panic!("{action}: {e}"));
    }

    /// Brings `who`'s application in `offering` to `case`; its id.
    fn bring(&mut self, who: &User, offering: i64, case: Case) -> i64 {
        use Case::*;
        let (svc, admin) = (self.svc.clone(), self.admin.clone());
        let (coordinator, instructor) = (self.coordinator.clone(), self.instructor.clone());
        let none = ApplyInput::default();
        let id = flow::apply(&mut self.conn, &svc, who, offering, &none, None)
            .expect("apply")
            .id;
        if case == AppliedWithoutDocuments {
            return id;
        }
        if case == Withdrawn {
            flow::withdraw(&mut self.conn, &svc, who, id, &Decision::default(), None).unwrap();
            return id;
        }
        for kind in DocumentKind::ALL {
            let file = Upload {
                file_name: "documento.pdf",
                bytes: PDF,
            };
            documents::upload(&mut self.conn, &svc, who, id, *kind, &file, None).unwrap();
        }
        if case == AppliedWithDocuments {
            return id;
        }
        self.decide(&coordinator, id, Action::Endorse);
        if case == EndorsedFeeUnpaid {
            return id;
        }
        if case != EnrolledFree {
            let paid = PaymentInput {
                status: PaymentStatus::Paid,
                reference: None,
            };
            flow::record_payment(&mut self.conn, &svc, &admin, id, &paid, None).unwrap();
        }
        if case == EndorsedFeePaid {
            return id;
        }
        if case == Rejected {
            // Admission is refused before a seat is given; enrolled people withdraw instead.
            self.decide(&instructor, id, Action::Reject);
            return id;
        }
        self.decide(&instructor, id, Action::Admit);
        match case {
            Completed => self.decide(&instructor, id, Action::Complete),
            Failed => self.decide(&instructor, id, Action::Fail),
            _ => {}
        }
        id
    }
}

/// Whatever the outcome, nothing it wrote is kept.
struct RolledBack;

impl From<diesel::result::Error> for RolledBack {
    fn from(_: diesel::result::Error) -> Self {
        RolledBack
    }
}

fn attempt(
    w: &mut World,
    actor: &User,
    id: i64,
    action: EnrolmentAction,
) -> Result<(), EnrolmentError> {
    let svc = w.svc.clone();
    let mut outcome = None;
    let _ = aula_db::transaction(&mut w.conn, |conn| {
        let done = match action {
            EnrolmentAction::Withdraw => {
                flow::withdraw(conn, &svc, actor, id, &Decision::default(), None)
            }
            EnrolmentAction::RecordPayment => {
                let paid = PaymentInput {
                    status: PaymentStatus::Paid,
                    reference: Some("TRX-1".into()),
                };
                flow::record_payment(conn, &svc, actor, id, &paid, None)
            }
            EnrolmentAction::UploadDocuments => {
                let file = Upload {
                    file_name: "cv.pdf",
                    bytes: PDF,
                };
                documents::upload(conn, &svc, actor, id, DocumentKind::Cv, &file, None)
            }
            decision => {
                let action: Action = decision.as_str().parse().expect("a decision");
                let reason = Decision {
                    reason: Some("Motivo".into()),
                };
                flow::decide(conn, &svc, actor, id, action, &reason, None)
            }
        };
        outcome = Some(done.map(|_| ()));
        Err::<(), _>(RolledBack)
    });
    outcome.expect("the attempt ran")
}

#[test]
fn every_action_listed_is_accepted_and_every_other_refused() {
    let Some(mut w) = world() else { return };
    // A full offering: the filler holds its only seat, so admitted people wait.
    let full = w.offering(1, FEE);
    let filler = w.filler.clone();
    let apply_as_staff = ApplyInput {
        user_id: Some(filler.id),
    };
    flow::apply(&mut w.conn, &w.svc, &w.admin, full, &apply_as_staff, None).unwrap();

    let learners = [w.learner.clone(), w.coordinating_learner.clone()];
    let actors = [
        ("the learner", w.learner.clone()),
        ("a coordinating learner", w.coordinating_learner.clone()),
        ("their coordinator", w.coordinator.clone()),
        ("an instructor", w.instructor.clone()),
        ("an administrator", w.admin.clone()),
        (
            "another institution's coordinator",
            w.other_coordinator.clone(),
        ),
        ("a stranger", w.stranger.clone()),
    ];
    let mut accepted: HashMap<EnrolmentAction, usize> = HashMap::new();
    let mut states = Vec::new();
    for &case in CASES {
        let offering = match case {
            Case::Waitlisted => full,
            Case::EnrolledFree => w.offering(10, 0),
            _ => w.offering(10, FEE),
        };
        for learner in &learners {
            let id = w.bring(learner, offering, case);
            let state = flow::get(&mut w.conn, &w.svc, &w.admin, id, None)
                .unwrap()
                .state;
            states.push(state);
            for (who, actor) in &actors {
                let listed = match flow::get(&mut w.conn, &w.svc, actor, id, None) {
                    Ok(enrolment) => enrolment.actions,
                    Err(EnrolmentError::NotFound) => Vec::new(),
                    Err(e) => panic!("{who} reads {id}: {e}"),
                };
                for &action in EnrolmentAction::ALL {
                    let outcome = attempt(&mut w, actor, id, action);
                    let what = format!("{case:?} ({state}) of {}, {who}, {action}", learner.email);
                    match outcome {
                        Ok(()) => {
                            assert!(listed.contains(&action), "{what}: accepted but not listed");
                            *accepted.entry(action).or_default() += 1;
                        }
                        Err(
                            e @ (EnrolmentError::NotFound
                            | EnrolmentError::Forbidden
                            | EnrolmentError::InvalidTransition { .. }
                            | EnrolmentError::DocumentsMissing
                            | EnrolmentError::PaymentOutstanding
                            | EnrolmentError::NothingToPay),
                        ) => assert!(!listed.contains(&action), "{what}: listed but refused: {e}"),
                        Err(e) => panic!("{what}: failed instead of deciding: {e}"),
                    }
                }
            }
        }
    }
    // The grid reached every state, and every action is somewhere allowed: a rule that
    // listed nothing and refused everything would not pass.
    for state in State::ALL {
        assert!(states.contains(state), "no case reached {state}");
    }
    for action in EnrolmentAction::ALL {
        assert!(accepted.contains_key(action), "{action} was never accepted");
    }
}

#[test]
fn lists_offer_the_same_actions_as_the_enrolment_itself() {
    let Some(mut w) = world() else { return };
    let mut ids = Vec::new();
    for (n, &case) in CASES.iter().enumerate() {
        let offering = w.offering(10, if case == Case::EnrolledFree { 0 } else { FEE });
        let learner = if n % 2 == 0 {
            w.learner.clone()
        } else {
            w.coordinating_learner.clone()
        };
        ids.push(w.bring(&learner, offering, case));
    }
    let page = PageRequest::new(1, 100);
    let all = Filter::default();
    let (svc, conn) = (w.svc.clone(), &mut w.conn);
    let lists = [
        (
            w.learner.clone(),
            lists::mine(conn, &svc, &w.learner, None, None, page, None).unwrap(),
        ),
        (
            w.coordinating_learner.clone(),
            lists::mine(conn, &svc, &w.coordinating_learner, None, None, page, None).unwrap(),
        ),
        (
            w.coordinator.clone(),
            lists::people(conn, &svc, &w.coordinator, &all, page, None).unwrap(),
        ),
        (
            w.coordinator.clone(),
            lists::endorsements(conn, &svc, &w.coordinator, page, None).unwrap(),
        ),
        (
            w.instructor.clone(),
            lists::approvals(conn, &svc, &w.instructor, page, None).unwrap(),
        ),
        (
            w.admin.clone(),
            lists::approvals(conn, &svc, &w.admin, page, None).unwrap(),
        ),
    ];
    let mut compared = 0;
    for (reader, list) in lists {
        for listed in list.items {
            let alone = flow::get(conn, &svc, &reader, listed.id, None).unwrap();
            assert_eq!(
                listed.actions, alone.actions,
                "{} reading {}",
                reader.email, listed.id
            );
            compared += 1;
        }
    }
    for id in &ids {
        let offering = flow::get(conn, &svc, &w.admin, *id, None)
            .unwrap()
            .offering_id;
        let roster = lists::roster(conn, &svc, &w.instructor, offering, &all, page, None).unwrap();
        for listed in roster.items {
            let alone = flow::get(conn, &svc, &w.instructor, listed.id, None).unwrap();
            assert_eq!(listed.actions, alone.actions, "the roster's {}", listed.id);
            compared += 1;
        }
    }
    assert!(compared > CASES.len() * 2, "{compared} comparisons");
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
