//! What to copy and in which order: the application tables of the SQLite database,
//! their columns typed by the PostgreSQL schema, their keys, and an insert order in
//! which every table comes after the tables its foreign keys point to.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::{
    pg::PgConnection,
    sql_types::{BigInt, Nullable, Text},
    sqlite::SqliteConnection,
    QueryableByName, RunQueryDsl,
};

use super::{values::Kind, Context, CopyError};

// diesel's record of applied migrations: the target has its own, never copied.
pub use aula_db::MIGRATIONS_TABLE;

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    /// PostgreSQL fills it from a sequence (an identity or serial column).
    pub has_sequence: bool,
}

/// A foreign key from a table to itself, as column positions in that table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfReference {
    pub from: Vec<usize>,
    pub to: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    /// In SQLite's column order.
    pub columns: Vec<Column>,
    /// Positions of the primary key's columns (all columns for a table without one):
    /// rows are read in this order on both sides.
    pub key: Vec<usize>,
    /// Tables this one's foreign keys point to, itself excluded.
    pub parents: BTreeSet<String>,
    pub self_references: Vec<SelfReference>,
}

impl Table {
    pub fn has_sequence(&self) -> bool {
        self.columns.iter().any(|c| c.has_sequence)
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    /// Position in the primary key, from 1; 0 for other columns.
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct SqliteForeignKey {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    parent: String,
    #[diesel(sql_type = Text)]
    from_column: String,
    /// NULL when the key points to the parent's primary key.
    #[diesel(sql_type = Nullable<Text>)]
    to_column: Option<String>,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    has_sequence: bool,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

/// An identifier quoted for SQL (both databases use double quotes).
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables of the target's current schema (PostgreSQL), the migrations table included.
pub fn pg_tables(pg: &mut PgConnection) -> Result<Vec<String>, CopyError> {
    let names: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .load(pg)
    .context("listing the PostgreSQL tables")?;
    Ok(names.into_iter().map(|n| n.name).collect())
}

fn sqlite_tables(lite: &mut SqliteConnection) -> Result<Vec<String>, CopyError> {
    let names: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .load(lite)
    .context("listing the SQLite tables")?;
    Ok(names.into_iter().map(|n| n.name).collect())
}

fn versions_sqlite(lite: &mut SqliteConnection) -> Result<BTreeSet<String>, CopyError> {
    let rows: Vec<Version> = diesel::sql_query(format!(
        "SELECT CAST(version AS TEXT) AS version FROM {}",
        ident(MIGRATIONS_TABLE)
    ))
    .load(lite)
    .context("reading the SQLite database's migrations")?;
    Ok(rows.into_iter().map(|v| v.version).collect())
}

fn versions_pg(pg: &mut PgConnection) -> Result<BTreeSet<String>, CopyError> {
    let rows: Vec<Version> = diesel::sql_query(format!(
        "SELECT version::text AS version FROM {}",
        ident(MIGRATIONS_TABLE)
    ))
    .load(pg)
    .context("reading the PostgreSQL database's migrations")?;
    Ok(rows.into_iter().map(|v| v.version).collect())
}

/// Both databases must be at the same migration, or their tables differ.
pub fn check_versions(lite: &mut SqliteConnection, pg: &mut PgConnection) -> Result<(), CopyError> {
    if !sqlite_tables(lite)?.iter().any(|t| t == MIGRATIONS_TABLE) {
        return Err(CopyError::NotAula);
    }
    let source = versions_sqlite(lite)?;
    let target = versions_pg(pg)?;
    let join = |set: BTreeSet<&String>| set.into_iter().cloned().collect::<Vec<_>>().join(", ");
    let missing: BTreeSet<&String> = target.difference(&source).collect();
    if !missing.is_empty() {
        return Err(CopyError::SourceBehind(join(missing)));
    }
    let unknown: BTreeSet<&String> = source.difference(&target).collect();
    if !unknown.is_empty() {
        return Err(CopyError::SourceAhead(join(unknown)));
    }
    Ok(())
}

/// The application tables in insert order, typed by the target's columns. Refuses
/// tables or columns present on one side only: the schemas must be the same.
pub fn read(lite: &mut SqliteConnection, pg: &mut PgConnection) -> Result<Vec<Table>, CopyError> {
    let source: Vec<String> = sqlite_tables(lite)?
        .into_iter()
        .filter(|t| t != MIGRATIONS_TABLE)
        .collect();
    let target: BTreeSet<String> = pg_tables(pg)?
        .into_iter()
        .filter(|t| t != MIGRATIONS_TABLE)
        .collect();
    let mut differences = Vec::new();
    for t in &source {
        if !target.contains(t) {
            differences.push(format!("table {t} is missing in PostgreSQL"));
        }
    }
    for t in &target {
        if !source.contains(t) {
            differences.push(format!("table {t} is missing in SQLite"));
        }
    }

    let pg_columns: Vec<PgColumn> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                data_type::text AS data_type, \
                (is_identity = 'YES' OR coalesce(column_default, '') LIKE 'nextval(%') AS has_sequence \
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .load(pg)
    .context("reading the PostgreSQL columns")?;
    let mut typed: HashMap<(String, String), PgColumn> = pg_columns
        .into_iter()
        .map(|c| ((c.table_name.clone(), c.column_name.clone()), c))
        .collect();

    let mut tables = Vec::new();
    for name in source.iter().filter(|t| target.contains(*t)) {
        let listed: Vec<SqliteColumn> =
            diesel::sql_query("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid")
                .bind::<Text, _>(name)
                .load(lite)
                .context(format!("reading the columns of {name}"))?;
        let mut columns = Vec::new();
        let mut key: Vec<(i64, usize)> = Vec::new();
        for c in &listed {
            let Some(pg) = typed.remove(&(name.clone(), c.name.clone())) else {
                differences.push(format!("column {name}.{} is missing in PostgreSQL", c.name));
                continue;
            };
            let kind = Kind::from_pg(&pg.data_type).ok_or_else(|| CopyError::UnsupportedType {
                table: name.clone(),
                column: c.name.clone(),
                data_type: pg.data_type.clone(),
            })?;
            if c.pk > 0 {
                key.push((c.pk, columns.len()));
            }
            columns.push(Column {
                name: c.name.clone(),
                kind,
                has_sequence: pg.has_sequence,
            });
        }
        key.sort();
        let key = if key.is_empty() {
            (0..columns.len()).collect()
        } else {
            key.into_iter().map(|(_, i)| i).collect()
        };
        tables.push(Table {
            name: name.clone(),
            columns,
            key,
            parents: BTreeSet::new(),
            self_references: Vec::new(),
        });
    }
    for (table, column) in typed.keys() {
        if source.contains(table) && table != MIGRATIONS_TABLE {
            differences.push(format!("column {table}.{column} is missing in SQLite"));
        }
    }
    if !differences.is_empty() {
        differences.sort();
        return Err(CopyError::SchemaMismatch(differences.join("; ")));
    }

    let keys: HashMap<String, Vec<String>> = tables
        .iter()
        .map(|t| {
            let names = t.key.iter().map(|&i| t.columns[i].name.clone()).collect();
            (t.name.clone(), names)
        })
        .collect();
    for table in &mut tables {
        link(lite, table, &keys)?;
    }
    order(tables)
}

/// Reads a table's foreign keys: parents for the order, and references to itself.
fn link(
    lite: &mut SqliteConnection,
    table: &mut Table,
    keys: &HashMap<String, Vec<String>>,
) -> Result<(), CopyError> {
    let listed: Vec<SqliteForeignKey> = diesel::sql_query(
        "SELECT id, \"table\" AS parent, \"from\" AS from_column, \"to\" AS to_column \
         FROM pragma_foreign_key_list(?) ORDER BY id, seq",
    )
    .bind::<Text, _>(&table.name)
    .load(lite)
    .context(format!("reading the foreign keys of {}", table.name))?;
    let mut by_key: BTreeMap<i64, Vec<SqliteForeignKey>> = BTreeMap::new();
    for fk in listed {
        by_key.entry(fk.id).or_default().push(fk);
    }
    let position = |name: &str| table.columns.iter().position(|c| c.name == name);
    for parts in by_key.into_values() {
        let parent = parts[0].parent.clone();
        if parent != table.name {
            table.parents.insert(parent);
            continue;
        }
        let parent_key = keys.get(&parent).cloned().unwrap_or_default();
        let mut reference = SelfReference {
            from: Vec::new(),
            to: Vec::new(),
        };
        for (i, part) in parts.iter().enumerate() {
            let to = part
                .to_column
                .clone()
                .or_else(|| parent_key.get(i).cloned());
            match (
                position(&part.from_column),
                to.as_deref().and_then(position),
            ) {
                (Some(from), Some(to)) => {
                    reference.from.push(from);
                    reference.to.push(to);
                }
                _ => {
                    return Err(CopyError::SchemaMismatch(format!(
                        "the foreign key {}.{} names a column the table lacks",
                        table.name, part.from_column
                    )))
                }
            }
        }
        table.self_references.push(reference);
    }
    Ok(())
}

/// Orders tables so that each follows the tables it references (Kahn's algorithm,
/// alphabetical among the ready ones so the order is stable). References to a table
/// outside the copy are ignored; a cycle is an error naming its tables.
pub fn order(tables: Vec<Table>) -> Result<Vec<Table>, CopyError> {
    let names: BTreeSet<String> = tables.iter().map(|t| t.name.clone()).collect();
    let mut waiting: BTreeMap<String, BTreeSet<String>> = tables
        .iter()
        .map(|t| {
            let parents = t.parents.intersection(&names).cloned().collect();
            (t.name.clone(), parents)
        })
        .collect();
    let mut by_name: HashMap<String, Table> =
        tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    let mut ordered = Vec::with_capacity(by_name.len());
    while !waiting.is_empty() {
        let ready: Vec<String> = waiting
            .iter()
            .filter(|(_, parents)| parents.is_empty())
            .map(|(name, _)| name.clone())
            .collect();
        if ready.is_empty() {
            let stuck: Vec<String> = waiting.keys().cloned().collect();
            return Err(CopyError::Cycle(stuck.join(", ")));
        }
        for name in ready {
            waiting.remove(&name);
            for parents in waiting.values_mut() {
                parents.remove(&name);
            }
            if let Some(table) = by_name.remove(&name) {
                ordered.push(table);
            }
        }
    }
    Ok(ordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, parents: &[&str]) -> Table {
        Table {
            name: name.into(),
            columns: Vec::new(),
            key: Vec::new(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            self_references: Vec::new(),
        }
    }

    fn names(tables: &[Table]) -> Vec<&str> {
        tables.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn every_table_comes_after_the_tables_it_references() {
        let ordered = order(vec![
            table("certificates", &["enrolments", "users"]),
            table("enrolments", &["users", "offerings"]),
            table("offerings", &[]),
            table("users", &["institutions"]),
            table("institutions", &[]),
        ])
        .map_err(|e| e.to_string());
        assert_eq!(
            ordered.as_deref().map(names),
            Ok(vec![
                "institutions",
                "offerings",
                "users",
                "enrolments",
                "certificates"
            ])
        );
    }

    #[test]
    fn a_cycle_of_foreign_keys_is_refused_naming_its_tables() {
        let result = order(vec![
            table("a", &["b"]),
            table("b", &["c"]),
            table("c", &["a"]),
            table("d", &[]),
        ]);
        match result {
            Err(CopyError::Cycle(stuck)) => assert_eq!(stuck, "a, b, c"),
            other => panic!("{:?}", other.map(|t| names(&t).join(","))),
        }
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(ident("users"), "\"users\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
    }
}
