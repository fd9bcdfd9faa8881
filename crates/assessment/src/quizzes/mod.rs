//! Quizzes: questions drawn from the course's bank (fixed, or at random per tag),
//! choices shuffled per attempt, a limited number of attempts, a time limit the server
//! enforces, scored at submission by the highest, last or average attempt.

pub mod attempts;
mod draw;
mod extensions;
mod record;

pub(crate) use extensions::extensions_of;
pub use extensions::{
    grant_extension, list_extensions, revoke_extension, QuizExtension, QuizExtensionInput,
};

use aula_core::{FieldCode, Validation};
use aula_db::{
    schema::{quiz_attempts, quiz_parts, quizzes},
    DbConnection,
};
use aula_identity::User;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access::{self, Viewer},
    error::{AssessmentError, Result},
    model::{MissingWork, Scoring},
    questions,
    service::Assessment,
    weights::{self, TOTAL_WEIGHT},
};
pub(crate) use record::{load, of_offering, Part, Row};

/// A quiz as staff send it: `title`, `closes_at`, `max_score` and `parts` to create
/// one; only what changes to edit one (`parts` replaces the whole list).
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct QuizInput {
    pub title: Option<String>,
    pub description: Option<String>,
    /// RFC 3339; `null` removes it.
    #[serde(default, deserialize_with = "crate::assignments::present")]
    #[schema(value_type = Option<DateTime<Utc>>, nullable)]
    pub opens_at: Option<Option<DateTime<Utc>>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// Minutes per attempt (1–1440); `null`: until the quiz closes.
    #[serde(default, deserialize_with = "crate::assignments::present")]
    #[schema(value_type = Option<i32>, nullable)]
    pub time_limit_minutes: Option<Option<i32>>,
    /// 1–20; default 1.
    pub max_attempts: Option<i32>,
    pub scoring: Option<Scoring>,
    /// Show each attempt's choices in its own order (default true).
    pub shuffle_choices: Option<bool>,
    pub max_score: Option<i32>,
    pub weight: Option<i32>,
    pub missing_work: Option<MissingWork>,
    pub parts: Option<Vec<PartInput>>,
}

/// A fixed question (`question_id`) or `count` questions drawn at random from a `tag`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct PartInput {
    pub question_id: Option<i64>,
    pub tag: Option<String>,
    /// For a tag: how many (1–100; default 1).
    pub count: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Quiz {
    pub id: i64,
    pub offering_id: i64,
    pub title: String,
    pub description: String,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub opens_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub closes_at: NaiveDateTime,
    pub time_zone: String,
    pub time_limit_minutes: Option<i32>,
    pub max_attempts: i32,
    pub scoring: Scoring,
    pub shuffle_choices: bool,
    pub max_score: i32,
    pub weight: i32,
    pub missing_work: MissingWork,
    /// How many questions an attempt draws.
    pub question_count: i32,
    /// Staff only: what the quiz draws.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts: Option<Vec<PartInput>>,
    /// A learner only: their close, attempts and score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<MyQuiz>,
}

/// A learner's side of one quiz.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyQuiz {
    /// Their close: an extension's, else the quiz's.
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub closes_at: NaiveDateTime,
    pub attempts_allowed: i32,
    pub attempts: Vec<attempts::AttemptSummary>,
    /// Whether a new attempt would start now (or an unfinished one resume).
    pub can_start: bool,
    /// By the quiz's scoring rule, over submitted attempts, out of `max_score`.
    pub score: Option<f64>,
}

struct Values {
    title: String,
    description: String,
    opens_at: Option<NaiveDateTime>,
    closes_at: NaiveDateTime,
    time_limit_minutes: Option<i32>,
    max_attempts: i32,
    scoring: Scoring,
    shuffle_choices: bool,
    max_score: i32,
    weight: i32,
    missing_work: MissingWork,
    parts: Vec<Part>,
}

fn merged(
    conn: &mut DbConnection,
    course_id: i64,
    base: Option<(&Row, Vec<Part>)>,
    input: &QuizInput,
) -> Result<Values> {
    let mut v = Validation::new();
    let b = base.as_ref().map(|(r, _)| *r);
    let title = match (&input.title, b) {
        (Some(t), _) => t.trim().to_owned(),
        (None, Some(b)) => b.title.clone(),
        (None, None) => String::new(),
    };
    if title.is_empty() {
        v.add("title", FieldCode::Required);
    } else if title.chars().count() > 200 {
        v.add("title", FieldCode::TooLong);
    }
    let description = input
        .description
        .as_deref()
        .map(|d| d.trim().to_owned())
        .or(b.map(|b| b.description.clone()))
        .unwrap_or_default();
    if description.chars().count() > 20_000 {
        v.add("description", FieldCode::TooLong);
    }
    let closes_at = match (input.closes_at, b) {
        (Some(c), _) => c.naive_utc(),
        (None, Some(b)) => b.closes_at,
        (None, None) => {
            v.add("closes_at", FieldCode::Required);
            NaiveDateTime::default()
        }
    };
    let opens_at = match (input.opens_at, b) {
        (Some(o), _) => o.map(|d| d.naive_utc()),
        (None, b) => b.and_then(|b| b.opens_at),
    };
    if opens_at.is_some_and(|o| o >= closes_at) {
        v.add("closes_at", FieldCode::BeforeOpening);
    }
    let time_limit_minutes = match (input.time_limit_minutes, b) {
        (Some(t), _) => t,
        (None, b) => b.and_then(|b| b.time_limit_minutes),
    };
    if time_limit_minutes.is_some_and(|t| !(1..=1440).contains(&t)) {
        v.add("time_limit_minutes", FieldCode::OutOfRange);
    }
    let max_attempts = input
        .max_attempts
        .or(b.map(|b| b.max_attempts))
        .unwrap_or(1);
    if !(1..=20).contains(&max_attempts) {
        v.add("max_attempts", FieldCode::OutOfRange);
    }
    let max_score = match (input.max_score, b) {
        (Some(m), _) => m,
        (None, Some(b)) => b.max_score,
        (None, None) => {
            v.add("max_score", FieldCode::Required);
            1
        }
    };
    if !(1..=1000).contains(&max_score) {
        v.add("max_score", FieldCode::OutOfRange);
    }
    let weight = input.weight.or(b.map(|b| b.weight)).unwrap_or(0);
    if !(0..=TOTAL_WEIGHT).contains(&weight) {
        v.add("weight", FieldCode::OutOfRange);
    }
    let parts: Vec<Part> = match (&input.parts, &base) {
        (Some(p), _) => p
            .iter()
            .map(|p| Part {
                question_id: p.question_id,
                tag: p
                    .tag
                    .as_deref()
                    .map(|t| aula_catalog::text::normalize(t.trim())),
                count: p.count.unwrap_or(1),
            })
            .collect(),
        (None, Some((_, parts))) => parts.clone(),
        (None, None) => Vec::new(),
    };
    if parts.is_empty() {
        v.add("parts", FieldCode::Required);
    } else if parts.len() > 100 {
        v.add("parts", FieldCode::TooMany);
    }
    let fixed: Vec<i64> = parts.iter().filter_map(|p| p.question_id).collect();
    let known = questions::by_ids(conn, &fixed)?;
    for (i, p) in parts.iter().enumerate() {
        match (&p.question_id, &p.tag) {
            (Some(q), None) => {
                let usable = known.get(q).is_some_and(|q| !q.archived)
                    && questions::course_of(conn, *q)? == Some(course_id);
                if !usable {
                    v.add(&format!("parts[{i}].question_id"), FieldCode::NotFound);
                }
            }
            (None, Some(tag)) => {
                let available = questions::tagged(conn, course_id, tag)?.len() as i32;
                if !(1..=100).contains(&p.count) || p.count > available {
                    v.add(&format!("parts[{i}].count"), FieldCode::OutOfRange);
                }
            }
            _ => v.add(&format!("parts[{i}]"), FieldCode::Invalid),
        }
    }
    v.finish().map_err(AssessmentError::Validation)?;
    Ok(Values {
        title,
        description,
        opens_at,
        closes_at,
        time_limit_minutes,
        max_attempts,
        scoring: input
            .scoring
            .or(b.map(|b| b.scoring))
            .unwrap_or(Scoring::Highest),
        shuffle_choices: input
            .shuffle_choices
            .or(b.map(|b| b.shuffle_choices))
            .unwrap_or(true),
        max_score,
        weight,
        missing_work: input
            .missing_work
            .or(b.map(|b| b.missing_work))
            .unwrap_or(MissingWork::Zero),
        parts,
    })
}

fn store(conn: &mut DbConnection, id: i64, v: &Values, now: NaiveDateTime) -> Result<()> {
    diesel::update(quizzes::table.find(id))
        .set((
            quizzes::title.eq(&v.title),
            quizzes::description.eq(&v.description),
            quizzes::opens_at.eq(v.opens_at),
            quizzes::closes_at.eq(v.closes_at),
            quizzes::time_limit_minutes.eq(v.time_limit_minutes),
            quizzes::max_attempts.eq(v.max_attempts),
            quizzes::scoring.eq(v.scoring),
            quizzes::shuffle_choices.eq(v.shuffle_choices),
            quizzes::max_score.eq(v.max_score),
            quizzes::weight.eq(v.weight),
            quizzes::missing_work.eq(v.missing_work),
            quizzes::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(quiz_parts::table.filter(quiz_parts::quiz_id.eq(id))).execute(conn)?;
    for (i, p) in v.parts.iter().enumerate() {
        diesel::insert_into(quiz_parts::table)
            .values((
                quiz_parts::quiz_id.eq(id),
                quiz_parts::position.eq(i as i32),
                quiz_parts::question_id.eq(p.question_id),
                quiz_parts::tag.eq(&p.tag),
                quiz_parts::count.eq(if p.tag.is_some() { p.count } else { 1 }),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Staff add a quiz to an offering.
pub fn create(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
    input: &QuizInput,
) -> Result<Quiz> {
    let facts = access::offering_staff(conn, actor, offering_id)?;
    let values = merged(conn, facts.course_id, None, input)?;
    let now = svc.now();
    let id = aula_db::transaction(conn, |conn| {
        aula_catalog::admission::lock_offering(conn, offering_id)?;
        weights::check(conn, offering_id, weights::Item::Quiz(None), values.weight)?;
        let id: i64 = diesel::insert_into(quizzes::table)
            .values((
                quizzes::offering_id.eq(offering_id),
                quizzes::title.eq(&values.title),
                quizzes::closes_at.eq(values.closes_at),
                quizzes::max_attempts.eq(values.max_attempts),
                quizzes::scoring.eq(values.scoring),
                quizzes::shuffle_choices.eq(values.shuffle_choices),
                quizzes::max_score.eq(values.max_score),
                quizzes::weight.eq(values.weight),
                quizzes::missing_work.eq(values.missing_work),
                quizzes::created_at.eq(now),
                quizzes::updated_at.eq(now),
            ))
            .returning(quizzes::id)
            .get_result(conn)?;
        store(conn, id, &values, now)?;
        Ok::<_, AssessmentError>(id)
    })?;
    get(conn, svc, actor, id)
}

/// Staff change a quiz; attempts already made keep the questions they drew.
pub fn update(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    id: i64,
    input: &QuizInput,
) -> Result<Quiz> {
    let (row, facts) = staff(conn, actor, id)?;
    let parts = record::parts(conn, id)?;
    let values = merged(conn, facts.course_id, Some((&row, parts)), input)?;
    let now = svc.now();
    aula_db::transaction(conn, |conn| {
        aula_catalog::admission::lock_offering(conn, row.offering_id)?;
        weights::check(
            conn,
            row.offering_id,
            weights::Item::Quiz(Some(id)),
            values.weight,
        )?;
        store(conn, id, &values, now)
    })?;
    get(conn, svc, actor, id)
}

/// Staff delete a quiz nobody has attempted.
pub fn delete(conn: &mut DbConnection, actor: &User, id: i64) -> Result<()> {
    staff(conn, actor, id)?;
    aula_db::transaction(conn, |conn| {
        let used: bool = diesel::select(diesel::dsl::exists(
            quiz_attempts::table.filter(quiz_attempts::quiz_id.eq(id)),
        ))
        .get_result(conn)?;
        if used {
            return Err(AssessmentError::QuizInUse);
        }
        diesel::delete(quizzes::table.find(id)).execute(conn)?;
        Ok(())
    })
}

/// The quiz for its offering's staff; learners `Forbidden`, strangers `QuizNotFound`.
pub(crate) fn staff(
    conn: &mut DbConnection,
    actor: &User,
    id: i64,
) -> Result<(Row, aula_catalog::admission::OfferingFacts)> {
    match visible(conn, actor, id)? {
        (row, facts, Viewer::Staff) => Ok((row, facts)),
        _ => Err(AssessmentError::Forbidden),
    }
}

/// The quiz, its offering and the actor's relation to it; `QuizNotFound` for strangers.
pub(crate) fn visible(
    conn: &mut DbConnection,
    actor: &User,
    id: i64,
) -> Result<(Row, aula_catalog::admission::OfferingFacts, Viewer)> {
    let row = load(conn, id)?;
    match access::offering(conn, actor, row.offering_id) {
        Ok((facts, viewer)) => Ok((row, facts, viewer)),
        Err(AssessmentError::OfferingNotFound) => Err(AssessmentError::QuizNotFound),
        Err(e) => Err(e),
    }
}

/// One quiz, for its offering's staff and the people holding a seat in it.
pub fn get(conn: &mut DbConnection, svc: &Assessment, actor: &User, id: i64) -> Result<Quiz> {
    let (row, facts, viewer) = visible(conn, actor, id)?;
    let parts = record::parts(conn, id)?;
    view(conn, svc, row, &facts.time_zone, parts, &viewer)
}

/// The offering's quizzes by close date.
pub fn list(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<Quiz>> {
    let (facts, viewer) = access::offering(conn, actor, offering_id)?;
    let rows = of_offering(conn, offering_id)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut parts = record::parts_of_many(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            let p = parts.remove(&row.id).unwrap_or_default();
            view(conn, svc, row, &facts.time_zone, p, &viewer)
        })
        .collect()
}

fn view(
    conn: &mut DbConnection,
    svc: &Assessment,
    row: Row,
    time_zone: &str,
    parts: Vec<Part>,
    viewer: &Viewer,
) -> Result<Quiz> {
    let question_count = parts.iter().map(|p| p.count).sum();
    let mine = match viewer {
        Viewer::Learner(seat) => Some(attempts::mine(conn, svc, &row, seat.enrolment_id)?),
        Viewer::Staff => None,
    };
    Ok(Quiz {
        parts: viewer.is_staff().then(|| {
            parts
                .iter()
                .map(|p| PartInput {
                    question_id: p.question_id,
                    tag: p.tag.clone(),
                    count: Some(p.count),
                })
                .collect()
        }),
        mine,
        question_count,
        id: row.id,
        offering_id: row.offering_id,
        title: row.title,
        description: row.description,
        opens_at: row.opens_at,
        closes_at: row.closes_at,
        time_zone: time_zone.to_owned(),
        time_limit_minutes: row.time_limit_minutes,
        max_attempts: row.max_attempts,
        scoring: row.scoring,
        shuffle_choices: row.shuffle_choices,
        max_score: row.max_score,
        weight: row.weight,
        missing_work: row.missing_work,
    })
}
