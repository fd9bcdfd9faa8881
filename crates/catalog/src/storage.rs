//! Where uploaded documents live: a local directory by default, or an object store
//! ([`crate::ObjectStorage`]) behind the same [`Storage`] trait.

use std::{
    io,
    path::{Path, PathBuf},
};

use crate::error::{CatalogError, Result};

pub trait Storage: Send + Sync {
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()>;
    fn get(&self, key: &str) -> io::Result<Vec<u8>>;
    fn delete(&self, key: &str) -> io::Result<()>;
}

/// Files under a directory (by default `AULA_DATA_DIR/files`); keys are relative paths.
#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        check_key(key)?;
        Ok(self.root.join(key))
    }
}

/// Keys are relative paths of plain names (letters, digits, `-`, `_`, `.`), so no store
/// can be led outside its root or prefix by one.
pub(crate) fn check_key(key: &str) -> io::Result<()> {
    let safe = !key.is_empty()
        && key.split('/').all(|part| {
            !part.is_empty()
                && part != ".."
                && part != "."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        });
    if safe {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "invalid storage key",
        ))
    }
}

impl Storage for LocalStorage {
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(key)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // Write aside and rename, so a reader never sees half a file.
        let partial = path.with_extension("partial");
        std::fs::write(&partial, bytes)?;
        std::fs::rename(partial, path)
    }

    fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.path(key)?)
    }

    fn delete(&self, key: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(key)?) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

/// Document types accepted for lessons, recognised by their content, never by name.
pub const ALLOWED_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
];

/// The media type of an accepted document, from its bytes.
pub fn sniff(bytes: &[u8]) -> Result<&'static str> {
    infer::get(bytes)
        .map(|kind| kind.mime_type())
        .and_then(|mime| {
            ALLOWED_TYPES
                .iter()
                .copied()
                .find(|allowed| *allowed == mime)
        })
        .ok_or(CatalogError::FileTypeNotAllowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_recognised_by_content() {
        assert_eq!(
            sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap(),
            "application/pdf"
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap(),
            "image/png"
        );
        assert!(sniff(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0").is_err());
        assert!(sniff(b"plain words").is_err());
    }

    #[test]
    fn keys_cannot_leave_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStorage::new(dir.path());
        store.put("lessons/1/abc", b"x").unwrap();
        assert_eq!(store.get("lessons/1/abc").unwrap(), b"x");
        assert!(store.put("../escape", b"x").is_err());
        assert!(store.get("/etc/passwd").is_err());
        store.delete("lessons/1/abc").unwrap();
        store.delete("lessons/1/abc").unwrap();
    }
}
