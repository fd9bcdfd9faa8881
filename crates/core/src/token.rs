use std::sync::{Arc, Mutex};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::{rngs::StdRng, RngCore, SeedableRng};
use sha2::{Digest, Sha256};

/// Source of unguessable tokens (refresh tokens, e-mail links, secrets).
pub trait TokenSource: Send + Sync {
    fn fill(&self, bytes: &mut [u8]);

    /// 256 random bits, URL-safe.
    fn token(&self) -> String {
        let mut bytes = [0u8; 32];
        self.fill(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    }
}

pub type SharedTokenSource = Arc<dyn TokenSource>;

#[derive(Debug, Default, Clone, Copy)]
pub struct OsTokenSource;

impl TokenSource for OsTokenSource {
    fn fill(&self, bytes: &mut [u8]) {
        rand::rng().fill_bytes(bytes);
    }
}

/// Deterministic tokens for tests.
#[derive(Debug, Clone)]
pub struct SeededTokenSource(Arc<Mutex<StdRng>>);

impl SeededTokenSource {
    pub fn new(seed: u64) -> Self {
        Self(Arc::new(Mutex::new(StdRng::seed_from_u64(seed))))
    }
}

impl TokenSource for SeededTokenSource {
    fn fill(&self, bytes: &mut [u8]) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .fill_bytes(bytes);
    }
}

/// Tokens are stored only as their SHA-256 digest, so a leaked table grants nothing.
pub fn hash_token(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// The SHA-256 of `bytes` in lower-case hex (tokens, and files' fingerprints).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `bytes` in lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
