//! The public catalog list: search, filters, sorting and what a course card needs,
//! in a fixed number of queries whatever the page size.

use std::collections::HashMap;

use aula_core::{FieldCode, Locale, Page, PageRequest, Validation};
use aula_db::{
    schema::{course_instructors, course_languages, courses, offerings, topics, user_roles},
    DbConnection,
};
use aula_identity::{Role, User};
use chrono::NaiveDateTime;
use diesel::{dsl::sql, prelude::*, sql_types::Text};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    error::{CatalogError, Result},
    model::{parse_choice, AdmissionPolicy, CourseStatus, Level, Modality, ProgrammeType},
    public,
    text::like_pattern,
    topics::{all_rows, Topic, TopicRow},
    view::{languages_of, pick, translations_of, CourseRow, TranslationRow},
    Catalog,
};

/// `GET /courses` filters; all optional.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseFilter {
    /// Words of a title, summary or code in any language; case and accents do not matter.
    pub q: Option<String>,
    /// Topic slug.
    pub topic: Option<String>,
    /// `online`, `in_person` or `blended`.
    #[param(pattern = "^(online|in_person|blended)$")]
    pub modality: Option<String>,
    /// A language of instruction: `es`, `en`, `pt`, `fr`.
    #[param(pattern = "^(es|en|pt|fr)$")]
    pub language: Option<String>,
    /// Programme type: `course`, `workshop`, `diploma`, `seminar`.
    #[serde(rename = "type")]
    #[param(rename = "type", pattern = "^(course|workshop|diploma|seminar)$")]
    pub programme_type: Option<String>,
    /// Only courses with an offering whose enrolment window is open now.
    pub open_now: Option<bool>,
    /// `title` (default), `code`, `start` (next offering first) or `newest`.
    #[param(pattern = "^(title|code|start|newest)$")]
    pub sort: Option<String>,
    /// `draft`, `published`, `archived` or `all`: administrators, and instructors
    /// together with `mine`; everyone else sees published courses.
    #[param(pattern = "^(draft|published|archived|all)$")]
    pub status: Option<String>,
    /// Only the courses the signed-in person teaches.
    pub mine: Option<bool>,
}

/// The edition a course card shows: the first one open for enrolment now, else the
/// earliest one not yet over.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NextOffering {
    pub id: i64,
    pub start_date: String,
    pub end_date: String,
    pub seats_left: i32,
    pub enrolment_open: bool,
    pub admission_policy: AdmissionPolicy,
}

/// What a catalog card shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseCard {
    pub id: i64,
    pub code: String,
    pub status: CourseStatus,
    /// The language of `title` and `summary`.
    pub locale: Locale,
    pub available_locales: Vec<Locale>,
    pub title: String,
    pub summary: String,
    pub topic: Topic,
    pub programme_type: ProgrammeType,
    pub modality: Modality,
    pub level: Level,
    pub hours: i32,
    pub languages: Vec<Locale>,
    pub next_offering: Option<NextOffering>,
}

pub(crate) enum Sort {
    Title,
    Code,
    Start,
    Newest,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = offerings, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct OfferingSummary {
    pub course_id: i64,
    pub id: i64,
    pub start_date: String,
    pub end_date: String,
    pub capacity: i32,
    pub seats_taken: i32,
    pub enrolment_opens_at: NaiveDateTime,
    pub enrolment_closes_at: NaiveDateTime,
    pub admission_policy: AdmissionPolicy,
}

/// A filter read and checked: what to look for, whoever asks.
pub(crate) struct Asked {
    pub statuses: Vec<&'static str>,
    pub teacher: Option<i64>,
    pub modality: Option<Modality>,
    pub programme: Option<ProgrammeType>,
    pub language: Option<Locale>,
    pub sort: Sort,
}

impl Asked {
    /// The published catalog as anyone sees it: served from the in-memory snapshot.
    pub fn is_public(&self) -> bool {
        self.teacher.is_none() && self.statuses == [CourseStatus::Published.as_str()]
    }
}

fn read(filter: &CourseFilter, actor: Option<&User>) -> Result<Asked> {
    let mut v = Validation::new();
    let modality: Option<Modality> = filter
        .modality
        .as_deref()
        .and_then(|m| parse_choice(&mut v, "modality", m));
    let programme: Option<ProgrammeType> = filter
        .programme_type
        .as_deref()
        .and_then(|t| parse_choice(&mut v, "type", t));
    let language: Option<Locale> = filter
        .language
        .as_deref()
        .and_then(|l| parse_choice(&mut v, "language", l));
    let sort = match filter.sort.as_deref().unwrap_or("title") {
        "title" => Sort::Title,
        "code" => Sort::Code,
        "start" => Sort::Start,
        "newest" => Sort::Newest,
        _ => {
            v.add("sort", FieldCode::InvalidChoice);
            Sort::Title
        }
    };
    let teacher = actor.filter(|_| filter.mine == Some(true)).map(|a| a.id);
    let any_status = actor.is_some_and(User::is_admin) || teacher.is_some();
    // A status is checked whoever asks, and only applied for those who may choose it.
    let asked: Option<Vec<&'static str>> = match filter.status.as_deref() {
        Some("all") => Some(CourseStatus::ALL.iter().map(|s| s.as_str()).collect()),
        Some(s) => parse_choice::<CourseStatus>(&mut v, "status", s).map(|s| vec![s.as_str()]),
        None => None,
    };
    let statuses: Vec<&'static str> = match asked {
        Some(statuses) if any_status => statuses,
        _ => vec![CourseStatus::Published.as_str()],
    };
    v.finish().map_err(CatalogError::Validation)?;
    Ok(Asked {
        statuses,
        teacher,
        modality,
        programme,
        language,
        sort,
    })
}

/// The published catalog page from memory when the snapshot was confirmed recently:
/// `Ok(None)` means the database must be asked ([`list`]). Invalid filters are
/// refused here as there.
pub fn list_from_memory(
    catalog: &Catalog,
    actor: Option<&User>,
    filter: &CourseFilter,
    page: PageRequest,
    requested: Option<Locale>,
) -> Result<Option<Page<CourseCard>>> {
    let asked = read(filter, actor)?;
    if !asked.is_public() {
        return Ok(None);
    }
    let now = catalog.now();
    Ok(catalog
        .read_model()
        .fresh(now.date())
        .map(|snapshot| public::list(&snapshot, &asked, filter, page, requested, now)))
}

/// A page of courses visible to `actor`, with text in `requested` where translated.
pub fn list(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: Option<&User>,
    filter: &CourseFilter,
    page: PageRequest,
    requested: Option<Locale>,
) -> Result<Page<CourseCard>> {
    let now = catalog.now();
    let asked = read(filter, actor)?;
    if asked.is_public() {
        let snapshot = catalog.read_model().current(conn, now)?;
        return Ok(public::list(
            &snapshot, &asked, filter, page, requested, now,
        ));
    }
    let Asked {
        statuses,
        teacher,
        modality,
        programme,
        language,
        sort,
    } = asked;
    let today = now.date().format("%Y-%m-%d").to_string();

    let filtered = || {
        let mut query = courses::table.into_boxed();
        query = query.filter(courses::status.eq_any(statuses.clone()));
        if let Some(user_id) = teacher {
            // Without the role a person's listings are inert: they teach nothing.
            let listed = course_instructors::table
                .filter(course_instructors::user_id.eq(user_id))
                .filter(
                    course_instructors::user_id.eq_any(
                        user_roles::table
                            .filter(user_roles::role.eq(Role::Instructor.as_str()))
                            .select(user_roles::user_id),
                    ),
                )
                .select(course_instructors::course_id);
            query = query.filter(courses::id.eq_any(listed));
        }
        if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            query = query.filter(courses::search_text.like(like_pattern(q)).escape('\\'));
        }
        if let Some(slug) = filter.topic.as_deref() {
            query = query.filter(
                courses::topic_id.eq_any(
                    topics::table
                        .filter(topics::slug.eq(slug.to_owned()))
                        .select(topics::id),
                ),
            );
        }
        if let Some(m) = modality {
            query = query.filter(courses::modality.eq(m.as_str()));
        }
        if let Some(t) = programme {
            query = query.filter(courses::programme_type.eq(t.as_str()));
        }
        if let Some(l) = language {
            query = query.filter(
                courses::id.eq_any(
                    course_languages::table
                        .filter(course_languages::locale.eq(l.as_str()))
                        .select(course_languages::course_id),
                ),
            );
        }
        if filter.open_now == Some(true) {
            query = query.filter(
                courses::id.eq_any(
                    offerings::table
                        .filter(offerings::enrolment_opens_at.le(now))
                        .filter(offerings::enrolment_closes_at.gt(now))
                        .select(offerings::course_id),
                ),
            );
        }
        query
    };
    let total = filtered().count().get_result::<i64>(conn)?;
    let ordered = match sort {
        Sort::Code => filtered().order(courses::code.asc()),
        Sort::Newest => filtered().order(courses::created_at.desc()),
        Sort::Title => {
            // Values come from closed enums only, so the fragment holds no user input.
            let locale = requested.unwrap_or_default().as_str();
            filtered().order(sql::<Text>(&format!(
                "lower(COALESCE((SELECT t.title FROM course_translations t WHERE t.course_id = courses.id AND t.locale = '{locale}'), \
                 (SELECT t.title FROM course_translations t WHERE t.course_id = courses.id AND t.locale = courses.primary_language), ''))"
            )))
        }
        Sort::Start => filtered().order(sql::<Text>(&format!(
            "COALESCE((SELECT MIN(o.start_date) FROM offerings o WHERE o.course_id = courses.id AND o.end_date >= '{today}'), '9999-12-31')"
        ))),
    };
    let rows: Vec<CourseRow> = ordered
        .then_order_by(courses::id.asc())
        .select(CourseRow::as_select())
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;

    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut translations = translations_of(conn, &ids)?;
    let mut languages = languages_of(conn, &ids)?;
    let topic_rows: HashMap<i64, _> = all_rows(conn)?.into_iter().map(|t| (t.id, t)).collect();
    let upcoming: Vec<OfferingSummary> = offerings::table
        .filter(offerings::course_id.eq_any(&ids))
        .filter(offerings::end_date.ge(&today))
        .select(OfferingSummary::as_select())
        .order((offerings::start_date.asc(), offerings::id.asc()))
        .load(conn)?;
    let mut next: HashMap<i64, Option<NextOffering>> = HashMap::new();
    for o in upcoming {
        let candidate = NextOffering {
            id: o.id,
            start_date: o.start_date,
            end_date: o.end_date,
            seats_left: (o.capacity - o.seats_taken).max(0),
            enrolment_open: o.enrolment_opens_at <= now && now < o.enrolment_closes_at,
            admission_policy: o.admission_policy,
        };
        prefer(next.entry(o.course_id).or_default(), candidate);
    }
    let items = rows
        .iter()
        .map(|row| {
            let texts = translations.remove(&row.id).unwrap_or_default();
            let languages = languages.remove(&row.id).unwrap_or_default();
            let next = next.remove(&row.id).flatten();
            card(row, &texts, languages, &topic_rows, requested, next)
        })
        .collect();
    Ok(Page::new(items, total, page))
}

/// The card points at the first edition one can enrol in; failing that, at the
/// earliest one not yet over (candidates come by start date).
pub(crate) fn prefer(current: &mut Option<NextOffering>, candidate: NextOffering) {
    let replace = current
        .as_ref()
        .is_none_or(|c| !c.enrolment_open && candidate.enrolment_open);
    if replace {
        *current = Some(candidate);
    }
}

/// A course card in `requested` where translated, else the course's primary language.
pub(crate) fn card(
    row: &CourseRow,
    texts: &[TranslationRow],
    languages: Vec<Locale>,
    topics: &HashMap<i64, TopicRow>,
    requested: Option<Locale>,
    next_offering: Option<NextOffering>,
) -> CourseCard {
    let (locale, text) = pick(texts, requested, row.primary());
    CourseCard {
        id: row.id,
        code: row.code.clone(),
        status: row.status,
        locale,
        available_locales: texts.iter().map(|t| t.locale).collect(),
        title: text.map(|t| t.title.clone()).unwrap_or_default(),
        summary: text.map(|t| t.summary.clone()).unwrap_or_default(),
        topic: topics
            .get(&row.topic_id)
            .map(|t| t.localized(requested.unwrap_or(locale)))
            .unwrap_or_else(|| Topic {
                id: row.topic_id,
                slug: String::new(),
                name: String::new(),
            }),
        programme_type: row.programme_type,
        modality: row.modality,
        level: row.level,
        hours: row.hours,
        languages,
        next_offering,
    }
}
