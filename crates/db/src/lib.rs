//! Database access for Aula: one code path over SQLite (the embedded default) and
//! PostgreSQL (production), chosen by the URL scheme.
//!
//! Domain crates own their queries; this crate owns the schema, connections,
//! pooling and migrations.

#[cfg(feature = "testing")]
pub mod catalogue;
mod connection;
pub mod jobs;
mod migrate;
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

pub use connection::{Backend, DbConnection, DbError, DbPool, DbUrl, Manager, PooledConn};
pub use migrate::{revert_all_migrations, run_migrations, MigrationError, MIGRATIONS_TABLE};

/// Whether an error is the violation of a unique constraint (on either backend).
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            info.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}

/// Whether an error is the violation of a foreign key (on either backend).
///
/// SQLite does not always give the extended result code that diesel maps to a kind
/// (the three helpers here fall back to its message); the tests in
/// `tests/constraint_errors.rs` hold both backends to the same answers.
pub fn is_foreign_key_violation(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            info.message().contains("FOREIGN KEY constraint failed")
        }
        _ => false,
    }
}

/// Whether an error is the violation of a CHECK constraint (on either backend).
pub fn is_check_violation(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::CheckViolation, _) => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            info.message().contains("CHECK constraint failed")
        }
        _ => false,
    }
}

/// A round trip to the database, for health checks.
pub fn ping(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("SELECT 1")
}

/// Runs `work` in a transaction that may write; nested calls become savepoints.
///
/// On SQLite the outermost level begins `IMMEDIATE`, taking the write lock up front.
/// A deferred transaction that reads and then writes cannot wait for a concurrent
/// writer: SQLite refuses it at once with "database is locked", whatever the busy
/// timeout.
pub fn transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};

    let outermost_sqlite = match conn {
        DbConnection::Sqlite(lite) => AnsiTransactionManager::transaction_manager_status_mut(lite)
            .transaction_depth()?
            .is_none(),
        DbConnection::Postgresql(_) => false,
    };
    if !outermost_sqlite {
        return conn.transaction(work);
    }
    if let DbConnection::Sqlite(lite) = conn {
        AnsiTransactionManager::begin_transaction_sql(lite, "BEGIN IMMEDIATE")?;
    }
    let outcome = work(conn);
    if let DbConnection::Sqlite(lite) = conn {
        match &outcome {
            Ok(_) => AnsiTransactionManager::commit_transaction(lite)?,
            Err(_) => AnsiTransactionManager::rollback_transaction(lite)?,
        }
    }
    outcome
}
