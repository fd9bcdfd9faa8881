//! Receiving uploaded files: after the caller is authorised, a bounded number at a
//! time, streamed to a temporary file with the size limit enforced as bytes arrive.

use std::{io::Write, sync::Arc};

use actix_web::web::Bytes;
use aula_core::ErrorCode;
use futures_util::{Stream, StreamExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// How many uploads may be received at once; more are refused with 503 rather than
/// queued, so a burst of large bodies cannot hold the server's memory or disk.
#[derive(Debug, Clone)]
pub struct UploadSlots(Arc<Semaphore>);

impl UploadSlots {
    pub fn new(slots: usize) -> Self {
        Self(Arc::new(Semaphore::new(slots.max(1))))
    }

    pub(crate) fn take(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        self.0.clone().try_acquire_owned().map_err(|_| {
            ApiError::new(ErrorCode::ServiceUnavailable)
                .with_detail("too many uploads at once; try again shortly")
        })
    }
}

/// A body received into a temporary file (deleted when dropped).
pub(crate) struct Received {
    file: tempfile::NamedTempFile,
    _slot: Option<OwnedSemaphorePermit>,
}

impl Received {
    /// The bytes, read on a blocking thread by the caller.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.file.path())
    }
}

/// What became of a body.
pub(crate) enum Outcome {
    Complete(Received),
    /// Larger than the limit; the file was dropped.
    TooLarge,
}

/// Streams `body` into a temporary file, stopping at `limit` bytes: past it the rest is
/// read and discarded (so the client gets the answer) up to twice the limit and a
/// mebibyte, after which the client is cut off. The file keeps `slot` (none when the
/// caller holds one for several files).
pub(crate) async fn receive<S, E>(
    mut body: S,
    limit: usize,
    slot: Option<OwnedSemaphorePermit>,
    malformed: impl Fn(E) -> ApiError,
) -> Result<Outcome, ApiError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut file = tempfile::NamedTempFile::new().map_err(internal)?;
    let give_up_after = limit.saturating_mul(2).saturating_add(1024 * 1024);
    let (mut kept, mut received) = (0usize, 0usize);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(&malformed)?;
        received += chunk.len();
        if received > give_up_after {
            return Ok(Outcome::TooLarge);
        }
        if kept + chunk.len() <= limit && kept == received - chunk.len() {
            // Chunks are at most a few tens of KiB: a write to the page cache does not
            // hold the worker long enough to need a blocking thread.
            file.write_all(&chunk).map_err(internal)?;
            kept += chunk.len();
        }
    }
    if kept != received {
        return Ok(Outcome::TooLarge);
    }
    file.flush().map_err(internal)?;
    Ok(Outcome::Complete(Received { file, _slot: slot }))
}

fn internal(e: std::io::Error) -> ApiError {
    tracing::error!(error = %e, "cannot write an upload to a temporary file");
    ApiError::new(ErrorCode::InternalError)
}
