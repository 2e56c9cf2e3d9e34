//! Access tokens: one live token per app, reused (and extended) while valid.

use std::time::{Duration, Instant};

use rand::Rng;

#[derive(Debug)]
pub struct Tokens {
    ttl: Duration,
    current: Option<(String, Instant)>,
    issued: u64,
}

impl Tokens {
    pub fn new(ttl_secs: u64) -> Self {
        Self {
            ttl: Duration::from_secs(ttl_secs),
            current: None,
            issued: 0,
        }
    }

    /// The token to hand out: the live one with its life extended, or a new one.
    pub fn issue(&mut self, now: Instant) -> String {
        let expires = now + self.ttl;
        if let Some((token, expiry)) = &mut self.current {
            if *expiry > now {
                *expiry = expires;
                return token.clone();
            }
        }
        let token = new_token();
        self.current = Some((token.clone(), expires));
        self.issued += 1;
        token
    }

    pub fn is_valid(&self, token: &str, now: Instant) -> bool {
        self.current
            .as_ref()
            .is_some_and(|(t, expiry)| t == token && *expiry > now)
    }

    pub fn revoke(&mut self) {
        self.current = None;
    }

    pub fn issued(&self) -> u64 {
        self.issued
    }
}

fn new_token() -> String {
    const HEX: &[u8] = b"0123456789abcdef";
    let mut rng = rand::thread_rng();
    (0..32)
        .map(|_| HEX[rng.gen_range(0..HEX.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_token_is_reused_and_a_revoked_one_replaced() {
        let mut tokens = Tokens::new(10);
        let t0 = Instant::now();
        let a = tokens.issue(t0);
        assert_eq!(tokens.issue(t0 + Duration::from_secs(5)), a);
        assert!(
            tokens.is_valid(&a, t0 + Duration::from_secs(14)),
            "extended"
        );
        assert!(!tokens.is_valid(&a, t0 + Duration::from_secs(16)));
        tokens.revoke();
        assert!(!tokens.is_valid(&a, t0));
        assert_ne!(tokens.issue(t0), a);
        assert_eq!(tokens.issued(), 2);
    }
}
