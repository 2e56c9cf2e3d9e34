//! Plugin tokens: issued by `POST /open_api/authen/plugin_token`, valid for
//! the configured time, expirable all at once by an admin hook.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::error::{FeishuError, TOKEN_EXPIRED, TOKEN_INVALID};

#[derive(Debug, Default)]
pub struct Tokens {
    issued: u64,
    /// Token → the moment it expires.
    valid_until: HashMap<String, Instant>,
}

impl Tokens {
    /// A new token valid for `ttl` (`p-` and 32 hex digits, unique).
    pub fn issue(&mut self, ttl: Duration, now: Instant) -> String {
        self.issued += 1;
        let token = format!(
            "p-{:016x}{:016x}",
            self.issued.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            self.issued
        );
        self.valid_until.insert(token.clone(), now + ttl);
        token
    }

    /// Tokens issued so far.
    pub fn issued(&self) -> u64 {
        self.issued
    }

    /// Whether `token` may be used at `now`.
    pub fn check(&self, token: Option<&str>, now: Instant) -> Result<(), FeishuError> {
        let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) else {
            return Err(FeishuError::new(TOKEN_INVALID, "X-PLUGIN-TOKEN is missing"));
        };
        match self.valid_until.get(token) {
            None => Err(FeishuError::new(TOKEN_INVALID, "plugin token is invalid")),
            Some(until) if *until <= now => {
                Err(FeishuError::new(TOKEN_EXPIRED, "plugin token expired"))
            }
            Some(_) => Ok(()),
        }
    }

    /// Every token issued so far expires now.
    pub fn expire_all(&mut self, now: Instant) {
        for until in self.valid_until.values_mut() {
            *until = (*until).min(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_valid_until_they_expire() {
        let now = Instant::now();
        let mut tokens = Tokens::default();
        let a = tokens.issue(Duration::from_secs(60), now);
        let b = tokens.issue(Duration::from_secs(60), now);
        assert_ne!(a, b);
        assert_eq!(tokens.check(Some(&a), now), Ok(()));
        assert_eq!(
            tokens
                .check(Some(&a), now + Duration::from_secs(61))
                .map_err(|e| e.code),
            Err(TOKEN_EXPIRED)
        );
        assert_eq!(
            tokens.check(Some("p-nope"), now).map_err(|e| e.code),
            Err(TOKEN_INVALID)
        );
        assert_eq!(
            tokens.check(None, now).map_err(|e| e.code),
            Err(TOKEN_INVALID)
        );
        tokens.expire_all(now);
        assert_eq!(
            tokens.check(Some(&b), now).map_err(|e| e.code),
            Err(TOKEN_EXPIRED)
        );
        let c = tokens.issue(Duration::from_secs(60), now);
        assert_eq!(tokens.check(Some(&c), now), Ok(()));
        assert_eq!(tokens.issued(), 3);
    }
}
