//! Tokens and logins: a token is a PHP session id that expires after
//! `session_idle` without use; wrong passwords count towards a lock, as
//! ZenTao's `user->failPlus` and `checkLocked` do.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::distributions::Alphanumeric;
use rand::Rng;

/// Why a login was refused, in ZenTao's (zh-cn) words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Failed,
    /// `remaining` tries are left before the lock.
    Warning {
        remaining: u32,
    },
    Locked {
        minutes: u32,
    },
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Refusal::Failed => "登录失败，请检查您的用户名或密码是否填写正确。".to_owned(),
            Refusal::Warning { remaining } => format!("您还有{remaining}次尝试机会。"),
            Refusal::Locked { minutes } => {
                format!("密码尝试次数太多，请联系管理员解锁，或{minutes}分钟后重试。")
            }
        }
    }
}

#[derive(Debug)]
struct Session {
    account: String,
    last_used: Instant,
}

#[derive(Debug, Default)]
struct Fails {
    count: u32,
    locked_until: Option<Instant>,
}

#[derive(Debug)]
pub struct Sessions {
    idle: Duration,
    lock_after: u32,
    lock_minutes: u32,
    tokens: HashMap<String, Session>,
    fails: HashMap<String, Fails>,
    /// Successful logins, per account.
    logins: HashMap<String, u64>,
}

impl Sessions {
    pub fn new(idle: Duration, lock_after: u32, lock_minutes: u32) -> Self {
        Sessions {
            idle,
            lock_after: lock_after.max(1),
            lock_minutes,
            tokens: HashMap::new(),
            fails: HashMap::new(),
            logins: HashMap::new(),
        }
    }

    /// Whether the account is locked now.
    pub fn locked(&self, account: &str, now: Instant) -> bool {
        self.fails
            .get(&account.to_lowercase())
            .and_then(|f| f.locked_until)
            .is_some_and(|until| until > now)
    }

    /// A wrong password (or unknown account): what to answer.
    pub fn fail(&mut self, account: &str, now: Instant) -> Refusal {
        let fails = self.fails.entry(account.to_lowercase()).or_default();
        fails.count += 1;
        let remaining = self.lock_after.saturating_sub(fails.count);
        if remaining == 0 {
            fails.count = 0;
            fails.locked_until = Some(now + Duration::from_secs(u64::from(self.lock_minutes) * 60));
            Refusal::Locked {
                minutes: self.lock_minutes,
            }
        } else if remaining <= 3 {
            Refusal::Warning { remaining }
        } else {
            Refusal::Failed
        }
    }

    pub fn refusal_when_locked(&self) -> Refusal {
        Refusal::Locked {
            minutes: self.lock_minutes,
        }
    }

    /// A new session for `account` (the failures are forgotten).
    pub fn open(&mut self, account: &str, now: Instant) -> String {
        self.fails.remove(&account.to_lowercase());
        *self.logins.entry(account.to_lowercase()).or_insert(0) += 1;
        let token: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(26)
            .map(|c| char::from(c).to_ascii_lowercase())
            .collect();
        self.tokens.insert(
            token.clone(),
            Session {
                account: account.to_owned(),
                last_used: now,
            },
        );
        token
    }

    /// The account of a live token (its idle clock restarts), else `None`
    /// (an expired token is forgotten).
    pub fn touch(&mut self, token: &str, now: Instant) -> Option<String> {
        let session = self.tokens.get_mut(token)?;
        if now.saturating_duration_since(session.last_used) > self.idle {
            self.tokens.remove(token);
            return None;
        }
        session.last_used = now;
        Some(session.account.clone())
    }

    /// Expires every token now.
    pub fn expire_all(&mut self) -> usize {
        let n = self.tokens.len();
        self.tokens.clear();
        n
    }

    /// Lifts every lock and forgets failures.
    pub fn unlock_all(&mut self) {
        self.fails.clear();
    }

    pub fn logins(&self, account: &str) -> u64 {
        self.logins
            .get(&account.to_lowercase())
            .copied()
            .unwrap_or(0)
    }

    pub fn failures(&self, account: &str) -> u32 {
        self.fails
            .get(&account.to_lowercase())
            .map_or(0, |f| f.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire_when_idle_and_on_demand() {
        let start = Instant::now();
        let mut sessions = Sessions::new(Duration::from_secs(60), 6, 10);
        let token = sessions.open("alice", start);
        assert_eq!(token.len(), 26);
        let later = start + Duration::from_secs(50);
        assert_eq!(sessions.touch(&token, later).as_deref(), Some("alice"));
        // Used at 50 s: alive at 100 s, dead at 111 s.
        assert!(sessions
            .touch(&token, start + Duration::from_secs(100))
            .is_some());
        assert!(sessions
            .touch(&token, start + Duration::from_secs(161))
            .is_none());
        let again = sessions.open("alice", start);
        assert_eq!(sessions.expire_all(), 1);
        assert!(sessions.touch(&again, start).is_none());
        assert_eq!(sessions.logins("ALICE"), 2);
    }

    #[test]
    fn repeated_failures_warn_then_lock() {
        let now = Instant::now();
        let mut sessions = Sessions::new(Duration::from_secs(60), 6, 10);
        let answers: Vec<Refusal> = (0..6).map(|_| sessions.fail("bob", now)).collect();
        assert_eq!(answers[0], Refusal::Failed);
        assert_eq!(answers[2], Refusal::Warning { remaining: 3 });
        assert_eq!(answers[5], Refusal::Locked { minutes: 10 });
        assert!(sessions.locked("bob", now));
        assert!(!sessions.locked("bob", now + Duration::from_secs(601)));
        assert!(answers[5].message().contains("10分钟后重试"));
    }
}
