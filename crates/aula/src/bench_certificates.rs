//! `aula seed bench --gradebook-items N --certificates`: issues a participation
//! certificate to every seat of the gradebook cohort (up to 1,000, named with an
//! override so the course's rules do not matter) and runs the background jobs that
//! render each PDF and badge and queue its mail, timing both halves.

use std::time::Instant;

use aula_certification::{
    issue::{self, IssueInput, MAX_NAMED},
    jobs, Kind,
};
use aula_db::{schema::certificate_documents, DbConnection};
use aula_enrolment::participants;
use aula_identity::User;
use diesel::prelude::*;

use crate::{config::Settings, serve};

pub fn run(
    conn: &mut DbConnection,
    settings: &Settings,
    admin: &User,
    offering: i64,
) -> Result<(), serve::Error> {
    let svc = crate::seed_certification::service(settings, settings.storage()?);
    let seats: Vec<i64> = participants::of_offering(conn, offering)?
        .into_iter()
        .map(|p| p.enrolment_id)
        .take(MAX_NAMED)
        .collect();
    let started = Instant::now();
    let report = issue::issue(
        conn,
        &svc,
        admin,
        offering,
        IssueInput {
            kind: Kind::Participation,
            enrolment_ids: Some(seats),
            override_reason: Some("Benchmark".into()),
        },
    )?;
    let issued = started.elapsed();
    let started = Instant::now();
    let ran = jobs::drain(conn, &svc)?;
    let rendered = started.elapsed();
    let sizes: Vec<i64> = certificate_documents::table
        .select(certificate_documents::pdf_size)
        .load(conn)?;
    let average = sizes.iter().sum::<i64>() / (sizes.len().max(1) as i64);
    let n = report.issued.len().max(1) as f64;
    println!(
        "Certificates: {} issued in {:.2} s ({:.1} ms each); {} jobs (PDF + badge + mail) in {:.2} s ({:.1} ms each, {} failed); PDF {} bytes on average.",
        report.issued.len(),
        issued.as_secs_f64(),
        issued.as_secs_f64() * 1000.0 / n,
        ran.done,
        rendered.as_secs_f64(),
        rendered.as_secs_f64() * 1000.0 / n,
        ran.failed,
        average
    );
    Ok(())
}
