//! A course's outline: ordered modules, each with ordered lessons.

use std::collections::HashMap;

use aula_core::{FieldCode, Validation};
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
    access::{course_key, course_key_by_id, require_editor, require_visible, CourseKey},
    error::{CatalogError, Result},
    model::LessonKind,
    text::required_text,
};

/// A lesson as the outline shows it: its title is public, its content is not.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonOutline {
    pub id: i64,
    pub position: i32,
    pub title: String,
    pub kind: LessonKind,
    /// Counts towards completion.
    pub required: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Module {
    pub id: i64,
    pub position: i32,
    pub title: String,
    pub lessons: Vec<LessonOutline>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ModuleInput {
    pub title: String,
}

/// The new order: every id of the list, each once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Order {
    pub ids: Vec<i64>,
}

/// The modules of a course with their lessons, in order (two queries).
pub fn outline(conn: &mut DbConnection, actor: Option<&User>, code: &str) -> Result<Vec<Module>> {
    let course = course_key(conn, code)?;
    require_visible(conn, actor, &course)?;
    outline_of(conn, course.id)
}

pub(crate) fn outline_of(conn: &mut DbConnection, course_id: i64) -> Result<Vec<Module>> {
    let modules: Vec<(i64, i32, String)> = course_modules::table
        .filter(course_modules::course_id.eq(course_id))
        .select((
            course_modules::id,
            course_modules::position,
            course_modules::title,
        ))
        .order((course_modules::position.asc(), course_modules::id.asc()))
        .load(conn)?;
    let ids: Vec<i64> = modules.iter().map(|m| m.0).collect();
    let rows: Vec<(i64, i64, i32, String, LessonKind, bool)> = lessons::table
        .filter(lessons::module_id.eq_any(&ids))
        .select((
            lessons::module_id,
            lessons::id,
            lessons::position,
            lessons::title,
            lessons::kind,
            lessons::required,
        ))
        .order((lessons::position.asc(), lessons::id.asc()))
        .load(conn)?;
    let mut by_module: HashMap<i64, Vec<LessonOutline>> = HashMap::new();
    for (module_id, id, position, title, kind, required) in rows {
        by_module.entry(module_id).or_default().push(LessonOutline {
            id,
            position,
            title,
            kind,
            required,
        });
    }
    Ok(modules
        .into_iter()
        .map(|(id, position, title)| Module {
            id,
            position,
            title,
            lessons: by_module.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// The course of a module, when `actor` may edit it.
pub(crate) fn editable_module(
    conn: &mut DbConnection,
    actor: &User,
    module_id: i64,
) -> Result<CourseKey> {
    let course_id: i64 = course_modules::table
        .find(module_id)
        .select(course_modules::course_id)
        .first(conn)
        .optional()?
        .ok_or(CatalogError::ModuleNotFound)?;
    let course = course_key_by_id(conn, course_id)?;
    require_editor(conn, actor, &course).map_err(|e| match e {
        CatalogError::CourseNotFound => CatalogError::ModuleNotFound,
        other => other,
    })?;
    Ok(course)
}

fn module(conn: &mut DbConnection, course_id: i64, id: i64) -> Result<Module> {
    outline_of(conn, course_id)?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(CatalogError::ModuleNotFound)
}

/// Appends a module to a course (its editors).
pub fn create(
    conn: &mut DbConnection,
    actor: &User,
    code: &str,
    input: &ModuleInput,
) -> Result<Module> {
    let course = course_key(conn, code)?;
    require_editor(conn, actor, &course)?;
    let mut v = Validation::new();
    let title = required_text(&mut v, "title", &input.title, 200);
    v.finish().map_err(CatalogError::Validation)?;
    let last: Option<i32> = course_modules::table
        .filter(course_modules::course_id.eq(course.id))
        .select(diesel::dsl::max(course_modules::position))
        .first(conn)?;
    let id = diesel::insert_into(course_modules::table)
        .values((
            course_modules::course_id.eq(course.id),
            course_modules::position.eq(last.unwrap_or(0) + 1),
            course_modules::title.eq(title),
        ))
        .returning(course_modules::id)
        .get_result::<i64>(conn)?;
    module(conn, course.id, id)
}

pub fn rename(
    conn: &mut DbConnection,
    actor: &User,
    id: i64,
    input: &ModuleInput,
) -> Result<Module> {
    let course = editable_module(conn, actor, id)?;
    let mut v = Validation::new();
    let title = required_text(&mut v, "title", &input.title, 200);
    v.finish().map_err(CatalogError::Validation)?;
    diesel::update(course_modules::table.find(id))
        .set(course_modules::title.eq(title))
        .execute(conn)?;
    module(conn, course.id, id)
}

/// Removes a module and its lessons (its course's editors).
/// Deletes a module with its lessons and their stored documents (its course's editors).
pub fn delete(conn: &mut DbConnection, catalog: &Catalog, actor: &User, id: i64) -> Result<()> {
    let storage = catalog.storage();
    editable_module(conn, actor, id)?;
    let files: Vec<Option<String>> = lessons::table
        .filter(lessons::module_id.eq(id))
        .select(lessons::file_key)
        .load(conn)?;
    diesel::delete(course_modules::table.find(id)).execute(conn)?;
    // Files go only once their rows are gone, so no lesson ever points at a missing file.
    for key in files.into_iter().flatten() {
        if let Err(e) = storage.delete(&key) {
            tracing::warn!(key, error = %e, "could not remove a lesson's file");
        }
    }
    Ok(())
}

/// Checks that `ids` is exactly `current` in some order, then numbers them 1, 2, 3…
pub(crate) fn check_order(current: &[i64], ids: &[i64]) -> Result<()> {
    let mut a = current.to_vec();
    let mut b = ids.to_vec();
    a.sort_unstable();
    b.sort_unstable();
    if a == b {
        Ok(())
    } else {
        Err(CatalogError::field("ids", FieldCode::NotAPermutation))
    }
}

/// Puts a course's modules in the given order (its editors).
pub fn reorder(
    conn: &mut DbConnection,
    actor: &User,
    code: &str,
    order: &Order,
) -> Result<Vec<Module>> {
    let course = course_key(conn, code)?;
    require_editor(conn, actor, &course)?;
    aula_db::transaction(conn, |conn| {
        let current: Vec<i64> = course_modules::table
            .filter(course_modules::course_id.eq(course.id))
            .select(course_modules::id)
            .load(conn)?;
        check_order(&current, &order.ids)?;
        for (index, id) in order.ids.iter().enumerate() {
            diesel::update(course_modules::table.find(id))
                .set(course_modules::position.eq(index as i32 + 1))
                .execute(conn)?;
        }
        outline_of(conn, course.id)
    })
}
