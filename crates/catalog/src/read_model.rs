//! The published catalog kept in memory. It changes a few times a day and is read
//! thousands of times a minute, so list and course-page reads are answered from a
//! snapshot instead of six queries each.
//!
//! Coherence: triggers bump `catalog_version` whenever anything a card or course page
//! shows is written, by any instance or command. A snapshot is trusted for
//! `refresh_every` (250 ms by default) after its version was last confirmed; then the
//! next reader compares the version (one single-row query), re-reads the seats taken,
//! and rebuilds only when the version moved, while the others keep being served the
//! snapshot for at most two more intervals. Writes made through this process's own
//! catalog functions also call [`note_change`], so its next read checks at once.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering},
        Arc, Mutex, OnceLock, RwLock,
    },
    time::{Duration, Instant},
};

use aula_core::Locale;
use aula_db::{
    schema::{
        catalog_version, course_instructors, course_prerequisites, courses, offerings, user_roles,
        users,
    },
    DbConnection,
};
use aula_identity::Role;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::{
    error::Result,
    model::{AdmissionPolicy, CourseStatus},
    search::OfferingSummary,
    text::markdown_to_html,
    topics::{all_rows, TopicRow},
    view::{languages_of, translations_of, CourseRow, InstructorRef, TranslationRow},
};

/// How long a confirmed snapshot is served before the version is compared again.
pub const DEFAULT_REFRESH: Duration = Duration::from_millis(250);

static LOCAL_CHANGES: AtomicU64 = AtomicU64::new(0);

/// Called by every catalog function that writes what the catalog shows: this
/// process's next read confirms the version instead of trusting its snapshot.
pub(crate) fn note_change() {
    LOCAL_CHANGES.fetch_add(1, Ordering::SeqCst);
}

/// The version the triggers keep; 0 before the first change.
fn read_version(conn: &mut DbConnection) -> Result<i64> {
    Ok(catalog_version::table
        .select(catalog_version::version)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

pub struct ReadModel {
    refresh_every: Duration,
    current: RwLock<Option<Confirmed>>,
    /// One rebuild at a time; the others wait for it and share its result.
    rebuilding: Mutex<()>,
    /// Set by the one reader that goes to confirm an expired snapshot; meanwhile the
    /// others keep serving it, for up to `GRACE` intervals, instead of all queueing for
    /// a connection at the same moment.
    confirming: AtomicBool,
}

/// How many refresh intervals an expired snapshot may still be served while another
/// reader confirms it (with the 250 ms default: a change is seen within 750 ms).
const GRACE: u32 = 3;

#[derive(Clone)]
struct Confirmed {
    snapshot: Arc<Snapshot>,
    at: Instant,
    local_changes: u64,
}

impl ReadModel {
    pub fn new(refresh_every: Duration) -> Self {
        Self {
            refresh_every,
            current: RwLock::new(None),
            rebuilding: Mutex::new(()),
            confirming: AtomicBool::new(false),
        }
    }

    /// The snapshot, if confirmed recently enough for `today` and nothing was written
    /// through this process since: no database needed. Once that expires, the first
    /// caller gets `None` (and confirms it through [`Self::current`]) while the others
    /// keep getting the snapshot, for a bounded time.
    pub(crate) fn fresh(&self, today: NaiveDate) -> Option<Arc<Snapshot>> {
        let guard = self.current.read().ok()?;
        let confirmed = guard.as_ref()?;
        if confirmed.holds(today, self.refresh_every) {
            return Some(confirmed.snapshot.clone());
        }
        if confirmed.snapshot.built_for != today {
            return None;
        }
        let someone_confirms = self.confirming.swap(true, Ordering::SeqCst);
        let within_grace = confirmed.at.elapsed() < self.refresh_every * GRACE;
        (someone_confirms && within_grace).then(|| confirmed.snapshot.clone())
    }

    /// A snapshot confirmed against the database now (rebuilt if the version moved).
    pub(crate) fn current(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
    ) -> Result<Arc<Snapshot>> {
        let today = now.date();
        let _one = self.rebuilding.lock().unwrap_or_else(|e| e.into_inner());
        // Whatever happens below, the next expired read may confirm again.
        let _done = ClearOnDrop(&self.confirming);
        if let Some(snapshot) = self.confirmed_within(today, self.refresh_every) {
            return Ok(snapshot);
        }
        self.confirm_locked(conn, now)
    }

    /// Reads the version, re-reads seats or rebuilds; the caller holds `rebuilding`.
    fn confirm_locked(&self, conn: &mut DbConnection, now: NaiveDateTime) -> Result<Arc<Snapshot>> {
        let today = now.date();
        // Counted before the version is read: a write after this forces another check.
        let local_changes = LOCAL_CHANGES.load(Ordering::SeqCst);
        let version = read_version(conn)?;
        let previous = self
            .current
            .read()
            .ok()
            .and_then(|guard| guard.as_ref().map(|c| c.snapshot.clone()));
        let snapshot = match previous {
            Some(snapshot) if snapshot.version == version && snapshot.built_for == today => {
                snapshot.refresh_seats(conn)?;
                snapshot
            }
            _ => Arc::new(Snapshot::build(conn, version, now)?),
        };
        let confirmed = Confirmed {
            snapshot: snapshot.clone(),
            at: Instant::now(),
            local_changes,
        };
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(confirmed);
        }
        Ok(snapshot)
    }

    /// Confirms the snapshot against the database now, whatever its age: what a
    /// server's background refresher calls a little more often than `refresh_every`,
    /// so that requests find it confirmed and never wait for the check themselves.
    pub(crate) fn confirm(&self, conn: &mut DbConnection, now: NaiveDateTime) -> Result<()> {
        let _one = self.rebuilding.lock().unwrap_or_else(|e| e.into_inner());
        self.confirm_locked(conn, now).map(|_| ())
    }

    /// The snapshot if confirmed less than `within` ago and nothing changed locally.
    fn confirmed_within(&self, today: NaiveDate, within: Duration) -> Option<Arc<Snapshot>> {
        let guard = self.current.read().ok()?;
        let confirmed = guard.as_ref()?;
        confirmed
            .holds(today, within)
            .then(|| confirmed.snapshot.clone())
    }
}

impl Confirmed {
    /// Built for `today`, confirmed less than `within` ago, and nothing written through
    /// this process since.
    fn holds(&self, today: NaiveDate, within: Duration) -> bool {
        self.snapshot.built_for == today
            && self.local_changes == LOCAL_CHANGES.load(Ordering::SeqCst)
            && self.at.elapsed() < within
    }
}

struct ClearOnDrop<'a>(&'a AtomicBool);

impl Drop for ClearOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Default for ReadModel {
    fn default() -> Self {
        Self::new(DEFAULT_REFRESH)
    }
}

/// What the public sees of the catalog at one version.
pub(crate) struct Snapshot {
    version: i64,
    built_for: NaiveDate,
    /// Published courses, by id.
    pub courses: Vec<PublishedCourse>,
    by_code: HashMap<String, usize>,
    pub topics: HashMap<i64, TopicRow>,
    topic_ids: HashMap<String, i64>,
    offering_at: HashMap<i64, (usize, usize)>,
    /// Positions in `courses` in each order a list can ask for, sorted once per build.
    pub orders: Orders,
}

pub(crate) struct Orders {
    pub code: Vec<usize>,
    pub newest: Vec<usize>,
    /// Next edition first (editions not over on the day the snapshot is for).
    pub start: Vec<usize>,
    /// By title in each language of `Locale::ALL` (falling back to the primary one).
    pub title: [Vec<usize>; 4],
}

pub(crate) struct PublishedCourse {
    pub row: CourseRow,
    /// Accent-folded text the search matches (see `text::searchable`).
    pub search_text: String,
    /// In `Locale::ALL` order.
    pub translations: Vec<TranslationRow>,
    /// Accent-folded, lower-case titles, parallel to `translations`, for sorting.
    pub title_keys: Vec<String>,
    /// Rendered on first view, parallel to `translations`.
    descriptions: Vec<OnceLock<String>>,
    pub languages: Vec<Locale>,
    /// Everyone listed as an instructor, role or not (for who may edit).
    pub listed: Vec<i64>,
    /// Listed instructors holding the role, by name (what the page shows).
    pub instructors: Vec<InstructorRef>,
    pub prerequisites: Vec<String>,
    /// Editions not over when the snapshot was built, or still taking enrolments; by
    /// start date.
    pub offerings: Vec<CachedOffering>,
}

pub(crate) struct CachedOffering {
    pub id: i64,
    pub start_date: String,
    pub end_date: String,
    pub capacity: i32,
    pub seats_taken: AtomicI32,
    pub enrolment_opens_at: NaiveDateTime,
    pub enrolment_closes_at: NaiveDateTime,
    pub admission_policy: AdmissionPolicy,
}

impl PublishedCourse {
    /// The rendered description of `translations[index]`.
    pub fn description_html(&self, index: usize) -> String {
        match (self.descriptions.get(index), self.translations.get(index)) {
            (Some(cell), Some(t)) => cell
                .get_or_init(|| markdown_to_html(&t.description_md))
                .clone(),
            _ => String::new(),
        }
    }
}

impl Snapshot {
    fn build(conn: &mut DbConnection, version: i64, now: NaiveDateTime) -> Result<Self> {
        let today = now.date().format("%Y-%m-%d").to_string();
        let rows: Vec<(CourseRow, String)> = courses::table
            .filter(courses::status.eq(CourseStatus::Published.as_str()))
            .order(courses::id)
            .select((CourseRow::as_select(), courses::search_text))
            .load(conn)?;
        let ids: Vec<i64> = rows.iter().map(|(row, _)| row.id).collect();
        let mut translations = translations_of(conn, &ids)?;
        let mut languages = languages_of(conn, &ids)?;
        let mut prerequisites: HashMap<i64, Vec<String>> = HashMap::new();
        for (course_id, code) in course_prerequisites::table
            .inner_join(courses::table.on(courses::id.eq(course_prerequisites::prerequisite_id)))
            .filter(course_prerequisites::course_id.eq_any(&ids))
            .select((course_prerequisites::course_id, courses::code))
            .order(courses::code)
            .load::<(i64, String)>(conn)?
        {
            prerequisites.entry(course_id).or_default().push(code);
        }
        let mut listed: HashMap<i64, Vec<i64>> = HashMap::new();
        for (course_id, user_id) in course_instructors::table
            .filter(course_instructors::course_id.eq_any(&ids))
            .select((course_instructors::course_id, course_instructors::user_id))
            .load::<(i64, i64)>(conn)?
        {
            listed.entry(course_id).or_default().push(user_id);
        }
        let mut instructors: HashMap<i64, Vec<InstructorRef>> = HashMap::new();
        for (course_id, id, full_name) in course_instructors::table
            .inner_join(users::table)
            .filter(course_instructors::course_id.eq_any(&ids))
            .filter(
                course_instructors::user_id.eq_any(
                    user_roles::table
                        .filter(user_roles::role.eq(Role::Instructor.as_str()))
                        .select(user_roles::user_id),
                ),
            )
            .select((course_instructors::course_id, users::id, users::full_name))
            .order((users::full_name, users::id))
            .load::<(i64, i64, String)>(conn)?
        {
            instructors
                .entry(course_id)
                .or_default()
                .push(InstructorRef { id, full_name });
        }
        let mut editions: HashMap<i64, Vec<CachedOffering>> = HashMap::new();
        for o in offerings::table
            .filter(offerings::course_id.eq_any(&ids))
            .filter(
                offerings::end_date
                    .ge(&today)
                    .or(offerings::enrolment_closes_at.gt(now)),
            )
            .order((offerings::start_date.asc(), offerings::id.asc()))
            .select(OfferingSummary::as_select())
            .load(conn)?
        {
            editions
                .entry(o.course_id)
                .or_default()
                .push(CachedOffering {
                    id: o.id,
                    start_date: o.start_date,
                    end_date: o.end_date,
                    capacity: o.capacity,
                    seats_taken: AtomicI32::new(o.seats_taken),
                    enrolment_opens_at: o.enrolment_opens_at,
                    enrolment_closes_at: o.enrolment_closes_at,
                    admission_policy: o.admission_policy,
                });
        }
        let topic_rows = all_rows(conn)?;

        let mut courses = Vec::with_capacity(rows.len());
        for (row, search_text) in rows {
            let texts = translations.remove(&row.id).unwrap_or_default();
            courses.push(PublishedCourse {
                title_keys: texts
                    .iter()
                    .map(|t| crate::text::normalize(&t.title))
                    .collect(),
                descriptions: texts.iter().map(|_| OnceLock::new()).collect(),
                translations: texts,
                languages: languages.remove(&row.id).unwrap_or_default(),
                listed: listed.remove(&row.id).unwrap_or_default(),
                instructors: instructors.remove(&row.id).unwrap_or_default(),
                prerequisites: prerequisites.remove(&row.id).unwrap_or_default(),
                offerings: editions.remove(&row.id).unwrap_or_default(),
                search_text,
                row,
            });
        }
        let orders = Orders::of(&courses, &today);
        let by_code = courses
            .iter()
            .enumerate()
            .map(|(i, c)| (c.row.code.clone(), i))
            .collect();
        let offering_at = courses
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                c.offerings
                    .iter()
                    .enumerate()
                    .map(move |(j, o)| (o.id, (i, j)))
            })
            .collect();
        Ok(Self {
            version,
            built_for: now.date(),
            courses,
            by_code,
            topic_ids: topic_rows.iter().map(|t| (t.slug.clone(), t.id)).collect(),
            topics: topic_rows.into_iter().map(|t| (t.id, t)).collect(),
            offering_at,
            orders,
        })
    }

    /// Seats change with every enrolment without moving the version: re-read them.
    fn refresh_seats(&self, conn: &mut DbConnection) -> Result<()> {
        let ids: Vec<i64> = self.offering_at.keys().copied().collect();
        let seats: Vec<(i64, i32)> = offerings::table
            .filter(offerings::id.eq_any(&ids))
            .select((offerings::id, offerings::seats_taken))
            .load(conn)?;
        for (id, taken) in seats {
            if let Some(&(i, j)) = self.offering_at.get(&id) {
                if let Some(o) = self.courses.get(i).and_then(|c| c.offerings.get(j)) {
                    o.seats_taken.store(taken, Ordering::Relaxed);
                }
            }
        }
        Ok(())
    }

    pub fn course(&self, code: &str) -> Option<&PublishedCourse> {
        self.by_code
            .get(&code.trim().to_uppercase())
            .and_then(|&i| self.courses.get(i))
    }

    pub fn topic_id(&self, slug: &str) -> Option<i64> {
        self.topic_ids.get(slug).copied()
    }
}

impl Orders {
    fn of(courses: &[PublishedCourse], today: &str) -> Self {
        let sorted = |key: &dyn Fn(&PublishedCourse, &PublishedCourse) -> std::cmp::Ordering| {
            let mut order: Vec<usize> = (0..courses.len()).collect();
            // Ties go by id, as the database path orders.
            order.sort_by(|&a, &b| {
                let (a, b) = (&courses[a], &courses[b]);
                key(a, b).then(a.row.id.cmp(&b.row.id))
            });
            order
        };
        Self {
            code: sorted(&|a, b| a.row.code.cmp(&b.row.code)),
            newest: sorted(&|a, b| b.row.created_at.cmp(&a.row.created_at)),
            start: sorted(&|a, b| a.first_start(today).cmp(b.first_start(today))),
            title: Locale::ALL
                .map(|locale| sorted(&|a, b| a.title_key(locale).cmp(b.title_key(locale)))),
        }
    }

    pub fn by_title(&self, locale: Locale) -> &[usize] {
        let at = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
        &self.title[at]
    }
}

impl PublishedCourse {
    /// The title in `locale`, else in the course's primary language, folded for sorting.
    fn title_key(&self, locale: Locale) -> &str {
        let at = |l: Locale| self.translations.iter().position(|t| t.locale == l);
        at(locale)
            .or_else(|| at(self.row.primary()))
            .and_then(|i| self.title_keys.get(i))
            .map_or("", String::as_str)
    }

    fn first_start(&self, today: &str) -> &str {
        self.offerings
            .iter()
            .filter(|o| o.end_date.as_str() >= today)
            .map(|o| o.start_date.as_str())
            .min()
            .unwrap_or("9999-12-31")
    }
}
