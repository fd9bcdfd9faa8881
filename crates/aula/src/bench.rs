//! `aula seed bench`: a large data set for load tests — many published courses with
//! offerings, and many verified student accounts sharing one password.
//!
//! Accounts are written in batches inside one transaction with a single argon2 hash
//! computed once: hashing ten thousand passwords would take minutes and prove nothing.
//! Running it again adds only what is missing.

use std::{sync::Arc, time::Instant};

use aula_catalog::{
    courses::{self, CourseInput, TranslationInput},
    model::{AdmissionPolicy, Level, Modality, ProgrammeType},
    offerings::{self, OfferingInput},
    view, Catalog,
};
use aula_core::{Clock, Locale, OsTokenSource, SystemClock};
use aula_db::{
    schema::{user_roles, users},
    DbConnection,
};
use aula_enrolment::SeatHolders;
use aula_identity::{users as identity_users, PasswordHasher, Role};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::{config::Settings, serve};

/// Rows per INSERT statement (well under SQLite's limit on bound parameters).
const BATCH: usize = 500;
const TOPICS: [&str; 6] = [
    "pensions",
    "health_insurance",
    "occupational_risks",
    "actuarial_studies",
    "social_protection",
    "administration",
];

/// What `aula seed bench` adds: its command-line arguments.
#[derive(clap::Args)]
pub struct Plan {
    /// How many courses (BEN-0001…).
    #[arg(long, default_value_t = 200)]
    pub courses: usize,
    /// How many student accounts.
    #[arg(long = "users", default_value_t = 10_000)]
    pub accounts: usize,
    /// Password shared by every bench account.
    #[arg(long, default_value = crate::seed::DEFAULT_DEMO_PASSWORD)]
    pub password: String,
    /// Seats spread over the bench offerings, each account in several (e.g.
    /// 50,000 for 10,000 accounts: five each).
    #[arg(long, default_value_t = 0)]
    pub enrolments: usize,
    /// Also put every bench account (or --gradebook-learners of them) in the first
    /// offering of BEN-0001 with this many graded assignments (the gradebook
    /// benchmark).
    #[arg(long)]
    pub gradebook_items: Option<usize>,
    /// With --gradebook-items: how many accounts each cohort takes (default: all).
    #[arg(long, requires = "gradebook_items")]
    pub gradebook_learners: Option<usize>,
    /// With --gradebook-items: how many offerings get such a cohort (the first
    /// offering of BEN-0001, BEN-0002, …).
    #[arg(long, default_value_t = 1, requires = "gradebook_items")]
    pub gradebook_offerings: usize,
    /// With --gradebook-items: issue a certificate to each of that cohort (up to
    /// 1,000) and render them all, timed.
    #[arg(long, requires = "gradebook_items")]
    pub certificates: bool,
}

pub fn bench(settings: &Settings, plan: &Plan) -> Result<(), serve::Error> {
    let Plan {
        courses,
        accounts,
        ref password,
        enrolments,
        gradebook_items,
        gradebook_learners,
        gradebook_offerings,
        certificates,
    } = *plan;
    let started = Instant::now();
    let (_pool, mut conn, _secret) = serve::open(settings)?;
    let now = SystemClock.now();
    let catalog = Catalog::new(
        Arc::new(SystemClock),
        settings.storage()?,
        Arc::new(SeatHolders),
    );
    let admin = identity_users::find_by_email(&mut conn, "admin@demo.test")?.ok_or_else(|| {
        serve::Error::Io(std::io::Error::other(
            "run `aula seed demo` first: the bench data is created by admin@demo.test",
        ))
    })?;
    let hash = PasswordHasher::new(Arc::new(OsTokenSource)).hash(password)?;

    let users_started = Instant::now();
    let added_users =
        aula_db::transaction(&mut conn, |conn| add_students(conn, accounts, &hash, now))?;
    let users_time = users_started.elapsed();

    let courses_started = Instant::now();
    let added_courses = aula_db::transaction(&mut conn, |conn| {
        add_courses(conn, &catalog, &admin, courses)
    })?;
    let courses_time = courses_started.elapsed();

    println!(
        "Bench data: {added_users} accounts added in {:.2} s, {added_courses} courses added in {:.2} s; total {:.2} s.",
        users_time.as_secs_f64(),
        courses_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!("Accounts bench-NNNNN@bench.test share the password given with --password.");
    let mut cohorts = Vec::new();
    if let Some(items) = gradebook_items {
        for n in 1..=gradebook_offerings.clamp(1, courses.max(1)) {
            let started = Instant::now();
            let course = format!("BEN-{n:04}");
            let (offering, learners, items) = crate::bench_gradebook::add(
                &mut conn,
                settings,
                &admin,
                &course,
                items,
                gradebook_learners,
            )?;
            println!(
                "Gradebook data: offering {offering}, {learners} learners × {items} assignments, in {:.2} s.",
                started.elapsed().as_secs_f64()
            );
            if certificates && n == 1 {
                crate::bench_certificates::run(&mut conn, settings, &admin, offering)?;
            }
            cohorts.push(offering);
        }
    }
    if enrolments > 0 {
        let started = Instant::now();
        let added = crate::bench_enrolments::add(&mut conn, enrolments, &cohorts, now)?;
        println!(
            "Enrolments: {added} seats added across the bench offerings in {:.2} s.",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn add_students(
    conn: &mut DbConnection,
    count: usize,
    hash: &str,
    now: NaiveDateTime,
) -> Result<usize, serve::Error> {
    let locales = Locale::ALL;
    let mut added = 0;
    for chunk_start in (0..count).step_by(BATCH) {
        let chunk_end = (chunk_start + BATCH).min(count);
        let emails: Vec<String> = (chunk_start..chunk_end)
            .map(|i| format!("bench-{i:05}@bench.test"))
            .collect();
        let names: Vec<String> = (chunk_start..chunk_end)
            .map(|i| format!("Participante {i:05}"))
            .collect();
        let rows: Vec<_> = emails
            .iter()
            .zip(&names)
            .enumerate()
            .map(|(n, (email, name))| {
                (
                    users::email.eq(email),
                    users::full_name.eq(name),
                    users::password_hash.eq(hash),
                    users::locale.eq(locales[n % locales.len()].as_str()),
                    users::status.eq("active"),
                    users::email_verified_at.eq(Some(now)),
                    users::created_at.eq(now),
                    users::updated_at.eq(now),
                )
            })
            .collect();
        let insert = diesel::insert_into(users::table)
            .values(&rows)
            .on_conflict_do_nothing();
        added += match conn {
            DbConnection::Postgresql(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
        let ids: Vec<i64> = users::table
            .filter(users::email.eq_any(&emails))
            .select(users::id)
            .load(conn)?;
        let roles: Vec<_> = ids
            .iter()
            .map(|id| {
                (
                    user_roles::user_id.eq(*id),
                    user_roles::role.eq(Role::Student.as_str()),
                )
            })
            .collect();
        let insert = diesel::insert_into(user_roles::table)
            .values(&roles)
            .on_conflict_do_nothing();
        match conn {
            DbConnection::Postgresql(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
    }
    Ok(added)
}

fn add_courses(
    conn: &mut DbConnection,
    catalog: &Catalog,
    admin: &aula_identity::User,
    count: usize,
) -> Result<usize, serve::Error> {
    let now = catalog.now();
    let mut added = 0;
    for i in 0..count.min(9999) {
        let code = format!("BEN-{:04}", i + 1);
        if view::detail(conn, Some(admin), &code, None).is_ok() {
            continue;
        }
        let topic = TOPICS[i % TOPICS.len()];
        let input = CourseInput {
            code: Some(code.clone()),
            topic: Some(topic.into()),
            programme_type: Some(ProgrammeType::ALL[i % ProgrammeType::ALL.len()]),
            modality: Some(Modality::ALL[i % Modality::ALL.len()]),
            level: Some(Level::ALL[i % Level::ALL.len()]),
            hours: Some(8 + (i % 12) as i32 * 4),
            primary_language: Some(Locale::Es),
            languages: Some(if i % 4 == 0 {
                Locale::ALL.to_vec()
            } else {
                vec![Locale::Es]
            }),
            prerequisites: None,
            instructor_ids: None,
            translation: Some(TranslationInput {
                title: format!("Curso de prueba {} sobre pensión y salud", i + 1),
                summary: format!("Datos de carga para el área {topic}."),
                description_md: "Curso generado para **pruebas de carga**.".into(),
                learning_outcomes: vec!["Medir el rendimiento".into()],
            }),
        };
        courses::create(conn, catalog, admin, &input)?;
        if i % 4 == 0 {
            for locale in [Locale::En, Locale::Pt, Locale::Fr] {
                let title = format!("Load test course {} ({locale})", i + 1);
                let text = TranslationInput {
                    title,
                    ..Default::default()
                };
                courses::put_translation(conn, catalog, admin, &code, locale, &text)?;
            }
        }
        // Two editions each, three for every other course: 200 courses, 500 editions.
        let mut editions = vec![(-60, -30), (-5, 20 + (i % 30) as i64)];
        if i % 2 == 0 {
            editions.push((10, 90 + (i % 30) as i64));
        }
        for (opens, starts) in editions {
            let start = (now + Duration::days(starts)).date();
            let offering = OfferingInput {
                start_date: Some(start),
                end_date: Some(start + Duration::days(28)),
                enrolment_opens_at: Some((now + Duration::days(opens)).and_utc()),
                enrolment_closes_at: Some((now + Duration::days(starts)).and_utc()),
                time_zone: Some("America/Mexico_City".into()),
                capacity: Some(40),
                admission_policy: Some(AdmissionPolicy::ALL[i % AdmissionPolicy::ALL.len()]),
                currency: Some("USD".into()),
                ..Default::default()
            };
            offerings::create(conn, catalog, admin, &code, &offering)?;
        }
        // Publishing needs an edition.
        courses::publish(conn, catalog, admin, &code)?;
        added += 1;
    }
    Ok(added)
}
