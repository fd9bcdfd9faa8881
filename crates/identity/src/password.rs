use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc, Condvar, Mutex, OnceLock,
};

use argon2::{
    password_hash::{PasswordHash, SaltString},
    Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier, Version,
};
use aula_core::{FieldCode, SharedTokenSource, Validation};

use crate::error::{IdentityError, Result};

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing cannot be abused.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Passwords people pick first; refused outright.
const COMMON: &str = include_str!("common-passwords.txt");

/// argon2id with the OWASP recommended parameters (19 MiB, 2 passes, 1 lane).
///
/// At most one hash per core runs at a time: more would not finish sooner, and each
/// holds 19 MiB, so a burst of sign-ins could otherwise take memory without bound.
#[derive(Clone)]
pub struct PasswordHasher {
    tokens: SharedTokenSource,
    dummy: Arc<OnceLock<String>>,
    permits: Arc<Permits>,
    /// Verifications run so far (real or dummy), shared by clones.
    verifications: Arc<AtomicU64>,
}

struct Permits {
    free: Mutex<usize>,
    returned: Condvar,
}

impl Permits {
    fn run<T>(&self, work: impl FnOnce() -> T) -> T {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.returned.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        drop(free);
        let result = work();
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.returned.notify_one();
        result
    }
}

impl PasswordHasher {
    pub fn new(tokens: SharedTokenSource) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            tokens,
            dummy: Arc::new(OnceLock::new()),
            permits: Arc::new(Permits {
                free: Mutex::new(cores),
                returned: Condvar::new(),
            }),
            verifications: Arc::new(AtomicU64::new(0)),
        }
    }

    fn argon2() -> Argon2<'static> {
        let params =
            Params::new(19 * 1024, 2, 1, None).expect("constant argon2 parameters are valid");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    pub fn hash(&self, password: &str) -> Result<String> {
        let mut salt = [0u8; 16];
        self.tokens.fill(&mut salt);
        let salt =
            SaltString::encode_b64(&salt).map_err(|e| IdentityError::Hashing(e.to_string()))?;
        self.permits.run(|| {
            Self::argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| IdentityError::Hashing(e.to_string()))
        })
    }

    /// Whether `password` matches `hash`. An account without a usable hash (an invited
    /// one that never chose a password) spends a dummy verification, so timing does not
    /// tell it apart from an account with a password.
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        match PasswordHash::new(hash) {
            Ok(parsed) => self.check(password, &parsed),
            Err(_) => {
                self.verify_dummy(password);
                false
            }
        }
    }

    fn check(&self, password: &str, hash: &PasswordHash<'_>) -> bool {
        self.verifications.fetch_add(1, Ordering::Relaxed);
        self.permits.run(|| {
            Self::argon2()
                .verify_password(password.as_bytes(), hash)
                .is_ok()
        })
    }

    /// Spends the same work as a real verification, so an unknown email cannot be
    /// told apart from a wrong password by timing.
    pub fn verify_dummy(&self, password: &str) {
        let hash = self.dummy.get_or_init(|| {
            self.hash("aula-dummy-password-for-timing")
                .unwrap_or_default()
        });
        if let Ok(parsed) = PasswordHash::new(hash) {
            let _ = self.check(password, &parsed);
        }
    }

    /// How many verifications (real or dummy) ran: sign-in spends one on every path.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }
}

/// Checks a new password's strength, adding field errors to `v` under `field`.
pub fn check_new_password(v: &mut Validation, field: &str, password: &str) {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        v.add(field, FieldCode::TooShort);
    } else if chars > MAX_PASSWORD_CHARS {
        v.add(field, FieldCode::TooLong);
    } else if is_common(password) {
        v.add(field, FieldCode::TooCommon);
    }
}

fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON.lines().any(|common| common == lower)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aula_core::SeededTokenSource;

    #[test]
    fn hashes_verify_and_are_argon2id_with_owasp_parameters() {
        let hasher = PasswordHasher::new(Arc::new(SeededTokenSource::new(1)));
        let hash = hasher.hash("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(hasher.verify("correct horse battery", &hash));
        assert!(!hasher.verify("correct horse batterY", &hash));
        assert!(!hasher.verify("x", "not a hash"));
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let check = |p: &str| {
            let mut v = Validation::new();
            check_new_password(&mut v, "password", p);
            v.finish().err().map(|e| e[0].code)
        };
        assert_eq!(check("short"), Some(FieldCode::TooShort));
        assert_eq!(check("Password123"), Some(FieldCode::TooCommon));
        assert_eq!(check(&"x".repeat(300)), Some(FieldCode::TooLong));
        assert_eq!(check("previsión social 2026"), None);
    }
}
