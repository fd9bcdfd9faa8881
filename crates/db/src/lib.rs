//! Database access for Aula: one code path over SQLite (the embedded default) and
//! PostgreSQL (production), chosen by the URL scheme.
//!
//! Domain crates own their queries; this crate owns the schema, connections,
//! pooling and migrations.

mod connection;
mod migrate;
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

pub use connection::{Backend, DbConnection, DbError, DbPool, DbUrl, Manager, PooledConn};
pub use migrate::{revert_all_migrations, run_migrations, MigrationError};

/// Whether an error is the violation of a unique constraint (on either backend).
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// A round trip to the database, for health checks.
pub fn ping(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("SELECT 1")
}
