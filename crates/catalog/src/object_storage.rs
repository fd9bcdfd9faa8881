//! Uploaded documents in an S3-compatible object store (`AULA_STORAGE_URL=s3://bucket/prefix`).
//!
//! [`Storage`] is synchronous and is called from actix's blocking threads, from plain
//! threads and from the command line, while `object_store` is async. Each call is
//! spawned on a small runtime owned by the store and the caller waits on a channel, so
//! it works the same whether or not the caller is itself inside a runtime.

use std::{fmt, future::Future, io, sync::mpsc, sync::Arc, time::Duration};

use object_store::{
    aws::{AmazonS3Builder, AmazonS3ConfigKey},
    path::{Path, PathPart},
    ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
};

use crate::storage::{check_key, Storage};

#[derive(Debug, thiserror::Error)]
pub enum ObjectStorageError {
    #[error("`{0}` is not a URL like s3://bucket or s3://bucket/prefix")]
    BadUrl(String),
    #[error("unsupported scheme `{0}:`: use s3://bucket or s3://bucket/prefix")]
    UnsupportedScheme(String),
    #[error("unknown S3 setting `{0}`")]
    UnknownOption(String),
    #[error("{0}")]
    Store(#[from] object_store::Error),
    #[error("cannot start the storage runtime: {0}")]
    Runtime(io::Error),
}

/// The bucket and key prefix of an `s3://bucket/prefix` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectLocation {
    pub bucket: String,
    pub prefix: String,
}

impl ObjectLocation {
    /// Checks a storage URL without connecting anywhere, so a bad one stops start-up.
    pub fn parse(url: &str) -> Result<Self, ObjectStorageError> {
        let bad = || ObjectStorageError::BadUrl(url.to_owned());
        let parsed = url::Url::parse(url).map_err(|_| bad())?;
        if parsed.scheme() != "s3" {
            return Err(ObjectStorageError::UnsupportedScheme(
                parsed.scheme().to_owned(),
            ));
        }
        let bucket = parsed
            .host_str()
            .filter(|b| !b.is_empty())
            .ok_or_else(bad)?;
        // Credentials belong in AWS_* variables, never in a URL that gets logged.
        if !parsed.username().is_empty()
            || parsed.password().is_some()
            || parsed.port().is_some()
            || parsed.query().is_some()
            || parsed.fragment().is_some()
        {
            return Err(bad());
        }
        let prefix = Path::from_url_path(parsed.path()).map_err(|_| bad())?;
        Ok(Self {
            bucket: bucket.to_owned(),
            prefix: prefix.to_string(),
        })
    }
}

impl fmt::Display for ObjectLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.prefix.as_str() {
            "" => write!(f, "s3://{}", self.bucket),
            prefix => write!(f, "s3://{}/{prefix}", self.bucket),
        }
    }
}

/// Files as objects of an S3-compatible store, under the URL's prefix; keys are the
/// same as [`crate::LocalStorage`]'s.
pub struct ObjectStorage {
    location: ObjectLocation,
    store: Arc<dyn ObjectStore>,
    prefix: Path,
    handle: tokio::runtime::Handle,
    // An `Option` only so that `Drop` can take it out.
    runtime: Option<tokio::runtime::Runtime>,
}

impl ObjectStorage {
    /// The store of `url` (`s3://bucket[/prefix]`), with credentials, region and endpoint
    /// from the standard AWS variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_REGION`, `AWS_ENDPOINT_URL`, `AWS_ALLOW_HTTP`, …).
    pub fn from_env(url: &str) -> Result<Self, ObjectStorageError> {
        Self::build(url, AmazonS3Builder::from_env())
    }

    /// The store of `url` with its settings given here instead of read from the
    /// environment: pairs like `("aws_endpoint", "http://127.0.0.1:9000")`.
    pub fn with_options<'a>(
        url: &str,
        options: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ObjectStorageError> {
        let mut builder = AmazonS3Builder::new();
        for (key, value) in options {
            let key = key
                .to_ascii_lowercase()
                .parse::<AmazonS3ConfigKey>()
                .map_err(|_| ObjectStorageError::UnknownOption(key.to_owned()))?;
            builder = builder.with_config(key, value);
        }
        Self::build(url, builder)
    }

    fn build(url: &str, builder: AmazonS3Builder) -> Result<Self, ObjectStorageError> {
        let location = ObjectLocation::parse(url)?;
        let store = builder
            .with_bucket_name(&location.bucket)
            // The defaults retry for three minutes; a request waits for this, so
            // an unreachable store should answer sooner.
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
                ..RetryConfig::default()
            })
            .build()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("aula-storage")
            .enable_all()
            .build()
            .map_err(ObjectStorageError::Runtime)?;
        Ok(Self {
            prefix: Path::from(location.prefix.as_str()),
            location,
            store: Arc::new(store),
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
        })
    }

    /// Where the objects are, for messages: `s3://bucket/prefix`.
    pub fn location(&self) -> &ObjectLocation {
        &self.location
    }

    fn path(&self, key: &str) -> io::Result<Path> {
        check_key(key)?;
        Ok(self
            .prefix
            .parts()
            .chain(key.split('/').map(PathPart::from))
            .collect())
    }

    /// Runs `work` on the store's runtime and waits for it on this thread. `block_on`
    /// here would panic when the caller is already inside a runtime.
    fn run<T, F>(&self, work: F) -> io::Result<T>
    where
        T: Send + 'static,
        F: Future<Output = object_store::Result<T>> + Send + 'static,
    {
        let (done, result) = mpsc::sync_channel(1);
        self.handle.spawn(async move {
            // The caller may have gone; nothing to tell it then.
            let _ = done.send(work.await);
        });
        match result.recv() {
            Ok(outcome) => outcome.map_err(io::Error::from),
            Err(_) => Err(io::Error::other("the object store's runtime has stopped")),
        }
    }
}

impl Storage for ObjectStorage {
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let (store, path) = (self.store.clone(), self.path(key)?);
        // The spawned work must own its bytes; an upload is bounded by the upload limit.
        let payload = PutPayload::from(bytes.to_vec());
        self.run(async move { store.put(&path, payload).await.map(drop) })
    }

    fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        let (store, path) = (self.store.clone(), self.path(key)?);
        self.run(async move {
            let bytes = store.get(&path).await?.bytes().await?;
            Ok(bytes.to_vec())
        })
    }

    fn delete(&self, key: &str) -> io::Result<()> {
        let (store, path) = (self.store.clone(), self.path(key)?);
        // S3 deletes a missing key without complaint; other stores may not. Either
        // way it is gone, as with the local directory.
        match self.run(async move { store.delete(&path).await }) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

impl fmt::Debug for ObjectStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectStorage")
            .field("location", &self.location.to_string())
            .finish_non_exhaustive()
    }
}

impl Drop for ObjectStorage {
    fn drop(&mut self) {
        // Dropping a runtime waits for its threads, which panics inside another
        // runtime (the last owner may be an async test or server); this does not wait.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_urls_name_a_bucket_and_an_optional_prefix() {
        let at = ObjectLocation::parse("s3://aula-files").unwrap();
        assert_eq!((at.bucket.as_str(), at.prefix.as_str()), ("aula-files", ""));
        let at = ObjectLocation::parse("s3://aula-files/prod/uploads/").unwrap();
        assert_eq!(at.prefix, "prod/uploads");
        assert_eq!(at.to_string(), "s3://aula-files/prod/uploads");
    }

    #[test]
    fn other_schemes_and_malformed_urls_are_refused() {
        assert!(matches!(
            ObjectLocation::parse("gs://bucket"),
            Err(ObjectStorageError::UnsupportedScheme(s)) if s == "gs"
        ));
        for bad in [
            "bucket",
            "s3://",
            "s3:///prefix",
            "s3://key:secret@bucket",
            "s3://bucket/a//b",
        ] {
            assert!(
                matches!(
                    ObjectLocation::parse(bad),
                    Err(ObjectStorageError::BadUrl(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn keys_are_checked_before_any_request() {
        let store = ObjectStorage::with_options(
            "s3://bucket/prefix",
            [
                ("aws_region", "us-east-1"),
                ("aws_endpoint", "http://127.0.0.1:9"),
            ],
        )
        .unwrap();
        let refused = store.put("../escape", b"x").unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            store.path("lessons/1/abc").unwrap().as_ref(),
            "prefix/lessons/1/abc"
        );
    }
}
