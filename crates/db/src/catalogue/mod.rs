//! A backend-neutral description of a migrated schema, read from each backend's own
//! catalogue, so tests can prove that the SQLite and PostgreSQL migrations agree.
//!
//! It records what the code relies on: tables, columns with a type class and
//! nullability, primary keys, foreign keys with their `ON DELETE`, unique indexes and
//! the value lists of `CHECK (column IN (…))` constraints.

use std::collections::{BTreeMap, BTreeSet};

use crate::DbConnection;

mod postgres;
mod sqlite;

/// The schema of one database, in a form both backends can produce.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub tables: BTreeMap<String, Table>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column name → (type class, nullable).
    pub columns: BTreeMap<String, (&'static str, bool)>,
    pub primary_key: Vec<String>,
    /// `column -> table.column on delete ACTION`.
    pub foreign_keys: BTreeSet<String>,
    /// The indexed columns or expressions, normalised.
    pub unique: BTreeSet<String>,
    /// Column → the values its `CHECK (column IN (…))` allows, sorted.
    pub checks: BTreeMap<String, Vec<String>>,
}

impl Catalogue {
    /// Reads the schema of the connection's database, leaving out diesel's own table.
    pub fn read(conn: &mut DbConnection) -> diesel::QueryResult<Self> {
        match conn {
            DbConnection::Sqlite(lite) => sqlite::read(lite),
            DbConnection::Postgresql(pg) => postgres::read(pg),
        }
    }

    /// The values allowed in `table.column` by a `CHECK … IN (…)`, if there is one.
    pub fn check_values(&self, table: &str, column: &str) -> Option<&[String]> {
        self.tables
            .get(table)?
            .checks
            .get(column)
            .map(Vec::as_slice)
    }

    /// One line per fact, sorted: the text kept in the checked-in snapshot.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (name, table) in &self.tables {
            out.push_str(&format!("table {name}\n"));
            for (column, (class, nullable)) in &table.columns {
                let null = if *nullable { "null" } else { "not null" };
                out.push_str(&format!("  column {column} {class} {null}\n"));
            }
            out.push_str(&format!(
                "  primary key ({})\n",
                table.primary_key.join(", ")
            ));
            for fk in &table.foreign_keys {
                out.push_str(&format!("  foreign key {fk}\n"));
            }
            for unique in &table.unique {
                out.push_str(&format!("  unique ({unique})\n"));
            }
            for (column, values) in &table.checks {
                out.push_str(&format!("  check {column} in ({})\n", values.join(", ")));
            }
        }
        out
    }
}

pub(crate) use crate::MIGRATIONS_TABLE;

fn type_class(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("bool") {
        "bool"
    } else if t.contains("timestamp") || t.contains("datetime") {
        "timestamp"
    } else if t == "date" {
        "date"
    } else if t.contains("text") || t.contains("char") {
        "text"
    } else if t.contains("real") || t.contains("float") || t.contains("double") {
        "float"
    } else {
        "other"
    }
}

fn foreign_key(from: &str, table: &str, to: &str, on_delete: &str) -> String {
    format!("{from} -> {table}.{to} on delete {on_delete}")
}

/// What an index covers: the text between the parentheses after the table name.
fn indexed_part(definition: &str) -> String {
    let Some(open) = definition.find('(') else {
        return definition.to_owned();
    };
    // The first balanced group is the indexed columns; a predicate after it makes the
    // index partial. Predicates are not compared: each dialect rewrites them its own way.
    let mut depth = 0usize;
    let mut close = definition.len();
    for (i, c) in definition[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = open + i;
                    break;
                }
            }
            _ => {}
        }
    }
    let columns = &definition[open + 1..close.max(open + 1)];
    let rest = definition
        .get(close..)
        .unwrap_or_default()
        .to_ascii_lowercase();
    if rest.contains(" where ") {
        format!("{columns}|partial")
    } else {
        columns.to_owned()
    }
}

/// Lower case, without spaces or the quotes and casts one dialect adds.
fn normalise(text: &str) -> String {
    text.replace("::text", "")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// One `column IN (…)` found in a definition: where it ends, the column, its values.
type InList = (usize, String, Vec<String>);

/// Every `column IN (…)` (or its PostgreSQL spelling) found in `sql` by `find`.
fn in_lists(sql: &str, find: fn(&str) -> Option<InList>) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    let mut rest = sql;
    while let Some((end, column, mut values)) = find(rest) {
        values.sort();
        found.insert(column, values);
        rest = &rest[end..];
    }
    found
}

/// `column IN ('a', 'b')`, as written in the `CREATE TABLE` kept by SQLite.
fn sqlite_in_list(sql: &str) -> Option<InList> {
    let upper = sql.to_ascii_uppercase();
    let at = upper.find(" IN (").or_else(|| upper.find(" IN("))?;
    let open = at + sql[at..].find('(')?;
    let close = open + sql[open..].find(')')?;
    Some((close, word_before(&sql[..at]), quoted(&sql[open..close])))
}

/// `(column = ANY (ARRAY['a'::text, 'b'::text]))`, as PostgreSQL renders `IN (…)`.
fn postgres_in_list(sql: &str) -> Option<InList> {
    let at = sql.find("= ANY (ARRAY[")?;
    let open = at + sql[at..].find('[')?;
    let close = open + sql[open..].find(']')?;
    Some((close, word_before(&sql[..at]), quoted(&sql[open..close])))
}

fn word_before(text: &str) -> String {
    text.trim_end()
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn quoted(list: &str) -> Vec<String> {
    list.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_lists_read_alike_in_both_dialects() {
        let lite = in_lists(
            "CREATE TABLE t (status TEXT NOT NULL CHECK (status IN ('b', 'a')), \
             kind TEXT CHECK (kind IN ('x')))",
            sqlite_in_list,
        );
        let pg = in_lists(
            "CHECK ((status = ANY (ARRAY['b'::text, 'a'::text])))",
            postgres_in_list,
        );
        assert_eq!(lite["status"], vec!["a", "b"]);
        assert_eq!(lite["kind"], vec!["x"]);
        assert_eq!(pg["status"], lite["status"]);
    }

    #[test]
    fn index_definitions_are_normalised_alike() {
        let lite = indexed_part("CREATE UNIQUE INDEX k ON institutions (lower(acronym))");
        let pg = indexed_part(
            "CREATE UNIQUE INDEX k ON public.institutions USING btree (lower(acronym))",
        );
        assert_eq!(normalise(&lite), normalise(&pg));
    }
}
