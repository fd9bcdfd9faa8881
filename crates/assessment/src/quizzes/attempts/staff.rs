//! What staff do with attempts: read them all, and give a short answer other points.

use std::collections::HashMap;

use aula_core::{FieldCode, Locale, Page, PageRequest};
use aula_db::{
    schema::{attempt_questions as aq, quiz_attempts as qa},
    DbConnection,
};
use aula_enrolment::participants;
use aula_identity::User;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    drawn_of, finalise, finalise_expired, read, reader, Attempt, AttemptRow, AttemptSummary,
    PointsInput,
};
use crate::{
    error::{AssessmentError, Result},
    model::QuestionKind,
    questions,
    rubric::round2,
    service::Assessment,
};

/// Staff give a short answer other points than the automatic match, with a reason.
pub fn override_points(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    attempt_id: i64,
    position: i32,
    input: &PointsInput,
    locale: Option<Locale>,
) -> Result<Attempt> {
    let (attempt, row, staff, closes) = reader(conn, actor, attempt_id)?;
    if !staff {
        return Err(AssessmentError::Forbidden);
    }
    let drawn = drawn_of(conn, attempt_id)?;
    let d = drawn
        .iter()
        .find(|d| d.position == position)
        .ok_or(AssessmentError::QuestionNotFound)?;
    let q = questions::by_ids(conn, &[d.question_id])?
        .remove(&d.question_id)
        .ok_or(AssessmentError::QuestionNotFound)?;
    let mut v = aula_core::Validation::new();
    if q.kind != QuestionKind::ShortAnswer {
        v.add("position", FieldCode::Invalid);
    }
    if attempt.submitted_at.is_none() {
        v.add("position", FieldCode::Invalid);
    }
    if !input.points.is_finite() || input.points < 0.0 || input.points > q.points {
        v.add("points", FieldCode::OutOfRange);
    }
    let reason = input.reason.trim();
    if reason.is_empty() {
        v.add("reason", FieldCode::Required);
    } else if reason.chars().count() > 500 {
        v.add("reason", FieldCode::TooLong);
    }
    v.finish().map_err(AssessmentError::Validation)?;
    aula_db::transaction(conn, |conn| {
        diesel::update(
            aq::table
                .filter(aq::attempt_id.eq(attempt_id))
                .filter(aq::position.eq(position)),
        )
        .set((
            aq::override_points.eq(Some(round2(input.points))),
            aq::override_by.eq(Some(actor.id)),
            aq::override_reason.eq(Some(reason)),
        ))
        .execute(conn)?;
        finalise(conn, attempt_id, None)
    })?;
    read(conn, svc, &row, attempt_id, true, closes, locale)
}

/// An attempt in the staff's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffAttempt {
    pub learner_name: String,
    pub learner_email: String,
    pub enrolment_id: i64,
    #[serde(flatten)]
    pub attempt: AttemptSummary,
}

/// Every attempt at the quiz (staff), newest first.
pub fn list(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    quiz_id: i64,
    page: PageRequest,
) -> Result<Page<StaffAttempt>> {
    let (row, _) = crate::quizzes::staff(conn, actor, quiz_id)?;
    finalise_expired(conn, &[quiz_id], svc.now())?;
    let total: i64 = qa::table
        .filter(qa::quiz_id.eq(quiz_id))
        .count()
        .get_result(conn)?;
    let rows: Vec<AttemptRow> = qa::table
        .filter(qa::quiz_id.eq(quiz_id))
        .order(qa::started_at.desc())
        .offset(page.offset())
        .limit(page.limit())
        .select(AttemptRow::as_select())
        .load(conn)?;
    let people: HashMap<i64, participants::Participant> =
        participants::of_offering(conn, row.offering_id)?
            .into_iter()
            .map(|p| (p.enrolment_id, p))
            .collect();
    let items = rows
        .iter()
        .map(|a| {
            let p = people.get(&a.enrolment_id);
            StaffAttempt {
                learner_name: p.map(|p| p.user.full_name.clone()).unwrap_or_default(),
                learner_email: p.map(|p| p.user.email.clone()).unwrap_or_default(),
                enrolment_id: a.enrolment_id,
                attempt: a.summary(row.max_score),
            }
        })
        .collect();
    Ok(Page::new(items, total, page))
}
