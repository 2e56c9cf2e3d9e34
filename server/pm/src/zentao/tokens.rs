//! ZenTao tokens: one per account, fetched once and shared by every call.
//!
//! A token is the PHP session id, so it expires after the session's idle
//! timeout; the caller renews it on a 401. A refused login (wrong password,
//! locked account) is remembered: ZenTao locks an account after a few
//! failures, and HourBridge must never be what locks a person out.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::PmError;

#[derive(Clone, Default)]
enum Slot {
    #[default]
    Empty,
    Token(String),
    Refused(PmError),
}

/// The tokens of one connection, per account.
#[derive(Default)]
pub struct Tokens {
    slots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Slot>>>>,
}

/// Tokens are session ids: secrets, never shown.
impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let accounts = self.slots.lock().map(|s| s.len()).unwrap_or(0);
        f.debug_struct("Tokens")
            .field("accounts", &accounts)
            .finish()
    }
}

impl Tokens {
    /// ZenTao accounts are case-insensitive.
    fn slot(&self, account: &str) -> Arc<tokio::sync::Mutex<Slot>> {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(account.to_lowercase()).or_default().clone()
    }

    /// The account's token, logging in (once, however many callers wait)
    /// when there is none.
    pub async fn get<F, Fut>(&self, account: &str, login: F) -> Result<String, PmError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, PmError>>,
    {
        let slot = self.slot(account);
        let mut held = slot.lock().await;
        match &*held {
            Slot::Token(token) => Ok(token.clone()),
            Slot::Refused(e) => Err(e.clone()),
            Slot::Empty => Self::fill(&mut held, login).await,
        }
    }

    /// A new token after `stale` was refused (401). When another caller
    /// already renewed it, that token is the answer.
    pub async fn renew<F, Fut>(
        &self,
        account: &str,
        stale: &str,
        login: F,
    ) -> Result<String, PmError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, PmError>>,
    {
        let slot = self.slot(account);
        let mut held = slot.lock().await;
        match &*held {
            Slot::Token(token) if token != stale => Ok(token.clone()),
            Slot::Refused(e) => Err(e.clone()),
            _ => Self::fill(&mut held, login).await,
        }
    }

    async fn fill<F, Fut>(held: &mut Slot, login: F) -> Result<String, PmError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, PmError>>,
    {
        match login().await {
            Ok(token) => {
                *held = Slot::Token(token.clone());
                Ok(token)
            }
            // Wrong password or locked account: do not try again.
            Err(e @ PmError::Auth { .. }) => {
                *held = Slot::Refused(e.clone());
                Err(e)
            }
            // Network trouble: the next call tries again.
            Err(e) => {
                *held = Slot::Empty;
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn counted(
        logins: &AtomicU32,
        result: Result<&str, PmError>,
    ) -> impl Future<Output = Result<String, PmError>> {
        let n = logins.fetch_add(1, Ordering::SeqCst) + 1;
        let result = result.map(|t| format!("{t}{n}"));
        async move { result }
    }

    #[tokio::test]
    async fn one_login_serves_every_call_until_the_token_is_refused() {
        let tokens = Tokens::default();
        let logins = AtomicU32::new(0);
        let first = tokens.get("Alice", || counted(&logins, Ok("t"))).await;
        let again = tokens.get("alice", || counted(&logins, Ok("t"))).await;
        assert_eq!((first.as_deref(), again.as_deref()), (Ok("t1"), Ok("t1")));
        assert_eq!(logins.load(Ordering::SeqCst), 1);
        assert!(!format!("{tokens:?}").contains("t1"), "no token in logs");

        let renewed = tokens
            .renew("alice", "t1", || counted(&logins, Ok("t")))
            .await;
        assert_eq!(renewed.as_deref(), Ok("t2"));
        // A second caller that also saw t1 refused gets t2 without a login.
        let late = tokens
            .renew("alice", "t1", || counted(&logins, Ok("t")))
            .await;
        assert_eq!(late.as_deref(), Ok("t2"));
        assert_eq!(logins.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_refused_password_is_not_tried_again() {
        let tokens = Tokens::default();
        let logins = AtomicU32::new(0);
        let refused = || PmError::Auth {
            system: "ZenTao",
            message: "登录失败".into(),
        };
        for _ in 0..3 {
            let error = tokens.get("bob", || counted(&logins, Err(refused()))).await;
            assert_eq!(error, Err(refused()));
        }
        assert_eq!(logins.load(Ordering::SeqCst), 1, "one attempt, not three");

        let unreachable = PmError::Unreachable {
            system: "ZenTao",
            detail: "refused".into(),
        };
        for _ in 0..2 {
            let error = tokens
                .get("carol", || counted(&logins, Err(unreachable.clone())))
                .await;
            assert_eq!(error, Err(unreachable.clone()));
        }
        assert_eq!(
            logins.load(Ordering::SeqCst),
            3,
            "network failures are retried"
        );
    }
}
