//! Who has earned which certificate of an offering, rule by rule, with the values
//! the rules were judged on ("attendance 64 % < 70 %").

use std::collections::HashMap;

use aula_catalog::admission::{lessons_of_courses, session_count, OfferingFacts};
use aula_core::Locale;
use aula_db::{schema::certificates, DbConnection};
use aula_enrolment::participants::{self, Participant};
use aula_identity::User;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    access::staff_offering,
    error::Result,
    model::{Kind, RuleName, Status},
    service::Certification,
    settings::{self, Settings},
};

/// One rule as judged for one person.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Rule {
    pub rule: RuleName,
    pub met: bool,
    /// What the person has: percent of attendance, lessons completed, final grade;
    /// `null` when there is nothing to judge yet.
    pub value: Option<f64>,
    /// What the rule asks for.
    pub required: f64,
    /// `false` when the offering gives the rule nothing to count (no sessions, no
    /// required lessons): it is then met.
    pub applicable: bool,
}

/// A certificate in force, as lists name it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateRef {
    pub id: i64,
    pub code: String,
    pub status: Status,
}

/// One kind of certificate for one person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindEligibility {
    pub kind: Kind,
    pub eligible: bool,
    pub rules: Vec<Rule>,
    /// The certificate in force of this kind, if issued.
    pub certificate: Option<CertificateRef>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EligibleLearner {
    pub enrolment_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub email: String,
    pub institution: Option<String>,
    pub kinds: Vec<KindEligibility>,
}

/// The eligibility report of an offering.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EligibilityReport {
    pub offering_id: i64,
    pub course_code: String,
    pub attendance_threshold: i32,
    pub pass_mark: i32,
    pub required_lessons: i32,
    pub sessions: i32,
    pub settings: Settings,
    pub learners: Vec<EligibleLearner>,
}

/// What the rules need of the offering, read once for the cohort.
pub(crate) struct Cohort {
    pub facts: OfferingFacts,
    pub people: Vec<Participant>,
    pub required_lessons: Vec<i64>,
    pub sessions: usize,
    pub standings: HashMap<i64, participants::Standing>,
    pub grades: HashMap<i64, Option<f64>>,
}

impl Cohort {
    /// The cohort of the offering (every seat, or just `only`), in a fixed number of
    /// queries whatever its size.
    pub fn load(
        conn: &mut DbConnection,
        svc: &Certification,
        facts: OfferingFacts,
        only: Option<&[i64]>,
    ) -> Result<Self> {
        let mut people = participants::of_offering(conn, facts.id)?;
        if let Some(only) = only {
            people.retain(|p| only.contains(&p.enrolment_id));
        }
        let ids: Vec<i64> = people.iter().map(|p| p.enrolment_id).collect();
        let required_lessons = lessons_of_courses(conn, &[facts.course_id])?
            .into_iter()
            .filter(|l| l.required)
            .map(|l| l.id)
            .collect();
        let sessions = usize::try_from(session_count(conn, facts.id)?).unwrap_or(0);
        let standings = participants::standings(conn, &ids)?;
        let grades =
            aula_assessment::gradebook::final_grades_of_offering(conn, &svc.assessment, facts.id)?
                .into_iter()
                .map(|(id, g)| (id, g.final_grade))
                .collect();
        Ok(Self {
            facts,
            people,
            required_lessons,
            sessions,
            standings,
            grades,
        })
    }

    /// The rules of `kind` for one seat.
    pub fn judge(&self, enrolment_id: i64, kind: Kind) -> Vec<Rule> {
        let standing = self
            .standings
            .get(&enrolment_id)
            .cloned()
            .unwrap_or_default();
        let threshold = f64::from(self.facts.attendance_threshold);
        let attendance = if self.sessions == 0 {
            Rule {
                rule: RuleName::Attendance,
                met: true,
                value: None,
                required: threshold,
                applicable: false,
            }
        } else {
            // Sessions held but none recorded for the person counts as none attended.
            let rate = f64::from(standing.attendance_rate.unwrap_or(0));
            Rule {
                rule: RuleName::Attendance,
                met: rate >= threshold,
                value: standing.attendance_rate.map(f64::from),
                required: threshold,
                applicable: true,
            }
        };
        let done = self
            .required_lessons
            .iter()
            .filter(|l| standing.completed_lessons.contains(l))
            .count();
        let required = self.required_lessons.len();
        let lessons = Rule {
            rule: RuleName::RequiredLessons,
            met: done == required,
            value: Some(done as f64),
            required: required as f64,
            applicable: required > 0,
        };
        let mut rules = vec![attendance, lessons];
        if kind == Kind::Approval {
            let grade = self.grades.get(&enrolment_id).copied().flatten();
            let pass = f64::from(self.facts.pass_mark);
            rules.push(Rule {
                rule: RuleName::FinalGrade,
                met: grade.is_some_and(|g| g >= pass),
                value: grade,
                required: pass,
                applicable: true,
            });
        }
        rules
    }

    pub fn eligible(&self, enrolment_id: i64, kind: Kind) -> bool {
        self.judge(enrolment_id, kind).iter().all(|r| r.met)
    }

    /// The rules not met, worded for a log or an error ("attendance 64 < 70").
    pub fn unmet(&self, enrolment_id: i64, kind: Kind) -> String {
        self.judge(enrolment_id, kind)
            .iter()
            .filter(|r| !r.met)
            .map(|r| {
                let value = r.value.map_or("–".to_owned(), |v| format!("{v:.1}"));
                format!("{} {value} < {}", r.rule.as_str(), r.required)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The certificates in force of the given enrolments, by (enrolment, kind).
pub(crate) fn in_force(
    conn: &mut DbConnection,
    enrolment_ids: &[i64],
) -> Result<HashMap<(i64, Kind), CertificateRef>> {
    let rows: Vec<(i64, Kind, i64, String, Status)> = certificates::table
        .filter(certificates::enrolment_id.eq_any(enrolment_ids))
        .filter(certificates::status.eq_any(Status::IN_FORCE.iter().map(|s| s.as_str())))
        .select((
            certificates::enrolment_id,
            certificates::kind,
            certificates::id,
            certificates::code,
            certificates::status,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(e, kind, id, code, status)| ((e, kind), CertificateRef { id, code, status }))
        .collect())
}

/// The report of an offering, for its staff.
pub fn report(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    offering_id: i64,
    _locale: Option<Locale>,
) -> Result<EligibilityReport> {
    let facts = staff_offering(conn, actor, offering_id)?;
    let settings = settings::of(conn, offering_id)?;
    let cohort = Cohort::load(conn, svc, facts, None)?;
    let ids: Vec<i64> = cohort.people.iter().map(|p| p.enrolment_id).collect();
    let mut issued = in_force(conn, &ids)?;
    let learners = cohort
        .people
        .iter()
        .map(|p| EligibleLearner {
            enrolment_id: p.enrolment_id,
            user_id: p.user.id,
            full_name: p.user.full_name.clone(),
            email: p.user.email.clone(),
            institution: p.user.institution.as_ref().map(|i| i.acronym.clone()),
            kinds: Kind::ALL
                .iter()
                .map(|&kind| {
                    let rules = cohort.judge(p.enrolment_id, kind);
                    KindEligibility {
                        kind,
                        eligible: rules.iter().all(|r| r.met),
                        rules,
                        certificate: issued.remove(&(p.enrolment_id, kind)),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(EligibilityReport {
        offering_id,
        course_code: cohort.facts.course_code.clone(),
        attendance_threshold: cohort.facts.attendance_threshold,
        pass_mark: cohort.facts.pass_mark,
        required_lessons: cohort.required_lessons.len() as i32,
        sessions: cohort.sessions as i32,
        settings,
        learners,
    })
}
