//! Fault injection: make the next calls (to one path or any) misbehave.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

use super::lock;

/// A way for one call to go wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 5xx with an HTML body (what a proxy in front of the system sends).
    ServerError(u16),
    /// Answer normally, after this delay.
    Slow(Duration),
    /// HTTP 200 with truncated JSON; the call is not carried out.
    MalformedJson,
    /// HTTP 429 with `Retry-After` (a burst: give the scope `times`).
    TooManyRequests { retry_after_secs: u64 },
    /// Carry the call out (commit the write), then close the connection
    /// without sending any answer.
    DropAfterWrite,
}

/// Which calls a fault hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultScope {
    /// `None` = any call. Otherwise the concrete path
    /// (`/rest/api/3/issue/HB-1/worklog`), the route template
    /// (`/rest/api/3/issue/{issueIdOrKey}/worklog`), or either prefixed with
    /// the method (`POST /rest/api/3/issue/{issueIdOrKey}/worklog`).
    pub path: Option<String>,
    /// How many calls it hits.
    pub times: u32,
}

impl FaultScope {
    pub fn any(times: u32) -> Self {
        Self { path: None, times }
    }

    pub fn path(path: &str, times: u32) -> Self {
        Self {
            path: Some(path.to_owned()),
            times,
        }
    }

    /// Whether a call (method, route template, concrete path) is in scope.
    pub fn hits(&self, call: &Call<'_>) -> bool {
        let Some(wanted) = self.path.as_deref() else {
            return true;
        };
        if wanted == call.path || wanted == call.template {
            return true;
        }
        match wanted.split_once(' ') {
            Some((method, rest)) => {
                method.eq_ignore_ascii_case(call.method)
                    && (rest == call.path || rest == call.template)
            }
            None => false,
        }
    }
}

/// One incoming call, as fault scopes see it.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub method: &'a str,
    pub template: &'a str,
    pub path: &'a str,
}

/// The faults waiting to be served, first in first out.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pending: Arc<Mutex<Vec<(Fault, FaultScope)>>>,
}

impl Faults {
    pub fn inject(&self, fault: Fault, scope: FaultScope) {
        if scope.times == 0 {
            return;
        }
        lock(&self.pending).push((fault, scope));
    }

    pub fn clear(&self) {
        lock(&self.pending).clear();
    }

    /// The number of calls still to be hit.
    pub fn pending(&self) -> u32 {
        lock(&self.pending).iter().map(|(_, s)| s.times).sum()
    }

    /// Takes the fault for a call, if one is waiting.
    pub fn take(&self, call: &Call<'_>) -> Option<Fault> {
        let mut pending = lock(&self.pending);
        let position = pending.iter().position(|(_, scope)| scope.hits(call))?;
        let entry = pending.get_mut(position)?;
        entry.1.times = entry.1.times.saturating_sub(1);
        let fault = entry.0.clone();
        if entry.1.times == 0 {
            pending.remove(position);
        }
        Some(fault)
    }
}

/// A share of write answers to cut, independent of injected faults: each
/// successful write is dropped (committed, then the connection cut without
/// an answer) with probability `ratio`, drawn from a generator seeded with
/// `seed`, so the same seed and the same order of writes drop the same ones.
#[derive(Debug)]
pub struct WriteDrops {
    ratio: f64,
    rng: Mutex<StdRng>,
}

impl WriteDrops {
    /// `ratio` ≤ 0 (or not a number) drops nothing, ≥ 1 drops every answer.
    pub fn new(ratio: f64, seed: u64) -> Self {
        let ratio = if ratio.is_nan() {
            0.0
        } else {
            ratio.clamp(0.0, 1.0)
        };
        Self {
            ratio,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        }
    }

    pub fn ratio(&self) -> f64 {
        self.ratio
    }

    /// Whether to cut the answer of the write just carried out.
    pub fn roll(&self) -> bool {
        if self.ratio <= 0.0 {
            return false;
        }
        lock(&self.rng).gen_bool(self.ratio)
    }
}

/// The JSON form of `POST /_sim/faults`.
#[derive(Debug, Deserialize)]
pub struct FaultRequest {
    pub fault: String,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub ms: Option<u64>,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub times: Option<u32>,
}

impl FaultRequest {
    /// The fault and scope, or why the request is not understood.
    pub fn parse(&self) -> Result<(Fault, FaultScope), String> {
        let fault = match self.fault.as_str() {
            "server_error" => {
                let status = self.status.unwrap_or(500);
                if !(500..=599).contains(&status) {
                    return Err("status must be 500..599".to_owned());
                }
                Fault::ServerError(status)
            }
            "slow" => Fault::Slow(Duration::from_millis(self.ms.unwrap_or(2_000))),
            "malformed_json" => Fault::MalformedJson,
            "too_many_requests" => Fault::TooManyRequests {
                retry_after_secs: self.retry_after.unwrap_or(1),
            },
            "drop_after_write" => Fault::DropAfterWrite,
            other => return Err(format!("unknown fault `{other}`")),
        };
        let scope = FaultScope {
            path: self.path.clone(),
            times: self.times.unwrap_or(1),
        };
        Ok((fault, scope))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREATE: Call<'static> = Call {
        method: "POST",
        template: "/rest/api/3/issue/{issueIdOrKey}/worklog",
        path: "/rest/api/3/issue/HB-1/worklog",
    };
    const MYSELF: Call<'static> = Call {
        method: "GET",
        template: "/rest/api/3/myself",
        path: "/rest/api/3/myself",
    };

    #[test]
    fn faults_hit_their_scope_the_given_number_of_times() {
        let faults = Faults::default();
        faults.inject(
            Fault::DropAfterWrite,
            FaultScope::path("POST /rest/api/3/issue/{issueIdOrKey}/worklog", 2),
        );
        assert_eq!(faults.take(&MYSELF), None);
        assert_eq!(faults.take(&CREATE), Some(Fault::DropAfterWrite));
        assert_eq!(faults.take(&CREATE), Some(Fault::DropAfterWrite));
        assert_eq!(faults.take(&CREATE), None);
        faults.inject(
            Fault::MalformedJson,
            FaultScope::path("/rest/api/3/issue/HB-1/worklog", 1),
        );
        assert_eq!(faults.take(&CREATE), Some(Fault::MalformedJson));
        faults.inject(
            Fault::MalformedJson,
            FaultScope::path("GET /rest/api/3/issue/HB-1/worklog", 1),
        );
        assert_eq!(faults.take(&CREATE), None);
        faults.clear();
        faults.inject(Fault::ServerError(503), FaultScope::any(3));
        assert_eq!(faults.pending(), 3);
        faults.clear();
        assert_eq!(faults.pending(), 0);
    }

    #[test]
    fn write_drops_follow_their_ratio_and_seed() {
        let rolls = |ratio: f64, seed: u64| {
            let drops = WriteDrops::new(ratio, seed);
            (0..10_000).map(|_| drops.roll()).collect::<Vec<_>>()
        };
        let count = |v: &[bool]| v.iter().filter(|d| **d).count();
        assert_eq!(count(&rolls(0.0, 1)), 0);
        assert_eq!(count(&rolls(f64::NAN, 1)), 0);
        assert_eq!(count(&rolls(-1.0, 1)), 0);
        assert_eq!(count(&rolls(1.0, 1)), 10_000);
        assert_eq!(count(&rolls(7.0, 1)), 10_000);
        let five = rolls(0.05, 2026);
        assert!((400..600).contains(&count(&five)), "{}", count(&five));
        assert_eq!(
            five,
            rolls(0.05, 2026),
            "the same seed drops the same calls"
        );
        assert_ne!(five, rolls(0.05, 2027));
    }
}
