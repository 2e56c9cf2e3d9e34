//! One access token per app and family, shared by every task that uses the
//! client: fetched once, refreshed a few minutes before it expires, and
//! dropped when DingTalk says it is no longer valid.

use std::future::Future;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::wire::UpstreamError;

struct Cached {
    value: String,
    refresh_at: Instant,
}

#[derive(Default)]
pub(crate) struct TokenCache {
    slot: Mutex<Option<Cached>>,
}

impl TokenCache {
    /// The cached token, or a fresh one from `fetch` (which answers the token
    /// and its lifetime in seconds). Concurrent callers wait for one fetch.
    pub(crate) async fn get<F, Fut>(
        &self,
        margin: Duration,
        fetch: F,
    ) -> Result<String, UpstreamError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(String, u64), UpstreamError>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref() {
            if Instant::now() < cached.refresh_at {
                return Ok(cached.value.clone());
            }
        }
        let (value, expires_in) = fetch().await?;
        let lifetime = Duration::from_secs(expires_in);
        // Refresh `margin` early, but never sooner than half the lifetime.
        let early = margin.min(lifetime / 2);
        *slot = Some(Cached {
            value: value.clone(),
            refresh_at: Instant::now() + lifetime - early,
        });
        Ok(value)
    }

    /// Forgets `value` if it is still the cached token (another task may
    /// already have replaced it).
    pub(crate) async fn invalidate(&self, value: &str) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| c.value == value) {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    async fn fetch_counting(
        counter: &AtomicU32,
        lifetime: u64,
    ) -> Result<(String, u64), UpstreamError> {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Ok((format!("token-{n}"), lifetime))
    }

    #[tokio::test(start_paused = true)]
    async fn reuses_the_token_until_shortly_before_it_expires() {
        let cache = TokenCache::default();
        let fetched = AtomicU32::new(0);
        let margin = Duration::from_secs(300);
        let t1 = cache.get(margin, || fetch_counting(&fetched, 7200)).await;
        let t2 = cache.get(margin, || fetch_counting(&fetched, 7200)).await;
        assert_eq!(t1, Ok("token-1".into()));
        assert_eq!(t2, Ok("token-1".into()));
        tokio::time::advance(Duration::from_secs(7200 - 301)).await;
        let t3 = cache.get(margin, || fetch_counting(&fetched, 7200)).await;
        assert_eq!(t3, Ok("token-1".into()));
        tokio::time::advance(Duration::from_secs(2)).await;
        let t4 = cache.get(margin, || fetch_counting(&fetched, 7200)).await;
        assert_eq!(t4, Ok("token-2".into()), "refreshed five minutes early");
    }

    #[tokio::test(start_paused = true)]
    async fn invalidating_an_old_token_keeps_the_new_one() {
        let cache = TokenCache::default();
        let fetched = AtomicU32::new(0);
        let margin = Duration::from_secs(300);
        let first = cache.get(margin, || fetch_counting(&fetched, 7200)).await;
        cache.invalidate("token-1").await;
        let second = cache.get(margin, || fetch_counting(&fetched, 7200)).await;
        assert_eq!(
            (first, second.clone()),
            (Ok("token-1".into()), Ok("token-2".into()))
        );
        cache.invalidate("token-1").await;
        let third = cache.get(margin, || fetch_counting(&fetched, 7200)).await;
        assert_eq!(
            third, second,
            "a stale invalidation does not drop the new token"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_short_lifetime_is_not_refreshed_at_once() {
        let cache = TokenCache::default();
        let fetched = AtomicU32::new(0);
        let margin = Duration::from_secs(300);
        let _ = cache.get(margin, || fetch_counting(&fetched, 60)).await;
        let again = cache.get(margin, || fetch_counting(&fetched, 60)).await;
        assert_eq!(again, Ok("token-1".into()));
    }
}
