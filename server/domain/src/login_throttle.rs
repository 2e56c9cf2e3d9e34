//! When a login must wait: too many recent failures for one account or one address.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottlePolicy {
    /// Failures for one login name inside the window before it must wait.
    pub max_failures_per_account: u32,
    /// Failures from one client address (any login names) before it must wait.
    /// Higher than the per-account limit: a whole office may share one address.
    pub max_failures_per_address: u32,
    /// Length of the sliding window, in seconds.
    pub window_secs: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_address: 30,
            window_secs: 15 * 60,
        }
    }
}

/// Recent failed attempts, newest last, as unix seconds.
#[derive(Debug, Clone, Default)]
pub struct RecentFailures {
    pub for_account: Vec<i64>,
    pub for_address: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleDecision {
    Allow,
    /// Refuse without checking the password; try again after this many seconds.
    Wait {
        retry_after_secs: i64,
    },
}

impl ThrottlePolicy {
    /// The start of the window that counts at `now`.
    pub fn window_start(&self, now: i64) -> i64 {
        now - self.window_secs
    }

    pub fn decide(&self, now: i64, recent: &RecentFailures) -> ThrottleDecision {
        let wait = |attempts: &[i64], max: u32| -> Option<i64> {
            let mut inside: Vec<i64> = attempts
                .iter()
                .copied()
                .filter(|t| *t > self.window_start(now))
                .collect();
            if (inside.len() as u64) < u64::from(max) || max == 0 {
                return None;
            }
            inside.sort_unstable();
            // Allowed again once enough failures have left the window.
            let index = inside.len() - max as usize;
            Some((inside[index] + self.window_secs - now).max(1))
        };
        let account = wait(&recent.for_account, self.max_failures_per_account);
        let address = wait(&recent.for_address, self.max_failures_per_address);
        match (account, address) {
            (None, None) => ThrottleDecision::Allow,
            (a, b) => ThrottleDecision::Wait {
                retry_after_secs: a.unwrap_or(0).max(b.unwrap_or(0)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy::default()
    }

    #[test]
    fn four_failures_still_allow_a_fifth_try() {
        let recent = RecentFailures {
            for_account: vec![100, 101, 102, 103],
            for_address: vec![],
        };
        assert_eq!(policy().decide(200, &recent), ThrottleDecision::Allow);
    }

    #[test]
    fn five_failures_for_an_account_make_it_wait_until_the_oldest_expires() {
        let recent = RecentFailures {
            for_account: vec![100, 110, 120, 130, 140],
            for_address: vec![],
        };
        assert_eq!(
            policy().decide(200, &recent),
            ThrottleDecision::Wait {
                retry_after_secs: 100 + 900 - 200
            }
        );
        // Once the oldest has left the window, logins are allowed again.
        assert_eq!(policy().decide(1001, &recent), ThrottleDecision::Allow);
    }

    #[test]
    fn an_address_trying_many_accounts_is_throttled_too() {
        let many: Vec<i64> = (1..=30).collect();
        let recent = RecentFailures {
            for_account: vec![],
            for_address: many.clone(),
        };
        assert_eq!(
            policy().decide(100, &recent),
            ThrottleDecision::Wait {
                retry_after_secs: 1 + 900 - 100
            }
        );
        // 29 failures from an office address still let its people log in.
        let recent = RecentFailures {
            for_account: vec![],
            for_address: many[1..].to_vec(),
        };
        assert_eq!(policy().decide(100, &recent), ThrottleDecision::Allow);
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let recent = RecentFailures {
            for_account: vec![1, 2, 3, 4, 5],
            for_address: vec![1, 2, 3, 4, 5],
        };
        assert_eq!(policy().decide(5000, &recent), ThrottleDecision::Allow);
    }
}
