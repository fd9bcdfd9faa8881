//! Settings from the environment (`AULA_*`), optionally a `--config` TOML file with the
//! same keys in lower case; the environment wins. A bad value stops start-up with one
//! line naming the variable.

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use aula_catalog::{LocalStorage, ObjectLocation, ObjectStorage, Storage};
use aula_db::DbUrl;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    data_dir: Option<String>,
    bind: Option<String>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    jwt_secret: Option<String>,
    frontend_dir: Option<String>,
    trust_proxy: Option<bool>,
    workers: Option<i64>,
    login_limit_per_account: Option<i64>,
    login_limit_per_ip: Option<i64>,
    verify_limit_per_minute: Option<i64>,
    max_upload_mb: Option<i64>,
    max_concurrent_uploads: Option<i64>,
    metrics_token: Option<String>,
    storage_url: Option<String>,
    shutdown_timeout: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DbUrl,
    pub data_dir: PathBuf,
    pub bind: SocketAddr,
    pub public_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: aula_mail::Mailbox,
    pub jwt_secret: Option<String>,
    pub frontend_dir: Option<PathBuf>,
    pub trust_proxy: bool,
    pub workers: Option<usize>,
    /// Largest lesson document accepted, in bytes (`AULA_MAX_UPLOAD_MB`, default 20).
    pub max_upload_bytes: usize,
    /// Uploads received at once (`AULA_MAX_CONCURRENT_UPLOADS`, default 8).
    pub max_concurrent_uploads: usize,
    /// Sign-in attempts allowed per account, and per client address, in 15 minutes.
    pub login_limit_per_account: i32,
    pub login_limit_per_ip: i32,
    /// Public certificate verifications allowed per client address and minute
    /// (`AULA_VERIFY_LIMIT_PER_MINUTE`, default 60).
    pub verify_limit_per_minute: i32,
    /// The bearer token of `GET /metrics` (`AULA_METRICS_TOKEN`); unset: no metrics.
    pub metrics_token: Option<String>,
    /// The object store for uploaded files (`AULA_STORAGE_URL`, `s3://bucket[/prefix]`);
    /// unset: the files directory in the data directory.
    pub storage_url: Option<ObjectLocation>,
    /// On SIGTERM or SIGINT, how long requests in flight may take to finish
    /// (`AULA_SHUTDOWN_TIMEOUT`, seconds, default 30).
    pub shutdown_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

fn bad(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

pub const MIN_JWT_SECRET_BYTES: usize = 32;

impl Settings {
    /// Reads the settings from `lookup` (the environment, in production) and the file.
    pub fn load(
        config_file: Option<&std::path::Path>,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let file: FileSettings = match config_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| bad("--config", format!("cannot read {}: {e}", path.display())))?;
                toml::from_str(&text)
                    .map_err(|e| bad("--config", format!("{}: {}", path.display(), e.message())))?
            }
            None => FileSettings::default(),
        };
        let get = |var: &str, from_file: Option<String>| {
            lookup(var).filter(|v| !v.trim().is_empty()).or(from_file)
        };

        let data_dir = PathBuf::from(
            get("AULA_DATA_DIR", file.data_dir).unwrap_or_else(|| "./aula-data".into()),
        );
        let database = match get("AULA_DATABASE_URL", file.database_url) {
            Some(url) => {
                if url.contains("://") && !url.starts_with("postgres") && !url.starts_with("sqlite")
                {
                    return Err(bad(
                        "AULA_DATABASE_URL",
                        "use a postgres:// URL, a sqlite:// URL or a file path",
                    ));
                }
                DbUrl::parse(&url)
            }
            None => DbUrl::Sqlite(data_dir.join("aula.db").to_string_lossy().into_owned()),
        };
        let bind_text = get("AULA_BIND", file.bind).unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind = bind_text.parse::<SocketAddr>().map_err(|_| {
            bad(
                "AULA_BIND",
                format!("`{bind_text}` is not an address like 127.0.0.1:8080"),
            )
        })?;
        let public_url = get("AULA_PUBLIC_URL", file.public_url)
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(bad(
                "AULA_PUBLIC_URL",
                "must start with http:// or https://",
            ));
        }
        let smtp_url = get("AULA_SMTP_URL", file.smtp_url);
        if let Some(url) = &smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(bad(
                    "AULA_SMTP_URL",
                    "must be a smtp:// or smtps:// URL, e.g. smtp://127.0.0.1:2525",
                ));
            }
        }
        let mail_from = get("AULA_MAIL_FROM", file.mail_from)
            .unwrap_or_else(|| "Aula CIESS <no-reply@aula.local>".into())
            .parse::<aula_mail::Mailbox>()
            .map_err(|e| {
                bad(
                    "AULA_MAIL_FROM",
                    format!("not a mail address like `Aula <no-reply@example.org>`: {e}"),
                )
            })?;
        let jwt_secret = get("AULA_JWT_SECRET", file.jwt_secret);
        if jwt_secret
            .as_ref()
            .is_some_and(|s| s.len() < MIN_JWT_SECRET_BYTES)
        {
            return Err(bad(
                "AULA_JWT_SECRET",
                format!("must be at least {MIN_JWT_SECRET_BYTES} bytes long"),
            ));
        }
        let frontend_dir = get("AULA_FRONTEND_DIR", file.frontend_dir)
            .map(PathBuf::from)
            .or_else(|| Some(PathBuf::from("frontend/dist")));
        // Blank variables count as unset; values from the file are checked like the rest.
        let env = |var: &str| lookup(var).filter(|v| !v.trim().is_empty());
        let trust_proxy = match env("AULA_TRUST_PROXY") {
            Some(v) => {
                parse_bool(&v).ok_or_else(|| bad("AULA_TRUST_PROXY", "must be true or false"))?
            }
            None => file.trust_proxy.unwrap_or(false),
        };
        let positive =
            |var: &'static str, from_file: Option<i64>| -> Result<Option<i64>, ConfigError> {
                let value = match env(var) {
                    Some(v) => Some(
                        v.trim()
                            .parse::<i64>()
                            .map_err(|_| bad(var, "must be a positive number"))?,
                    ),
                    None => from_file,
                };
                match value {
                    Some(n) if !(1..=i64::from(i32::MAX)).contains(&n) => {
                        Err(bad(var, "must be a positive number"))
                    }
                    other => Ok(other),
                }
            };
        let workers = positive("AULA_WORKERS", file.workers)?.map(|n| n as usize);
        let defaults = aula_identity::Limits::default();
        let login_limit_per_account =
            positive("AULA_LOGIN_LIMIT_PER_ACCOUNT", file.login_limit_per_account)?
                .map_or(defaults.login_per_account.max, |n| n as i32);
        let login_limit_per_ip = positive("AULA_LOGIN_LIMIT_PER_IP", file.login_limit_per_ip)?
            .map_or(defaults.login_per_ip.max, |n| n as i32);
        let verify_limit_per_minute =
            positive("AULA_VERIFY_LIMIT_PER_MINUTE", file.verify_limit_per_minute)?
                .map_or(60, |n| n.min(i64::from(i32::MAX)) as i32);
        let max_upload_bytes = positive("AULA_MAX_UPLOAD_MB", file.max_upload_mb)?
            .map_or(20, |n| n.min(1024) as usize)
            * 1024
            * 1024;
        let max_concurrent_uploads =
            positive("AULA_MAX_CONCURRENT_UPLOADS", file.max_concurrent_uploads)?
                .map_or(8, |n| n.min(1024) as usize);
        let shutdown_timeout = positive("AULA_SHUTDOWN_TIMEOUT", file.shutdown_timeout)?
            .map_or(Duration::from_secs(30), |n| {
                Duration::from_secs(n.min(3600) as u64)
            });
        let metrics_token = get("AULA_METRICS_TOKEN", file.metrics_token);
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(bad(
                "AULA_METRICS_TOKEN",
                "must be at least 16 characters long",
            ));
        }
        let storage_url = get("AULA_STORAGE_URL", file.storage_url)
            .map(|url| ObjectLocation::parse(url.trim()))
            .transpose()
            .map_err(|e| bad("AULA_STORAGE_URL", e.to_string()))?;
        Ok(Settings {
            shutdown_timeout,
            storage_url,
            metrics_token,
            max_upload_bytes,
            max_concurrent_uploads,
            database,
            data_dir,
            bind,
            public_url,
            smtp_url,
            mail_from,
            jwt_secret,
            frontend_dir,
            trust_proxy,
            workers,
            login_limit_per_account,
            login_limit_per_ip,
            verify_limit_per_minute,
        })
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// Uploaded files, unless they live in an object store (`storage_url`).
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }

    /// Where uploaded files are kept: the object store of `AULA_STORAGE_URL` (with
    /// credentials, region and endpoint from the `AWS_*` variables), or `files_dir()`.
    pub fn storage(&self) -> Result<Arc<dyn Storage>, ConfigError> {
        match &self.storage_url {
            None => Ok(Arc::new(LocalStorage::new(self.files_dir()))),
            Some(location) => ObjectStorage::from_env(&location.to_string())
                .map(|store| Arc::new(store) as Arc<dyn Storage>)
                .map_err(|e| {
                    bad(
                        "AULA_STORAGE_URL",
                        format!("{location} with the AWS_* settings: {e}"),
                    )
                }),
        }
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::load(None, |k| map.get(k).cloned())
    }

    #[test]
    fn defaults_to_sqlite_in_the_data_dir_on_localhost() {
        let s = load(&[]).unwrap();
        assert_eq!(s.database, DbUrl::Sqlite("./aula-data/aula.db".into()));
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.public_url, "http://127.0.0.1:8080");
        assert!(s.smtp_url.is_none());
    }

    #[test]
    fn a_postgres_url_selects_postgresql() {
        let s = load(&[("AULA_DATABASE_URL", "postgres://aula@db/aula")]).unwrap();
        assert_eq!(
            s.database,
            DbUrl::Postgresql("postgres://aula@db/aula".into())
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        assert_eq!(
            load(&[("AULA_BIND", "nowhere")]).unwrap_err().variable,
            "AULA_BIND"
        );
        assert_eq!(
            load(&[("AULA_DATABASE_URL", "mysql://x")])
                .unwrap_err()
                .variable,
            "AULA_DATABASE_URL"
        );
        assert_eq!(
            load(&[("AULA_SMTP_URL", "http://x")]).unwrap_err().variable,
            "AULA_SMTP_URL"
        );
        assert_eq!(
            load(&[("AULA_JWT_SECRET", "short")]).unwrap_err().variable,
            "AULA_JWT_SECRET"
        );
        assert_eq!(
            load(&[("AULA_PUBLIC_URL", "aula.org")])
                .unwrap_err()
                .variable,
            "AULA_PUBLIC_URL"
        );
    }

    #[test]
    fn a_metrics_token_must_be_long_enough_to_guard_anything() {
        assert!(load(&[]).unwrap().metrics_token.is_none());
        assert_eq!(
            load(&[("AULA_METRICS_TOKEN", "short")])
                .unwrap_err()
                .variable,
            "AULA_METRICS_TOKEN"
        );
        let s = load(&[("AULA_METRICS_TOKEN", "a-long-enough-token")]).unwrap();
        assert_eq!(s.metrics_token.as_deref(), Some("a-long-enough-token"));
    }

    #[test]
    fn files_live_in_the_data_dir_unless_an_object_store_is_named() {
        assert!(load(&[]).unwrap().storage_url.is_none());
        let s = load(&[("AULA_STORAGE_URL", "s3://aula-files/prod")]).unwrap();
        let at = s.storage_url.unwrap();
        assert_eq!(
            (at.bucket.as_str(), at.prefix.as_str()),
            ("aula-files", "prod")
        );
        for bad in ["gs://aula-files", "aula-files", "s3://"] {
            let err = load(&[("AULA_STORAGE_URL", bad)]).unwrap_err();
            assert_eq!(err.variable, "AULA_STORAGE_URL", "{bad}");
        }
    }

    #[test]
    fn requests_in_flight_get_thirty_seconds_to_finish_unless_told_otherwise() {
        assert_eq!(load(&[]).unwrap().shutdown_timeout, Duration::from_secs(30));
        let s = load(&[("AULA_SHUTDOWN_TIMEOUT", "120")]).unwrap();
        assert_eq!(s.shutdown_timeout, Duration::from_secs(120));
        assert_eq!(
            load(&[("AULA_SHUTDOWN_TIMEOUT", "0")])
                .unwrap_err()
                .variable,
            "AULA_SHUTDOWN_TIMEOUT"
        );
    }

    #[test]
    fn file_values_are_checked_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zero-workers.toml");
        std::fs::write(&path, "workers = 0\n").unwrap();
        let err = Settings::load(Some(&path), |_| None).unwrap_err();
        assert_eq!(err.variable, "AULA_WORKERS");
        assert!(
            load(&[("AULA_WORKERS", " ")]).unwrap().workers.is_none(),
            "blank means unset"
        );
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aula.toml");
        std::fs::write(
            &path,
            "bind = \"127.0.0.1:9000\"\npublic_url = \"https://aula.example.org\"\n",
        )
        .unwrap();
        let s = Settings::load(Some(&path), |k| {
            (k == "AULA_BIND").then(|| "127.0.0.1:9100".to_string())
        })
        .unwrap();
        assert_eq!(s.bind.to_string(), "127.0.0.1:9100");
        assert_eq!(s.public_url, "https://aula.example.org");
    }
}
