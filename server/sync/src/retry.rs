//! Which failures are worth retrying, and when: exponential back-off with
//! full jitter, capped, for transient reasons (unreachable, timeout,
//! throttled — waiting at least what the system asked —, a 5xx answer);
//! every other reason fails only its item, at once.

use std::time::Duration;

use hourbridge_pm::PmError;

/// How a failed item is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Try again after a delay.
    Transient,
    /// Fail the item with its reason; the run goes on.
    Permanent,
}

impl Failure {
    /// The treatment of a PM system's failure.
    pub fn of(error: &PmError) -> Failure {
        let server_error = matches!(error, PmError::Rejected { status, .. } if *status >= 500);
        if error.is_transient() || server_error {
            Failure::Transient
        } else {
            Failure::Permanent
        }
    }
}

/// Exponential back-off with full jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The first delay's ceiling.
    pub base: Duration,
    /// No delay is longer.
    pub cap: Duration,
    /// Tries in all, the first included.
    pub max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
            max_attempts: 6,
        }
    }
}

impl Backoff {
    /// The delay before try `attempt + 1` after `attempt` tries failed
    /// (`attempt` ≥ 1), or `None` when the tries are used up. `jitter` is a
    /// uniform draw from `0.0..1.0` (the caller's random source), and a
    /// system's `retry_after` is a floor.
    pub fn delay(
        &self,
        attempt: u32,
        jitter: f64,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempt == 0 || attempt >= self.max_attempts {
            return None;
        }
        let exponent = (attempt - 1).min(30);
        let ceiling = self.base.saturating_mul(1u32 << exponent).min(self.cap);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            1.0
        };
        let drawn = ceiling.mul_f64(jitter);
        Some(retry_after.map_or(drawn, |floor| drawn.max(floor).min(self.cap.max(floor))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_rate_and_server_errors_are_retried_the_rest_fail_the_item() {
        let transient = [
            PmError::Unreachable {
                system: "Jira",
                detail: "connection refused".into(),
            },
            PmError::Timeout {
                system: "Jira",
                seconds: 30,
            },
            PmError::Throttled {
                system: "Jira",
                retry_after: None,
            },
            PmError::Rejected {
                system: "Jira",
                status: 503,
                message: "Service Unavailable".into(),
            },
        ];
        for e in &transient {
            assert_eq!(Failure::of(e), Failure::Transient, "{e}");
        }
        let permanent = [
            PmError::Rejected {
                system: "Redmine",
                status: 422,
                message: "Issue is closed".into(),
            },
            PmError::NotFound {
                system: "Jira",
                message: "EX-9".into(),
            },
            PmError::Unsupported {
                system: "ZenTao",
                what: "edit worklogs".into(),
            },
        ];
        for e in &permanent {
            assert_eq!(Failure::of(e), Failure::Permanent, "{e}");
        }
    }

    #[test]
    fn delays_grow_exponentially_under_the_cap_and_stop_after_the_last_try() {
        let b = Backoff::default();
        assert_eq!(b.delay(1, 1.0, None), Some(Duration::from_millis(500)));
        assert_eq!(b.delay(2, 1.0, None), Some(Duration::from_secs(1)));
        assert_eq!(b.delay(5, 1.0, None), Some(Duration::from_secs(8)));
        assert_eq!(b.delay(2, 0.5, None), Some(Duration::from_millis(500)));
        assert_eq!(b.delay(6, 1.0, None), None);
        let long = Backoff {
            max_attempts: 40,
            ..b
        };
        assert_eq!(long.delay(39, 1.0, None), Some(Duration::from_secs(60)));
    }

    #[test]
    fn a_systems_retry_after_is_a_floor_and_bad_jitter_is_harmless() {
        let b = Backoff::default();
        let floor = Some(Duration::from_secs(30));
        assert_eq!(b.delay(1, 0.0, floor), Some(Duration::from_secs(30)));
        assert_eq!(b.delay(1, f64::NAN, None), Some(Duration::from_millis(500)));
        assert_eq!(b.delay(1, -3.0, None), Some(Duration::ZERO));
        // A floor above the cap is still honoured.
        assert_eq!(
            b.delay(1, 0.2, Some(Duration::from_secs(120))),
            Some(Duration::from_secs(120))
        );
    }
}
