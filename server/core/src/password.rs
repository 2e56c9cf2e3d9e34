//! argon2id password hashing, always off the async runtime.

use crate::CoreError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tracing::Span;

/// argon2id cost. Defaults follow the OWASP recommendation (19 MiB, 2 passes, 1 lane).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashCost {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

#[derive(Clone)]
pub struct Hasher {
    inner: Arc<HasherInner>,
}

struct HasherInner {
    params: Params,
    /// At most one hash per core at a time: bounds CPU and memory (each
    /// argon2id run holds `memory_kib`) however many logins arrive at once.
    permits: tokio::sync::Semaphore,
    /// Verified against when the user does not exist, so that an unknown
    /// login name costs the same time as a wrong password.
    dummy_hash: String,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hasher")
            .field("params", &self.inner.params)
            .finish()
    }
}

fn argon(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

fn hash_with(params: &Params, password: &str) -> Result<String, CoreError> {
    let salt = SaltString::generate(&mut OsRng);
    argon(params)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::internal("hashing a password", e))
}

impl Hasher {
    pub fn new(cost: HashCost) -> Result<Self, CoreError> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| CoreError::internal("argon2 parameters", e))?;
        let dummy_hash = hash_with(&params, "hourbridge-dummy-password")?;
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        Ok(Self {
            inner: Arc::new(HasherInner {
                params,
                permits: tokio::sync::Semaphore::new(cores),
                dummy_hash,
            }),
        })
    }

    async fn permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, CoreError> {
        self.inner
            .permits
            .acquire()
            .await
            .map_err(|e| CoreError::internal("hashing permits", e))
    }

    pub async fn hash(&self, password: String) -> Result<String, CoreError> {
        let _permit = self.permit().await?;
        let inner = self.inner.clone();
        let span = Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(|| hash_with(&inner.params, &password)))
            .await
            .map_err(|e| CoreError::internal("hashing task", e))?
    }

    /// Checks a password; with no stored hash it burns the same time and answers `false`.
    pub async fn verify(
        &self,
        password: String,
        stored_hash: Option<String>,
    ) -> Result<bool, CoreError> {
        let inner = self.inner.clone();
        let span = Span::current();
        tokio::task::spawn_blocking(move || {
            span.in_scope(|| {
                let known = stored_hash.is_some();
                let stored = stored_hash.unwrap_or_else(|| inner.dummy_hash.clone());
                let parsed = PasswordHash::new(&stored)
                    .map_err(|e| CoreError::internal("stored password hash", e))?;
                let ok = argon(&inner.params)
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok();
                Ok(known && ok)
            })
        })
        .await
        .map_err(|e| CoreError::internal("verifying task", e))?
    }
}

/// A random password for the first admin and for resets: 20 characters, ~119 bits.
pub fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Hasher {
        Hasher::new(HashCost {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let h = cheap();
        let hash = h.hash("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(h
            .verify("correct horse".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!h.verify("wrong horse".into(), Some(hash)).await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies_even_with_the_dummy_password() {
        let h = cheap();
        assert!(!h
            .verify("hourbridge-dummy-password".into(), None)
            .await
            .unwrap());
    }

    #[test]
    fn generated_passwords_are_long_and_distinct() {
        let a = generate_password();
        assert_eq!(a.len(), 20);
        assert_ne!(a, generate_password());
    }
}
