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

mod export;
mod finals;

pub use export::{export_csv, final_grades_csv};
pub use finals::{
    final_grade, final_grade_of, final_grades, final_grades_of_offering, mine, set_override,
    FinalGrade, FinalGradeRecord, MyGrades, OverrideEvent, OverrideInput, PersonFinalGrade,
};

use crate::{
    access::{self, coordinated_institution},
    error::{AssessmentError, Result},
    extensions, grading,
    model::MissingWork,
    quizzes, record,
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

/// What a gradebook column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Assignment,
    Quiz,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradebookItem {
    pub kind: ItemKind,
    /// The assignment's or the quiz's id.
    pub id: i64,
    pub title: String,
    pub weight: i32,
    pub max_score: i32,
    pub missing_work: MissingWork,
    pub released: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradebookCell {
    pub kind: ItemKind,
    pub id: i64,
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

/// One column: an assignment or a quiz.
struct Entry {
    kind: ItemKind,
    id: i64,
    title: String,
    weight: i32,
    max_score: i32,
    missing_work: MissingWork,
    due_at: NaiveDateTime,
    /// Learners see its grades (a quiz's score shows once submitted).
    released: bool,
}

/// What is known of one person on one column.
#[derive(Default)]
struct Known {
    /// Points after any penalty, once graded (a quiz: once an attempt is scored).
    score: Option<f64>,
    handed_in: bool,
    late: bool,
}

type Key = (ItemKind, i64, i64);

/// Everything the gradebook of one offering is computed from.
struct Book {
    offering_id: i64,
    pass_mark: i32,
    items: Vec<Entry>,
    people: Vec<participants::Participant>,
    known: HashMap<Key, Known>,
    due: HashMap<Key, NaiveDateTime>,
    overrides: HashMap<i64, FinalGradeOverride>,
}

fn load(
    conn: &mut DbConnection,
    offering_id: i64,
    only: Option<i64>,
    now: NaiveDateTime,
) -> Result<Book> {
    use ItemKind::{Assignment, Quiz};
    let facts = offering_facts(conn, offering_id)?;
    let assignments = record::of_offering(conn, offering_id)?;
    let quizzes = quizzes::of_offering(conn, offering_id)?;
    let ids: Vec<i64> = assignments.iter().map(|i| i.id).collect();
    let quiz_ids: Vec<i64> = quizzes.iter().map(|q| q.id).collect();
    let people: Vec<participants::Participant> = match only {
        Some(e) => participants::seat(conn, e)?.into_iter().collect(),
        None => participants::of_offering(conn, offering_id)?,
    };
    let mut known: HashMap<Key, Known> = HashMap::new();
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
    for ((a, e), (_, late)) in latest {
        let k = known.entry((Assignment, a, e)).or_default();
        k.handed_in = true;
        k.late = late;
    }
    for ((a, e), g) in grading::current_of(conn, &ids)? {
        known.entry((Assignment, a, e)).or_default().score = Some(g.final_score());
    }
    if !quiz_ids.is_empty() {
        quizzes::attempts::finalise_expired(conn, &quiz_ids, now)?;
    }
    for ((q, e), score) in quizzes::attempts::scores(conn, &quizzes)? {
        let k = known.entry((Quiz, q, e)).or_default();
        k.handed_in = true;
        k.score = score;
    }
    let mut due: HashMap<Key, NaiveDateTime> = extensions::due_dates(conn, &ids)?
        .into_iter()
        .map(|((a, e), d)| ((Assignment, a, e), d))
        .collect();
    for ((q, e), (_, closes)) in quizzes::extensions_of(conn, &quiz_ids)? {
        if let Some(c) = closes {
            due.insert((Quiz, q, e), c);
        }
    }
    let mut items: Vec<Entry> = assignments
        .into_iter()
        .map(|a| Entry {
            kind: Assignment,
            id: a.id,
            title: a.title,
            weight: a.weight,
            max_score: a.max_score,
            missing_work: a.missing_work,
            due_at: a.due_at,
            released: a.grades_released_at.is_some(),
        })
        .chain(quizzes.into_iter().map(|q| Entry {
            kind: Quiz,
            id: q.id,
            title: q.title,
            weight: q.weight,
            max_score: q.max_score,
            missing_work: q.missing_work,
            due_at: q.closes_at,
            released: true,
        }))
        .collect();
    items.sort_by_key(|i| (i.due_at, i.kind == Quiz, i.id));
    let enrolments: Vec<i64> = people.iter().map(|p| p.enrolment_id).collect();
    let overrides = current_overrides(conn, &enrolments)?;
    Ok(Book {
        offering_id,
        pass_mark: facts.pass_mark,
        items,
        people,
        known,
        due,
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
    let nothing = Known::default();
    for item in &book.items {
        let key = (item.kind, item.id, e);
        let visible = !released_only || item.released;
        let known = book.known.get(&key).unwrap_or(&nothing);
        let late = known.late;
        let due = book.due.get(&key).copied().unwrap_or(item.due_at);
        let (status, score) = match (known.score, known.handed_in) {
            (Some(s), _) if visible => (CellStatus::Graded, Some(s)),
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
            kind: item.kind,
            id: item.id,
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
            kind: i.kind,
            id: i.id,
            title: i.title.clone(),
            weight: i.weight,
            max_score: i.max_score,
            missing_work: i.missing_work,
            released: i.released,
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
    let now = svc.now();
    let book = load(conn, offering_id, None, now)?;
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
    let now = svc.now();
    let book = load(conn, offering_id, None, now)?;
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
