//! Taking a quiz: an attempt draws its questions and its order of choices, takes
//! answers until its deadline (the time limit or the quiz's close, whichever comes
//! first, enforced here and not by the browser), and is scored when submitted or once
//! its deadline has passed. Right answers are shown to a learner only once the quiz is
//! closed for them.

mod staff;
mod view;

pub use staff::{list, override_points, StaffAttempt};

use std::collections::HashMap;

use aula_core::{FieldCode, Locale};
use aula_db::{
    schema::{attempt_questions as aq, quiz_attempts as qa},
    DbConnection,
};
use aula_identity::User;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{draw::Draw, extensions_of, record, visible, Row};
use crate::{
    access::Viewer,
    error::{AssessmentError, Result},
    model::{QuestionKind, Scoring},
    questions::{self, Question},
    rubric::round2,
    scoring::{self, positions},
    service::Assessment,
};
use view::read;
pub use view::{Attempt, AttemptQuestion, ShownChoice};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttemptSummary {
    pub id: i64,
    pub number: i32,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub started_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub deadline_at: NaiveDateTime,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub submitted_at: Option<NaiveDateTime>,
    /// Out of the quiz's maximum score, once submitted.
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AnswerInput {
    /// Choice positions separated by spaces or commas (true/false: `1` true, `0`
    /// false), a text, or a number; `null` or empty clears the answer.
    pub response: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PointsInput {
    /// 0 to the question's points.
    pub points: f64,
    pub reason: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = qa, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct AttemptRow {
    id: i64,
    quiz_id: i64,
    enrolment_id: i64,
    number: i32,
    started_at: NaiveDateTime,
    deadline_at: NaiveDateTime,
    submitted_at: Option<NaiveDateTime>,
    points: Option<f64>,
    max_points: f64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = aq, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct DrawnRow {
    position: i32,
    question_id: i64,
    choice_order: String,
    response: Option<String>,
    points: Option<f64>,
    override_points: Option<f64>,
}

impl AttemptRow {
    fn summary(&self, max_score: i32) -> AttemptSummary {
        AttemptSummary {
            id: self.id,
            number: self.number,
            started_at: self.started_at,
            deadline_at: self.deadline_at,
            submitted_at: self.submitted_at,
            score: scaled(self.points, self.max_points, max_score),
        }
    }
}

pub(crate) fn scaled(points: Option<f64>, max_points: f64, max_score: i32) -> Option<f64> {
    points.map(|p| {
        if max_points > 0.0 {
            round2(p / max_points * f64::from(max_score))
        } else {
            0.0
        }
    })
}

/// An attempt as scoring reads it: its number, points (once scored) and maximum.
pub(crate) type Scored = (i32, Option<f64>, f64);

/// The quiz's score for one person from their attempts, by its scoring rule.
pub(crate) fn score_of(row: &Row, attempts: &[Scored]) -> Option<f64> {
    let mut done: Vec<(i32, f64)> = attempts
        .iter()
        .filter_map(|(n, p, max)| scaled(*p, *max, row.max_score).map(|s| (*n, s)))
        .collect();
    if done.is_empty() {
        return None;
    }
    done.sort_by_key(|(n, _)| *n);
    Some(match row.scoring {
        Scoring::Highest => done.iter().map(|d| d.1).fold(0.0, f64::max),
        Scoring::Last => done[done.len() - 1].1,
        Scoring::Average => round2(done.iter().map(|d| d.1).sum::<f64>() / done.len() as f64),
    })
}

/// A person's terms: attempts allowed and their close.
fn terms(conn: &mut DbConnection, row: &Row, enrolment_id: i64) -> Result<(i32, NaiveDateTime)> {
    let ext = extensions_of(conn, &[row.id])?.remove(&(row.id, enrolment_id));
    let extra = ext.map_or(0, |e| e.0);
    let closes = ext
        .and_then(|e| e.1)
        .unwrap_or(row.closes_at)
        .max(row.closes_at);
    Ok((row.max_attempts + extra, closes))
}

fn attempts_of(
    conn: &mut DbConnection,
    quiz_id: i64,
    enrolment_id: i64,
) -> Result<Vec<AttemptRow>> {
    Ok(qa::table
        .filter(qa::quiz_id.eq(quiz_id))
        .filter(qa::enrolment_id.eq(enrolment_id))
        .order(qa::number.asc())
        .select(AttemptRow::as_select())
        .load(conn)?)
}

pub(crate) fn mine(
    conn: &mut DbConnection,
    svc: &Assessment,
    row: &Row,
    enrolment_id: i64,
) -> Result<super::MyQuiz> {
    let now = svc.now();
    finalise_expired(conn, &[row.id], now)?;
    let (allowed, closes) = terms(conn, row, enrolment_id)?;
    let attempts = attempts_of(conn, row.id, enrolment_id)?;
    let open = attempts.iter().any(|a| a.submitted_at.is_none());
    let in_window = row.opens_at.is_none_or(|o| o <= now) && now <= closes;
    let triples: Vec<Scored> = attempts
        .iter()
        .map(|a| (a.number, a.points, a.max_points))
        .collect();
    Ok(super::MyQuiz {
        closes_at: closes,
        attempts_allowed: allowed,
        can_start: in_window && (open || (attempts.len() as i32) < allowed),
        score: score_of(row, &triples),
        attempts: attempts.iter().map(|a| a.summary(row.max_score)).collect(),
    })
}

/// Scores every attempt of these quizzes whose deadline has passed unsubmitted.
pub(crate) fn finalise_expired(
    conn: &mut DbConnection,
    quiz_ids: &[i64],
    now: NaiveDateTime,
) -> Result<()> {
    let expired: Vec<i64> = qa::table
        .filter(qa::quiz_id.eq_any(quiz_ids))
        .filter(qa::submitted_at.is_null())
        .filter(qa::deadline_at.lt(now))
        .select(qa::id)
        .load(conn)?;
    for id in expired {
        aula_db::transaction(conn, |conn| finalise(conn, id, None))?;
    }
    Ok(())
}

/// Scores the attempt and closes it (at `at`, else at its deadline). Overridden
/// points are kept.
fn finalise(conn: &mut DbConnection, id: i64, at: Option<NaiveDateTime>) -> Result<()> {
    let attempt: AttemptRow = qa::table
        .find(id)
        .select(AttemptRow::as_select())
        .first(conn)?;
    let drawn = drawn_of(conn, id)?;
    let ids: Vec<i64> = drawn.iter().map(|d| d.question_id).collect();
    let bank = questions::by_ids(conn, &ids)?;
    let mut total = 0.0;
    for d in &drawn {
        let Some(q) = bank.get(&d.question_id) else {
            continue;
        };
        let points = scoring::score(&q.key(), d.response.as_deref());
        total += d.override_points.unwrap_or(points);
        diesel::update(
            aq::table
                .filter(aq::attempt_id.eq(id))
                .filter(aq::position.eq(d.position)),
        )
        .set(aq::points.eq(Some(points)))
        .execute(conn)?;
    }
    let at = attempt
        .submitted_at
        .or(at)
        .unwrap_or(attempt.deadline_at)
        .min(attempt.deadline_at);
    diesel::update(qa::table.find(id))
        .set((
            qa::points.eq(Some(round2(total))),
            qa::submitted_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

pub(crate) fn drawn_of(conn: &mut DbConnection, attempt_id: i64) -> Result<Vec<DrawnRow>> {
    Ok(aq::table
        .filter(aq::attempt_id.eq(attempt_id))
        .order(aq::position.asc())
        .select(DrawnRow::as_select())
        .load(conn)?)
}

/// The learner starts an attempt, or resumes the one still open.
pub fn start(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    quiz_id: i64,
    locale: Option<Locale>,
) -> Result<Attempt> {
    let now = svc.now();
    let (row, facts, viewer) = visible(conn, actor, quiz_id)?;
    let Viewer::Learner(seat) = viewer else {
        return Err(AssessmentError::Forbidden);
    };
    let (allowed, closes) = terms(conn, &row, seat.enrolment_id)?;
    if row.opens_at.is_some_and(|o| now < o) {
        return Err(AssessmentError::QuizClosed("the quiz is not open yet"));
    }
    if now > closes {
        return Err(AssessmentError::QuizClosed("the quiz is closed"));
    }
    finalise_expired(conn, &[row.id], now)?;
    let attempts = attempts_of(conn, row.id, seat.enrolment_id)?;
    if let Some(open) = attempts.iter().find(|a| a.submitted_at.is_none()) {
        return read(conn, svc, &row, open.id, false, closes, locale);
    }
    if attempts.len() as i32 >= allowed {
        return Err(AssessmentError::NoAttemptsLeft);
    }
    // Draw the questions: fixed ones in place, `count` at random for each tag, none twice.
    let parts = record::parts(conn, row.id)?;
    let mut draw = Draw::new(svc);
    let mut chosen: Vec<i64> = Vec::new();
    for p in &parts {
        match (p.question_id, &p.tag) {
            (Some(q), _) if !chosen.contains(&q) => chosen.push(q),
            (None, Some(tag)) => {
                let mut pool: Vec<i64> = questions::tagged(conn, facts.course_id, tag)?
                    .into_iter()
                    .filter(|q| !chosen.contains(q))
                    .collect();
                draw.shuffle(&mut pool);
                chosen.extend(pool.into_iter().take(p.count.max(0) as usize));
            }
            _ => {}
        }
    }
    let bank = questions::by_ids(conn, &chosen)?;
    let max_points: f64 = chosen
        .iter()
        .filter_map(|q| bank.get(q))
        .map(|q| q.points)
        .sum();
    let deadline = match row.time_limit_minutes {
        Some(m) => (now + Duration::minutes(i64::from(m))).min(closes),
        None => closes,
    };
    let number = attempts.len() as i32 + 1;
    let created = aula_db::transaction(conn, |conn| {
        let inserted = aula_db::transaction(conn, |conn| {
            diesel::insert_into(qa::table)
                .values((
                    qa::quiz_id.eq(row.id),
                    qa::enrolment_id.eq(seat.enrolment_id),
                    qa::number.eq(number),
                    qa::started_at.eq(now),
                    qa::deadline_at.eq(deadline),
                    qa::max_points.eq(round2(max_points)),
                ))
                .returning(qa::id)
                .get_result::<i64>(conn)
        });
        let id = match inserted {
            // The same person's other request started this attempt first.
            Err(e) if aula_db::is_unique_violation(&e) => return Ok(None),
            other => other?,
        };
        for (i, q) in chosen.iter().filter_map(|q| bank.get(q)).enumerate() {
            let mut order: Vec<i32> = match q.kind {
                QuestionKind::TrueFalse => vec![1, 0],
                _ => (0..q.choice_count() as i32).collect(),
            };
            if row.shuffle_choices && q.kind != QuestionKind::TrueFalse {
                draw.shuffle(&mut order);
            }
            diesel::insert_into(aq::table)
                .values((
                    aq::attempt_id.eq(id),
                    aq::position.eq(i as i32),
                    aq::question_id.eq(q.id),
                    aq::choice_order.eq(order
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(" ")),
                ))
                .execute(conn)?;
        }
        Ok::<_, AssessmentError>(Some(id))
    })?;
    let id = match created {
        Some(id) => id,
        None => attempts_of(conn, row.id, seat.enrolment_id)?
            .into_iter()
            .find(|a| a.submitted_at.is_none())
            .map(|a| a.id)
            .ok_or(AssessmentError::NoAttemptsLeft)?,
    };
    read(conn, svc, &row, id, false, closes, locale)
}

/// The attempt and who is reading it: its taker, or the offering's staff.
fn reader(
    conn: &mut DbConnection,
    actor: &User,
    attempt_id: i64,
) -> Result<(AttemptRow, Row, bool, NaiveDateTime)> {
    let attempt: AttemptRow = qa::table
        .find(attempt_id)
        .select(AttemptRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AssessmentError::AttemptNotFound)?;
    let (row, _, viewer) = match visible(conn, actor, attempt.quiz_id) {
        Ok(v) => v,
        Err(AssessmentError::QuizNotFound) => return Err(AssessmentError::AttemptNotFound),
        Err(e) => return Err(e),
    };
    let staff = match viewer {
        Viewer::Staff => true,
        Viewer::Learner(seat) if seat.enrolment_id == attempt.enrolment_id => false,
        Viewer::Learner(_) => return Err(AssessmentError::AttemptNotFound),
    };
    let (_, closes) = terms(conn, &row, attempt.enrolment_id)?;
    Ok((attempt, row, staff, closes))
}

/// An attempt, for its taker and the offering's staff.
pub fn get(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    attempt_id: i64,
    locale: Option<Locale>,
) -> Result<Attempt> {
    let (attempt, row, staff, closes) = reader(conn, actor, attempt_id)?;
    if attempt.submitted_at.is_none() && attempt.deadline_at < svc.now() {
        aula_db::transaction(conn, |conn| finalise(conn, attempt.id, None))?;
    }
    read(conn, svc, &row, attempt_id, staff, closes, locale)
}

/// The learner answers one question of their open attempt.
pub fn answer(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    attempt_id: i64,
    position: i32,
    input: &AnswerInput,
    locale: Option<Locale>,
) -> Result<Attempt> {
    let now = svc.now();
    let (attempt, row, staff, closes) = reader(conn, actor, attempt_id)?;
    if staff {
        return Err(AssessmentError::AttemptNotFound);
    }
    if attempt.submitted_at.is_some() || now > attempt.deadline_at {
        return Err(AssessmentError::AttemptClosed);
    }
    let drawn = drawn_of(conn, attempt_id)?;
    let d = drawn
        .iter()
        .find(|d| d.position == position)
        .ok_or(AssessmentError::QuestionNotFound)?;
    let q = questions::by_ids(conn, &[d.question_id])?
        .remove(&d.question_id)
        .ok_or(AssessmentError::QuestionNotFound)?;
    let response = checked_response(&q, input.response.as_deref())?;
    diesel::update(
        aq::table
            .filter(aq::attempt_id.eq(attempt_id))
            .filter(aq::position.eq(position)),
    )
    .set((aq::response.eq(response), aq::answered_at.eq(Some(now))))
    .execute(conn)?;
    read(conn, svc, &row, attempt_id, false, closes, locale)
}

/// The answer as stored, or a field error naming what is wrong with it.
fn checked_response(q: &Question, response: Option<&str>) -> Result<Option<String>> {
    let Some(text) = response.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let invalid = || AssessmentError::field("response", FieldCode::Invalid);
    match q.kind {
        QuestionKind::SingleChoice | QuestionKind::TrueFalse | QuestionKind::MultipleChoice => {
            let chosen = positions(text).ok_or_else(invalid)?;
            let n = q.choice_count() as i32;
            let one = q.kind != QuestionKind::MultipleChoice;
            if chosen.iter().any(|c| *c < 0 || *c >= n) || (one && chosen.len() != 1) {
                return Err(invalid());
            }
            Ok(Some(
                chosen
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
            ))
        }
        QuestionKind::Numeric => scoring::parse_number(text)
            .map(|_| Some(text.to_owned()))
            .ok_or_else(invalid),
        QuestionKind::ShortAnswer => {
            if text.chars().count() > 500 {
                Err(AssessmentError::field("response", FieldCode::TooLong))
            } else {
                Ok(Some(text.to_owned()))
            }
        }
    }
}

/// The learner hands the attempt in; it is scored at once. Submitting again changes
/// nothing; after the deadline only the answers given in time count.
pub fn submit(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    attempt_id: i64,
    locale: Option<Locale>,
) -> Result<Attempt> {
    let now = svc.now();
    let (attempt, row, staff, closes) = reader(conn, actor, attempt_id)?;
    if staff {
        return Err(AssessmentError::AttemptNotFound);
    }
    if attempt.submitted_at.is_none() {
        aula_db::transaction(conn, |conn| finalise(conn, attempt_id, Some(now)))?;
    }
    read(conn, svc, &row, attempt_id, false, closes, locale)
}

/// Each person's quiz score and whether they attempted it, for many quizzes in one
/// query (the gradebook).
pub(crate) fn scores(
    conn: &mut DbConnection,
    quizzes: &[Row],
) -> Result<HashMap<(i64, i64), Option<f64>>> {
    let ids: Vec<i64> = quizzes.iter().map(|q| q.id).collect();
    let rows: Vec<(i64, i64, i32, Option<f64>, f64)> = qa::table
        .filter(qa::quiz_id.eq_any(&ids))
        .select((
            qa::quiz_id,
            qa::enrolment_id,
            qa::number,
            qa::points,
            qa::max_points,
        ))
        .load(conn)?;
    let mut by: HashMap<(i64, i64), Vec<Scored>> = HashMap::new();
    for (q, e, n, p, m) in rows {
        by.entry((q, e)).or_default().push((n, p, m));
    }
    let rows_by_id: HashMap<i64, &Row> = quizzes.iter().map(|q| (q.id, q)).collect();
    Ok(by
        .into_iter()
        .filter_map(|((q, e), attempts)| {
            let row = rows_by_id.get(&q)?;
            Some(((q, e), score_of(row, &attempts)))
        })
        .collect())
}
