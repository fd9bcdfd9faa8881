//! The background work of certification, on the durable job table: rendering a
//! certificate (PDF, badge, mail) and the automatic-issue sweep of an offering.

use std::collections::HashMap;

use aula_core::{sha256_hex, Locale};
use aula_db::{
    jobs::{self, Job},
    schema::{certificate_documents, signatories},
    DbConnection,
};
use aula_mail::{Attachment, Mail};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    badge,
    document::{self, Award, Document, Signatory},
    error::{CertificationError, Result},
    issue,
    model::{Kind, Status},
    record::{self, Certificate},
    service::Certification,
    settings,
};

pub const RENDER: &str = "certificate.render";
pub const SWEEP: &str = "certification.sweep";
/// A job that failed this many times is given up on (the last try about an hour
/// after the first).
const MAX_ATTEMPTS: i32 = 8;
/// How long a worker keeps a job to itself.
const LEASE: TimeDelta = TimeDelta::minutes(10);
/// How often an offering with automatic issue is looked at.
const SWEEP_EVERY: TimeDelta = TimeDelta::minutes(15);

#[derive(Serialize, Deserialize)]
struct RenderPayload {
    certificate_id: i64,
}

#[derive(Serialize, Deserialize)]
struct SweepPayload {
    offering_id: i64,
}

fn payload<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| CertificationError::Signing(e.to_string()))
}

pub(crate) fn enqueue_render(
    conn: &mut DbConnection,
    certificate_id: i64,
    now: NaiveDateTime,
) -> Result<()> {
    let body = payload(&RenderPayload { certificate_id })?;
    let key = format!("{RENDER}:{certificate_id}");
    jobs::enqueue(conn, RENDER, &body, Some(&key), now, now)?;
    Ok(())
}

pub(crate) fn enqueue_sweep(
    conn: &mut DbConnection,
    offering_id: i64,
    at: NaiveDateTime,
) -> Result<()> {
    let body = payload(&SweepPayload { offering_id })?;
    let key = format!("{SWEEP}:{offering_id}");
    jobs::enqueue(conn, SWEEP, &body, Some(&key), at, at)?;
    Ok(())
}

/// What one [`run_due`] call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    pub claimed: usize,
    pub done: usize,
    pub failed: usize,
}

/// Leases up to `limit` due jobs and runs them; a failure is retried later with
/// back-off and never stops the rest of the batch.
pub fn run_due(conn: &mut DbConnection, svc: &Certification, limit: i64) -> Result<RunReport> {
    let now = svc.now();
    let claimed = jobs::claim_due(conn, &[RENDER, SWEEP], now, now + LEASE, limit)?;
    let mut report = RunReport {
        claimed: claimed.len(),
        ..RunReport::default()
    };
    for job in &claimed {
        match handle(conn, svc, job) {
            Ok(()) => {
                jobs::mark_done(conn, job.id, svc.now())?;
                report.done += 1;
            }
            Err(e) => {
                tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts + 1, error = %e, "background job failed");
                jobs::mark_failed(conn, job, &e.to_string(), MAX_ATTEMPTS, svc.now())?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// Runs every due job until none is left (tests, the command line, benchmarks).
pub fn drain(conn: &mut DbConnection, svc: &Certification) -> Result<RunReport> {
    let mut total = RunReport::default();
    loop {
        let r = run_due(conn, svc, 50)?;
        if r.claimed == 0 {
            return Ok(total);
        }
        total.claimed += r.claimed;
        total.done += r.done;
        total.failed += r.failed;
    }
}

fn handle(conn: &mut DbConnection, svc: &Certification, job: &Job) -> Result<()> {
    let bad = |e: serde_json::Error| CertificationError::Signing(format!("bad payload: {e}"));
    match job.kind.as_str() {
        RENDER => {
            let p: RenderPayload = serde_json::from_str(&job.payload).map_err(bad)?;
            render(conn, svc, p.certificate_id)
        }
        SWEEP => {
            let p: SweepPayload = serde_json::from_str(&job.payload).map_err(bad)?;
            sweep(conn, svc, job, p.offering_id)
        }
        other => Err(CertificationError::Signing(format!(
            "unknown job kind {other}"
        ))),
    }
}

/// Issues both kinds to everyone newly eligible, then plans the next look while
/// automatic issue stays on.
fn sweep(conn: &mut DbConnection, svc: &Certification, job: &Job, offering_id: i64) -> Result<()> {
    if !settings::of(conn, offering_id)?.auto_issue {
        return Ok(());
    }
    for kind in Kind::ALL {
        let report = issue::issue_eligible(conn, svc, offering_id, *kind)?;
        if !report.issued.is_empty() {
            tracing::info!(offering_id, kind = %kind, issued = report.issued.len(), "certificates issued automatically");
        }
    }
    let now = svc.now();
    aula_db::transaction(conn, |conn| {
        // Done first: the next sweep shares this one's key.
        jobs::mark_done(conn, job.id, now)?;
        enqueue_sweep(conn, offering_id, now + SWEEP_EVERY)
    })
}

fn date(text: &str, fallback: NaiveDateTime) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(fallback.date())
}

/// Renders the PDF and the badge of a certificate, stores them, and queues the mail
/// with the PDF attached, all at most once: the document row is written once, and
/// the mail only in the transaction that writes it.
pub(crate) fn render(conn: &mut DbConnection, svc: &Certification, id: i64) -> Result<()> {
    if record::document_of(conn, id)?.is_some() {
        return Ok(());
    }
    let c = record::load(conn, id)?;
    let pdf = render_pdf(conn, svc, &c)?;
    let sha = sha256_hex(&pdf);
    let storage_key = format!("certificates/{}.pdf", c.code);
    svc.storage.put(&storage_key, &pdf)?;
    let key = badge::current_key(conn, svc)?;
    let jwt = badge::sign(&key, &badge::credential(svc, &c))?;
    let now = svc.now();
    aula_db::transaction(conn, |conn| {
        let inserted = aula_db::transaction(conn, |conn| {
            diesel::insert_into(certificate_documents::table)
                .values((
                    certificate_documents::certificate_id.eq(c.id),
                    certificate_documents::storage_key.eq(&storage_key),
                    certificate_documents::pdf_sha256.eq(&sha),
                    certificate_documents::pdf_size.eq(pdf.len() as i64),
                    certificate_documents::badge_jwt.eq(&jwt),
                    certificate_documents::rendered_at.eq(now),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_) => {}
            // Another worker finished it first, and sent its mail.
            Err(e) if aula_db::is_unique_violation(&e) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
        // A certificate revoked before its PDF was ready is not announced.
        if Status::IN_FORCE.contains(&record::load(conn, c.id)?.status) {
            mail(conn, svc, &c, &pdf, now)?;
        }
        Ok(())
    })
}

/// The PDF of a certificate, with its signatories' current signature images.
pub(crate) fn render_pdf(
    conn: &mut DbConnection,
    svc: &Certification,
    c: &Certificate,
) -> Result<Vec<u8>> {
    let printed = c.signatories();
    let ids: Vec<i64> = printed.iter().filter_map(|s| s.id).collect();
    let images: HashMap<i64, Vec<u8>> = signatories::table
        .filter(signatories::id.eq_any(&ids))
        .filter(signatories::signature.is_not_null())
        .select((signatories::id, signatories::signature))
        .load::<(i64, Option<Vec<u8>>)>(conn)?
        .into_iter()
        .filter_map(|(id, img)| img.map(|i| (id, i)))
        .collect();
    let signers: Vec<Signatory> = printed
        .iter()
        .map(|s| Signatory {
            name: &s.name,
            title: &s.title,
            signature: s.id.and_then(|id| images.get(&id)).map(Vec::as_slice),
        })
        .collect();
    let verify_url = svc.verify_url(&c.code);
    let doc = Document {
        locale: c.locale,
        centre: &svc.centre,
        learner_name: &c.learner_name,
        award: match (c.kind, c.final_grade) {
            (Kind::Approval, Some(final_grade)) => Award::Approval { final_grade },
            _ => Award::Participation,
        },
        course_title: &c.course_title,
        course_code: &c.course_code,
        start_date: date(&c.start_date, c.awarded_at),
        end_date: date(&c.end_date, c.awarded_at),
        hours: c.hours,
        attendance: c.attendance,
        awarded_on: c.awarded_at.date(),
        expires_on: c.expires_at.map(|e| e.date()),
        code: &c.code,
        verify_url: &verify_url,
        signatories: &signers,
    };
    Ok(document::render(&doc)?)
}

/// The mail to the learner and, with a copy, to their institution's coordinators.
fn mail(
    conn: &mut DbConnection,
    svc: &Certification,
    c: &Certificate,
    pdf: &[u8],
    now: NaiveDateTime,
) -> Result<()> {
    let learner = aula_identity::users::get(conn, c.user_id)?;
    let mut recipients: Vec<(String, String, Locale, bool)> = vec![(
        learner.email.clone(),
        learner.full_name.clone(),
        learner.locale,
        false,
    )];
    if let Some(institution) = c.institution_id {
        for coordinator in aula_identity::users::coordinators_of(conn, institution)? {
            if coordinator.id != learner.id {
                recipients.push((
                    coordinator.email,
                    coordinator.full_name,
                    coordinator.locale,
                    true,
                ));
            }
        }
    }
    let attachment = Attachment {
        file_name: format!("{}.pdf", c.code),
        content_type: "application/pdf".to_owned(),
        content: pdf.to_vec(),
    };
    for (email, name, locale, copy) in recipients {
        let message = Mail::CertificateIssued {
            recipient_name: name,
            learner_name: c.learner_name.clone(),
            copy,
            course_title: c.course_title.clone(),
            kind: c.kind.as_str().to_owned(),
            code: c.code.clone(),
            verify_link: svc.verify_url(&c.code),
        };
        aula_mail::enqueue_with_attachments(
            conn,
            now,
            &email,
            locale,
            &message,
            std::slice::from_ref(&attachment),
        )?;
    }
    Ok(())
}
