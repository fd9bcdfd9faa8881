//! Lessons: their content (Markdown, a video, a document, a link) is for enrolled
//! learners, the course's instructors and administrators.

use aula_core::{FieldCode, Locale, Validation};
use aula_db::{
    schema::{course_modules, lessons},
    DbConnection,
};
use aula_identity::User;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Catalog;
use crate::{
    access::{can_edit, course_key_by_id, require_content_reader, CourseKey, EnrolmentCheck},
    content_translations::{self, served, ContentTranslation},
    error::{CatalogError, Result},
    model::LessonKind,
    modules::{check_order, editable_module, outline_of, Module, Order},
    storage::sniff,
    text::{is_https_url, is_web_url, markdown_to_html, required_text},
};

/// A lesson as an editor sends it; an edit sends only what changes.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct LessonInput {
    pub title: Option<String>,
    pub kind: Option<LessonKind>,
    /// Markdown, for `text` lessons.
    pub body_md: Option<String>,
    /// `https://` for `video`; `http(s)://` for `link`.
    pub url: Option<String>,
    /// Counts towards completion; default true.
    pub required: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonFile {
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// A lesson with its content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lesson {
    pub id: i64,
    pub module_id: i64,
    pub position: i32,
    /// In `locale`: the reader's language when translated, else the course's primary one.
    pub title: String,
    /// The language of `title` and `body_html`.
    pub locale: Locale,
    pub kind: LessonKind,
    pub required: bool,
    /// `text` lessons: the body rendered from Markdown and sanitised.
    pub body_html: Option<String>,
    /// `text` lessons, for the course's editors only: the Markdown source to edit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_md: Option<String>,
    pub url: Option<String>,
    pub file: Option<LessonFile>,
    /// The title and body in other languages, for the course's editors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translations: Option<Vec<ContentTranslation>>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = lessons, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct Row {
    id: i64,
    module_id: i64,
    position: i32,
    title: String,
    pub(crate) kind: LessonKind,
    pub(crate) body_md: Option<String>,
    url: Option<String>,
    file_key: Option<String>,
    file_name: Option<String>,
    file_type: Option<String>,
    file_size: Option<i64>,
    required: bool,
}

pub(crate) fn row(conn: &mut DbConnection, id: i64) -> Result<(Row, i64)> {
    lessons::table
        .inner_join(course_modules::table)
        .filter(lessons::id.eq(id))
        .select((Row::as_select(), course_modules::course_id))
        .first(conn)
        .optional()?
        .ok_or(CatalogError::LessonNotFound)
}

/// A lesson as its editors see it: primary texts, Markdown source, translations.
fn for_editor(conn: &mut DbConnection, id: i64) -> Result<Lesson> {
    let (row, course_id) = row(conn, id)?;
    localized(conn, row, course_id, None, true)
}

/// The lesson in its primary text; [`localized`] serves a translation.
fn to_lesson(r: Row) -> Lesson {
    let kind = r.kind;
    Lesson {
        id: r.id,
        module_id: r.module_id,
        position: r.position,
        title: r.title,
        body_html: r
            .body_md
            .as_deref()
            .filter(|_| kind == LessonKind::Text)
            .map(markdown_to_html),
        body_md: None,
        url: r.url,
        file: match (r.file_key, r.file_name, r.file_type, r.file_size) {
            (Some(_), Some(name), Some(content_type), Some(size)) => Some(LessonFile {
                name,
                content_type,
                size,
            }),
            _ => None,
        },
        kind,
        required: r.required,
        locale: Locale::default(),
        translations: None,
    }
}

/// The lesson in `requested` when translated (title, and body of a text lesson); its
/// editors also get the Markdown source and every translation.
pub(crate) fn localized(
    conn: &mut DbConnection,
    row: Row,
    course_id: i64,
    requested: Option<Locale>,
    editor: bool,
) -> Result<Lesson> {
    let primary = content_translations::primary_of(conn, course_id)?;
    let texts = content_translations::of_lessons(conn, &[row.id])?.remove(&row.id);
    let (locale, found) = served(requested, primary, texts.as_ref());
    let text = row.kind == LessonKind::Text;
    let source = row.body_md.clone().filter(|_| text);
    let title = found.map(|t| t.title.clone());
    let body = found.and_then(|t| t.body_md.clone()).filter(|_| text);
    let mut lesson = to_lesson(row);
    lesson.locale = locale;
    if let Some(title) = title {
        lesson.title = title;
    }
    if let Some(body) = body {
        lesson.body_html = Some(markdown_to_html(&body));
    }
    if editor {
        lesson.body_md = source;
        lesson.translations = Some(texts.unwrap_or_default());
    }
    Ok(lesson)
}

/// The lesson's course, when `actor` may read its content.
fn readable(
    conn: &mut DbConnection,
    actor: Option<&User>,
    id: i64,
    enrolments: &dyn EnrolmentCheck,
) -> Result<(Row, CourseKey)> {
    let (row, course_id) = row(conn, id)?;
    let course = course_key_by_id(conn, course_id)?;
    require_content_reader(conn, actor, &course, enrolments).map_err(|e| match e {
        CatalogError::CourseNotFound => CatalogError::LessonNotFound,
        other => other,
    })?;
    Ok((row, course))
}

/// A lesson with its content, in `requested` when translated.
pub fn get(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: Option<&User>,
    id: i64,
    requested: Option<Locale>,
) -> Result<Lesson> {
    let enrolments = catalog.enrolments();
    let (row, course) = readable(conn, actor, id, enrolments)?;
    let editor = match actor {
        Some(actor) => can_edit(conn, actor, &course)?,
        None => false,
    };
    localized(conn, row, course.id, requested, editor)
}

pub(crate) fn editable(conn: &mut DbConnection, actor: &User, id: i64) -> Result<Row> {
    let (row, _) = row(conn, id)?;
    editable_module(conn, actor, row.module_id).map_err(|e| match e {
        CatalogError::ModuleNotFound => CatalogError::LessonNotFound,
        other => other,
    })?;
    Ok(row)
}

/// Whether `actor` may attach a file to the lesson: asked before its bytes are read.
pub fn require_file_editor(conn: &mut DbConnection, actor: &User, id: i64) -> Result<()> {
    editable(conn, actor, id).map(|_| ())
}

/// Checks the lesson as it would be after `input`, recording field errors.
fn check(v: &mut Validation, kind: LessonKind, input: &LessonInput, current: Option<&Row>) {
    if let Some(title) = &input.title {
        required_text(v, "title", title, 200);
    }
    let url = input
        .url
        .as_deref()
        .or(current.and_then(|c| c.url.as_deref()));
    match kind {
        LessonKind::Text => {
            let body = input
                .body_md
                .as_deref()
                .or(current.and_then(|c| c.body_md.as_deref()));
            if body.is_none_or(|b| b.trim().is_empty()) {
                v.add("body_md", FieldCode::Required);
            } else if body.is_some_and(|b| b.len() > 200_000) {
                v.add("body_md", FieldCode::TooLong);
            }
        }
        LessonKind::Video if !url.is_some_and(is_https_url) => {
            v.add("url", FieldCode::HttpsRequired)
        }
        LessonKind::Link if !url.is_some_and(is_web_url) => v.add("url", FieldCode::InvalidUrl),
        _ => {}
    }
}

/// Appends a lesson to a module (its course's editors).
pub fn create(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    module_id: i64,
    input: &LessonInput,
) -> Result<Lesson> {
    let now = catalog.now();
    editable_module(conn, actor, module_id)?;
    let mut v = Validation::new();
    if input.title.is_none() {
        v.add("title", FieldCode::Required);
    }
    if input.kind.is_none() {
        v.add("kind", FieldCode::Required);
    }
    let kind = input.kind.unwrap_or(LessonKind::Text);
    check(&mut v, kind, input, None);
    v.finish().map_err(CatalogError::Validation)?;
    let last: Option<i32> = lessons::table
        .filter(lessons::module_id.eq(module_id))
        .select(diesel::dsl::max(lessons::position))
        .first(conn)?;
    let id = diesel::insert_into(lessons::table)
        .values((
            lessons::module_id.eq(module_id),
            lessons::position.eq(last.unwrap_or(0) + 1),
            lessons::title.eq(input.title.as_deref().unwrap_or_default().trim()),
            lessons::kind.eq(kind.as_str()),
            lessons::body_md.eq(&input.body_md),
            lessons::url.eq(input.url.as_deref().map(str::trim)),
            lessons::required.eq(input.required.unwrap_or(true)),
            lessons::created_at.eq(now),
            lessons::updated_at.eq(now),
        ))
        .returning(lessons::id)
        .get_result::<i64>(conn)?;
    for_editor(conn, id)
}

pub fn update(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    id: i64,
    input: &LessonInput,
) -> Result<Lesson> {
    let now = catalog.now();
    let current = editable(conn, actor, id)?;
    let kind = input.kind.unwrap_or(current.kind);
    let mut v = Validation::new();
    check(&mut v, kind, input, Some(&current));
    v.finish().map_err(CatalogError::Validation)?;
    let target = lessons::table.find(id);
    aula_db::transaction(conn, |conn| {
        if let Some(title) = &input.title {
            diesel::update(target)
                .set(lessons::title.eq(title.trim()))
                .execute(conn)?;
        }
        if let Some(body) = &input.body_md {
            diesel::update(target)
                .set(lessons::body_md.eq(body))
                .execute(conn)?;
        }
        if let Some(url) = &input.url {
            diesel::update(target)
                .set(lessons::url.eq(url.trim()))
                .execute(conn)?;
        }
        if let Some(required) = input.required {
            diesel::update(target)
                .set(lessons::required.eq(required))
                .execute(conn)?;
        }
        diesel::update(target)
            .set((lessons::kind.eq(kind.as_str()), lessons::updated_at.eq(now)))
            .execute(conn)?;
        for_editor(conn, id)
    })
}

pub fn delete(conn: &mut DbConnection, catalog: &Catalog, actor: &User, id: i64) -> Result<()> {
    let storage = catalog.storage();
    let current = editable(conn, actor, id)?;
    diesel::delete(lessons::table.find(id)).execute(conn)?;
    if let Some(key) = current.file_key {
        if let Err(e) = storage.delete(&key) {
            tracing::warn!(key, error = %e, "could not remove a lesson's file");
        }
    }
    Ok(())
}

/// Puts a module's lessons in the given order (its course's editors).
pub fn reorder(
    conn: &mut DbConnection,
    actor: &User,
    module_id: i64,
    order: &Order,
) -> Result<Module> {
    let course = editable_module(conn, actor, module_id)?;
    aula_db::transaction(conn, |conn| {
        let current: Vec<i64> = lessons::table
            .filter(lessons::module_id.eq(module_id))
            .select(lessons::id)
            .load(conn)?;
        check_order(&current, &order.ids)?;
        for (index, id) in order.ids.iter().enumerate() {
            diesel::update(lessons::table.find(id))
                .set(lessons::position.eq(index as i32 + 1))
                .execute(conn)?;
        }
        outline_of(conn, course.id, None, true)?
            .into_iter()
            .find(|m| m.id == module_id)
            .ok_or(CatalogError::ModuleNotFound)
    })
}

/// A document as received: the name the client gave, its bytes, and the size limit.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub limit: usize,
}

/// Stores an uploaded document as the lesson's file, after checking its size and its
/// type by content (the name's extension is ignored).
pub fn attach_file(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: &User,
    id: i64,
    upload: Upload<'_>,
) -> Result<Lesson> {
    let storage = catalog.storage();
    let now = catalog.now();
    let current = editable(conn, actor, id)?;
    let Upload { name, bytes, limit } = upload;
    if bytes.len() > limit {
        return Err(CatalogError::FileTooLarge { limit });
    }
    let content_type = sniff(bytes)?;
    let name = aula_core::clean_file_name(name, "document");
    let digest = aula_core::sha256_hex(bytes);
    let key = format!("lessons/{id}/{digest}");
    storage.put(&key, bytes)?;
    diesel::update(lessons::table.find(id))
        .set((
            lessons::kind.eq(LessonKind::File.as_str()),
            lessons::file_key.eq(&key),
            lessons::file_name.eq(&name),
            lessons::file_type.eq(content_type),
            lessons::file_size.eq(bytes.len() as i64),
            lessons::updated_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(old) = current.file_key.filter(|old| *old != key) {
        let _ = storage.delete(&old);
    }
    for_editor(conn, id)
}

/// The lesson's document: (name, media type, bytes), for those who may read it.
pub fn file(
    conn: &mut DbConnection,
    catalog: &Catalog,
    actor: Option<&User>,
    id: i64,
) -> Result<(String, String, Vec<u8>)> {
    let storage = catalog.storage();
    let enrolments = catalog.enrolments();
    let (row, _) = readable(conn, actor, id, enrolments)?;
    match (row.file_key, row.file_name, row.file_type) {
        (Some(key), Some(name), Some(content_type)) => Ok((name, content_type, storage.get(&key)?)),
        _ => Err(CatalogError::FileNotFound),
    }
}
