//! The plugin token (`X-PLUGIN-TOKEN`): fetched once, shared by every call,
//! fetched again shortly before it expires or when an answer says it is no
//! longer good.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::PmError;

/// The SDK's safety margin: a token is renewed 3 minutes before it expires.
const MARGIN: Duration = Duration::from_secs(180);

/// A token as the endpoint gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fresh {
    pub token: String,
    /// How long it is valid (the endpoint's `expire_time`).
    pub valid_for: Duration,
}

#[derive(Debug, Clone)]
struct Cached {
    token: String,
    renew_at: Instant,
}

/// The connection's token, shared by concurrent calls: while one call
/// fetches, the others wait for its result instead of fetching too.
#[derive(Debug, Default)]
pub struct TokenCache {
    slot: Mutex<Option<Cached>>,
}

impl TokenCache {
    /// The cached token, or a new one from `fetch`.
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<String, PmError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Fresh, PmError>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref().filter(|c| Instant::now() < c.renew_at) {
            return Ok(cached.token.clone());
        }
        let fresh = fetch().await?;
        // Short-lived tokens keep half their life as the margin.
        let margin = MARGIN.min(fresh.valid_for / 2);
        *slot = Some(Cached {
            token: fresh.token.clone(),
            renew_at: Instant::now() + fresh.valid_for.saturating_sub(margin),
        });
        Ok(fresh.token)
    }

    /// Drops `token` if it is still the cached one (another call may have
    /// replaced it already).
    pub async fn forget(&self, token: &str) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| c.token == token) {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn fresh(n: u32, secs: u64) -> Result<Fresh, PmError> {
        Ok(Fresh {
            token: format!("p-{n}"),
            valid_for: Duration::from_secs(secs),
        })
    }

    #[tokio::test]
    async fn a_token_is_fetched_once_and_again_after_it_is_forgotten() {
        let cache = TokenCache::default();
        let fetched = AtomicU32::new(0);
        let fetch = || async {
            let n = fetched.fetch_add(1, Ordering::SeqCst) + 1;
            fresh(n, 7200)
        };
        assert_eq!(cache.get(fetch).await.as_deref(), Ok("p-1"));
        assert_eq!(cache.get(fetch).await.as_deref(), Ok("p-1"));
        cache.forget("p-0").await;
        assert_eq!(
            cache.get(fetch).await.as_deref(),
            Ok("p-1"),
            "another token"
        );
        cache.forget("p-1").await;
        assert_eq!(cache.get(fetch).await.as_deref(), Ok("p-2"));
        assert_eq!(fetched.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_expired_token_is_renewed() {
        let cache = TokenCache::default();
        let fetched = AtomicU32::new(0);
        let fetch = || async {
            let n = fetched.fetch_add(1, Ordering::SeqCst) + 1;
            // Valid for no time at all: renewed on every call.
            fresh(n, 0)
        };
        assert_eq!(cache.get(fetch).await.as_deref(), Ok("p-1"));
        assert_eq!(cache.get(fetch).await.as_deref(), Ok("p-2"));
    }
}
