//! An assignment as sent, merged over the stored one and checked: every field that is
//! wrong is named at once.

use aula_core::{FieldCode, Validation};
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::{AssignmentInput, MAX_FILES, MAX_INSTRUCTIONS, MAX_TITLE};
use crate::{
    error::{AssessmentError, Result},
    model::{FileKind, LatePolicy, MissingWork},
    record::Row,
    service::Assessment,
    weights::TOTAL_WEIGHT,
};

pub(super) struct Values {
    pub title: String,
    pub instructions: String,
    pub opens_at: Option<NaiveDateTime>,
    pub due_at: NaiveDateTime,
    pub late_policy: LatePolicy,
    pub late_penalty_percent: i32,
    pub cutoff_at: Option<NaiveDateTime>,
    pub max_score: i32,
    pub weight: i32,
    pub missing_work: MissingWork,
    pub accepts_text: bool,
    pub accepts_files: bool,
    pub max_files: i32,
    pub max_file_bytes: i64,
    pub allowed_types: Vec<FileKind>,
}

pub(super) fn merged(
    base: Option<&Row>,
    input: &AssignmentInput,
    svc: &Assessment,
) -> Result<Values> {
    let mut v = Validation::new();
    let title = match (&input.title, base) {
        (Some(t), _) => text(&mut v, "title", t, MAX_TITLE, true),
        (None, Some(b)) => b.title.clone(),
        (None, None) => {
            v.add("title", FieldCode::Required);
            String::new()
        }
    };
    let instructions = match (&input.instructions, base) {
        (Some(t), _) => text(&mut v, "instructions", t, MAX_INSTRUCTIONS, false),
        (None, Some(b)) => b.instructions.clone(),
        (None, None) => String::new(),
    };
    let due_at = match (input.due_at, base) {
        (Some(d), _) => d.naive_utc(),
        (None, Some(b)) => b.due_at,
        (None, None) => {
            v.add("due_at", FieldCode::Required);
            NaiveDateTime::default()
        }
    };
    let opens_at = match (input.opens_at, base) {
        (Some(o), _) => o.map(|d| d.naive_utc()),
        (None, b) => b.and_then(|b| b.opens_at),
    };
    let cutoff_at = match (input.cutoff_at, base) {
        (Some(c), _) => c.map(|d| d.naive_utc()),
        (None, b) => b.and_then(|b| b.cutoff_at),
    };
    if opens_at.is_some_and(|o| o >= due_at) {
        v.add("due_at", FieldCode::BeforeOpening);
    }
    if cutoff_at.is_some_and(|c| c < due_at) {
        v.add("cutoff_at", FieldCode::BeforeStart);
    }
    let pick_i32 =
        |new: Option<i32>, old: Option<i32>, default: i32| new.or(old).unwrap_or(default);
    let late_policy = input
        .late_policy
        .or(base.map(|b| b.late_policy))
        .unwrap_or(LatePolicy::Accept);
    let late_penalty_percent = pick_i32(
        input.late_penalty_percent,
        base.map(|b| b.late_penalty_percent),
        0,
    );
    if !(0..=100).contains(&late_penalty_percent) {
        v.add("late_penalty_percent", FieldCode::OutOfRange);
    }
    let max_score = match (input.max_score, base) {
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
    let weight = pick_i32(input.weight, base.map(|b| b.weight), 0);
    if !(0..=TOTAL_WEIGHT).contains(&weight) {
        v.add("weight", FieldCode::OutOfRange);
    }
    let accepts_text = input
        .accepts_text
        .or(base.map(|b| b.accepts_text))
        .unwrap_or(true);
    let accepts_files = input
        .accepts_files
        .or(base.map(|b| b.accepts_files))
        .unwrap_or(true);
    if !accepts_text && !accepts_files {
        v.add("accepts_files", FieldCode::Required);
    }
    let max_files = pick_i32(input.max_files, base.map(|b| b.max_files), 3);
    if !(1..=MAX_FILES).contains(&max_files) {
        v.add("max_files", FieldCode::OutOfRange);
    }
    let max_file_bytes = input
        .max_file_bytes
        .or(base.map(|b| b.max_file_bytes))
        .unwrap_or(svc.max_file_bytes);
    if !(1..=svc.max_file_bytes).contains(&max_file_bytes) {
        v.add("max_file_bytes", FieldCode::OutOfRange);
    }
    let allowed_types = match (&input.allowed_types, base) {
        (Some(kinds), _) => {
            let mut kinds = kinds.clone();
            kinds.sort_by_key(|k| k.as_str());
            kinds.dedup();
            kinds
        }
        (None, Some(b)) => FileKind::split(&b.allowed_types)?,
        (None, None) => vec![FileKind::Pdf],
    };
    if accepts_files && allowed_types.is_empty() {
        v.add("allowed_types", FieldCode::Required);
    }
    v.finish().map_err(AssessmentError::Validation)?;
    Ok(Values {
        title,
        instructions,
        opens_at,
        due_at,
        late_policy,
        late_penalty_percent,
        cutoff_at,
        max_score,
        weight,
        missing_work: input
            .missing_work
            .or(base.map(|b| b.missing_work))
            .unwrap_or(MissingWork::Zero),
        accepts_text,
        accepts_files,
        max_files,
        max_file_bytes,
        allowed_types,
    })
}

/// A field that may be sent as `null` to clear it: absent is `None`, `null` is
/// `Some(None)`.
pub(crate) fn present<'de, D, T>(d: D) -> std::result::Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

fn text(v: &mut Validation, field: &str, value: &str, max: usize, required: bool) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        v.add(field, FieldCode::Required);
    } else if value.chars().count() > max {
        v.add(field, FieldCode::TooLong);
    }
    value.to_owned()
}
