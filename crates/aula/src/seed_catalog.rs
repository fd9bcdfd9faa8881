//! Demo catalog for `aula seed demo`: courses across the topic areas, some in four
//! languages and some only in Spanish, with past, running and upcoming offerings under
//! each admission policy, sessions, modules and lessons. Courses that exist (by code)
//! are left as they are.

use aula_catalog::{
    courses::{self, CourseInput, TranslationInput},
    lessons::{self, LessonInput},
    model::{AdmissionPolicy, LessonKind, Level, Modality, ProgrammeType},
    modules::{self, ModuleInput},
    offerings::{self, OfferingInput},
    sessions::{self, SessionInput},
    view, Catalog, CatalogError,
};
use aula_core::Locale;
use aula_db::DbConnection;
use aula_identity::User;
use chrono::Duration;

struct DemoCourse {
    code: &'static str,
    topic: &'static str,
    kind: ProgrammeType,
    modality: Modality,
    level: Level,
    hours: i32,
    /// Spanish title and summary; more languages below.
    es: (&'static str, &'static str),
    others: &'static [(Locale, &'static str, &'static str)],
}

use Level::*;
use Modality::*;
use ProgrammeType::*;

const COURSES: &[DemoCourse] = &[
    DemoCourse { code: "PEN-201", topic: "pensions", kind: Course, modality: Online, level: Intermediate, hours: 40,
        es: ("Diseño de sistemas de pensiones", "Reparto, capitalización y sistemas mixtos: principios de diseño y reformas recientes en las Américas."),
        others: &[
            (Locale::En, "Pension system design", "Pay-as-you-go, funded and mixed schemes: design principles and recent reforms in the Americas."),
            (Locale::Pt, "Desenho de sistemas de pensão", "Repartição, capitalização e sistemas mistos: princípios de desenho e reformas recentes nas Américas."),
            (Locale::Fr, "Conception des systèmes de retraite", "Répartition, capitalisation et systèmes mixtes : principes et réformes récentes dans les Amériques."),
        ] },
    DemoCourse { code: "ACT-210", topic: "actuarial_studies", kind: Course, modality: Online, level: Intermediate, hours: 48,
        es: ("Modelos demográficos para la seguridad social", "Tablas de mortalidad, proyecciones de población y su uso en estudios actuariales."), others: &[] },
    DemoCourse { code: "ACT-301", topic: "actuarial_studies", kind: Diploma, modality: Blended, level: Advanced, hours: 120,
        es: ("Valuación actuarial de regímenes de seguridad social", "Proyecciones demográficas y financieras, hipótesis y balance actuarial de regímenes de pensiones y salud."),
        others: &[
            (Locale::En, "Actuarial valuation of social security schemes", "Demographic and financial projections, assumptions and the actuarial balance of pension and health schemes."),
            (Locale::Pt, "Avaliação atuarial de regimes de seguridade social", "Projeções demográficas e financeiras, hipóteses e balanço atuarial de regimes de pensão e saúde."),
            (Locale::Fr, "Évaluation actuarielle des régimes de sécurité sociale", "Projections démographiques et financières, hypothèses et bilan actuariel des régimes."),
        ] },
    DemoCourse { code: "SAL-110", topic: "health_insurance", kind: Course, modality: Online, level: Introductory, hours: 30,
        es: ("Financiamiento de la atención de salud", "Fuentes de financiamiento, mecanismos de pago a prestadores y contención de costos en los seguros de salud."),
        others: &[
            (Locale::En, "Financing health care", "Funding sources, provider payment mechanisms and cost containment in health insurance."),
            (Locale::Pt, "Financiamento da atenção à saúde", "Fontes de financiamento, mecanismos de pagamento a prestadores e contenção de custos."),
            (Locale::Fr, "Financement des soins de santé", "Sources de financement, paiement des prestataires et maîtrise des coûts de l'assurance maladie."),
        ] },
    DemoCourse { code: "RIE-150", topic: "occupational_risks", kind: Workshop, modality: InPerson, level: Introductory, hours: 16,
        es: ("Prevención de riesgos del trabajo", "Identificación de peligros, evaluación de riesgos y programas de prevención en el seguro de riesgos del trabajo."),
        others: &[
            (Locale::En, "Preventing occupational risks", "Hazard identification, risk assessment and prevention programmes in employment injury insurance."),
            (Locale::Pt, "Prevenção de riscos do trabalho", "Identificação de perigos, avaliação de riscos e programas de prevenção."),
            (Locale::Fr, "Prévention des risques professionnels", "Identification des dangers, évaluation des risques et programmes de prévention."),
        ] },
    DemoCourse { code: "PEN-310", topic: "pensions", kind: Seminar, modality: Online, level: Advanced, hours: 12,
        es: ("Sostenibilidad financiera de las pensiones", "Indicadores de sostenibilidad, parámetros y mecanismos de ajuste automático."), others: &[] },
    DemoCourse { code: "PEN-120", topic: "pensions", kind: Course, modality: Online, level: Introductory, hours: 24,
        es: ("Introducción a la seguridad social", "Conceptos, principios y ramas de la seguridad social según el Convenio 102 de la OIT."),
        others: &[(Locale::Pt, "Introdução à seguridade social e à Previdência", "Conceitos, princípios e ramos da seguridade social; a Pensão por morte e outros benefícios.")] },
    DemoCourse { code: "SAL-220", topic: "health_insurance", kind: Workshop, modality: Blended, level: Intermediate, hours: 20,
        es: ("Gestión de la calidad en servicios de salud", "Indicadores de calidad, seguridad del paciente y mejora continua en instituciones de seguridad social."), others: &[] },
    DemoCourse { code: "RIE-240", topic: "occupational_risks", kind: Course, modality: Online, level: Intermediate, hours: 32,
        es: ("Calificación de accidentes y enfermedades profesionales", "Criterios médico-legales, listas de enfermedades profesionales y valoración de la incapacidad."), others: &[] },
    DemoCourse { code: "PRO-130", topic: "social_protection", kind: Course, modality: Online, level: Introductory, hours: 30,
        es: ("Pisos de protección social", "Garantías básicas, programas no contributivos y coordinación con la seguridad social contributiva."),
        others: &[(Locale::En, "Social protection floors", "Basic guarantees, non-contributory programmes and their coordination with contributory social security.")] },
    DemoCourse { code: "ADM-140", topic: "administration", kind: Course, modality: Online, level: Introductory, hours: 24,
        es: ("Gestión de la afiliación y la recaudación", "Registro de afiliados, fiscalización y cobranza de cotizaciones con apoyo tecnológico."), others: &[] },
    DemoCourse { code: "ADM-260", topic: "administration", kind: Diploma, modality: Blended, level: Advanced, hours: 96,
        es: ("Dirección estratégica de instituciones de seguridad social", "Planificación estratégica, gobierno corporativo, gestión del riesgo y transformación digital."), others: &[] },
];

const POLICIES: [AdmissionPolicy; 3] = [
    AdmissionPolicy::Open,
    AdmissionPolicy::Approval,
    AdmissionPolicy::InstitutionEndorsed,
];

/// Creates the demo catalog; returns how many courses were created.
pub fn demo(
    conn: &mut DbConnection,
    admin: &User,
    instructor: &User,
    catalog: &Catalog,
) -> Result<usize, CatalogError> {
    let mut created = 0;
    for (index, demo) in COURSES.iter().enumerate() {
        if view::detail(conn, Some(admin), demo.code, None).is_ok() {
            continue;
        }
        created += 1;
        let mut languages = vec![Locale::Es];
        languages.extend(demo.others.iter().map(|o| o.0));
        let input = CourseInput {
            code: Some(demo.code.into()),
            topic: Some(demo.topic.into()),
            programme_type: Some(demo.kind),
            modality: Some(demo.modality),
            level: Some(demo.level),
            hours: Some(demo.hours),
            primary_language: Some(Locale::Es),
            languages: Some(languages),
            prerequisites: (demo.code == "ACT-301").then(|| vec!["ACT-210".into()]),
            instructor_ids: Some(vec![instructor.id]),
            translation: Some(translation(demo.es.0, demo.es.1, Locale::Es)),
        };
        let code = courses::create(conn, catalog, admin, &input)?;
        for &(locale, title, summary) in demo.others {
            courses::put_translation(
                conn,
                catalog,
                admin,
                &code,
                locale,
                &translation(title, summary, locale),
            )?;
        }
        offerings_for(conn, admin, &code, index, demo, catalog)?;
        // Publishing needs an edition.
        courses::publish(conn, catalog, admin, &code)?;
        content_for(conn, admin, &code, catalog)?;
    }
    Ok(created)
}

fn translation(title: &str, summary: &str, locale: Locale) -> TranslationInput {
    // The summary and the outcomes have their own places on the course page; the
    // description tells who the course is for and how it is taught.
    let (audience, heading, approach, outcomes) = match locale {
        Locale::Es => (
            "Dirigido al personal técnico y directivo de las instituciones de seguridad social \
             de las Américas.",
            "Metodología",
            "Lecturas guiadas, estudio de casos de instituciones de la región y un foro de \
             discusión moderado por el equipo docente del CIESS.",
            [
                "Analizar el marco institucional",
                "Aplicar los conceptos a casos de la región",
            ],
        ),
        Locale::En => (
            "For technical and management staff of social security institutions across the \
             Americas.",
            "Approach",
            "Guided readings, case studies from institutions of the region and a discussion \
             forum moderated by the CIESS teaching team.",
            [
                "Analyse the institutional framework",
                "Apply the concepts to cases from the region",
            ],
        ),
        Locale::Pt => (
            "Destinado ao pessoal técnico e de direção das instituições de seguridade social \
             das Américas.",
            "Metodologia",
            "Leituras orientadas, estudos de caso de instituições da região e um fórum de \
             discussão moderado pela equipe docente do CIESS.",
            [
                "Analisar o marco institucional",
                "Aplicar os conceitos a casos da região",
            ],
        ),
        Locale::Fr => (
            "Destiné au personnel technique et d'encadrement des institutions de sécurité \
             sociale des Amériques.",
            "Méthode",
            "Lectures guidées, études de cas d'institutions de la région et un forum de \
             discussion animé par l'équipe pédagogique du CIESS.",
            [
                "Analyser le cadre institutionnel",
                "Appliquer les concepts à des cas de la région",
            ],
        ),
    };
    TranslationInput {
        title: title.into(),
        summary: summary.into(),
        description_md: format!("{audience}\n\n## {heading}\n\n{approach}\n"),
        learning_outcomes: outcomes.iter().map(|o| o.to_string()).collect(),
    }
}

fn offerings_for(
    conn: &mut DbConnection,
    admin: &User,
    code: &str,
    index: usize,
    demo: &DemoCourse,
    catalog: &Catalog,
) -> Result<(), CatalogError> {
    let now = catalog.now();
    let zones = [
        "America/Mexico_City",
        "America/Bogota",
        "America/Sao_Paulo",
        "America/Santiago",
    ];
    // (days until enrolment opens, days until start, length in days)
    let windows: &[(i64, i64, i64)] = match index % 3 {
        0 => &[(-150, -120, 30), (-40, -10, 30), (-5, 20, 30)],
        1 => &[(-100, -70, 21), (-3, 25, 28), (30, 60, 28)],
        _ => &[(-20, -5, 45), (10, 45, 20)],
    };
    for (n, &(opens, starts, length)) in windows.iter().enumerate() {
        let start = (now + Duration::days(starts)).date();
        let input = OfferingInput {
            start_date: Some(start),
            end_date: Some(start + Duration::days(length)),
            enrolment_opens_at: Some((now + Duration::days(opens)).and_utc()),
            enrolment_closes_at: Some((now + Duration::days(starts)).and_utc()),
            time_zone: Some(zones[(index + n) % zones.len()].into()),
            // Seminars take few people: the demo fills one to show a waitlist.
            capacity: Some(if demo.kind == Seminar {
                4
            } else {
                25 + 5 * (n as i32)
            }),
            admission_policy: Some(POLICIES[(index + n) % POLICIES.len()]),
            institution_quota: (n == 1).then_some(5),
            fee_member: Some(0),
            fee_non_member: Some(if demo.kind == Diploma { 45_000 } else { 15_000 }),
            currency: Some("USD".into()),
            venue: (demo.modality != Online).then(|| "CIESS, Ciudad de México".into()),
            online_link: (demo.modality != InPerson)
                .then(|| "https://aula.ciess.org/sala/virtual".into()),
            attendance_threshold: None,
            pass_mark: None,
            payment_required: None,
        };
        let offering = offerings::create(conn, catalog, admin, code, &input)?;
        for week in 0..3 {
            let starts_at = (start + Duration::days(7 * week))
                .and_hms_opt(15, 0, 0)
                .unwrap_or_default();
            sessions::create(
                conn,
                admin,
                offering.id,
                &SessionInput {
                    title: format!("Sesión {}", week + 1),
                    starts_at: starts_at.and_utc(),
                    ends_at: (starts_at + Duration::hours(2)).and_utc(),
                    place: input.venue.clone(),
                    link: input.online_link.clone(),
                },
            )?;
        }
    }
    Ok(())
}

fn content_for(
    conn: &mut DbConnection,
    admin: &User,
    code: &str,
    catalog: &Catalog,
) -> Result<(), CatalogError> {
    let plan: [(&str, [(&str, LessonKind); 3]); 2] = [
        (
            "Módulo 1. Marco conceptual",
            [
                ("Presentación del curso", LessonKind::Text),
                ("Conferencia inaugural", LessonKind::Video),
                ("Normas mínimas de la OIT", LessonKind::Link),
            ],
        ),
        (
            "Módulo 2. Experiencias en las Américas",
            [
                ("Estudio de caso", LessonKind::Text),
                ("Panel de expertos", LessonKind::Video),
                ("Lecturas complementarias", LessonKind::Link),
            ],
        ),
    ];
    for (title, lesson_plan) in plan {
        let module = modules::create(
            conn,
            admin,
            code,
            &ModuleInput {
                title: title.into(),
            },
        )?;
        for (n, (lesson, kind)) in lesson_plan.into_iter().enumerate() {
            let input = LessonInput {
                title: Some(lesson.into()),
                kind: Some(kind),
                body_md: (kind == LessonKind::Text).then(|| {
                    format!(
                        "## {lesson}\n\nLea el material y responda las **preguntas de reflexión**."
                    )
                }),
                url: match kind {
                    LessonKind::Video => Some("https://video.ciess.org/demo".into()),
                    LessonKind::Link => Some("https://www.ilo.org/global/standards".into()),
                    _ => None,
                },
                required: Some(n < 2),
            };
            lessons::create(conn, catalog, admin, module.id, &input)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use aula_catalog::search::{self, CourseFilter};
    use aula_core::{OsTokenSource, PageRequest, SystemClock};
    use aula_db::testing::TestDb;
    use aula_identity::{AuthConfig, Identity, Limits, NewUser, Role};

    use super::*;

    #[test]
    fn the_demo_catalog_is_complete_and_loads_once() {
        let Some(db) = TestDb::new() else { return };
        let mut conn = db.conn();
        let identity = Identity::new(
            Arc::new(SystemClock),
            Arc::new(OsTokenSource),
            b"seed-test-secret-seed-test-secret-seed",
            AuthConfig {
                public_url: "https://aula.test".into(),
                limits: Limits::default(),
            },
        );
        let person = |email: &str, role: Role| NewUser {
            email: email.into(),
            full_name: email.into(),
            password: "aula-demo-2026".into(),
            locale: Locale::Es,
            institution_id: None,
            roles: vec![role],
        };
        let admin = aula_identity::auth::create_demo_user(
            &mut conn,
            &identity,
            &person("admin@demo.test", Role::Admin),
        )
        .unwrap();
        let teacher = aula_identity::auth::create_demo_user(
            &mut conn,
            &identity,
            &person("instructor@demo.test", Role::Instructor),
        )
        .unwrap();
        let files = tempfile::tempdir().unwrap();
        let catalog = &Catalog::new(
            Arc::new(SystemClock),
            Arc::new(aula_catalog::LocalStorage::new(files.path())),
            Arc::new(aula_catalog::NoEnrolments),
        );
        assert_eq!(
            demo(&mut conn, &admin, &teacher, catalog).unwrap(),
            COURSES.len()
        );
        assert_eq!(
            demo(&mut conn, &admin, &teacher, catalog).unwrap(),
            0,
            "a second run adds nothing"
        );

        let all = search::list(
            &mut conn,
            catalog,
            None,
            &CourseFilter::default(),
            PageRequest::new(1, 50),
            None,
        )
        .unwrap();
        assert!(all.total >= 12);
        let open = CourseFilter {
            open_now: Some(true),
            ..Default::default()
        };
        let open = search::list(
            &mut conn,
            catalog,
            None,
            &open,
            PageRequest::new(1, 50),
            None,
        )
        .unwrap();
        assert!(
            open.total > 0 && open.total < all.total,
            "some courses take enrolments now"
        );
        let found = CourseFilter {
            q: Some("pension".into()),
            ..Default::default()
        };
        let found = search::list(
            &mut conn,
            catalog,
            None,
            &found,
            PageRequest::new(1, 50),
            Some(Locale::Pt),
        )
        .unwrap();
        assert!(found
            .items
            .iter()
            .any(|c| c.code == "PEN-201" && c.locale == Locale::Pt));
    }
}
