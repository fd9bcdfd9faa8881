//! A backend-neutral description of a migrated schema, read from each backend's own
//! catalogue, so tests can prove that the SQLite and PostgreSQL migrations agree.
//!
//! It records what the code relies on: tables, columns with a type class and
//! nullability, primary keys, foreign keys with their `ON DELETE`, unique indexes and
//! the value lists of `CHECK (column IN (…))` constraints.

use std::collections::{BTreeMap, BTreeSet};

use diesel::{
    sql_types::{BigInt, Bool, Nullable, Text},
    PgConnection, QueryableByName, RunQueryDsl, SqliteConnection,
};

use crate::DbConnection;

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
            DbConnection::Sqlite(lite) => read_sqlite(lite),
            DbConnection::Postgresql(pg) => read_postgres(pg),
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

const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    r#type: String,
    #[diesel(sql_type = Bool)]
    notnull: bool,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct SqliteForeignKey {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    from: String,
    #[diesel(sql_type = Nullable<Text>)]
    to: Option<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

#[derive(QueryableByName)]
struct SqliteIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    origin: String,
}

fn read_sqlite(conn: &mut SqliteConnection) -> diesel::QueryResult<Catalogue> {
    let tables: Vec<Named> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> ? ORDER BY name",
    )
    .bind::<Text, _>(MIGRATIONS_TABLE)
    .load(conn)?;
    let mut catalogue = Catalogue::default();
    for Named { name, sql } in tables {
        let mut table = Table::default();
        let mut columns: Vec<SqliteColumn> = diesel::sql_query(
            "SELECT name, type, \"notnull\" <> 0 AS \"notnull\", pk FROM pragma_table_info(?)",
        )
        .bind::<Text, _>(&name)
        .load(conn)?;
        columns.sort_by_key(|c| c.pk);
        for c in &columns {
            // A primary key column is never null, whatever SQLite's pragma says.
            let nullable = !c.notnull && c.pk == 0;
            table
                .columns
                .insert(c.name.clone(), (type_class(&c.r#type), nullable));
            if c.pk > 0 {
                table.primary_key.push(c.name.clone());
            }
        }
        let fks: Vec<SqliteForeignKey> = diesel::sql_query(
            "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?)",
        )
        .bind::<Text, _>(&name)
        .load(conn)?;
        for fk in fks {
            // A reference without a column names the other table's primary key.
            let to = match fk.to {
                Some(to) => to,
                None => sqlite_primary_key(conn, &fk.table)?,
            };
            table.foreign_keys.insert(foreign_key(
                &fk.from,
                &fk.table,
                &to,
                &fk.on_delete.to_ascii_lowercase(),
            ));
        }
        let indexes: Vec<SqliteIndex> = diesel::sql_query(
            "SELECT name, origin FROM pragma_index_list(?) WHERE \"unique\" <> 0 AND origin <> 'pk'",
        )
        .bind::<Text, _>(&name)
        .load(conn)?;
        for index in indexes {
            let definition = if index.origin == "c" {
                let found: Vec<Named> = diesel::sql_query(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                )
                .bind::<Text, _>(&index.name)
                .load(conn)?;
                let sql = found.into_iter().find_map(|n| n.sql).unwrap_or_default();
                indexed_part(&sql)
            } else {
                let columns: Vec<Named> = diesel::sql_query(
                    "SELECT name, NULL AS sql FROM pragma_index_info(?) ORDER BY seqno",
                )
                .bind::<Text, _>(&index.name)
                .load(conn)?;
                columns
                    .into_iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join(",")
            };
            table.unique.insert(normalise(&definition));
        }
        table.checks = in_lists(sql.as_deref().unwrap_or_default(), sqlite_in_list);
        catalogue.tables.insert(name, table);
    }
    Ok(catalogue)
}

fn sqlite_primary_key(conn: &mut SqliteConnection, table: &str) -> diesel::QueryResult<String> {
    let columns: Vec<Named> =
        diesel::sql_query("SELECT name, NULL AS sql FROM pragma_table_info(?) WHERE pk > 0")
            .bind::<Text, _>(table)
            .load(conn)?;
    Ok(columns
        .into_iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(","))
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    udt_name: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

#[derive(QueryableByName)]
struct PgForeignKey {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    from_column: String,
    #[diesel(sql_type = Text)]
    to_table: String,
    #[diesel(sql_type = Text)]
    to_column: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

#[derive(QueryableByName)]
struct PgDefinition {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    definition: String,
    #[diesel(sql_type = Bool)]
    primary: bool,
}

fn read_postgres(conn: &mut PgConnection) -> diesel::QueryResult<Catalogue> {
    let mut catalogue = Catalogue::default();
    let columns: Vec<PgColumn> = diesel::sql_query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                c.udt_name::text AS udt_name, c.is_nullable = 'YES' AS nullable \
         FROM information_schema.columns c \
         JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> $1",
    )
    .bind::<Text, _>(MIGRATIONS_TABLE)
    .load(conn)?;
    for c in columns {
        catalogue
            .tables
            .entry(c.table_name)
            .or_default()
            .columns
            .insert(c.column_name, (type_class(&c.udt_name), c.nullable));
    }
    let indexes: Vec<PgDefinition> = diesel::sql_query(
        "SELECT t.relname::text AS table_name, pg_get_indexdef(i.indexrelid) AS definition, \
                i.indisprimary AS primary \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
         WHERE t.relnamespace = current_schema()::regnamespace AND i.indisunique \
           AND t.relname <> $1",
    )
    .bind::<Text, _>(MIGRATIONS_TABLE)
    .load(conn)?;
    for index in indexes {
        let Some(table) = catalogue.tables.get_mut(&index.table_name) else {
            continue;
        };
        let part = normalise(&indexed_part(&index.definition));
        if index.primary {
            table.primary_key = part.split(',').map(str::to_owned).collect();
        } else {
            table.unique.insert(part);
        }
    }
    let fks: Vec<PgForeignKey> = diesel::sql_query(
        "SELECT t.relname::text AS table_name, a.attname::text AS from_column, \
                r.relname::text AS to_table, ra.attname::text AS to_column, \
                c.confdeltype::text AS on_delete \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class r ON r.oid = c.confrelid \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1] \
         WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace",
    )
    .load(conn)?;
    for fk in fks {
        let action = match fk.on_delete.as_str() {
            "a" => "no action",
            "r" => "restrict",
            "c" => "cascade",
            "n" => "set null",
            "d" => "set default",
            other => other,
        };
        if let Some(table) = catalogue.tables.get_mut(&fk.table_name) {
            table.foreign_keys.insert(foreign_key(
                &fk.from_column,
                &fk.to_table,
                &fk.to_column,
                action,
            ));
        }
    }
    let checks: Vec<PgDefinition> = diesel::sql_query(
        "SELECT t.relname::text AS table_name, pg_get_constraintdef(c.oid) AS definition, \
                false AS primary \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         WHERE c.contype = 'c' AND t.relnamespace = current_schema()::regnamespace",
    )
    .load(conn)?;
    for check in checks {
        if let Some(table) = catalogue.tables.get_mut(&check.table_name) {
            table
                .checks
                .extend(in_lists(&check.definition, postgres_in_list));
        }
    }
    Ok(catalogue)
}

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
    let close = definition.rfind(')').unwrap_or(definition.len());
    definition[open + 1..close.max(open + 1)].to_owned()
}

/// Lower case, without spaces or the quotes and casts one dialect adds.
fn normalise(text: &str) -> String {
    text.replace("::text", "")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Every `column IN (…)` (or its PostgreSQL spelling) found in `sql` by `find`.
fn in_lists(
    sql: &str,
    find: fn(&str) -> Option<(usize, String, Vec<String>)>,
) -> BTreeMap<String, Vec<String>> {
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
fn sqlite_in_list(sql: &str) -> Option<(usize, String, Vec<String>)> {
    let upper = sql.to_ascii_uppercase();
    let at = upper.find(" IN (").or_else(|| upper.find(" IN("))?;
    let open = at + sql[at..].find('(')?;
    let close = open + sql[open..].find(')')?;
    Some((close, word_before(&sql[..at]), quoted(&sql[open..close])))
}

/// `(column = ANY (ARRAY['a'::text, 'b'::text]))`, as PostgreSQL renders `IN (…)`.
fn postgres_in_list(sql: &str) -> Option<(usize, String, Vec<String>)> {
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
