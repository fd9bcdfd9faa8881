//! Demo coursework for `aula seed demo`: three assignments in the running `PEN-201`
//! offering, handed in and graded through the assessment rules themselves. An essay is
//! past due, graded and released (the demo student sees a grade and feedback); a case
//! report with a rubric has work waiting in the demo instructor's grading queue; a
//! reflection is still open. An offering that already has coursework is left as it is.

use std::sync::Arc;

use aula_assessment::{
    assignments::{self, AssignmentInput},
    extensions::{self, ExtensionInput},
    grading::{self, GradeInput},
    rubric::{self, RubricCriterionInput, RubricInput, RubricLevelInput},
    submissions::{self, NewFile, NewSubmission},
    Assessment, FileKind, LatePolicy, MissingWork,
};
use aula_catalog::{offerings, CatalogError, Storage};
use aula_core::{ManualClock, OsTokenSource, SystemClock};
use aula_db::DbConnection;
use aula_enrolment::participants::{self, Participant};
use aula_identity::{users, User};
use chrono::{Duration, Utc};

use crate::{config::Settings, serve};

/// A tiny but real PDF: files are recognised by their content.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

const STUDENT: &str = "student@demo.test";
const EMILY: &str = "emily.carter@demo.test";
const BEATRIZ: &str = "beatriz.souza@demo.test";
const DIEGO: &str = "diego.quispe@demo.test";
const LAURA: &str = "laura.mendez@demo.test";

pub fn demo(conn: &mut DbConnection, settings: &Settings) -> Result<usize, serve::Error> {
    let (Some(admin), Some(instructor)) = (
        users::find_by_email(conn, "admin@demo.test")?,
        users::find_by_email(conn, "instructor@demo.test")?,
    ) else {
        return Ok(0);
    };
    let storage = settings.storage()?;
    let catalog = aula_catalog::Catalog::new(
        Arc::new(SystemClock),
        storage.clone(),
        Arc::new(aula_enrolment::SeatHolders),
    );
    let all = match offerings::list_for_course(conn, &catalog, Some(&admin), "PEN-201") {
        Err(CatalogError::CourseNotFound) => return Ok(0),
        found => found?,
    };
    let Some(offering) = all.get(1) else {
        return Ok(0);
    };
    if !assignments::list(conn, &svc(settings, storage.clone()), &admin, offering.id)?.is_empty() {
        return Ok(0);
    }
    let people = participants::of_offering(conn, offering.id)?;
    let seat = |email: &str| people.iter().find(|p| p.user.email == email);
    let (Some(student), Some(emily), Some(beatriz), Some(diego)) =
        (seat(STUDENT), seat(EMILY), seat(BEATRIZ), seat(DIEGO))
    else {
        return Ok(0);
    };
    let now = Utc::now();
    // The essay happened last week: set, handed in before its due date, then graded
    // and released after it, each at its own moment.
    let clock = ManualClock::new((now - Duration::days(10)).naive_utc());
    let past = Assessment::new(
        Arc::new(clock.clone()),
        Arc::new(OsTokenSource),
        storage.clone(),
        &settings.public_url,
        settings.max_upload_bytes,
    );
    let svc = svc(settings, storage);
    let mut created = 0;

    let essay = assignments::create(
        conn,
        &past,
        &instructor,
        offering.id,
        &AssignmentInput {
            title: Some("Ensayo: sostenibilidad de un sistema de reparto".into()),
            instructions: Some(
                "Analice la sostenibilidad financiera del sistema de reparto de su país en \
                 **tres a cinco páginas**:\n\n1. Relación entre cotizantes y pensionados.\n\
                 2. Supuestos demográficos de la última valuación actuarial.\n\
                 3. Una reforma paramétrica posible y su efecto.\n\nCite sus fuentes."
                    .into(),
            ),
            due_at: Some(now - Duration::days(3)),
            max_score: Some(100),
            weight: Some(30),
            missing_work: Some(MissingWork::Zero),
            allowed_types: Some(vec![FileKind::Pdf, FileKind::Docx]),
            ..Default::default()
        },
    )?;
    created += 1;
    for (who, text) in [
        (student, "Adjunto mi ensayo sobre el sistema de reparto."),
        (emily, "Please find my essay attached."),
        (beatriz, "Segue o meu ensaio."),
    ] {
        clock.advance(Duration::hours(20));
        hand_in(conn, &past, &who.user, essay.id, Some(text), "ensayo.pdf")?;
        created += 1;
    }
    clock.set((now - Duration::days(2)).naive_utc());
    for (who, score, feedback) in [
        (
            student,
            86.0,
            "Buen análisis de la razón de dependencia. Falta **citar** la valuación actuarial \
             que usa en la sección 2.",
        ),
        (emily, 92.0, "Excellent, well-sourced work."),
        (
            beatriz,
            74.0,
            "Boa estrutura; a proposta de reforma precisa de números.",
        ),
    ] {
        clock.advance(Duration::minutes(25));
        grade(conn, &past, &instructor, essay.id, who, score, feedback)?;
    }
    assignments::release(conn, &past, &instructor, essay.id)?;

    // The case report: a rubric, files only, work waiting in the grading queue.
    let report = assignments::create(
        conn,
        &svc,
        &instructor,
        offering.id,
        &AssignmentInput {
            title: Some("Informe de caso: reforma paramétrica".into()),
            instructions: Some(
                "Estudie el caso de la reforma de 2020 y entregue un informe en PDF (máximo \
                 dos archivos). Se califica con la rúbrica."
                    .into(),
            ),
            due_at: Some(now + Duration::days(7)),
            late_policy: Some(LatePolicy::Penalty),
            late_penalty_percent: Some(10),
            max_score: Some(20),
            weight: Some(25),
            accepts_text: Some(false),
            max_files: Some(2),
            allowed_types: Some(vec![FileKind::Pdf]),
            ..Default::default()
        },
    )?;
    created += 1;
    let level = |title: &str, points: f64| RubricLevelInput {
        title: title.into(),
        points,
    };
    rubric::put(
        conn,
        &svc,
        &instructor,
        report.id,
        &RubricInput {
            criteria: vec![
                RubricCriterionInput {
                    title: "Análisis del caso".into(),
                    description: "Identifica causas, actores y efectos de la reforma.".into(),
                    levels: vec![
                        level("Insuficiente", 0.0),
                        level("Adecuado", 6.0),
                        level("Sobresaliente", 12.0),
                    ],
                },
                RubricCriterionInput {
                    title: "Redacción y fuentes".into(),
                    description: "Claridad, estructura y citas.".into(),
                    levels: vec![
                        level("Insuficiente", 0.0),
                        level("Adecuado", 4.0),
                        level("Sobresaliente", 8.0),
                    ],
                },
            ],
        },
    )?;
    for who in [emily, beatriz, diego] {
        hand_in(
            conn,
            &svc,
            &who.user,
            report.id,
            None,
            "informe-de-caso.pdf",
        )?;
        created += 1;
    }
    if let Some(laura) = seat(LAURA) {
        extensions::grant(
            conn,
            &svc,
            &instructor,
            report.id,
            laura.enrolment_id,
            &ExtensionInput {
                due_at: now + Duration::days(10),
                reason: "Problemas de conectividad en su región.".into(),
            },
        )?;
    }

    // The reflection: text only, still open.
    assignments::create(
        conn,
        &svc,
        &instructor,
        offering.id,
        &AssignmentInput {
            title: Some("Reflexión final".into()),
            instructions: Some(
                "En no más de 500 palabras: ¿qué aplicará del curso en su institución?".into(),
            ),
            due_at: Some(now + Duration::days(21)),
            max_score: Some(10),
            weight: Some(15),
            missing_work: Some(MissingWork::Excluded),
            accepts_files: Some(false),
            ..Default::default()
        },
    )?;
    created += 1;
    created += quiz(conn, &svc, &instructor, offering.id, emily)?;
    println!(
        "Demo coursework: 3 assignments and a quiz in PEN-201, the essay's grades released, \
         3 case reports waiting in instructor@demo.test's grading queue."
    );
    Ok(created)
}

/// A bank of six questions in PEN-201 and a quiz drawing four of them, taken once by
/// one learner.
fn quiz(
    conn: &mut DbConnection,
    svc: &Assessment,
    instructor: &User,
    offering_id: i64,
    taker: &Participant,
) -> Result<usize, serve::Error> {
    use aula_assessment::{
        questions::{self, QuestionInput, QuestionText},
        quizzes::{self, attempts, PartInput, QuizInput},
        PartialCredit, QuestionKind, Scoring,
    };
    use aula_core::Locale;
    let text = |locale, prompt: &str, choices: &[&str]| QuestionText {
        locale,
        prompt: prompt.into(),
        explanation: String::new(),
        choices: choices.iter().map(|c| c.to_string()).collect(),
    };
    let bank = [
        QuestionInput {
            kind: Some(QuestionKind::SingleChoice),
            tags: Some(vec!["fundamentos".into()]),
            texts: Some(vec![
                text(
                    Locale::Es,
                    "¿Qué caracteriza a un sistema de reparto?",
                    &[
                        "Las cotizaciones de hoy pagan las pensiones de hoy",
                        "Cada persona ahorra en una cuenta propia",
                        "El Estado paga todas las pensiones con impuestos",
                    ],
                ),
                text(
                    Locale::En,
                    "What characterises a pay-as-you-go system?",
                    &[
                        "Today's contributions pay today's pensions",
                        "Each person saves in an account of their own",
                        "The State pays every pension out of taxes",
                    ],
                ),
            ]),
            correct: Some(vec![0]),
            ..Default::default()
        },
        QuestionInput {
            kind: Some(QuestionKind::MultipleChoice),
            points: Some(2.0),
            partial_credit: Some(PartialCredit::RightMinusWrong),
            tags: Some(vec!["fundamentos".into()]),
            texts: Some(vec![text(
                Locale::Es,
                "¿Qué contingencias cubre un seguro de invalidez, vejez y muerte?",
                &["Vejez", "Invalidez", "Desempleo", "Muerte del asegurado"],
            )]),
            correct: Some(vec![0, 1, 3]),
            ..Default::default()
        },
        QuestionInput {
            kind: Some(QuestionKind::TrueFalse),
            tags: Some(vec!["actuaria".into()]),
            texts: Some(vec![text(
                Locale::Es,
                "Una tasa de reemplazo del 70 % significa que la pensión equivale al 70 % del último salario de referencia.",
                &[],
            )]),
            correct: Some(vec![1]),
            ..Default::default()
        },
        QuestionInput {
            kind: Some(QuestionKind::Numeric),
            tags: Some(vec!["actuaria".into()]),
            texts: Some(vec![text(
                Locale::Es,
                "Si hay 4 cotizantes por cada pensionado, ¿cuál es la razón de dependencia en porcentaje?",
                &[],
            )]),
            numeric_answer: Some(25.0),
            numeric_tolerance: Some(0.5),
            ..Default::default()
        },
        QuestionInput {
            kind: Some(QuestionKind::ShortAnswer),
            tags: Some(vec!["actuaria".into()]),
            texts: Some(vec![text(
                Locale::Es,
                "¿Cómo se llama el estudio que proyecta ingresos y gastos de un régimen de pensiones?",
                &[],
            )]),
            accepted_answers: Some(vec![
                "valuación actuarial".into(),
                "valoración actuarial".into(),
            ]),
            ..Default::default()
        },
        QuestionInput {
            kind: Some(QuestionKind::SingleChoice),
            tags: Some(vec!["actuaria".into()]),
            texts: Some(vec![text(
                Locale::Es,
                "¿Qué efecto tiene el aumento de la esperanza de vida sobre el costo de las pensiones?",
                &["Lo aumenta", "Lo reduce", "No lo cambia"],
            )]),
            correct: Some(vec![0]),
            ..Default::default()
        },
    ];
    let mut ids = Vec::new();
    for input in &bank {
        ids.push(questions::create(conn, svc, instructor, "PEN-201", input)?.id);
    }
    let quiz = quizzes::create(
        conn,
        svc,
        instructor,
        offering_id,
        &QuizInput {
            title: Some("Cuestionario: fundamentos de pensiones".into()),
            description: Some(
                "Cuatro preguntas: dos fijas y dos al azar sobre actuaría. Tiene 20 minutos \
                 por intento y dos intentos; cuenta el mejor."
                    .into(),
            ),
            closes_at: Some(Utc::now() + Duration::days(14)),
            time_limit_minutes: Some(Some(20)),
            max_attempts: Some(2),
            scoring: Some(Scoring::Highest),
            max_score: Some(10),
            weight: Some(30),
            parts: Some(vec![
                PartInput {
                    question_id: Some(ids[0]),
                    tag: None,
                    count: None,
                },
                PartInput {
                    question_id: Some(ids[1]),
                    tag: None,
                    count: None,
                },
                PartInput {
                    question_id: None,
                    tag: Some("actuaria".into()),
                    count: Some(2),
                },
            ]),
            ..Default::default()
        },
    )?;
    let attempt = attempts::start(conn, svc, &taker.user, quiz.id, Some(Locale::En))?;
    for q in &attempt.questions {
        let response = match q.kind {
            QuestionKind::SingleChoice | QuestionKind::TrueFalse => Some("0".to_owned()),
            QuestionKind::MultipleChoice => Some("0 1".to_owned()),
            QuestionKind::Numeric => Some("25".to_owned()),
            QuestionKind::ShortAnswer => Some("valuacion actuarial".to_owned()),
        };
        attempts::answer(
            conn,
            svc,
            &taker.user,
            attempt.id,
            q.position,
            &attempts::AnswerInput { response },
            None,
        )?;
    }
    attempts::submit(conn, svc, &taker.user, attempt.id, None)?;
    Ok(bank.len() + 2)
}

fn svc(settings: &Settings, storage: Arc<dyn Storage>) -> Assessment {
    Assessment::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        storage,
        &settings.public_url,
        settings.max_upload_bytes,
    )
}

fn hand_in(
    conn: &mut DbConnection,
    svc: &Assessment,
    who: &User,
    assignment: i64,
    body: Option<&str>,
    file: &str,
) -> Result<(), serve::Error> {
    // Each person's file differs, as real work would.
    let mut bytes = PDF.to_vec();
    bytes.extend_from_slice(format!("% {}\n", who.email).as_bytes());
    submissions::submit(
        conn,
        svc,
        who,
        assignment,
        &NewSubmission {
            body,
            files: vec![NewFile {
                file_name: file,
                bytes: &bytes,
            }],
        },
        Some(who.locale),
    )?;
    Ok(())
}

fn grade(
    conn: &mut DbConnection,
    svc: &Assessment,
    instructor: &User,
    assignment: i64,
    who: &Participant,
    score: f64,
    feedback: &str,
) -> Result<(), serve::Error> {
    grading::grade(
        conn,
        svc,
        instructor,
        assignment,
        who.enrolment_id,
        &GradeInput {
            score: Some(score),
            feedback: Some(feedback.into()),
            ..Default::default()
        },
    )?;
    Ok(())
}
