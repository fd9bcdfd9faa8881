//! A question as sent, merged over the stored one and checked: every field that is
//! wrong is named at once.

use aula_core::{FieldCode, Validation};

use super::{is_tag, Question, QuestionInput, QuestionText, MAX_CHOICES, MAX_PROMPT, MAX_TAGS};
use crate::{
    error::{AssessmentError, Result},
    model::{PartialCredit, QuestionKind},
};

/// The merged question, checked.
pub(super) fn merged(base: Option<&Question>, input: &QuestionInput) -> Result<Question> {
    let mut v = Validation::new();
    let kind = match (input.kind, base) {
        (Some(k), Some(b)) if k != b.kind => {
            v.add("kind", FieldCode::Immutable);
            b.kind
        }
        (Some(k), _) => k,
        (None, Some(b)) => b.kind,
        (None, None) => {
            v.add("kind", FieldCode::Required);
            QuestionKind::ShortAnswer
        }
    };
    let points = input.points.or(base.map(|b| b.points)).unwrap_or(1.0);
    if !points.is_finite() || points <= 0.0 || points > 100.0 {
        v.add("points", FieldCode::OutOfRange);
    }
    let mut tags: Vec<String> = match (&input.tags, base) {
        (Some(t), _) => t
            .iter()
            .map(|t| aula_catalog::text::normalize(t.trim()))
            .collect(),
        (None, Some(b)) => b.tags.clone(),
        (None, None) => Vec::new(),
    };
    tags.retain(|t| !t.is_empty());
    tags.sort();
    tags.dedup();
    if tags.len() > MAX_TAGS {
        v.add("tags", FieldCode::TooMany);
    }
    if tags.iter().any(|t| !is_tag(t)) {
        v.add("tags", FieldCode::Invalid);
    }
    let texts = match (&input.texts, base) {
        (Some(t), _) => t.clone(),
        (None, Some(b)) => b.texts.clone(),
        (None, None) => Vec::new(),
    };
    let choice_kind = matches!(
        kind,
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice
    );
    if texts.is_empty() {
        v.add("texts", FieldCode::Required);
    }
    let mut seen = Vec::new();
    let n = texts.first().map_or(0, |t| t.choices.len());
    for (i, t) in texts.iter().enumerate() {
        if seen.contains(&t.locale) {
            v.add(&format!("texts[{i}].locale"), FieldCode::Taken);
        }
        seen.push(t.locale);
        let prompt = t.prompt.trim();
        if prompt.is_empty() {
            v.add(&format!("texts[{i}].prompt"), FieldCode::Required);
        } else if prompt.chars().count() > MAX_PROMPT || t.explanation.chars().count() > MAX_PROMPT
        {
            v.add(&format!("texts[{i}].prompt"), FieldCode::TooLong);
        }
        if choice_kind {
            if t.choices.len() < 2 {
                v.add(&format!("texts[{i}].choices"), FieldCode::TooShort);
            } else if t.choices.len() > MAX_CHOICES {
                v.add(&format!("texts[{i}].choices"), FieldCode::TooMany);
            } else if t.choices.len() != n {
                v.add(&format!("texts[{i}].choices"), FieldCode::Invalid);
            }
            if t.choices
                .iter()
                .any(|c| c.trim().is_empty() || c.chars().count() > 500)
            {
                v.add(&format!("texts[{i}].choices"), FieldCode::Required);
            }
        } else if !t.choices.is_empty() {
            v.add(&format!("texts[{i}].choices"), FieldCode::Invalid);
        }
    }
    let mut correct = input
        .correct
        .clone()
        .or(base.map(|b| b.correct.clone()))
        .unwrap_or_default();
    correct.sort_unstable();
    correct.dedup();
    let count = match kind {
        QuestionKind::TrueFalse => 2,
        _ if choice_kind => n,
        _ => 0,
    };
    let in_range = correct.iter().all(|c| *c >= 0 && (*c as usize) < count);
    let right = match kind {
        QuestionKind::SingleChoice | QuestionKind::TrueFalse => correct.len() == 1 && in_range,
        QuestionKind::MultipleChoice => !correct.is_empty() && in_range,
        _ => correct.is_empty(),
    };
    if !right {
        v.add("correct", FieldCode::Invalid);
    }
    let accepted_answers: Vec<String> = match (&input.accepted_answers, base) {
        (Some(a), _) => a
            .iter()
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect(),
        (None, Some(b)) => b.accepted_answers.clone(),
        (None, None) => Vec::new(),
    };
    if kind == QuestionKind::ShortAnswer && accepted_answers.is_empty() {
        v.add("accepted_answers", FieldCode::Required);
    }
    if accepted_answers.len() > 20 || accepted_answers.iter().any(|a| a.chars().count() > 200) {
        v.add("accepted_answers", FieldCode::TooMany);
    }
    let numeric_answer = input.numeric_answer.or(base.and_then(|b| b.numeric_answer));
    if kind == QuestionKind::Numeric && !numeric_answer.is_some_and(f64::is_finite) {
        v.add("numeric_answer", FieldCode::Required);
    }
    let numeric_tolerance = input
        .numeric_tolerance
        .or(base.map(|b| b.numeric_tolerance))
        .unwrap_or(0.0);
    if !numeric_tolerance.is_finite() || numeric_tolerance < 0.0 {
        v.add("numeric_tolerance", FieldCode::MustNotBeNegative);
    }
    v.finish().map_err(AssessmentError::Validation)?;
    Ok(Question {
        id: base.map_or(0, |b| b.id),
        kind,
        points: crate::rubric::round2(points),
        tags,
        texts: texts
            .into_iter()
            .map(|t| QuestionText {
                locale: t.locale,
                prompt: t.prompt.trim().to_owned(),
                explanation: t.explanation.trim().to_owned(),
                choices: t.choices.iter().map(|c| c.trim().to_owned()).collect(),
            })
            .collect(),
        correct,
        partial_credit: input
            .partial_credit
            .or(base.map(|b| b.partial_credit))
            .unwrap_or(PartialCredit::AllOrNothing),
        accepted_answers,
        accent_insensitive: input
            .accent_insensitive
            .or(base.map(|b| b.accent_insensitive))
            .unwrap_or(true),
        numeric_answer: (kind == QuestionKind::Numeric)
            .then_some(numeric_answer)
            .flatten(),
        numeric_tolerance,
        archived: base.is_some_and(|b| b.archived),
    })
}
