//! Issuing certificates: to one person, to a list, or to everyone eligible; with an
//! override for people the rules do not find eligible; and reissuing one (a new
//! version that supersedes the old and keeps its award date). Rendering the PDF and
//! the badge and mailing them happen in a background job queued in the same
//! transaction.

use std::collections::HashMap;

use aula_catalog::admission::{lock_offering, offering_summaries, OfferingSummary};
use aula_core::{hex, sha256_hex, FieldCode, Locale};
use aula_db::{
    schema::{certificates, signatories},
    DbConnection,
};
use aula_enrolment::participants::Participant;
use aula_identity::User;
use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access::{manageable, staff_offering},
    code,
    eligibility::{in_force, CertificateRef, Cohort},
    error::{CertificationError, Result},
    jobs,
    model::{Action, Kind, Status},
    record::{self, change_status, record_event, Certificate},
    service::Certification,
    settings,
};

/// The most people one request may name.
pub const MAX_NAMED: usize = 1000;
const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueInput {
    pub kind: Kind,
    /// The seats to issue to; absent: everyone eligible.
    #[schema(min_items = 1, max_items = 1000)]
    pub enrolment_ids: Option<Vec<i64>>,
    /// Issue to the named people even where the rules are not met, for this reason
    /// (recorded on each certificate issued that way).
    #[schema(min_length = 1, max_length = 500)]
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssueReport {
    /// Certificates issued by this request; their PDFs follow in the background.
    pub issued: Vec<CertificateRef>,
    /// People who already held a certificate of this kind in force: nothing new.
    pub already_issued: i32,
    /// People left out because the rules are not met (bulk issue only).
    pub not_eligible: i32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// A reason as given: trimmed, present, not too long.
pub(crate) fn reason(text: &str, field: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CertificationError::field(field, FieldCode::Required));
    }
    if text.chars().count() > MAX_REASON_CHARS {
        return Err(CertificationError::field(field, FieldCode::TooLong));
    }
    Ok(text.to_owned())
}

/// Issues certificates of one kind in the offering (its staff). Running it twice
/// issues nothing new: people holding one in force are counted, not issued again.
pub fn issue(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    offering_id: i64,
    input: IssueInput,
) -> Result<IssueReport> {
    let override_reason = match &input.override_reason {
        Some(r) => Some(reason(r, "override_reason")?),
        None => None,
    };
    if let Some(ids) = &input.enrolment_ids {
        if ids.is_empty() {
            return Err(CertificationError::field("enrolment_ids", FieldCode::Empty));
        }
        if ids.len() > MAX_NAMED {
            return Err(CertificationError::field(
                "enrolment_ids",
                FieldCode::TooMany,
            ));
        }
    } else if override_reason.is_some() {
        // An override is for named people, never for a whole cohort at once.
        return Err(CertificationError::field(
            "override_reason",
            FieldCode::Invalid,
        ));
    }
    aula_db::transaction(conn, |conn| {
        let facts = staff_offering(conn, actor, offering_id)?;
        // One issuing run per offering at a time; the unique index is the backstop.
        lock_offering(conn, offering_id)?;
        let cohort = Cohort::load(conn, svc, facts, input.enrolment_ids.as_deref())?;
        if let Some(ids) = &input.enrolment_ids {
            let known: Vec<i64> = cohort.people.iter().map(|p| p.enrolment_id).collect();
            if ids.iter().any(|id| !known.contains(id)) {
                return Err(CertificationError::field(
                    "enrolment_ids",
                    FieldCode::NotOnRoster,
                ));
            }
            if override_reason.is_none() {
                let refused: Vec<String> = cohort
                    .people
                    .iter()
                    .filter(|p| !cohort.eligible(p.enrolment_id, input.kind))
                    .map(|p| {
                        format!(
                            "{}: {}",
                            p.user.full_name,
                            cohort.unmet(p.enrolment_id, input.kind)
                        )
                    })
                    .collect();
                if !refused.is_empty() {
                    return Err(CertificationError::NotEligible(refused.join("; ")));
                }
            }
        }
        run(
            conn,
            svc,
            &cohort,
            input.kind,
            Some(actor.id),
            override_reason.as_deref(),
            input.enrolment_ids.is_some(),
        )
    })
}

/// Issues to everyone eligible for `kind` who holds none yet: what the automatic
/// sweep runs, as nobody in particular.
pub(crate) fn issue_eligible(
    conn: &mut DbConnection,
    svc: &Certification,
    offering_id: i64,
    kind: Kind,
) -> Result<IssueReport> {
    aula_db::transaction(conn, |conn| {
        let facts = aula_catalog::admission::offering_facts(conn, offering_id)?;
        lock_offering(conn, offering_id)?;
        let cohort = Cohort::load(conn, svc, facts, None)?;
        run(conn, svc, &cohort, kind, None, None, false)
    })
}

fn run(
    conn: &mut DbConnection,
    svc: &Certification,
    cohort: &Cohort,
    kind: Kind,
    actor_id: Option<i64>,
    override_reason: Option<&str>,
    named: bool,
) -> Result<IssueReport> {
    let ids: Vec<i64> = cohort.people.iter().map(|p| p.enrolment_id).collect();
    let existing = in_force(conn, &ids)?;
    let mut texts = Texts::new(cohort.facts.id);
    let printed = printed_signatories(conn)?;
    let validity = settings::of(conn, cohort.facts.id)?.validity_months;
    let mut report = IssueReport {
        issued: Vec::new(),
        already_issued: 0,
        not_eligible: 0,
    };
    for p in &cohort.people {
        if existing.contains_key(&(p.enrolment_id, kind)) {
            report.already_issued += 1;
            continue;
        }
        let eligible = cohort.eligible(p.enrolment_id, kind);
        if !eligible && !named {
            report.not_eligible += 1;
            continue;
        }
        let draft = Draft {
            kind,
            actor_id,
            override_reason: (!eligible).then_some(override_reason).flatten(),
            awarded_at: svc.now(),
            version: 1,
            supersedes: None,
            validity,
        };
        match create(conn, svc, cohort, p, &mut texts, &printed, draft)? {
            Some(made) => report.issued.push(made),
            None => report.already_issued += 1,
        }
    }
    Ok(report)
}

/// Course titles per language, read once per language used.
struct Texts {
    offering_id: i64,
    by_locale: HashMap<Locale, OfferingSummary>,
}

impl Texts {
    fn new(offering_id: i64) -> Self {
        Self {
            offering_id,
            by_locale: HashMap::new(),
        }
    }

    fn get(&mut self, conn: &mut DbConnection, locale: Locale) -> Result<OfferingSummary> {
        if let Some(s) = self.by_locale.get(&locale) {
            return Ok(s.clone());
        }
        let summary = offering_summaries(conn, &[self.offering_id], Some(locale))?
            .remove(&self.offering_id)
            .ok_or(CertificationError::OfferingNotFound)?;
        self.by_locale.insert(locale, summary.clone());
        Ok(summary)
    }
}

/// The active signatories, in print order.
fn printed_signatories(conn: &mut DbConnection) -> Result<String> {
    let rows: Vec<(i64, String, String)> = signatories::table
        .filter(signatories::active.eq(true))
        .order((signatories::position.asc(), signatories::id.asc()))
        .select((signatories::id, signatories::name, signatories::title))
        .load(conn)?;
    let printed: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|(id, name, title)| serde_json::json!({ "id": id, "name": name, "title": title }))
        .collect();
    Ok(serde_json::Value::from(printed).to_string())
}

struct Draft<'a> {
    kind: Kind,
    actor_id: Option<i64>,
    override_reason: Option<&'a str>,
    awarded_at: NaiveDateTime,
    version: i32,
    supersedes: Option<i64>,
    validity: Option<i32>,
}

/// Writes one certificate, its history line and its render job. `None` when a
/// concurrent request issued the same one first.
fn create(
    conn: &mut DbConnection,
    svc: &Certification,
    cohort: &Cohort,
    p: &Participant,
    texts: &mut Texts,
    printed: &str,
    draft: Draft,
) -> Result<Option<CertificateRef>> {
    let now = svc.now();
    let locale = p.user.locale;
    let summary = texts.get(conn, locale)?;
    let standing = cohort
        .standings
        .get(&p.enrolment_id)
        .cloned()
        .unwrap_or_default();
    let final_grade = match draft.kind {
        Kind::Approval => cohort.grades.get(&p.enrolment_id).copied().flatten(),
        Kind::Participation => None,
    };
    let mut salt = [0u8; 16];
    svc.tokens.fill(&mut salt);
    let salt = hex(&salt);
    let email = p.user.email.trim().to_lowercase();
    let hash = format!("sha256${}", sha256_hex(format!("{email}{salt}").as_bytes()));
    // After a revocation a new certificate of the same kind follows the old ones.
    let version = certificates::table
        .filter(certificates::enrolment_id.eq(p.enrolment_id))
        .filter(certificates::kind.eq(draft.kind))
        .select(diesel::dsl::max(certificates::version))
        .first::<Option<i32>>(conn)?
        .map_or(1, |v| v + 1)
        .max(draft.version);
    let expires_at = draft.validity.and_then(|m| {
        draft
            .awarded_at
            .checked_add_months(Months::new(m.unsigned_abs()))
    });
    for _ in 0..3 {
        let code = code::generate(svc.tokens.as_ref());
        let inserted = aula_db::transaction(conn, |conn| {
            diesel::insert_into(certificates::table)
                .values((
                    certificates::code.eq(&code),
                    certificates::enrolment_id.eq(p.enrolment_id),
                    certificates::offering_id.eq(cohort.facts.id),
                    certificates::user_id.eq(p.user.id),
                    certificates::institution_id.eq(p.institution_id),
                    certificates::kind.eq(draft.kind),
                    certificates::version.eq(version),
                    certificates::status.eq(Status::Valid),
                    certificates::learner_name.eq(&p.user.full_name),
                    certificates::recipient_salt.eq(&salt),
                    certificates::recipient_hash.eq(&hash),
                    certificates::course_code.eq(&summary.course_code),
                    certificates::course_title.eq(&summary.course_title),
                    certificates::start_date.eq(&summary.start_date),
                    certificates::end_date.eq(&summary.end_date),
                    certificates::hours.eq(cohort.facts.hours),
                    certificates::final_grade.eq(final_grade),
                    certificates::attendance.eq(standing.attendance_rate),
                    certificates::locale.eq(locale.as_str()),
                    certificates::signatories.eq(printed),
                    certificates::awarded_at.eq(draft.awarded_at),
                    certificates::issued_at.eq(now),
                    certificates::expires_at.eq(expires_at),
                    certificates::issued_by.eq(draft.actor_id),
                    certificates::override_reason.eq(draft.override_reason),
                    certificates::supersedes_id.eq(draft.supersedes),
                ))
                .returning(certificates::id)
                .get_result::<i64>(conn)
        });
        match inserted {
            Ok(id) => {
                let action = if draft.supersedes.is_some() {
                    Action::Reissued
                } else {
                    Action::Issued
                };
                record_event(conn, id, action, draft.override_reason, draft.actor_id, now)?;
                jobs::enqueue_render(conn, id, now)?;
                return Ok(Some(CertificateRef {
                    id,
                    code,
                    status: Status::Valid,
                }));
            }
            Err(e) if aula_db::is_unique_violation(&e) => {
                // Either the same certificate was issued a moment ago, or (once in
                // 2^60) the code was taken: only the latter is worth another try.
                if in_force(conn, &[p.enrolment_id])?.contains_key(&(p.enrolment_id, draft.kind)) {
                    return Ok(None);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(CertificationError::Signing(
        "no free certificate code".into(),
    ))
}

/// Reissues a certificate in force (after a name correction or a regrade): a new
/// version with today's data and a new code, the same award date; the old one then
/// verifies as superseded by the new.
pub fn reissue(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    certificate_id: i64,
    input: ReasonInput,
) -> Result<CertificateRef> {
    let why = reason(&input.reason, "reason")?;
    aula_db::transaction(conn, |conn| {
        let old: Certificate = manageable(conn, actor, certificate_id)?;
        lock_offering(conn, old.offering_id)?;
        let now = svc.now();
        if !change_status(
            conn,
            old.id,
            Status::IN_FORCE,
            Status::Superseded,
            Some(&why),
            now,
        )? {
            let current = record::load(conn, old.id)?;
            return Err(CertificationError::StatusConflict(current.status));
        }
        record_event(
            conn,
            old.id,
            Action::Superseded,
            Some(&why),
            Some(actor.id),
            now,
        )?;
        let facts = aula_catalog::admission::offering_facts(conn, old.offering_id)?;
        let cohort = Cohort::load(conn, svc, facts, Some(&[old.enrolment_id]))?;
        let p = cohort
            .people
            .iter()
            .find(|p| p.enrolment_id == old.enrolment_id)
            .ok_or(CertificationError::NotFound)?
            .clone();
        let mut texts = Texts::new(old.offering_id);
        let printed = printed_signatories(conn)?;
        let draft = Draft {
            kind: old.kind,
            actor_id: Some(actor.id),
            override_reason: old.override_reason.as_deref(),
            awarded_at: old.awarded_at,
            version: old.version + 1,
            supersedes: Some(old.id),
            validity: settings::of(conn, old.offering_id)?.validity_months,
        };
        create(conn, svc, &cohort, &p, &mut texts, &printed, draft)?
            .ok_or(CertificationError::StatusConflict(Status::Superseded))
    })
}
