//! `aula seed demo`: a small, realistic data set so every page has something to show.
//! Idempotent: what exists (by acronym or email) is left as it is.

use std::sync::Arc;

use aula_core::{Locale, OsTokenSource, SystemClock};
use aula_db::DbConnection;
use aula_identity::{
    institutions::{self, InstitutionInput},
    users, Identity, Institution, NewUser, Role, User,
};

use crate::{config::Settings, serve};

pub const DEFAULT_DEMO_PASSWORD: &str = aula_identity::DEMO_PASSWORD;

/// (acronym, name, country, membership category)
const INSTITUTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "IMSS",
        "Instituto Mexicano del Seguro Social",
        "MX",
        "titular",
    ),
    (
        "ANSES",
        "Administración Nacional de la Seguridad Social",
        "AR",
        "titular",
    ),
    (
        "CCSS",
        "Caja Costarricense de Seguro Social",
        "CR",
        "titular",
    ),
    (
        "IESS",
        "Instituto Ecuatoriano de Seguridad Social",
        "EC",
        "titular",
    ),
    ("BPS", "Banco de Previsión Social", "UY", "titular"),
    (
        "INSS",
        "Instituto Nacional do Seguro Social",
        "BR",
        "asociado",
    ),
    ("SSA", "Social Security Administration", "US", "adherente"),
    (
        "OFATMA",
        "Office d'Assurance Accidents du Travail, Maladie et Maternité",
        "HT",
        "vinculado",
    ),
    ("CPA", "Consultora Previsional Andina", "PE", "non_member"),
];

/// email, full name, locale, institution acronym, roles
type Account = (
    &'static str,
    &'static str,
    Locale,
    Option<&'static str>,
    &'static [Role],
);

const ACCOUNTS: &[Account] = &[
    (
        "admin@demo.test",
        "Administración CIESS",
        Locale::Es,
        None,
        &[Role::Admin],
    ),
    (
        "instructor@demo.test",
        "Lucía Fernández Ortíz",
        Locale::Es,
        None,
        &[Role::Instructor],
    ),
    (
        "coordinator@demo.test",
        "Carlos Núñez Peña",
        Locale::Es,
        Some("IMSS"),
        &[Role::Coordinator],
    ),
    (
        "student@demo.test",
        "João Gonçalves da Conceição",
        Locale::Pt,
        Some("IMSS"),
        &[Role::Student],
    ),
];

pub fn demo(settings: &Settings, password: &str) -> Result<(), serve::Error> {
    let (_pool, mut conn, secret) = serve::open(settings)?;
    let identity = Identity::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        secret.as_bytes(),
        serve::auth_config(settings),
    );
    let mut created = 0;
    let admin = ensure_account(
        &identity,
        &mut conn,
        ACCOUNTS[0],
        None,
        password,
        &mut created,
    )?;
    let mut by_acronym: Vec<Institution> = Vec::new();
    for &(acronym, name, country, category) in INSTITUTIONS {
        let institution = match institutions::find_by_acronym(&mut conn, acronym)? {
            Some(existing) => existing,
            None => {
                created += 1;
                let input = InstitutionInput {
                    name: Some(name.into()),
                    acronym: Some(acronym.into()),
                    country: Some(country.into()),
                    membership_category: Some(category.into()),
                };
                institutions::create(&mut conn, &identity, &admin, &input)?
            }
        };
        by_acronym.push(institution);
    }
    let mut instructor = None;
    for &account in &ACCOUNTS[1..] {
        let institution = account
            .3
            .and_then(|a| by_acronym.iter().find(|i| i.acronym == a))
            .map(|i| i.id);
        let user = ensure_account(
            &identity,
            &mut conn,
            account,
            institution,
            password,
            &mut created,
        )?;
        if user.has_role(Role::Instructor) && instructor.is_none() {
            instructor = Some(user);
        }
    }
    if let Some(instructor) = &instructor {
        let catalog = aula_catalog::Catalog::new(
            Arc::new(SystemClock),
            settings.storage()?,
            Arc::new(aula_enrolment::SeatHolders),
        );
        created += crate::seed_catalog::demo(&mut conn, &admin, instructor, &catalog)?;
        created += crate::seed_review::demo(&mut conn, instructor, &catalog)?;
    }
    created += crate::seed_enrolment::demo(&mut conn, settings, &identity, password)?;
    created += crate::seed_assessment::demo(&mut conn, settings)?;
    let (certificates, verify_url) = crate::seed_certification::demo(&mut conn, settings)?;
    created += certificates;
    if created == 0 {
        println!("Demo data already present; nothing changed.");
    } else {
        println!("Demo data loaded ({created} records created).");
    }
    println!("Demo accounts (password: {password}):");
    for (email, name, _, institution, roles) in ACCOUNTS {
        let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        println!(
            "  {email:<24} {name} — {}{}",
            roles.join(", "),
            institution.map(|i| format!(" ({i})")).unwrap_or_default()
        );
    }
    if let Some(url) = verify_url {
        println!("A certificate to verify (no sign-in needed): {url}");
    }
    Ok(())
}

fn ensure_account(
    identity: &Identity,
    conn: &mut DbConnection,
    (email, name, locale, _, roles): Account,
    institution_id: Option<i64>,
    password: &str,
    created: &mut usize,
) -> Result<User, serve::Error> {
    if let Some(user) = users::find_by_email(conn, email)? {
        return Ok(user);
    }
    *created += 1;
    Ok(aula_identity::auth::create_demo_user(
        conn,
        identity,
        &NewUser {
            email: email.into(),
            full_name: name.into(),
            password: password.into(),
            locale,
            institution_id,
            roles: roles.to_vec(),
        },
    )?)
}
