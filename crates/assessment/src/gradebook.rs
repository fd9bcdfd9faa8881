//! The gradebook: every learner × every assignment of an offering, the weighted final
//! grade (0–100) and pass or fail against the offering's pass mark. Built from a fixed
//! number of queries whatever the cohort's size.
//!
//! An assignment counts with its weight once graded. Work not handed in counts as 0
//! after the person's due date when the assignment says `zero`, and not at all when it
//! says `excluded`; work waiting for a grade does not count yet. The final grade is
//! the weighted mean of what counts, so excluded items do not pull it down.

use std::collections::HashMap;

use aula_catalog::admission::offering_facts;
use aula_core::{FieldCode, Page, PageRequest, Validation};
use aula_db::{
    schema::{final_grade_overrides as overrides, submissions},
    DbConnection,
};
use aula_enrolment::{participants, State};
use aula_identity::User;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    access::{self, coordinated_institution},
    error::{AssessmentError, Result},
    extensions,
    grading::{self, GradeRow},
    model::MissingWork,
    record::{self, Row},
    rubric::round2,
    service::Assessment,
};

/// Where one learner stands on one assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    /// Graded: counts with its weight.
    Graded,
    /// Handed in, waiting for a grade (or for release, in a learner's view).
    Pending,
    /// Not handed in and not yet due.
    Open,
    /// Not handed in, past due, counted as 0.
    Missing,
    /// Not handed in, past due, left out of the final grade.
    Excluded,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradebookItem {
    pub assignment_id: i64,
    pub title: String,
    pub weight: i32,
    pub max_score: i32,
    pub missing_work: MissingWork,
    pub released: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradebookCell {
    pub assignment_id: i64,
    pub status: CellStatus,
    /// Points after any late penalty.
    pub score: Option<f64>,
    /// The points as a share of the maximum, 0–100.
    pub percent: Option<f64>,
    pub late: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FinalGradeOverride {
    pub grade: f64,
    pub reason: String,
    pub actor_id: i64,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradebookRow {
    pub enrolment_id: i64,
    pub full_name: String,
    pub email: String,
    pub institution: Option<String>,
    pub state: State,
    pub cells: Vec<GradebookCell>,
    /// From the weights, before any override; none while nothing counts.
    pub computed_grade: Option<f64>,
    #[serde(rename = "override")]
    pub override_: Option<FinalGradeOverride>,
    /// The override when there is one, else the computed grade.
    pub final_grade: Option<f64>,
    pub passed: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Gradebook {
    pub offering_id: i64,
    pub pass_mark: i32,
    /// The assignments' weights added up (at most 100).
    pub weights_total: i32,
    pub items: Vec<GradebookItem>,
    pub rows: Page<GradebookRow>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BookFilter {
    /// Part of the learner's name or email.
    pub q: Option<String>,
}

/// Everything the gradebook of one offering is computed from.
struct Book {
    offering_id: i64,
    pass_mark: i32,
    items: Vec<Row>,
    people: Vec<participants::Participant>,
    grades: HashMap<(i64, i64), GradeRow>,
    due: HashMap<(i64, i64), NaiveDateTime>,
    handed_in: HashMap<(i64, i64), bool>,
    overrides: HashMap<i64, FinalGradeOverride>,
}

fn load(conn: &mut DbConnection, offering_id: i64, only: Option<i64>) -> Result<Book> {
    let facts = offering_facts(conn, offering_id)?;
    let items = record::of_offering(conn, offering_id)?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let people: Vec<participants::Participant> = match only {
        Some(e) => participants::seat(conn, e)?.into_iter().collect(),
        None => participants::of_offering(conn, offering_id)?,
    };
    let grades = grading::current_of(conn, &ids)?;
    let due = extensions::due_dates(conn, &ids)?;
    // Whether each person handed anything in, and whether their latest attempt was late.
    let attempts: Vec<(i64, i64, i32, bool)> = submissions::table
        .filter(submissions::assignment_id.eq_any(&ids))
        .select((
            submissions::assignment_id,
            submissions::enrolment_id,
            submissions::attempt,
            submissions::late,
        ))
        .load(conn)?;
    let mut latest: HashMap<(i64, i64), (i32, bool)> = HashMap::new();
    for (a, e, attempt, late) in attempts {
        let entry = latest.entry((a, e)).or_insert((attempt, late));
        if attempt >= entry.0 {
            *entry = (attempt, late);
        }
    }
    let handed_in = latest.into_iter().map(|(k, (_, late))| (k, late)).collect();
    let enrolments: Vec<i64> = people.iter().map(|p| p.enrolment_id).collect();
    let overrides = current_overrides(conn, &enrolments)?;
    Ok(Book {
        offering_id,
        pass_mark: facts.pass_mark,
        items,
        people,
        grades,
        due,
        handed_in,
        overrides,
    })
}

/// The override in force per enrolment (the latest row, unless it lifted one).
fn current_overrides(
    conn: &mut DbConnection,
    enrolments: &[i64],
) -> Result<HashMap<i64, FinalGradeOverride>> {
    type O = (i64, Option<f64>, String, i64, NaiveDateTime);
    let rows: Vec<O> = overrides::table
        .filter(overrides::enrolment_id.eq_any(enrolments))
        .order(overrides::id.asc())
        .select((
            overrides::enrolment_id,
            overrides::grade,
            overrides::reason,
            overrides::actor_id,
            overrides::at,
        ))
        .load(conn)?;
    let mut out = HashMap::new();
    for (e, grade, reason, actor_id, at) in rows {
        match grade {
            Some(grade) => {
                out.insert(
                    e,
                    FinalGradeOverride {
                        grade,
                        reason,
                        actor_id,
                        at,
                    },
                );
            }
            None => {
                out.remove(&e);
            }
        }
    }
    Ok(out)
}

/// What one learner's cells and final grade are. With `released_only`, grades of
/// assignments not yet released show as pending (what the learner may see).
fn compute(
    book: &Book,
    p: &participants::Participant,
    now: NaiveDateTime,
    released_only: bool,
) -> GradebookRow {
    let e = p.enrolment_id;
    let mut cells = Vec::with_capacity(book.items.len());
    let (mut weighted, mut weights) = (0.0, 0i64);
    for item in &book.items {
        let key = (item.id, e);
        let visible = !released_only || item.grades_released_at.is_some();
        let late = book.handed_in.get(&key).copied().unwrap_or(false);
        let due = book.due.get(&key).copied().unwrap_or(item.due_at);
        let (status, score) = match (book.grades.get(&key), book.handed_in.contains_key(&key)) {
            (Some(g), _) if visible => (CellStatus::Graded, Some(g.final_score())),
            (Some(_), _) | (None, true) => (CellStatus::Pending, None),
            (None, false) if now <= due => (CellStatus::Open, None),
            (None, false) => match item.missing_work {
                MissingWork::Zero => (CellStatus::Missing, Some(0.0)),
                MissingWork::Excluded => (CellStatus::Excluded, None),
            },
        };
        let percent = score.map(|s| round2(s * 100.0 / f64::from(item.max_score)));
        if let Some(pct) = percent {
            weighted += pct * f64::from(item.weight);
            weights += i64::from(item.weight);
        }
        cells.push(GradebookCell {
            assignment_id: item.id,
            status,
            score,
            percent,
            late,
        });
    }
    let computed_grade = (weights > 0).then(|| round2(weighted / weights as f64));
    let override_ = book.overrides.get(&e).cloned();
    let final_grade = override_.as_ref().map(|o| o.grade).or(computed_grade);
    GradebookRow {
        enrolment_id: e,
        full_name: p.user.full_name.clone(),
        email: p.user.email.clone(),
        institution: p.user.institution.as_ref().map(|i| i.acronym.clone()),
        state: p.state,
        cells,
        computed_grade,
        override_,
        passed: final_grade.map(|g| g >= f64::from(book.pass_mark)),
        final_grade,
    }
}

fn items_of(book: &Book) -> Vec<GradebookItem> {
    book.items
        .iter()
        .map(|i| GradebookItem {
            assignment_id: i.id,
            title: i.title.clone(),
            weight: i.weight,
            max_score: i.max_score,
            missing_work: i.missing_work,
            released: i.grades_released_at.is_some(),
        })
        .collect()
}

fn matches(p: &participants::Participant, q: &Option<String>) -> bool {
    match q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        None => true,
        Some(q) => {
            let q = q.to_lowercase();
            p.user.full_name.to_lowercase().contains(&q) || p.user.email.to_lowercase().contains(&q)
        }
    }
}

/// Every row of the offering's gradebook (staff), by name.
pub fn all_rows(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
) -> Result<(Vec<GradebookItem>, Vec<GradebookRow>)> {
    access::offering_staff(conn, actor, offering_id)?;
    let book = load(conn, offering_id, None)?;
    let now = svc.now();
    let rows = book
        .people
        .iter()
        .map(|p| compute(&book, p, now, false))
        .collect();
    Ok((items_of(&book), rows))
}

/// One page of the offering's gradebook (staff).
pub fn gradebook(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
    filter: &BookFilter,
    page: PageRequest,
) -> Result<Gradebook> {
    access::offering_staff(conn, actor, offering_id)?;
    let book = load(conn, offering_id, None)?;
    let now = svc.now();
    let people: Vec<&participants::Participant> = book
        .people
        .iter()
        .filter(|p| matches(p, &filter.q))
        .collect();
    let total = people.len() as i64;
    let rows = people
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(|p| compute(&book, p, now, false))
        .collect();
    Ok(Gradebook {
        offering_id: book.offering_id,
        pass_mark: book.pass_mark,
        weights_total: book.items.iter().map(|i| i.weight).sum(),
        items: items_of(&book),
        rows: Page::new(rows, total, page),
    })
}

/// A final grade as certification reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FinalGrade {
    pub enrolment_id: i64,
    pub computed_grade: Option<f64>,
    #[serde(rename = "override")]
    pub override_: Option<FinalGradeOverride>,
    pub final_grade: Option<f64>,
    pub pass_mark: i32,
    pub passed: Option<bool>,
}

/// The final grade of one seat, from every grade given (released or not): what
/// certification reads. `None` when the enrolment holds no seat.
pub fn final_grade_of(
    conn: &mut DbConnection,
    svc: &Assessment,
    enrolment_id: i64,
) -> Result<Option<FinalGrade>> {
    let Some(seat) = participants::seat(conn, enrolment_id)? else {
        return Ok(None);
    };
    let book = load(conn, seat.offering_id, Some(enrolment_id))?;
    let row = compute(&book, &seat, svc.now(), false);
    Ok(Some(FinalGrade {
        enrolment_id,
        computed_grade: row.computed_grade,
        override_: row.override_,
        final_grade: row.final_grade,
        pass_mark: book.pass_mark,
        passed: row.passed,
    }))
}

/// Staff of the seat's offering, else `EnrolmentNotFound` (strangers) or `Forbidden`.
fn require_seat_staff(
    conn: &mut DbConnection,
    actor: &User,
    enrolment_id: i64,
) -> Result<participants::Participant> {
    let seat = participants::seat(conn, enrolment_id)?.ok_or(AssessmentError::EnrolmentNotFound)?;
    match access::offering(conn, actor, seat.offering_id) {
        Ok((_, v)) if v.is_staff() => Ok(seat),
        Ok(_) => Err(AssessmentError::Forbidden),
        Err(_) => Err(AssessmentError::EnrolmentNotFound),
    }
}

/// One seat's final grade with the history of its overrides (staff).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FinalGradeRecord {
    #[serde(flatten)]
    pub grade: FinalGrade,
    /// Every override set or lifted, oldest first (a `null` grade lifted one).
    pub history: Vec<OverrideEvent>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverrideEvent {
    pub grade: Option<f64>,
    pub reason: String,
    pub actor_id: i64,
    pub actor_name: String,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub at: NaiveDateTime,
}

/// A seat's final grade and override history, for the offering's staff.
pub fn final_grade(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    enrolment_id: i64,
) -> Result<FinalGradeRecord> {
    require_seat_staff(conn, actor, enrolment_id)?;
    let grade =
        final_grade_of(conn, svc, enrolment_id)?.ok_or(AssessmentError::EnrolmentNotFound)?;
    type O = (Option<f64>, String, i64, NaiveDateTime);
    let rows: Vec<O> = overrides::table
        .filter(overrides::enrolment_id.eq(enrolment_id))
        .order(overrides::id.asc())
        .select((
            overrides::grade,
            overrides::reason,
            overrides::actor_id,
            overrides::at,
        ))
        .load(conn)?;
    let actors: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let names = aula_identity::users::by_ids(conn, &actors)?;
    let history = rows
        .into_iter()
        .map(|(grade, reason, actor_id, at)| OverrideEvent {
            grade,
            reason,
            actor_id,
            actor_name: names
                .get(&actor_id)
                .map(|u| u.full_name.clone())
                .unwrap_or_default(),
            at,
        })
        .collect();
    Ok(FinalGradeRecord { grade, history })
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OverrideInput {
    /// 0–100; `null` lifts the override.
    pub grade: Option<f64>,
    /// Why (kept in the history).
    pub reason: String,
}

/// Staff set (or lift) a manual final grade. Every override is kept.
pub fn set_override(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    enrolment_id: i64,
    input: &OverrideInput,
) -> Result<FinalGradeRecord> {
    require_seat_staff(conn, actor, enrolment_id)?;
    let mut v = Validation::new();
    if input
        .grade
        .is_some_and(|g| !g.is_finite() || !(0.0..=100.0).contains(&g))
    {
        v.add("grade", FieldCode::OutOfRange);
    }
    let reason = input.reason.trim();
    if reason.is_empty() {
        v.add("reason", FieldCode::Required);
    } else if reason.chars().count() > 500 {
        v.add("reason", FieldCode::TooLong);
    }
    v.finish().map_err(AssessmentError::Validation)?;
    diesel::insert_into(overrides::table)
        .values((
            overrides::enrolment_id.eq(enrolment_id),
            overrides::grade.eq(input.grade.map(round2)),
            overrides::reason.eq(reason),
            overrides::actor_id.eq(actor.id),
            overrides::at.eq(svc.now()),
        ))
        .execute(conn)?;
    final_grade(conn, svc, actor, enrolment_id)
}

/// A learner's results in one offering: released grades only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyGrades {
    pub offering_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub pass_mark: i32,
    pub items: Vec<GradebookItem>,
    pub row: GradebookRow,
    /// Some grades are not released yet: the final grade may still change.
    pub provisional: bool,
}

/// The signed-in learner's results in every offering they hold a seat in.
pub fn mine(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    locale: Option<aula_core::Locale>,
) -> Result<Vec<MyGrades>> {
    let seats = participants::seats_of_user(conn, actor.id)?;
    let ids: Vec<i64> = seats.iter().map(|s| s.offering_id).collect();
    let summaries = aula_catalog::admission::offering_summaries(conn, &ids, locale)?;
    let now = svc.now();
    let mut out = Vec::new();
    for seat in seats {
        let book = load(conn, seat.offering_id, Some(seat.enrolment_id))?;
        if book.items.is_empty() {
            continue;
        }
        let mut row = compute(&book, &seat, now, true);
        // An override is the staff's decision on the final grade, shown once every
        // grade is released.
        let provisional = book.items.iter().any(|i| i.grades_released_at.is_none());
        if provisional {
            row.override_ = None;
            row.final_grade = row.computed_grade;
            row.passed = None;
        }
        let summary = summaries.get(&seat.offering_id);
        out.push(MyGrades {
            offering_id: seat.offering_id,
            course_code: summary.map(|s| s.course_code.clone()).unwrap_or_default(),
            course_title: summary.map(|s| s.course_title.clone()).unwrap_or_default(),
            pass_mark: book.pass_mark,
            items: items_of(&book),
            row,
            provisional,
        });
    }
    Ok(out)
}

/// A final grade as a coordinator reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonFinalGrade {
    pub enrolment_id: i64,
    pub full_name: String,
    pub email: String,
    pub institution: Option<String>,
    pub final_grade: Option<f64>,
    pub passed: Option<bool>,
}

/// Final grades of an offering: staff see everyone, a coordinator their institution's
/// people only; anyone else is told the offering does not exist.
pub fn final_grades(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<PersonFinalGrade>> {
    let staff = matches!(access::offering(conn, actor, offering_id), Ok((_, v)) if v.is_staff());
    let institution = coordinated_institution(actor);
    if !staff && institution.is_none() {
        return Err(AssessmentError::OfferingNotFound);
    }
    let mut book = load(conn, offering_id, None)?;
    if !staff {
        book.people
            .retain(|p| p.institution_id.is_some() && p.institution_id == institution);
    }
    let now = svc.now();
    Ok(book
        .people
        .iter()
        .map(|p| {
            let row = compute(&book, p, now, false);
            PersonFinalGrade {
                enrolment_id: row.enrolment_id,
                full_name: row.full_name,
                email: row.email,
                institution: row.institution,
                final_grade: row.final_grade,
                passed: row.passed,
            }
        })
        .collect())
}

/// The gradebook as CSV (UTF-8 with a byte-order mark, so spreadsheets keep accents).
pub fn export_csv(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<u8>> {
    let (items, rows) = all_rows(conn, svc, actor, offering_id)?;
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header = vec!["email".to_owned(), "full_name".into(), "institution".into()];
    header.extend(items.iter().map(|i| format!("{} ({}%)", i.title, i.weight)));
    header.extend([
        "final_grade".into(),
        "passed".into(),
        "override_reason".into(),
    ]);
    let csv_err = |e: csv::Error| AssessmentError::Csv(e.to_string());
    w.write_record(&header).map_err(csv_err)?;
    for r in rows {
        let mut line = vec![r.email, r.full_name, r.institution.unwrap_or_default()];
        line.extend(r.cells.iter().map(|c| c.score.map(fmt).unwrap_or_default()));
        line.push(r.final_grade.map(fmt).unwrap_or_default());
        line.push(
            r.passed
                .map(|p| if p { "yes" } else { "no" }.to_owned())
                .unwrap_or_default(),
        );
        line.push(r.override_.map(|o| o.reason).unwrap_or_default());
        w.write_record(&line).map_err(csv_err)?;
    }
    w.into_inner()
        .map_err(|e| AssessmentError::Csv(e.to_string()))
}

/// Final grades as CSV, for staff or a coordinator (see [`final_grades`]).
pub fn final_grades_csv(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<u8>> {
    let rows = final_grades(conn, svc, actor, offering_id)?;
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let csv_err = |e: csv::Error| AssessmentError::Csv(e.to_string());
    w.write_record(["email", "full_name", "institution", "final_grade", "passed"])
        .map_err(csv_err)?;
    for r in rows {
        w.write_record([
            r.email,
            r.full_name,
            r.institution.unwrap_or_default(),
            r.final_grade.map(fmt).unwrap_or_default(),
            r.passed
                .map(|p| if p { "yes" } else { "no" }.to_owned())
                .unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    w.into_inner()
        .map_err(|e| AssessmentError::Csv(e.to_string()))
}

/// Two decimals at most, no trailing zeros: `87.5`, `90`.
fn fmt(x: f64) -> String {
    let s = format!("{:.2}", round2(x));
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_are_written_without_trailing_zeros() {
        assert_eq!(fmt(90.0), "90");
        assert_eq!(fmt(87.5), "87.5");
        assert_eq!(fmt(66.666), "66.67");
        assert_eq!(fmt(0.0), "0");
    }
}
