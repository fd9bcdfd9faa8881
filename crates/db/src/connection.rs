use std::{path::PathBuf, time::Duration};

use diesel::{
    connection::SimpleConnection, pg::PgConnection, sqlite::SqliteConnection, Connection,
};

/// A connection to whichever backend the configuration selected.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Postgresql(_) => Backend::Postgresql,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

pub type DbPool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgresql,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgresql => "postgresql",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("the SQLite data directory {path} cannot be created: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A database URL whose backend is decided by its scheme, never by trial and error:
/// `postgres://` / `postgresql://` select PostgreSQL; `sqlite://PATH`, `sqlite:PATH`
/// or a bare path select SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Postgresql(String),
    Sqlite(String),
}

impl DbUrl {
    pub fn parse(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DbUrl::Postgresql(url.to_owned())
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            DbUrl::Sqlite(path.to_owned())
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbUrl::Postgresql(_) => Backend::Postgresql,
            DbUrl::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Opens one connection, reporting the backend's own error.
    pub fn connect(&self) -> Result<DbConnection, DbError> {
        match self {
            DbUrl::Postgresql(url) => PgConnection::establish(url)
                .map(DbConnection::Postgresql)
                .map_err(|e| DbError::Connect(e.to_string())),
            DbUrl::Sqlite(path) => {
                if let Some(parent) = PathBuf::from(path).parent() {
                    if !parent.as_os_str().is_empty() && path != ":memory:" {
                        std::fs::create_dir_all(parent).map_err(|source| DbError::DataDir {
                            path: parent.to_owned(),
                            source,
                        })?;
                    }
                }
                let mut conn = SqliteConnection::establish(path)
                    .map_err(|e| DbError::Connect(e.to_string()))?;
                configure_sqlite(&mut conn).map_err(|e| DbError::Connect(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    /// A pool of connections opened with [`DbUrl::connect`]. The first connection is
    /// opened eagerly so a wrong URL fails at start-up with the real error.
    pub fn pool(&self, max_size: u32) -> Result<DbPool, DbError> {
        drop(self.connect()?);
        // SQLite has one writer; a small pool avoids lock convoys.
        let max_size = match self {
            DbUrl::Sqlite(_) => max_size.min(8),
            DbUrl::Postgresql(_) => max_size,
        };
        r2d2::Pool::builder()
            .max_size(max_size)
            .connection_timeout(Duration::from_secs(10))
            .build(Manager(self.clone()))
            .map_err(|e| DbError::Connect(e.to_string()))
    }
}

// The busy timeout comes first: switching to WAL needs a lock that another connection
// may hold for a moment (closing the last connection checkpoints the WAL away).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

fn configure_sqlite(conn: &mut SqliteConnection) -> diesel::QueryResult<()> {
    conn.batch_execute(SQLITE_PRAGMAS)
}

/// Pools connections per [`DbUrl`]. Diesel's own manager goes through
/// `MultiConnection::establish`, which silently tries every backend in turn.
#[derive(Debug)]
pub struct Manager(pub(crate) DbUrl);

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        self.0.connect()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| DbError::Connect(e.to_string()))
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scheme_decides_the_backend() {
        assert_eq!(
            DbUrl::parse("postgres://h/db").backend(),
            Backend::Postgresql
        );
        assert_eq!(
            DbUrl::parse("postgresql://h/db").backend(),
            Backend::Postgresql
        );
        assert_eq!(
            DbUrl::parse("sqlite://data/aula.db"),
            DbUrl::Sqlite("data/aula.db".into())
        );
        assert_eq!(DbUrl::parse("./aula.db"), DbUrl::Sqlite("./aula.db".into()));
    }
}
