//! Secrets at rest: AES-256-GCM under a master key.
//!
//! A sealed value is `hb1.<key id>.<base64(nonce ‖ ciphertext)>`. The key id
//! (first 8 hex digits of SHA-256 of the key) says which key sealed it, so
//! that after a rotation the previous keys can still open old values until
//! they are re-sealed. The associated data binds a ciphertext to its row and
//! column: a sealed AppSecret copied into another row does not open.
//!
//! The key comes from the configuration (`master_key`, Base64 of 32 bytes)
//! or from `master.key` in the data directory, generated on first run.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::Path;

const PREFIX: &str = "hb1";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("the master key must be 32 bytes of Base64 (44 characters); {0}")]
    BadKey(String),
    #[error("sealed by master key {0}, which is not configured")]
    UnknownKey(String),
    #[error("the sealed value is damaged or belongs elsewhere")]
    Damaged,
    #[error("cannot read or write the master key file: {0}")]
    Io(String),
}

/// One AES-256 key with its id.
#[derive(Clone)]
pub struct MasterKey {
    id: String,
    cipher: Aes256Gcm,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey({})", self.id)
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        let digest = Sha256::digest(bytes);
        let id = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        MasterKey {
            id,
            cipher: Aes256Gcm::new(bytes.into()),
        }
    }

    pub fn from_base64(text: &str) -> Result<Self, SecretError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|e| SecretError::BadKey(e.to_string()))?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| SecretError::BadKey(format!("got {} bytes", b.len())))?;
        Ok(Self::from_bytes(&bytes))
    }

    pub fn generate() -> (Self, String) {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        (Self::from_bytes(&bytes), STANDARD.encode(bytes))
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The current key, which seals, and older keys, which only open.
#[derive(Clone, Debug)]
pub struct Keyring {
    current: MasterKey,
    previous: Vec<MasterKey>,
}

impl Keyring {
    pub fn new(current: MasterKey, previous: Vec<MasterKey>) -> Self {
        Keyring { current, previous }
    }

    /// Reads `master.key` in `dir`, creating it (mode 0600) when absent.
    /// Answers the key and whether it was just generated.
    pub fn load_or_create(dir: &Path) -> Result<(MasterKey, bool), SecretError> {
        let path = dir.join("master.key");
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok((MasterKey::from_base64(&text)?, false)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(|e| SecretError::Io(e.to_string()))?;
                let (key, text) = MasterKey::generate();
                write_private(&path, &text).map_err(|e| SecretError::Io(e.to_string()))?;
                Ok((key, true))
            }
            Err(e) => Err(SecretError::Io(format!("{}: {e}", path.display()))),
        }
    }

    pub fn current_id(&self) -> &str {
        self.current.id()
    }

    /// Seals `plain` for the place named by `context` (e.g. `connection:<id>:app_secret`).
    pub fn seal(&self, context: &str, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: context.as_bytes(),
        };
        // Encryption with a valid key and a 12-byte nonce cannot fail.
        let sealed = self
            .current
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}.{}.{}", self.current.id, STANDARD.encode(out))
    }

    pub fn open(&self, context: &str, sealed: &str) -> Result<String, SecretError> {
        let mut parts = sealed.splitn(3, '.');
        let (Some(PREFIX), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(SecretError::Damaged);
        };
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == id)
            .ok_or_else(|| SecretError::UnknownKey(id.to_owned()))?;
        let bytes = STANDARD.decode(body).map_err(|_| SecretError::Damaged)?;
        if bytes.len() < 12 + 16 {
            return Err(SecretError::Damaged);
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = key
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Damaged)?;
        String::from_utf8(plain).map_err(|_| SecretError::Damaged)
    }

    /// Whether `sealed` was sealed by an older key (to re-seal after rotation).
    pub fn is_stale(&self, sealed: &str) -> bool {
        sealed.split('.').nth(1) != Some(self.current.id.as_str())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, format!("{text}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> Keyring {
        Keyring::new(MasterKey::generate().0, Vec::new())
    }

    #[test]
    fn seals_and_opens_in_its_own_place_only() {
        let ring = ring();
        let sealed = ring.seal("connection:a:app_secret", "s3cret");
        assert!(!sealed.contains("s3cret"));
        assert_eq!(
            ring.open("connection:a:app_secret", &sealed).as_deref(),
            Ok("s3cret")
        );
        assert_eq!(
            ring.open("connection:b:app_secret", &sealed),
            Err(SecretError::Damaged)
        );
    }

    #[test]
    fn the_same_secret_seals_differently_each_time() {
        let ring = ring();
        assert_ne!(ring.seal("c", "x"), ring.seal("c", "x"));
    }

    #[test]
    fn any_changed_character_is_refused() {
        let ring = ring();
        let sealed = ring.seal("c", "secret value");
        let body_start = sealed.rfind('.').expect("body") + 1;
        for i in body_start..sealed.len() {
            let mut bytes = sealed.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(bytes).expect("ascii");
            if tampered != sealed {
                assert!(ring.open("c", &tampered).is_err(), "position {i}");
            }
        }
    }

    #[test]
    fn old_keys_open_after_rotation_and_are_reported_stale() {
        let old = MasterKey::generate().0;
        let sealed = Keyring::new(old.clone(), vec![]).seal("c", "v");
        let rotated = Keyring::new(MasterKey::generate().0, vec![old]);
        assert_eq!(rotated.open("c", &sealed).as_deref(), Ok("v"));
        assert!(rotated.is_stale(&sealed));
        assert!(!rotated.is_stale(&rotated.seal("c", "v")));
        let forgotten = Keyring::new(MasterKey::generate().0, vec![]);
        assert!(matches!(
            forgotten.open("c", &sealed),
            Err(SecretError::UnknownKey(_))
        ));
    }

    #[test]
    fn keys_must_be_32_bytes() {
        assert!(MasterKey::from_base64("c2hvcnQ=").is_err());
        let (_, text) = MasterKey::generate();
        assert!(MasterKey::from_base64(&text).is_ok());
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = std::env::temp_dir().join(format!("hb-key-{}", uuid::Uuid::now_v7()));
        let (first, created) = Keyring::load_or_create(&dir).expect("create");
        let (second, created_again) = Keyring::load_or_create(&dir).expect("read");
        assert!(created && !created_again);
        assert_eq!(first.id(), second.id());
        let _ = std::fs::remove_dir_all(dir);
    }
}
