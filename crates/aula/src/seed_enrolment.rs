//! Demo enrolments for `aula seed demo`: a few more learners, and applications in every
//! state across the demo offerings, made through the enrolment rules themselves, so the
//! history, the seat counts and the learners' mail are real. An offering where any of
//! its demo people already has an enrolment is left as it is.

use std::{collections::HashMap, sync::Arc};

use aula_catalog::{admission::sessions_of_offerings, modules, offerings, CatalogError};
use aula_core::{Locale, OsTokenSource, SystemClock};
use aula_db::DbConnection;
use aula_enrolment::{
    attendance::{self, Record, SheetInput},
    documents::{self, Upload},
    flow::{self, ApplyInput, Decision, NominationInput, PaymentInput},
    progress, Action, Admissions, AttendanceStatus, DocumentKind, Enrolment, EnrolmentError,
    PaymentStatus, State,
};
use aula_identity::{institutions, users, Identity, NewUser, Role, User};

use crate::{config::Settings, serve};

const ANA: &str = "ana.perez@demo.test";
const MIGUEL: &str = "miguel.torres@demo.test";
const SOFIA: &str = "sofia.ramirez@demo.test";
const VALENTINA: &str = "valentina.gomez@demo.test";
const ANDRES: &str = "andres.rojas@demo.test";
const EMILY: &str = "emily.carter@demo.test";
const BEATRIZ: &str = "beatriz.souza@demo.test";
const JEAN: &str = "jean.baptiste@demo.test";
const DIEGO: &str = "diego.quispe@demo.test";
const LAURA: &str = "laura.mendez@demo.test";
const CAMILA: &str = "camila.vera@demo.test";
const STUDENT: &str = "student@demo.test";

/// email, full name, locale, institution acronym (CPA is not a CISS member)
#[rustfmt::skip]
const LEARNERS: &[(&str, &str, Locale, Option<&str>)] = &[
    (ANA, "Ana Pérez Villalobos", Locale::Es, Some("IMSS")),
    (MIGUEL, "Miguel Ángel Torres Rangel", Locale::Es, Some("IMSS")),
    (SOFIA, "Sofía Ramírez Aguilar", Locale::Es, Some("IMSS")),
    (VALENTINA, "Valentina Gómez Ibarra", Locale::Es, Some("ANSES")),
    (ANDRES, "Andrés Rojas Solano", Locale::Es, Some("CCSS")),
    (EMILY, "Emily Carter", Locale::En, Some("SSA")),
    (BEATRIZ, "Beatriz Souza Lima", Locale::Pt, Some("INSS")),
    (JEAN, "Jean-Baptiste Pierre-Louis", Locale::Fr, Some("OFATMA")),
    (DIEGO, "Diego Quispe Mamani", Locale::Es, Some("CPA")),
    (LAURA, "Laura Méndez Castro", Locale::Es, None),
    (CAMILA, "Camila Vera Albornoz", Locale::Es, Some("BPS")),
];

/// Who acts.
#[derive(Clone, Copy)]
enum By {
    Admin,
    Instructor,
    Coordinator,
    Learner,
}

/// One thing that happens in an offering; people are named by email.
enum Step {
    /// The learner applies in the window and uploads the first `n` documents.
    Apply(&'static str, usize),
    /// Staff enrol the person past the window: a seat, or the waitlist when full.
    Enrol(&'static str),
    /// The coordinator of the IMSS nominates one of its people.
    Nominate(&'static str),
    Decide(&'static str, By, Action, Option<&'static str>),
    Withdraw(&'static str, By, &'static str),
    Pay(&'static str, PaymentStatus, &'static str),
    /// The learner completes the course's first `n` required lessons.
    Study(&'static str, usize),
    /// The instructor takes attendance of the offering's `n`th session, once it is over.
    Attend(usize, &'static [(&'static str, AttendanceStatus)]),
}

/// What happens in one offering (the course's `offering`th by start date), in order.
struct Script {
    code: &'static str,
    offering: usize,
    steps: &'static [Step],
}

use AttendanceStatus::{Absent as A, Excused as E, Present as P};
use Step::*;

#[rustfmt::skip]
const SCRIPTS: &[Script] = &[
    // Past, open admission: the demo student finished this course.
    Script { code: "SAL-110", offering: 0, steps: &[
        Enrol(STUDENT), Enrol(EMILY), Enrol(JEAN),
        Study(STUDENT, 4), Study(EMILY, 4), Study(JEAN, 1),
        Attend(0, &[(STUDENT, P), (EMILY, P), (JEAN, P)]),
        Attend(1, &[(STUDENT, P), (EMILY, E), (JEAN, A)]),
        Attend(2, &[(STUDENT, P), (EMILY, P), (JEAN, A)]),
        Decide(STUDENT, By::Instructor, Action::Complete, None),
        Decide(EMILY, By::Instructor, Action::Complete, None),
        Decide(JEAN, By::Instructor, Action::Fail, Some("Asistencia inferior al mínimo.")),
    ] },
    // Past, by approval.
    Script { code: "ACT-210", offering: 0, steps: &[
        Enrol(BEATRIZ), Enrol(DIEGO),
        Pay(DIEGO, PaymentStatus::Paid, "TRX-2025-0871"),
        Study(BEATRIZ, 4), Study(DIEGO, 1),
        Attend(0, &[(BEATRIZ, P), (DIEGO, P)]),
        Attend(1, &[(BEATRIZ, P), (DIEGO, A)]),
        Decide(BEATRIZ, By::Instructor, Action::Complete, None),
        Decide(DIEGO, By::Instructor, Action::Fail, Some("No entregó el trabajo final.")),
    ] },
    // Running: the demo student studies here, with two sessions behind and one ahead.
    Script { code: "PEN-201", offering: 1, steps: &[
        Enrol(STUDENT), Enrol(EMILY), Enrol(BEATRIZ), Enrol(DIEGO), Enrol(LAURA), Enrol(MIGUEL),
        Pay(DIEGO, PaymentStatus::Paid, "TRX-2026-0412"),
        Pay(LAURA, PaymentStatus::Scholarship, "BECA-CIESS-2026-07"),
        Study(STUDENT, 2), Study(EMILY, 3), Study(BEATRIZ, 1), Study(LAURA, 2),
        Withdraw(MIGUEL, By::Learner, "Cambié de funciones en mi institución."),
        Attend(0, &[(STUDENT, P), (EMILY, P), (BEATRIZ, P), (DIEGO, A), (LAURA, P)]),
        Attend(1, &[(STUDENT, E), (EMILY, P), (BEATRIZ, A), (DIEGO, P), (LAURA, P)]),
    ] },
    // Running seminar of four seats, full: two people wait; a removal promoted the first.
    Script { code: "PEN-310", offering: 0, steps: &[
        Enrol(ANDRES), Enrol(VALENTINA), Enrol(EMILY), Enrol(CAMILA),
        Enrol(LAURA), Enrol(JEAN), Enrol(BEATRIZ),
        Withdraw(ANDRES, By::Admin, "Baja solicitada por la CCSS."),
        Study(VALENTINA, 1), Study(EMILY, 2),
        Attend(0, &[(VALENTINA, P), (EMILY, P), (CAMILA, A), (LAURA, E)]),
    ] },
    // Open for applications, endorsed by the institution: the IMSS coordinator's queue
    // (one application complete, one still missing documents) and one endorsed.
    Script { code: "PEN-201", offering: 2, steps: &[
        Apply(ANA, 3), Apply(SOFIA, 1), Apply(ANDRES, 3), Apply(MIGUEL, 3),
        Decide(MIGUEL, By::Coordinator, Action::Endorse, Some("Personal de la Dirección de Prestaciones.")),
    ] },
    // Open for applications: decisions of coordinators and staff.
    Script { code: "ADM-140", offering: 1, steps: &[
        Apply(VALENTINA, 3), Apply(DIEGO, 3), Apply(JEAN, 3), Apply(CAMILA, 3),
        Decide(VALENTINA, By::Admin, Action::Endorse, None),
        Decide(VALENTINA, By::Instructor, Action::Admit, None),
        Decide(DIEGO, By::Admin, Action::Endorse, None),
        Decide(JEAN, By::Admin, Action::Decline, Some("Falta la firma de recursos humanos en la carta.")),
        Decide(CAMILA, By::Admin, Action::Endorse, None),
        Decide(CAMILA, By::Instructor, Action::Reject, Some("El curso se dirige a personal de afiliación.")),
    ] },
    // Open for applications: the coordinator put one of the IMSS people forward.
    Script { code: "SAL-110", offering: 2, steps: &[Nominate(SOFIA)] },
];

/// A tiny but real PDF: documents are recognised by their content.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

impl Script {
    fn people(&self) -> Vec<&'static str> {
        let mut people: Vec<&str> = Vec::new();
        for step in self.steps {
            if let Apply(who, _) | Enrol(who) | Nominate(who) = step {
                if !people.contains(who) {
                    people.push(who);
                }
            }
        }
        people
    }

    fn needs_open_window(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s, Apply(..) | Nominate(..)))
    }
}

/// The rules, the people who act, by role, and the learners by email.
struct Cast {
    svc: Admissions,
    admin: User,
    instructor: User,
    coordinator: User,
    people: HashMap<&'static str, User>,
}

impl Cast {
    fn person(&self, email: &str) -> &User {
        &self.people[email]
    }

    fn actor<'a>(&'a self, by: By, learner: &'a User) -> &'a User {
        match by {
            By::Admin => &self.admin,
            By::Instructor => &self.instructor,
            By::Coordinator => &self.coordinator,
            By::Learner => learner,
        }
    }

    /// The person's enrolment in the offering, if there is one.
    fn enrolment(
        &self,
        conn: &mut DbConnection,
        who: &str,
        offering_id: i64,
    ) -> Result<Option<Enrolment>, EnrolmentError> {
        match flow::mine_in(conn, &self.svc, self.person(who), offering_id, None) {
            Err(EnrolmentError::NotFound) => Ok(None),
            found => found.map(Some),
        }
    }

    fn id(
        &self,
        conn: &mut DbConnection,
        who: &str,
        offering_id: i64,
    ) -> Result<i64, EnrolmentError> {
        let mine = flow::mine_in(conn, &self.svc, self.person(who), offering_id, None)?;
        Ok(mine.id)
    }
}

/// Adds the demo learners and their enrolments; returns how many records it created.
pub fn demo(
    conn: &mut DbConnection,
    settings: &Settings,
    identity: &Identity,
    password: &str,
) -> Result<usize, serve::Error> {
    let (Some(admin), Some(instructor), Some(coordinator), Some(student)) = (
        users::find_by_email(conn, "admin@demo.test")?,
        users::find_by_email(conn, "instructor@demo.test")?,
        users::find_by_email(conn, "coordinator@demo.test")?,
        users::find_by_email(conn, STUDENT)?,
    ) else {
        return Ok(0);
    };
    let mut created = 0;
    let mut people = HashMap::from([(STUDENT, student)]);
    for &(email, name, locale, acronym) in LEARNERS {
        if let Some(user) = users::find_by_email(conn, email)? {
            people.insert(email, user);
            continue;
        }
        let institution_id = match acronym {
            Some(a) => institutions::find_by_acronym(conn, a)?.map(|i| i.id),
            None => None,
        };
        let input = NewUser {
            email: email.into(),
            full_name: name.into(),
            password: password.into(),
            locale,
            institution_id,
            roles: vec![Role::Student],
        };
        people.insert(
            email,
            aula_identity::auth::create_demo_user(conn, identity, &input)?,
        );
        created += 1;
    }
    let svc = Admissions::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        settings.storage()?,
        identity.clone(),
        &settings.public_url,
        settings.max_upload_bytes,
    );
    let cast = Cast {
        svc,
        admin,
        instructor,
        coordinator,
        people,
    };

    let (mut enrolments, mut seeded) = (0, 0);
    let mut states: HashMap<State, usize> = HashMap::new();
    for script in SCRIPTS {
        let all = match offerings::list_for_course(
            conn,
            cast.svc.catalog(),
            Some(&cast.admin),
            script.code,
        ) {
            Err(CatalogError::CourseNotFound) => continue,
            found => found?,
        };
        let Some(offering) = all.get(script.offering) else {
            continue;
        };
        let mut present = false;
        for who in script.people() {
            present |= cast.enrolment(conn, who, offering.id)?.is_some();
        }
        if present {
            continue;
        }
        if script.needs_open_window() && !offering.enrolment_open {
            eprintln!(
                "Demo enrolments in {} skipped: its enrolment window is not open now.",
                script.code
            );
            continue;
        }
        run(conn, &cast, script, offering.id)?;
        seeded += 1;
        for who in script.people() {
            if let Some(e) = cast.enrolment(conn, who, offering.id)? {
                *states.entry(e.state).or_default() += 1;
                enrolments += 1;
            }
        }
    }
    if enrolments > 0 {
        let counts: Vec<String> = State::ALL
            .iter()
            .filter_map(|s| states.get(s).map(|n| format!("{n} {}", s.as_str())))
            .collect();
        println!(
            "Demo enrolments: {enrolments} in {seeded} offerings ({}), with {} more learners \
             (…@demo.test, same password).",
            counts.join(", "),
            LEARNERS.len()
        );
    }
    Ok(created + enrolments)
}

fn run(
    conn: &mut DbConnection,
    cast: &Cast,
    script: &Script,
    offering_id: i64,
) -> Result<(), serve::Error> {
    let required: Vec<i64> = modules::outline(conn, Some(&cast.admin), script.code, None)?
        .into_iter()
        .flat_map(|m| m.lessons)
        .filter(|l| l.required)
        .map(|l| l.id)
        .collect();
    let sessions = sessions_of_offerings(conn, &[offering_id], None)?;
    let svc = &cast.svc;
    for step in script.steps {
        match *step {
            Apply(who, documents) => {
                let learner = cast.person(who);
                let input = ApplyInput::default();
                let id = flow::apply(conn, svc, learner, offering_id, &input, None)?.id;
                for &kind in &DocumentKind::ALL[..documents] {
                    let file_name = format!("{}.pdf", kind.as_str().replace('_', "-"));
                    let file = Upload {
                        file_name: &file_name,
                        bytes: PDF,
                    };
                    documents::upload(conn, svc, learner, id, kind, &file, None)?;
                }
            }
            Enrol(who) => {
                let user_id = Some(cast.person(who).id);
                flow::apply(
                    conn,
                    svc,
                    &cast.admin,
                    offering_id,
                    &ApplyInput { user_id },
                    None,
                )?;
            }
            Nominate(who) => {
                let user_ids = vec![cast.person(who).id];
                let input = NominationInput { user_ids };
                let done = flow::nominate(conn, svc, &cast.coordinator, offering_id, &input, None)?;
                if let Some(skipped) = done.skipped.first() {
                    return Err(serve::Error::Demo(format!(
                        "nomination of user {} refused: {}",
                        skipped.user_id, skipped.code
                    )));
                }
            }
            Decide(who, by, action, reason) => {
                let id = cast.id(conn, who, offering_id)?;
                let input = Decision {
                    reason: reason.map(str::to_owned),
                };
                let actor = cast.actor(by, cast.person(who));
                flow::decide(conn, svc, actor, id, action, &input, None)?;
            }
            Withdraw(who, by, reason) => {
                let id = cast.id(conn, who, offering_id)?;
                let input = Decision {
                    reason: Some(reason.to_owned()),
                };
                flow::withdraw(
                    conn,
                    svc,
                    cast.actor(by, cast.person(who)),
                    id,
                    &input,
                    None,
                )?;
            }
            Pay(who, status, reference) => {
                let id = cast.id(conn, who, offering_id)?;
                let reference = Some(reference.to_owned());
                let input = PaymentInput { status, reference };
                flow::record_payment(conn, svc, &cast.admin, id, &input, None)?;
            }
            Study(who, n) => {
                for &lesson in required.iter().take(n) {
                    progress::complete_lesson(conn, svc, cast.person(who), lesson, None)?;
                }
            }
            Attend(n, marks) => {
                let Some(session) = sessions.get(n).filter(|s| s.ends_at <= svc.now()) else {
                    continue;
                };
                let mut records = Vec::new();
                for &(who, status) in marks {
                    let enrolment_id = cast.id(conn, who, offering_id)?;
                    records.push(Record {
                        enrolment_id,
                        status,
                    });
                }
                let sheet = SheetInput { records };
                attendance::record(conn, svc, &cast.instructor, session.id, &sheet)?;
            }
        }
    }
    Ok(())
}
