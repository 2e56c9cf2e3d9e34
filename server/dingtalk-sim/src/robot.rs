//! The group custom robot's webhook: token, signature, rate limit.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::config::RobotConfig;

/// Messages per minute before the robot is blocked.
pub const MESSAGES_PER_MINUTE: usize = 20;
/// How long a robot stays blocked.
pub const BLOCK: Duration = Duration::from_secs(600);
/// How far a signed timestamp may be from the server's clock.
pub const TIMESTAMP_WINDOW_MS: i64 = 3_600_000;

const MSG_TYPES: &[&str] = &["text", "markdown", "link", "actionCard", "feedCard"];

/// A webhook call's URL parameters.
#[derive(Debug, Default)]
pub struct RobotCall<'a> {
    pub access_token: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub sign: Option<&'a str>,
}

#[derive(Debug)]
pub struct Robot {
    config: Option<RobotConfig>,
    sent: VecDeque<Instant>,
    blocked_until: Option<Instant>,
    messages: Vec<Value>,
}

fn error(code: i64, msg: &str) -> Value {
    json!({"errcode": code, "errmsg": msg})
}

impl Robot {
    pub fn new(config: Option<RobotConfig>) -> Self {
        Self {
            config,
            sent: VecDeque::new(),
            blocked_until: None,
            messages: Vec::new(),
        }
    }

    /// The accepted message bodies, oldest first.
    pub fn messages(&self) -> Vec<Value> {
        self.messages.clone()
    }

    /// Handles one `POST /robot/send`; the answer is always HTTP 200.
    pub fn send(&mut self, call: &RobotCall<'_>, body: &[u8], now_ms: i64, now: Instant) -> Value {
        let Some(config) = &self.config else {
            return error(300005, "token is not exist");
        };
        if call.access_token != Some(config.access_token.as_str()) {
            return error(300005, "token is not exist");
        }
        if let Some(secret) = &config.secret {
            if let Err(answer) = check_sign(secret, call, now_ms) {
                return answer;
            }
        }
        let Ok(message) = serde_json::from_slice::<Value>(body) else {
            return error(40035, "缺少参数 json");
        };
        let msgtype = message.get("msgtype").and_then(Value::as_str);
        if !msgtype.is_some_and(|t| MSG_TYPES.contains(&t)) {
            return error(400105, "不支持的消息类型");
        }
        if self.blocked_until.is_some_and(|until| now < until) {
            return error(410100, "send too fast, exceed 20 times per minute");
        }
        while self
            .sent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= Duration::from_secs(60))
        {
            self.sent.pop_front();
        }
        if self.sent.len() >= MESSAGES_PER_MINUTE {
            self.blocked_until = Some(now + BLOCK);
            return error(410100, "send too fast, exceed 20 times per minute");
        }
        self.sent.push_back(now);
        self.messages.push(message);
        json!({"errcode": 0, "errmsg": "ok"})
    }
}

fn check_sign(secret: &str, call: &RobotCall<'_>, now_ms: i64) -> Result<(), Value> {
    let timestamp = call
        .timestamp
        .and_then(|t| t.trim().parse::<i64>().ok())
        .ok_or_else(|| error(310000, "invalid timestamp"))?;
    if now_ms.saturating_sub(timestamp).saturating_abs() > TIMESTAMP_WINDOW_MS {
        return Err(error(310000, "invalid timestamp"));
    }
    let expected = hourbridge_dingtalk::robot::sign(secret, timestamp);
    if call.sign != Some(expected.as_str()) {
        return Err(error(310000, "sign not match"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "SEC9f39a575c19e41afc89b6eaf44e4414479b9f6cd26fa117721ea7a01d964321d";

    fn robot() -> Robot {
        Robot::new(Some(RobotConfig {
            access_token: "tok".to_owned(),
            secret: Some(SECRET.to_owned()),
        }))
    }

    #[test]
    fn checks_the_token_and_the_signature() {
        let mut r = robot();
        let body = br#"{"msgtype":"text","text":{"content":"hi"}}"#;
        let now = Instant::now();
        let ts = 1_700_000_000_001;
        let sign = hourbridge_dingtalk::robot::sign(SECRET, ts);
        let ts_text = ts.to_string();
        let good = RobotCall {
            access_token: Some("tok"),
            timestamp: Some(&ts_text),
            sign: Some(&sign),
        };
        assert_eq!(r.send(&good, body, ts + 1_000, now)["errcode"], 0);
        assert_eq!(
            r.send(&good, body, ts + 3_700_000, now)["errmsg"],
            "invalid timestamp"
        );
        let bad = RobotCall {
            sign: Some("x"),
            ..good
        };
        assert_eq!(r.send(&bad, body, ts, now)["errmsg"], "sign not match");
        let unknown = RobotCall {
            access_token: Some("nope"),
            ..bad
        };
        assert_eq!(r.send(&unknown, body, ts, now)["errcode"], 300005);
        assert_eq!(r.messages().len(), 1);
    }
}
