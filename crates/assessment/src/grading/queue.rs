//! The grading queue: the latest attempt of each person that has no grade yet, or was
//! handed in after its grade, oldest first.

use std::collections::HashMap;

use aula_core::{Page, PageRequest};
use aula_db::{
    schema::{assignments, grades, submissions},
    DbConnection,
};
use aula_enrolment::participants;
use aula_identity::User;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    access,
    error::Result,
    submissions::{by_ids, Submission},
};

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueFilter {
    /// Only this assignment's work.
    pub assignment_id: Option<i64>,
}

/// Work waiting for a grade.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueItem {
    pub assignment_id: i64,
    pub assignment_title: String,
    pub max_score: i32,
    pub enrolment_id: i64,
    pub learner_name: String,
    pub learner_email: String,
    /// Graded before, on an earlier attempt.
    pub regrade: bool,
    pub submission: Submission,
}

/// The offering's queue (its staff), oldest first.
pub fn queue(
    conn: &mut DbConnection,
    actor: &User,
    offering_id: i64,
    filter: &QueueFilter,
    page: PageRequest,
) -> Result<Page<QueueItem>> {
    access::offering_staff(conn, actor, offering_id)?;
    let mut items_query = assignments::table
        .filter(assignments::offering_id.eq(offering_id))
        .into_boxed();
    if let Some(id) = filter.assignment_id {
        items_query = items_query.filter(assignments::id.eq(id));
    }
    let items: Vec<(i64, String, i32)> = items_query
        .select((assignments::id, assignments::title, assignments::max_score))
        .load(conn)?;
    let ids: Vec<i64> = items.iter().map(|i| i.0).collect();
    let attempts: Vec<(i64, i64, i64, i32, NaiveDateTime)> = submissions::table
        .filter(submissions::assignment_id.eq_any(&ids))
        .select((
            submissions::id,
            submissions::assignment_id,
            submissions::enrolment_id,
            submissions::attempt,
            submissions::submitted_at,
        ))
        .load(conn)?;
    let graded: HashMap<(i64, i64), Option<i64>> = grades::table
        .filter(grades::assignment_id.eq_any(&ids))
        .select((
            grades::assignment_id,
            grades::enrolment_id,
            grades::submission_id,
        ))
        .load::<(i64, i64, Option<i64>)>(conn)?
        .into_iter()
        .map(|(a, e, s)| ((a, e), s))
        .collect();
    let mut latest: HashMap<(i64, i64), (i64, i32, NaiveDateTime)> = HashMap::new();
    for (id, a, e, attempt, at) in attempts {
        let entry = latest.entry((a, e)).or_insert((id, attempt, at));
        if attempt > entry.1 {
            *entry = (id, attempt, at);
        }
    }
    let people: HashMap<i64, participants::Participant> =
        participants::of_offering(conn, offering_id)?
            .into_iter()
            .map(|p| (p.enrolment_id, p))
            .collect();
    // A person who has left the offering no longer waits for a grade.
    let mut waiting: Vec<(NaiveDateTime, i64, i64, i64, bool)> = latest
        .into_iter()
        .filter(|((_, e), _)| people.contains_key(e))
        .filter_map(|((a, e), (id, _, at))| match graded.get(&(a, e)) {
            None => Some((at, id, a, e, false)),
            Some(graded_sub) if *graded_sub != Some(id) => Some((at, id, a, e, true)),
            Some(_) => None,
        })
        .collect();
    waiting.sort();
    let total = waiting.len() as i64;
    let shown: Vec<_> = waiting
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .collect();
    let sub_ids: Vec<i64> = shown.iter().map(|w| w.1).collect();
    let mut subs: HashMap<i64, Submission> = by_ids(conn, &sub_ids)?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let titles: HashMap<i64, (String, i32)> =
        items.into_iter().map(|(id, t, m)| (id, (t, m))).collect();
    let out = shown
        .into_iter()
        .filter_map(|(_, sub, a, e, regrade)| {
            let submission = subs.remove(&sub)?;
            let (title, max) = titles.get(&a)?.clone();
            let person = people.get(&e)?;
            Some(QueueItem {
                assignment_id: a,
                assignment_title: title,
                max_score: max,
                enrolment_id: e,
                learner_name: person.user.full_name.clone(),
                learner_email: person.user.email.clone(),
                regrade,
                submission,
            })
        })
        .collect();
    Ok(Page::new(out, total, page))
}
