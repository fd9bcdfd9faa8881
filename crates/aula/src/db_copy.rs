//! `aula db copy --from sqlite://… --to postgres://…`: moves an installation from the
//! embedded SQLite database onto PostgreSQL without losing a record.
//!
//! The target is migrated by this version's PostgreSQL migrations and must hold no
//! data. Every application table is copied in foreign-key order, in one transaction on
//! the target (a failure leaves it empty) and one read transaction on the source (a
//! consistent snapshot). Sequences are then moved past the copied ids, and each table's
//! row count and checksum are compared on both sides before the copy is committed.

mod plan;
#[cfg(test)]
mod tests;
mod transfer;
mod values;

use std::{io::Write, path::Path, time::Instant};

use aula_db::{DbConnection, DbUrl};
use diesel::{
    connection::SimpleConnection, pg::PgConnection, sql_types::Bool, sqlite::SqliteConnection,
    Connection, QueryableByName, RunQueryDsl,
};

use plan::{ident, Table};
use transfer::Sum;

/// Tables that the migrations themselves fill (topics), so a freshly migrated database
/// holds rows there. Their rows are replaced by the source's. A test holds this list
/// to what the PostgreSQL migrations really write.
pub const FILLED_BY_MIGRATIONS: &[&str] = &["topics"];

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("--from must name a SQLite database (sqlite://PATH or a path), not a PostgreSQL URL")]
    SourceNotSqlite,
    #[error("--to must be a PostgreSQL URL (postgres://USER@HOST/DATABASE)")]
    TargetNotPostgres,
    #[error("there is no SQLite database at {0}")]
    NoSource(String),
    #[error(transparent)]
    Connect(#[from] aula_db::DbError),
    #[error(transparent)]
    Migration(#[from] aula_db::MigrationError),
    #[error("the SQLite database has no migrations table: it is not an Aula database")]
    NotAula,
    #[error(
        "the SQLite database lacks migrations of this version ({0}): bring it up to date first \
         with `aula migrate` (AULA_DATABASE_URL pointing at it)"
    )]
    SourceBehind(String),
    #[error(
        "the SQLite database has migrations this version does not know ({0}): copy it with \
         the version of aula that wrote it"
    )]
    SourceAhead(String),
    #[error("the two databases' tables differ: {0}")]
    SchemaMismatch(String),
    #[error(
        "{table}.{column} has the PostgreSQL type `{data_type}`, which the copy does not carry"
    )]
    UnsupportedType {
        table: String,
        column: String,
        data_type: String,
    },
    #[error("the foreign keys form a cycle between {0}: no table can be copied first")]
    Cycle(String),
    #[error(
        "the PostgreSQL database already holds data ({0}): copy into a new, empty database \
         (createdb), never over one in use"
    )]
    TargetNotEmpty(String),
    #[error(
        "the PostgreSQL database has tables ({0}) but no Aula migrations: copy into a new, \
         empty database"
    )]
    TargetForeign(String),
    #[error("the PostgreSQL database's encoding is {0}: Aula needs UTF8 (createdb -E UTF8)")]
    TargetEncoding(String),
    #[error("{table}.{column} ({row}): {problem}")]
    BadValue {
        table: String,
        column: String,
        row: String,
        problem: String,
    },
    #[error("{context}: {source}")]
    Query {
        context: String,
        source: diesel::result::Error,
    },
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
    #[error(
        "the copy differs from the source in {0}; it was rolled back and PostgreSQL holds no data"
    )]
    Mismatch(String),
    #[error("writing the report: {0}")]
    Io(#[from] std::io::Error),
}

/// Names what was being done when a query failed.
trait Context<T> {
    fn context(self, what: impl Into<String>) -> Result<T, CopyError>;
}

impl<T> Context<T> for diesel::QueryResult<T> {
    fn context(self, what: impl Into<String>) -> Result<T, CopyError> {
        self.map_err(|source| CopyError::Query {
            context: what.into(),
            source,
        })
    }
}

/// A table's line of the final report.
struct Checked {
    table: String,
    source: Sum,
    target: Sum,
}

impl Checked {
    fn ok(&self) -> bool {
        self.source == self.target
    }
}

/// The URL with its password hidden, for messages.
fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

/// `aula db copy`: copies, reports on `out`, and fails on any difference.
pub fn run(from: &str, to: &str, out: &mut dyn Write) -> Result<(), CopyError> {
    let started = Instant::now();
    let DbUrl::Sqlite(path) = DbUrl::parse(from) else {
        return Err(CopyError::SourceNotSqlite);
    };
    let DbUrl::Postgresql(target_url) = DbUrl::parse(to) else {
        return Err(CopyError::TargetNotPostgres);
    };
    // Connecting would create an empty database at a mistyped path.
    if !Path::new(&path).is_file() {
        return Err(CopyError::NoSource(path));
    }
    writeln!(out, "Copying {path} into {}", shown(&target_url))?;
    let DbConnection::Sqlite(mut lite) = DbUrl::Sqlite(path).connect()? else {
        return Err(CopyError::SourceNotSqlite);
    };
    let mut target = DbUrl::Postgresql(target_url).connect()?;
    if let DbConnection::Postgresql(pg) = &mut target {
        check_target(pg)?;
    }
    let applied = aula_db::run_migrations(&mut target)?;
    if !applied.is_empty() {
        writeln!(out, "PostgreSQL: {} migrations applied", applied.len())?;
    }
    let DbConnection::Postgresql(mut pg) = target else {
        return Err(CopyError::TargetNotPostgres);
    };
    // One snapshot of the source for the copy and its checksums, even if the server
    // still writes (it should be stopped: later writes would not be copied).
    let (tables, rows, sequences) = lite.transaction(|lite| {
        pg.transaction(|pg| {
            plan::check_versions(lite, pg)?;
            let tables = plan::read(lite, pg)?;
            let full = non_empty(pg, &tables)?;
            if !full.is_empty() {
                return Err(CopyError::TargetNotEmpty(listed(&full)));
            }
            copy(lite, pg, &tables, out)
        })
    })?;
    writeln!(
        out,
        "Copied {rows} rows of {tables} tables in {:.1} s; {sequences} sequences reset; \
         every row count and checksum matches.",
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

#[derive(QueryableByName)]
struct Encoding {
    #[diesel(sql_type = diesel::sql_types::Text)]
    encoding: String,
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    present: bool,
}

/// Before migrating anything: a UTF-8 database that is new (no tables) or Aula's
/// (migrated, and holding no data).
fn check_target(pg: &mut PgConnection) -> Result<(), CopyError> {
    let encoding: Encoding =
        diesel::sql_query("SELECT current_setting('server_encoding') AS encoding")
            .get_result(pg)
            .context("reading the PostgreSQL database's encoding")?;
    if encoding.encoding != "UTF8" {
        return Err(CopyError::TargetEncoding(encoding.encoding));
    }
    let tables = plan::pg_tables(pg)?;
    if tables.is_empty() {
        return Ok(());
    }
    if !tables.iter().any(|t| t == plan::MIGRATIONS_TABLE) {
        return Err(CopyError::TargetForeign(listed(&tables)));
    }
    let full = non_empty_names(pg, tables.iter().filter(|t| *t != plan::MIGRATIONS_TABLE))?;
    if full.is_empty() {
        Ok(())
    } else {
        Err(CopyError::TargetNotEmpty(listed(&full)))
    }
}

/// A few names, then how many more: enough to recognise a database.
fn listed(names: &[String]) -> String {
    const SHOWN: usize = 5;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!(
            "{} and {} more tables",
            names[..SHOWN].join(", "),
            names.len() - SHOWN
        )
    }
}

fn non_empty(pg: &mut PgConnection, tables: &[Table]) -> Result<Vec<String>, CopyError> {
    non_empty_names(pg, tables.iter().map(|t| &t.name))
}

/// The tables holding rows, leaving out the rows the migrations write themselves.
fn non_empty_names<'a>(
    pg: &mut PgConnection,
    tables: impl Iterator<Item = &'a String>,
) -> Result<Vec<String>, CopyError> {
    let mut full = Vec::new();
    for table in tables.filter(|t| !FILLED_BY_MIGRATIONS.contains(&t.as_str())) {
        let found: Exists = diesel::sql_query(format!(
            "SELECT EXISTS (SELECT 1 FROM {}) AS present",
            ident(table)
        ))
        .get_result(pg)
        .context(format!("looking for rows in {table}"))?;
        if found.present {
            full.push(table.clone());
        }
    }
    Ok(full)
}

/// The copy proper, inside both transactions: (tables, rows, sequences reset).
fn copy(
    lite: &mut SqliteConnection,
    pg: &mut PgConnection,
    tables: &[Table],
    out: &mut dyn Write,
) -> Result<(usize, u64, usize), CopyError> {
    // The rows are copied as they are: triggers would recompute what the source already
    // holds (catalog_version) or refuse the second pass on append-only tables. Foreign
    // keys and CHECK constraints stay on (they are not USER triggers). The ALTERs are
    // part of the transaction and undone with it.
    for table in tables {
        pg.batch_execute(&format!(
            "ALTER TABLE {} DISABLE TRIGGER USER",
            ident(&table.name)
        ))
        .context(format!(
            "disabling the triggers of {} (run the copy as the owner of the Aula tables)",
            table.name
        ))?;
    }
    for table in tables
        .iter()
        .filter(|t| FILLED_BY_MIGRATIONS.contains(&t.name.as_str()))
    {
        pg.batch_execute(&format!("DELETE FROM {}", ident(&table.name)))
            .context(format!("emptying {}", table.name))?;
    }

    let width = tables
        .iter()
        .map(|t| t.name.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut copied = Vec::with_capacity(tables.len());
    let mut truncated = 0;
    for (n, table) in tables.iter().enumerate() {
        let started = Instant::now();
        let done = transfer::copy_table(lite, pg, table)?;
        let deferred = if done.deferred > 0 {
            format!(", {} forward references set after", done.deferred)
        } else {
            String::new()
        };
        writeln!(
            out,
            "[{:>2}/{}] {:<width$} {:>8} rows  {:>6.2} s{deferred}",
            n + 1,
            tables.len(),
            table.name,
            done.source.rows,
            started.elapsed().as_secs_f64()
        )?;
        truncated += done.truncated;
        copied.push((table, done.source));
    }
    for table in tables {
        pg.batch_execute(&format!(
            "ALTER TABLE {} ENABLE TRIGGER USER",
            ident(&table.name)
        ))
        .context(format!("enabling the triggers of {}", table.name))?;
    }
    let sequences = transfer::reset_sequences(pg, tables)?;
    if truncated > 0 {
        writeln!(
            out,
            "{truncated} timestamps had digits below the microsecond, which PostgreSQL does not \
             keep: they were cut to the microsecond (as the checksums compare them)."
        )?;
    }

    let mut checked = Vec::with_capacity(copied.len());
    for (table, source) in copied {
        checked.push(Checked {
            table: table.name.clone(),
            target: transfer::target_sum(pg, table)?,
            source,
        });
    }
    report(&checked, width, out)?;
    let differing: Vec<&str> = checked
        .iter()
        .filter(|c| !c.ok())
        .map(|c| c.table.as_str())
        .collect();
    if !differing.is_empty() {
        return Err(CopyError::Mismatch(differing.join(", ")));
    }
    let rows = checked.iter().map(|c| c.source.rows).sum();
    Ok((tables.len(), rows, sequences))
}

/// The verification table: `table  rows  checksum  ok`, the checksum's first 16 hex
/// digits (both sides' when they differ).
fn report(checked: &[Checked], width: usize, out: &mut dyn Write) -> Result<(), CopyError> {
    writeln!(
        out,
        "{:<width$} {:>8}  {:<16}  ok",
        "table", "rows", "checksum"
    )?;
    for c in checked {
        let short = |s: &Sum| s.sha256.chars().take(16).collect::<String>();
        if c.ok() {
            writeln!(
                out,
                "{:<width$} {:>8}  {}  ok",
                c.table,
                c.source.rows,
                short(&c.source)
            )?;
        } else {
            writeln!(
                out,
                "{:<width$} {:>8}  {}  DIFFERS: PostgreSQL has {} rows, checksum {}",
                c.table,
                c.source.rows,
                short(&c.source),
                c.target.rows,
                short(&c.target)
            )?;
        }
    }
    Ok(())
}
