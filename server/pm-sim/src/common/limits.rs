//! A token bucket: `per_second` tokens a second, holding at most `burst`.

use std::time::{Duration, Instant};

/// The bucket's settings; `per_second == 0` turns limiting off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: u32,
    pub burst: u32,
}

impl RateLimit {
    pub const OFF: RateLimit = RateLimit {
        per_second: 0,
        burst: 0,
    };
}

/// What the bucket says about one call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Admission {
    /// Limiting is off.
    Unlimited,
    /// Go ahead; `remaining` whole tokens are left.
    Allowed { limit: u32, remaining: u32 },
    /// Refused; a token will be there after `retry_after`.
    Refused { limit: u32, retry_after: Duration },
}

#[derive(Debug)]
pub struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    pub fn new(limit: RateLimit, now: Instant) -> Self {
        let burst = limit.burst.max(1);
        Self {
            limit: RateLimit {
                per_second: limit.per_second,
                burst,
            },
            tokens: f64::from(burst),
            last: now,
        }
    }

    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Takes a token for one call.
    pub fn admit(&mut self, now: Instant) -> Admission {
        if self.limit.per_second == 0 {
            return Admission::Unlimited;
        }
        let rate = f64::from(self.limit.per_second);
        let capacity = f64::from(self.limit.burst);
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(capacity);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Admission::Allowed {
                limit: self.limit.burst,
                remaining: self.tokens.floor() as u32,
            }
        } else {
            Admission::Refused {
                limit: self.limit.burst,
                retry_after: Duration::from_secs_f64((1.0 - self.tokens) / rate),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_lets_a_burst_through_then_refills_at_the_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(
            RateLimit {
                per_second: 10,
                burst: 3,
            },
            start,
        );
        for _ in 0..3 {
            assert!(matches!(bucket.admit(start), Admission::Allowed { .. }));
        }
        let Admission::Refused { retry_after, .. } = bucket.admit(start) else {
            panic!("the fourth call is refused");
        };
        assert!(retry_after <= Duration::from_millis(100));
        let later = start + Duration::from_millis(100);
        assert!(matches!(bucket.admit(later), Admission::Allowed { .. }));
    }

    #[test]
    fn a_zero_rate_is_unlimited() {
        let now = Instant::now();
        let mut bucket = TokenBucket::new(RateLimit::OFF, now);
        for _ in 0..1000 {
            assert_eq!(bucket.admit(now), Admission::Unlimited);
        }
    }
}
