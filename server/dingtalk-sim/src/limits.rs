//! Rate limits: a per-API token bucket (QPS) and the monthly call quota.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Asia::Shanghai;

/// One token bucket per API path, `qps` tokens per second, holding at most
/// one second's worth.
#[derive(Debug)]
pub struct QpsLimiter {
    qps: u32,
    buckets: HashMap<String, Bucket>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl QpsLimiter {
    /// `qps == 0` means unlimited.
    pub fn new(qps: u32) -> Self {
        Self {
            qps,
            buckets: HashMap::new(),
        }
    }

    /// Takes a token for a call to `path`; `false` means throttled.
    pub fn allow(&mut self, path: &str, now: Instant) -> bool {
        if self.qps == 0 {
            return true;
        }
        let capacity = f64::from(self.qps);
        let bucket = self.buckets.entry(path.to_owned()).or_insert(Bucket {
            tokens: capacity,
            last: now,
        });
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * capacity).min(capacity);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// A natural month in China time.
pub type Month = (i32, u32);

pub fn china_month(now: DateTime<Utc>) -> Month {
    let local = now.with_timezone(&Shanghai);
    (local.year(), local.month())
}

/// Billable calls per natural month. A call reserves a unit before it is
/// handled and gives it back if it fails, so failed calls are not counted
/// and concurrent calls never pass the limit.
#[derive(Debug)]
pub struct MonthlyQuota {
    limit: u64,
    month: Month,
    used: u64,
    total: u64,
}

impl MonthlyQuota {
    /// `limit == 0` means unlimited.
    pub fn new(limit: u64, month: Month) -> Self {
        Self {
            limit,
            month,
            used: 0,
            total: 0,
        }
    }

    fn roll(&mut self, month: Month) {
        if month != self.month {
            self.month = month;
            self.used = 0;
        }
    }

    /// Reserves one call in `month`; `false` means the quota is used up.
    pub fn reserve(&mut self, month: Month) -> bool {
        self.roll(month);
        if self.limit > 0 && self.used >= self.limit {
            return false;
        }
        self.used += 1;
        self.total += 1;
        true
    }

    /// Gives back a reservation made in `month` (the call failed).
    pub fn release(&mut self, month: Month) {
        if month == self.month {
            self.used = self.used.saturating_sub(1);
        }
        self.total = self.total.saturating_sub(1);
    }

    /// Calls counted this month and since start.
    pub fn counts(&mut self, month: Month) -> (u64, u64) {
        self.roll(month);
        (self.used, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_bucket_allows_a_second_of_burst_then_refills() {
        let mut limiter = QpsLimiter::new(3);
        let t0 = Instant::now();
        assert!((0..3).all(|_| limiter.allow("/a", t0)));
        assert!(!limiter.allow("/a", t0));
        assert!(limiter.allow("/b", t0), "buckets are per path");
        assert!(limiter.allow("/a", t0 + Duration::from_millis(400)));
        assert!(QpsLimiter::new(0).allow("/a", t0));
    }

    #[test]
    fn the_quota_counts_per_month_and_gives_back_failures() {
        let mut quota = MonthlyQuota::new(2, (2026, 3));
        assert!(quota.reserve((2026, 3)));
        quota.release((2026, 3));
        assert!(quota.reserve((2026, 3)));
        assert!(quota.reserve((2026, 3)));
        assert!(!quota.reserve((2026, 3)));
        assert!(quota.reserve((2026, 4)), "a new month starts afresh");
        assert_eq!(quota.counts((2026, 4)), (1, 3));
    }
}
