//! The question bank of a course: questions of five kinds, tagged, with their text in
//! any of the four languages. Only the course's staff read the bank: it holds the
//! answers.

use std::collections::HashMap;

use aula_catalog::{access::course_key, admission::is_staff};
use aula_core::{Locale, Page, PageRequest};
use aula_db::{
    schema::{question_answers, question_choices, question_texts, questions},
    DbConnection,
};
use aula_identity::User;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

mod check;

use crate::{
    error::{AssessmentError, Result},
    model::{PartialCredit, QuestionKind},
    scoring::{positions, Key},
    service::Assessment,
};
use check::merged;

const MAX_PROMPT: usize = 4_000;
const MAX_CHOICES: usize = 10;
const MAX_TAGS: usize = 10;

/// A question as staff send it: `kind` and at least one text to create one; only what
/// changes to edit one (a list replaces the whole list).
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct QuestionInput {
    /// Fixed once created.
    pub kind: Option<QuestionKind>,
    /// More than 0, at most 100; default 1.
    pub points: Option<f64>,
    /// Lower-case words random draws pick from (`pensiones`, `actuaria`).
    pub tags: Option<Vec<String>>,
    /// The question in one or more languages; choice questions list their choices in
    /// the same order in every language.
    pub texts: Option<Vec<QuestionText>>,
    /// Positions (from 0) of the right choices; true/false: `[1]` for true, `[0]` for false.
    pub correct: Option<Vec<i32>>,
    pub partial_credit: Option<PartialCredit>,
    /// Short answer: every answer accepted.
    pub accepted_answers: Option<Vec<String>>,
    /// Short answer: ignore accents when comparing (default true; case is always ignored).
    pub accent_insensitive: Option<bool>,
    pub numeric_answer: Option<f64>,
    pub numeric_tolerance: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct QuestionText {
    pub locale: Locale,
    pub prompt: String,
    /// Shown with the right answer once a quiz is closed for the learner.
    #[serde(default)]
    pub explanation: String,
    /// Choice questions only.
    #[serde(default)]
    pub choices: Vec<String>,
}

/// A question of the bank, with its answers (staff only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub points: f64,
    pub tags: Vec<String>,
    pub texts: Vec<QuestionText>,
    pub correct: Vec<i32>,
    pub partial_credit: PartialCredit,
    pub accepted_answers: Vec<String>,
    pub accent_insensitive: bool,
    pub numeric_answer: Option<f64>,
    pub numeric_tolerance: f64,
    pub archived: bool,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BankFilter {
    /// Questions carrying this tag.
    pub tag: Option<String>,
    /// Also retired questions.
    #[serde(default)]
    pub archived: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = questions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct Row {
    pub id: i64,
    pub course_id: i64,
    pub kind: QuestionKind,
    pub points: f64,
    pub tags: String,
    pub correct: String,
    pub partial_credit: PartialCredit,
    pub accent_insensitive: bool,
    pub numeric_answer: Option<f64>,
    pub numeric_tolerance: f64,
    pub archived_at: Option<NaiveDateTime>,
}

fn broken(what: &str) -> AssessmentError {
    AssessmentError::Database(diesel::result::Error::DeserializationError(
        format!("{what} is not stored as expected").into(),
    ))
}

/// The course by code, for its staff; `CourseNotFound` for anyone else.
pub(crate) fn require_course_staff(
    conn: &mut DbConnection,
    actor: &User,
    code: &str,
) -> Result<i64> {
    let course = course_key(conn, code)?;
    if is_staff(conn, actor, course.id)? {
        Ok(course.id)
    } else {
        Err(AssessmentError::Catalog(
            aula_catalog::CatalogError::CourseNotFound,
        ))
    }
}

fn load_row(conn: &mut DbConnection, actor: &User, id: i64) -> Result<Row> {
    let row: Row = questions::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(AssessmentError::QuestionNotFound)?;
    if !is_staff(conn, actor, row.course_id)? {
        return Err(AssessmentError::QuestionNotFound);
    }
    Ok(row)
}

/// Rows with their texts, choices and answers, in three queries.
pub(crate) fn hydrate(conn: &mut DbConnection, rows: Vec<Row>) -> Result<Vec<Question>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let texts: Vec<(i64, Locale, String, String)> = question_texts::table
        .filter(question_texts::question_id.eq_any(&ids))
        .select((
            question_texts::question_id,
            question_texts::locale,
            question_texts::prompt,
            question_texts::explanation,
        ))
        .load(conn)?;
    let choices: Vec<(i64, Locale, i32, String)> = question_choices::table
        .filter(question_choices::question_id.eq_any(&ids))
        .order((question_choices::question_id, question_choices::position))
        .select((
            question_choices::question_id,
            question_choices::locale,
            question_choices::position,
            question_choices::text,
        ))
        .load(conn)?;
    let answers: Vec<(i64, String)> = question_answers::table
        .filter(question_answers::question_id.eq_any(&ids))
        .select((question_answers::question_id, question_answers::answer))
        .load(conn)?;
    let mut by_text: HashMap<(i64, Locale), Vec<String>> = HashMap::new();
    for (q, locale, _, text) in choices {
        by_text.entry((q, locale)).or_default().push(text);
    }
    let mut texts_of: HashMap<i64, Vec<QuestionText>> = HashMap::new();
    for (q, locale, prompt, explanation) in texts {
        texts_of.entry(q).or_default().push(QuestionText {
            locale,
            prompt,
            explanation,
            choices: by_text.remove(&(q, locale)).unwrap_or_default(),
        });
    }
    let mut answers_of: HashMap<i64, Vec<String>> = HashMap::new();
    for (q, a) in answers {
        answers_of.entry(q).or_default().push(a);
    }
    rows.into_iter()
        .map(|r| {
            let mut texts = texts_of.remove(&r.id).unwrap_or_default();
            texts.sort_by_key(|t| Locale::ALL.iter().position(|l| *l == t.locale));
            Ok(Question {
                correct: positions(&r.correct).ok_or_else(|| broken("a question's key"))?,
                id: r.id,
                kind: r.kind,
                points: r.points,
                tags: r.tags.split_whitespace().map(str::to_owned).collect(),
                texts,
                partial_credit: r.partial_credit,
                accepted_answers: answers_of.remove(&r.id).unwrap_or_default(),
                accent_insensitive: r.accent_insensitive,
                numeric_answer: r.numeric_answer,
                numeric_tolerance: r.numeric_tolerance,
                archived: r.archived_at.is_some(),
            })
        })
        .collect()
}

impl Question {
    pub(crate) fn key(&self) -> Key {
        Key {
            kind: self.kind,
            points: self.points,
            correct: self.correct.clone(),
            choices: self.texts.first().map_or(0, |t| t.choices.len()),
            partial_credit: self.partial_credit,
            accepted: self.accepted_answers.clone(),
            accent_insensitive: self.accent_insensitive,
            numeric_answer: self.numeric_answer,
            numeric_tolerance: self.numeric_tolerance,
        }
    }

    /// How many choices are shown (true/false: two).
    pub(crate) fn choice_count(&self) -> usize {
        match self.kind {
            QuestionKind::TrueFalse => 2,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                self.texts.first().map_or(0, |t| t.choices.len())
            }
            _ => 0,
        }
    }
}

pub(crate) fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> Result<HashMap<i64, Question>> {
    let rows: Vec<Row> = questions::table
        .filter(questions::id.eq_any(ids))
        .select(Row::as_select())
        .load(conn)?;
    Ok(hydrate(conn, rows)?
        .into_iter()
        .map(|q| (q.id, q))
        .collect())
}

fn write(conn: &mut DbConnection, id: i64, q: &Question, now: NaiveDateTime) -> Result<()> {
    let correct = q
        .correct
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    diesel::update(questions::table.find(id))
        .set((
            questions::points.eq(q.points),
            questions::tags.eq(q.tags.join(" ")),
            questions::correct.eq(correct),
            questions::partial_credit.eq(q.partial_credit),
            questions::accent_insensitive.eq(q.accent_insensitive),
            questions::numeric_answer.eq(q.numeric_answer),
            questions::numeric_tolerance.eq(q.numeric_tolerance),
            questions::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(question_texts::table.filter(question_texts::question_id.eq(id)))
        .execute(conn)?;
    diesel::delete(question_choices::table.filter(question_choices::question_id.eq(id)))
        .execute(conn)?;
    diesel::delete(question_answers::table.filter(question_answers::question_id.eq(id)))
        .execute(conn)?;
    for t in &q.texts {
        diesel::insert_into(question_texts::table)
            .values((
                question_texts::question_id.eq(id),
                question_texts::locale.eq(t.locale),
                question_texts::prompt.eq(&t.prompt),
                question_texts::explanation.eq(&t.explanation),
            ))
            .execute(conn)?;
        for (i, c) in t.choices.iter().enumerate() {
            diesel::insert_into(question_choices::table)
                .values((
                    question_choices::question_id.eq(id),
                    question_choices::locale.eq(t.locale),
                    question_choices::position.eq(i as i32),
                    question_choices::text.eq(c),
                ))
                .execute(conn)?;
        }
    }
    let mut answers = q.accepted_answers.clone();
    answers.sort();
    answers.dedup();
    for a in answers {
        diesel::insert_into(question_answers::table)
            .values((
                question_answers::question_id.eq(id),
                question_answers::answer.eq(a),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Staff add a question to the course's bank.
pub fn create(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    course_code: &str,
    input: &QuestionInput,
) -> Result<Question> {
    let course_id = require_course_staff(conn, actor, course_code)?;
    let q = merged(None, input)?;
    let now = svc.now();
    let id = aula_db::transaction(conn, |conn| {
        let id: i64 = diesel::insert_into(questions::table)
            .values((
                questions::course_id.eq(course_id),
                questions::kind.eq(q.kind),
                questions::points.eq(q.points),
                questions::created_at.eq(now),
                questions::updated_at.eq(now),
            ))
            .returning(questions::id)
            .get_result(conn)?;
        write(conn, id, &q, now)?;
        Ok::<_, AssessmentError>(id)
    })?;
    get(conn, actor, id)
}

/// Staff change a question. Attempts already scored keep their points.
pub fn update(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    id: i64,
    input: &QuestionInput,
) -> Result<Question> {
    let row = load_row(conn, actor, id)?;
    let base = hydrate(conn, vec![row])?
        .pop()
        .ok_or(AssessmentError::QuestionNotFound)?;
    let q = merged(Some(&base), input)?;
    let now = svc.now();
    aula_db::transaction(conn, |conn| write(conn, id, &q, now))?;
    get(conn, actor, id)
}

/// Staff retire a question (or bring it back): random draws and new quizzes skip it.
pub fn set_archived(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    id: i64,
    archived: bool,
) -> Result<Question> {
    load_row(conn, actor, id)?;
    diesel::update(questions::table.find(id))
        .set(questions::archived_at.eq(archived.then(|| svc.now())))
        .execute(conn)?;
    get(conn, actor, id)
}

/// One question of a bank, for the course's staff.
pub fn get(conn: &mut DbConnection, actor: &User, id: i64) -> Result<Question> {
    let row = load_row(conn, actor, id)?;
    hydrate(conn, vec![row])?
        .pop()
        .ok_or(AssessmentError::QuestionNotFound)
}

/// The course's bank (its staff), newest first.
pub fn list(
    conn: &mut DbConnection,
    actor: &User,
    course_code: &str,
    filter: &BankFilter,
    page: PageRequest,
) -> Result<Page<Question>> {
    let course_id = require_course_staff(conn, actor, course_code)?;
    let query = || {
        let mut q = questions::table
            .filter(questions::course_id.eq(course_id))
            .into_boxed();
        if !filter.archived {
            q = q.filter(questions::archived_at.is_null());
        }
        if let Some(tag) = filter
            .tag
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let tag = aula_catalog::text::normalize(tag);
            if !is_tag(&tag) {
                // No stored tag looks like this.
                q = q.filter(questions::id.eq(-1));
                return q;
            }
            // Tags are space-separated words of `is_tag`'s alphabet: match a whole word.
            q = q.filter(
                questions::tags
                    .eq(tag.clone())
                    .or(questions::tags.like(format!("{tag} %")))
                    .or(questions::tags.like(format!("% {tag}")))
                    .or(questions::tags.like(format!("% {tag} %"))),
            );
        }
        q
    };
    let total: i64 = query().count().get_result(conn)?;
    let rows: Vec<Row> = query()
        .order(questions::id.desc())
        .offset(page.offset())
        .limit(page.limit())
        .select(Row::as_select())
        .load(conn)?;
    Ok(Page::new(hydrate(conn, rows)?, total, page))
}

/// The course a question belongs to.
pub(crate) fn course_of(conn: &mut DbConnection, id: i64) -> Result<Option<i64>> {
    Ok(questions::table
        .find(id)
        .select(questions::course_id)
        .first(conn)
        .optional()?)
}

/// A tag as stored: 1–40 of `a-z`, `0-9` and `-` (accents are dropped first).
pub(crate) fn is_tag(t: &str) -> bool {
    (1..=40).contains(&t.chars().count())
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Ids of the course's live questions carrying `tag`.
pub(crate) fn tagged(conn: &mut DbConnection, course_id: i64, tag: &str) -> Result<Vec<i64>> {
    let rows: Vec<(i64, String)> = questions::table
        .filter(questions::course_id.eq(course_id))
        .filter(questions::archived_at.is_null())
        .select((questions::id, questions::tags))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, tags)| tags.split_whitespace().any(|t| t == tag))
        .map(|(id, _)| id)
        .collect())
}
