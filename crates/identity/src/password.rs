use std::{
    collections::HashSet,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Condvar, LazyLock, Mutex, OnceLock,
    },
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

/// Passwords seen most in breaches, lower case; refused outright (see
/// `common-passwords.NOTICE.md`).
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

/// The demo accounts' password. It is published, so it is on the common list and refused
/// for everyone else; only [`crate::Identity::create_demo_user`] still accepts it.
pub const DEMO_PASSWORD: &str = "aula-demo-2026";

/// Words of this service: a password made of them is as guessable as a common one.
const SERVICE_WORDS: [&str; 2] = ["aula", "ciess"];

/// Whose password it is: a password must not be made of their own name or address.
#[derive(Debug, Clone, Copy)]
pub struct Owner<'a> {
    pub email: &'a str,
    pub full_name: &'a str,
}

/// Checks a new password's strength, adding a field error to `v` under `field`.
pub fn check_new_password(v: &mut Validation, field: &str, password: &str, owner: Owner<'_>) {
    if let Some(code) = password_problem(password, owner) {
        v.add(field, code);
    }
}

/// Why `password` is refused, if it is.
pub(crate) fn password_problem(password: &str, owner: Owner<'_>) -> Option<FieldCode> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Some(FieldCode::TooShort)
    } else if chars > MAX_PASSWORD_CHARS {
        Some(FieldCode::TooLong)
    } else if password.trim().is_empty() {
        Some(FieldCode::Blank)
    } else if is_common(password) {
        Some(FieldCode::TooCommon)
    } else if made_of_personal_words(password, owner) {
        Some(FieldCode::TooPersonal)
    } else {
        None
    }
}

fn is_common(password: &str) -> bool {
    static LIST: LazyLock<HashSet<&'static str>> = LazyLock::new(|| COMMON.lines().collect());
    LIST.contains(password.trim().to_lowercase().as_str())
}

/// Letters and digits only, lower case: "Ana.Souza" and "ana souza" compare alike.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the password is nothing but the owner's name, address or this service's
/// name (whole, in parts, repeated, in any case), give or take digits and punctuation:
/// "Ana Souza 2026", "ana.souza@inss.gov.br", "aulaaulaaula".
fn made_of_personal_words(password: &str, owner: Owner<'_>) -> bool {
    let local = owner.email.split('@').next().unwrap_or_default();
    let mut words: Vec<String> = [owner.email, local, owner.full_name]
        .into_iter()
        .chain(owner.full_name.split_whitespace())
        .chain(local.split(|c: char| !c.is_alphanumeric()))
        .chain(SERVICE_WORDS)
        .map(squash)
        .filter(|w| w.chars().count() >= 3)
        .collect();
    // Longest first, so a whole name goes before its parts.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let squashed = squash(password);
    let mut rest = squashed.clone();
    for word in &words {
        rest = rest.replace(word.as_str(), "");
    }
    rest != squashed && rest.chars().all(|c| c.is_numeric())
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
        let owner = Owner {
            email: "ana.souza@inss.gov.br",
            full_name: "Ana Souza",
        };
        let check = |p: &str| password_problem(p, owner);
        assert_eq!(check("short"), Some(FieldCode::TooShort));
        assert_eq!(check(&"x".repeat(300)), Some(FieldCode::TooLong));
        assert_eq!(check("          "), Some(FieldCode::Blank));
        assert_eq!(check(" \t \n        "), Some(FieldCode::Blank));
        for common in [
            "Password123",
            "1234567890",
            "qwertyuiop",
            "  IloveYou12 ",
            DEMO_PASSWORD,
        ] {
            assert_eq!(check(common), Some(FieldCode::TooCommon), "{common}");
        }
        for personal in [
            "ana.souza@inss.gov.br",
            "ANA.SOUZA@inss.gov.br",
            "ana.souza2026",
            "Ana Souza 1985",
            "souzaanasouza",
            "aulaaulaaula",
            "ciess-aula-2026",
        ] {
            assert_eq!(check(personal), Some(FieldCode::TooPersonal), "{personal}");
        }
        for fine in [
            "previsión social 2026",
            "Ana likes long walks",
            "correct horse battery",
        ] {
            assert_eq!(check(fine), None, "{fine}");
        }
    }

    #[test]
    fn the_common_list_is_large_lower_case_and_sorted() {
        let lines: Vec<&str> = COMMON.lines().collect();
        assert!(lines.len() >= 19_000, "{}", lines.len());
        assert!(lines
            .iter()
            .all(|l| *l == l.to_lowercase() && !l.is_empty()));
        assert!(
            lines.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
    }
}
