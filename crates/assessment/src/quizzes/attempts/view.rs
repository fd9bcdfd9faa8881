//! An attempt as its taker or the staff read it: the questions in the attempt's order,
//! in the reader's language, with right answers only when the reader may see them.

use aula_core::Locale;
use aula_db::{schema::quiz_attempts as qa, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::{drawn_of, scaled, AttemptRow};
use crate::{
    error::Result,
    model::QuestionKind,
    questions::{self, Question},
    quizzes::Row,
    scoring::positions,
    service::Assessment,
};

/// An attempt as its taker (or staff) reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attempt {
    pub id: i64,
    pub quiz_id: i64,
    pub enrolment_id: i64,
    pub number: i32,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub started_at: NaiveDateTime,
    /// No answer is taken after it.
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub deadline_at: NaiveDateTime,
    /// Seconds left by the server's clock (0 once over).
    pub seconds_left: i64,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub submitted_at: Option<NaiveDateTime>,
    pub points: Option<f64>,
    pub max_points: f64,
    /// Out of the quiz's maximum score.
    pub score: Option<f64>,
    /// Right answers and explanations are included (staff, or the quiz is closed for
    /// the learner).
    pub review: bool,
    pub questions: Vec<AttemptQuestion>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttemptQuestion {
    pub position: i32,
    pub kind: QuestionKind,
    /// The language the prompt and choices are written in (the reader's when the
    /// question has it, else Spanish, else the first written).
    pub locale: Locale,
    pub max_points: f64,
    pub prompt: String,
    /// In this attempt's order; `position` is what an answer names.
    pub choices: Vec<ShownChoice>,
    /// As given: choice positions (`"0 2"`), `"1"`/`"0"` for true/false, text or a number.
    pub response: Option<String>,
    /// Once submitted.
    pub points: Option<f64>,
    pub overridden: bool,
    /// Review only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<Vec<i32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_answers: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numeric_answer: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShownChoice {
    pub position: i32,
    pub text: String,
}

pub(crate) fn read(
    conn: &mut DbConnection,
    svc: &Assessment,
    row: &Row,
    attempt_id: i64,
    staff: bool,
    closes: NaiveDateTime,
    locale: Option<Locale>,
) -> Result<Attempt> {
    let now = svc.now();
    let attempt: AttemptRow = qa::table
        .find(attempt_id)
        .select(AttemptRow::as_select())
        .first(conn)?;
    let drawn = drawn_of(conn, attempt_id)?;
    let ids: Vec<i64> = drawn.iter().map(|d| d.question_id).collect();
    let bank = questions::by_ids(conn, &ids)?;
    let review = staff || now > closes;
    let submitted = attempt.submitted_at.is_some();
    let questions = drawn
        .into_iter()
        .filter_map(|d| {
            let q = bank.get(&d.question_id)?;
            let text = pick(q, locale);
            let order = positions(&d.choice_order).unwrap_or_default();
            // `positions` sorts; the attempt's own order is kept as written.
            let order: Vec<i32> = d
                .choice_order
                .split_whitespace()
                .filter_map(|p| p.parse().ok())
                .filter(|p| order.contains(p))
                .collect();
            let choices = order
                .iter()
                .map(|p| ShownChoice {
                    position: *p,
                    text: match q.kind {
                        QuestionKind::TrueFalse => String::new(),
                        _ => text
                            .map(|t| t.choices.get(*p as usize).cloned().unwrap_or_default())
                            .unwrap_or_default(),
                    },
                })
                .collect();
            Some(AttemptQuestion {
                position: d.position,
                kind: q.kind,
                max_points: q.points,
                prompt: text.map(|t| t.prompt.clone()).unwrap_or_default(),
                locale: text.map_or(Locale::Es, |t| t.locale),
                choices,
                response: d.response,
                points: if submitted {
                    d.override_points.or(d.points)
                } else {
                    None
                },
                overridden: d.override_points.is_some(),
                correct: review.then(|| q.correct.clone()),
                accepted_answers: review.then(|| q.accepted_answers.clone()),
                numeric_answer: if review { q.numeric_answer } else { None },
                explanation: review
                    .then(|| text.map(|t| t.explanation.clone()).unwrap_or_default()),
            })
        })
        .collect();
    Ok(Attempt {
        id: attempt.id,
        quiz_id: attempt.quiz_id,
        enrolment_id: attempt.enrolment_id,
        number: attempt.number,
        started_at: attempt.started_at,
        deadline_at: attempt.deadline_at,
        seconds_left: if submitted {
            0
        } else {
            (attempt.deadline_at - now).num_seconds().max(0)
        },
        submitted_at: attempt.submitted_at,
        score: scaled(attempt.points, attempt.max_points, row.max_score),
        points: attempt.points,
        max_points: attempt.max_points,
        review,
        questions,
    })
}

/// The question's text in `locale`, else Spanish, else the first written.
fn pick(q: &Question, locale: Option<Locale>) -> Option<&questions::QuestionText> {
    locale
        .and_then(|l| q.texts.iter().find(|t| t.locale == l))
        .or_else(|| q.texts.iter().find(|t| t.locale == Locale::Es))
        .or_else(|| q.texts.first())
}
