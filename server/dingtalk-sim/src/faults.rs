//! Fault injection: make the next calls (to one path or any) misbehave.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;

/// A way for one call to go wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 5xx with a body that is not JSON.
    ServerError(u16),
    /// Answer normally, after this delay.
    Slow(Duration),
    /// HTTP 200 with truncated JSON.
    MalformedJson,
    /// HTTP 200, errcode 0, but a required field has the wrong type.
    WrongShape,
    /// Per-app QPS limit (`90018`).
    Throttle,
    /// Global per-API limit (`90002`, with DingTalk's long Chinese text).
    GlobalThrottle,
    /// System busy (`-1`).
    Busy,
    /// The egress-IP ban body (`{"status":1111,…,"punish":"deny"}`).
    IpBan,
    /// Monthly quota used up (`90020`).
    QuotaExhausted,
    /// Revoke every token, then handle the call (so it sees an invalid token).
    RevokeTokenNow,
}

/// Which calls a fault hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultScope {
    /// Exact path (e.g. `/attendance/list`); `None` = any path.
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

    /// Takes the fault for a call to `path`, if one is waiting.
    pub(crate) fn take(&self, path: &str) -> Option<Fault> {
        let mut pending = lock(&self.pending);
        let position = pending
            .iter()
            .position(|(_, scope)| scope.path.as_deref().is_none_or(|p| p == path))?;
        let entry = pending.get_mut(position)?;
        entry.1.times = entry.1.times.saturating_sub(1);
        let fault = entry.0.clone();
        if entry.1.times == 0 {
            pending.remove(position);
        }
        Some(fault)
    }
}

/// Locks a mutex, recovering from poisoning (a panicked holder cannot leave
/// these plain collections in a broken state).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
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
            "wrong_shape" => Fault::WrongShape,
            "throttle" => Fault::Throttle,
            "global_throttle" => Fault::GlobalThrottle,
            "busy" => Fault::Busy,
            "ip_ban" => Fault::IpBan,
            "quota_exhausted" => Fault::QuotaExhausted,
            "revoke_token_now" => Fault::RevokeTokenNow,
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

    #[test]
    fn faults_hit_their_path_the_given_number_of_times() {
        let faults = Faults::default();
        faults.inject(Fault::Busy, FaultScope::path("/attendance/list", 2));
        assert_eq!(faults.take("/gettoken"), None);
        assert_eq!(faults.take("/attendance/list"), Some(Fault::Busy));
        assert_eq!(faults.take("/attendance/list"), Some(Fault::Busy));
        assert_eq!(faults.take("/attendance/list"), None);
        faults.inject(Fault::Throttle, FaultScope::any(1));
        assert_eq!(faults.take("/gettoken"), Some(Fault::Throttle));
        faults.inject(Fault::Throttle, FaultScope::any(3));
        faults.clear();
        assert_eq!(faults.pending(), 0);
    }
}
