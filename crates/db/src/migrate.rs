use diesel::{connection::SimpleConnection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::DbConnection;

const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// Key of the PostgreSQL advisory lock held while migrating, so that several
/// instances starting together migrate once.
const MIGRATION_LOCK: i64 = 0x4155_4C41_4D49_4752; // "AULAMIGR"

#[derive(Debug, thiserror::Error)]
#[error("database migration failed: {0}")]
pub struct MigrationError(String);

/// Applies pending migrations of the connection's backend; returns the versions applied.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, MigrationError> {
    let err = |e: &dyn std::fmt::Display| MigrationError(e.to_string());
    match conn {
        DbConnection::Postgresql(pg) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
                .execute(pg)
                .map_err(|e| err(&e))?;
            let applied = pg
                .run_pending_migrations(POSTGRES)
                .map(|v| v.iter().map(|m| m.to_string()).collect())
                .map_err(|e| err(&e));
            let unlock = diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
                .execute(pg);
            let applied = applied?;
            unlock.map_err(|e| err(&e))?;
            Ok(applied)
        }
        DbConnection::Sqlite(sqlite) => {
            // SQLite serialises writers itself; an immediate transaction is not needed.
            sqlite
                .batch_execute("PRAGMA foreign_keys = ON")
                .map_err(|e| err(&e))?;
            sqlite
                .run_pending_migrations(SQLITE)
                .map(|v| v.iter().map(|m| m.to_string()).collect())
                .map_err(|e| err(&e))
        }
    }
}

/// Reverts every migration of the connection's backend (used to prove `down.sql` files).
pub fn revert_all_migrations(conn: &mut DbConnection) -> Result<(), MigrationError> {
    let err = |e: &dyn std::fmt::Display| MigrationError(e.to_string());
    match conn {
        DbConnection::Postgresql(pg) => pg
            .revert_all_migrations(POSTGRES)
            .map(drop)
            .map_err(|e| err(&e)),
        DbConnection::Sqlite(sqlite) => sqlite
            .revert_all_migrations(SQLITE)
            .map(drop)
            .map_err(|e| err(&e)),
    }
}

/// Where diesel records the migrations a database has run.
pub const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";
