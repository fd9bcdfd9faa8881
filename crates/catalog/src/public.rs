//! The published catalog answered from the in-memory snapshot ([`crate::read_model`]):
//! the same filters, order and cards as the database path in `search`, and the course
//! page as a reader who is not one of its editors sees it.

use aula_core::{Locale, Page, PageRequest};
use aula_identity::User;
use chrono::NaiveDateTime;

use crate::{
    access::teaches,
    read_model::{PublishedCourse, Snapshot},
    search::{card, prefer, Asked, CourseCard, CourseFilter, NextOffering, Sort},
    text::query_key,
    view::{assemble, CourseDetail},
};

pub(crate) fn list(
    snapshot: &Snapshot,
    asked: &Asked,
    filter: &CourseFilter,
    page: PageRequest,
    requested: Option<Locale>,
    now: NaiveDateTime,
) -> Page<CourseCard> {
    let today = now.date().format("%Y-%m-%d").to_string();
    let query = filter
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(query_key);
    // An unknown topic matches nothing, as in the database.
    let topic = filter.topic.as_deref().map(|slug| snapshot.topic_id(slug));
    let order = match asked.sort {
        Sort::Code => &snapshot.orders.code,
        Sort::Newest => &snapshot.orders.newest,
        Sort::Start => &snapshot.orders.start,
        Sort::Title => snapshot.orders.by_title(requested.unwrap_or_default()),
    };
    let matches = |c: &&PublishedCourse| {
        query.as_deref().is_none_or(|q| c.search_text.contains(q))
            && topic.is_none_or(|t| t == Some(c.row.topic_id))
            && asked.modality.is_none_or(|m| m == c.row.modality)
            && asked.programme.is_none_or(|p| p == c.row.programme_type)
            && asked.language.is_none_or(|l| c.languages.contains(&l))
            && (filter.open_now != Some(true)
                || c.offerings
                    .iter()
                    .any(|o| o.enrolment_opens_at <= now && now < o.enrolment_closes_at))
    };
    let skip = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let take = usize::try_from(page.limit()).unwrap_or(0);
    let mut total: usize = 0;
    let mut items = Vec::with_capacity(take);
    for course in order
        .iter()
        .filter_map(|&i| snapshot.courses.get(i))
        .filter(matches)
    {
        if total >= skip && items.len() < take {
            items.push(card(
                &course.row,
                &course.translations,
                course.languages.clone(),
                &snapshot.topics,
                requested,
                next_offering(course, &today, now),
            ));
        }
        total += 1;
    }
    Page::new(items, total as i64, page)
}

fn next_offering(
    course: &PublishedCourse,
    today: &str,
    now: NaiveDateTime,
) -> Option<NextOffering> {
    let mut next = None;
    for o in course
        .offerings
        .iter()
        .filter(|o| o.end_date.as_str() >= today)
    {
        let taken = o.seats_taken.load(std::sync::atomic::Ordering::Relaxed);
        prefer(
            &mut next,
            NextOffering {
                id: o.id,
                start_date: o.start_date.clone(),
                end_date: o.end_date.clone(),
                seats_left: (o.capacity - taken).max(0),
                enrolment_open: o.enrolment_opens_at <= now && now < o.enrolment_closes_at,
                admission_policy: o.admission_policy,
            },
        );
    }
    next
}

/// The course page of a published course for a reader who cannot edit it; `None` when
/// the course is not published (or unknown) or the reader is one of its editors, whose
/// page shows more and comes from the database.
pub(crate) fn detail(
    snapshot: &Snapshot,
    actor: Option<&User>,
    code: &str,
    requested: Option<Locale>,
) -> Option<CourseDetail> {
    let course = snapshot.course(code)?;
    let editor =
        actor.is_some_and(|a| a.is_admin() || (teaches(a) && course.listed.contains(&a.id)));
    if editor {
        return None;
    }
    let topic = snapshot.topics.get(&course.row.topic_id)?;
    Some(assemble(
        &course.row,
        &course.translations,
        course.languages.clone(),
        course.prerequisites.clone(),
        course.instructors.clone(),
        topic,
        requested,
        false,
        |index| course.description_html(index),
    ))
}
