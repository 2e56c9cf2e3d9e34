//! Group custom robot (自定义机器人): signed markdown messages to a group's
//! webhook, kept under DingTalk's 20 messages a minute per robot (more gets
//! the robot blocked for ten minutes).

mod signing;

pub use signing::{sign, signed_query, url_encode};

use serde::Deserialize;
use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Messages per minute DingTalk allows one robot.
pub const PER_MINUTE: usize = 20;

/// Why a message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RobotError {
    #[error("the robot webhook is unreachable: {0}")]
    Unreachable(String),
    /// Sign, keyword, IP or timestamp check failed (310000), token unknown, robot disabled…
    #[error("DingTalk refused the robot message (code {code}): {message}")]
    Rejected { code: i64, message: String },
    /// Sent too fast (410100, 130101, 660026): the robot is blocked for a while.
    #[error("the robot is sending too fast (code {code}): {message}")]
    Throttled { code: i64, message: String },
    #[error("unexpected answer from the robot webhook: {0}")]
    Malformed(String),
}

const THROTTLE_CODES: [i64; 3] = [410_100, 130_101, 660_026];

/// A robot webhook: `https://oapi.dingtalk.com/robot/send?access_token=…`,
/// with the `SEC…` secret when signing is enabled.
#[derive(Clone)]
pub struct RobotWebhook {
    pub url: String,
    pub secret: Option<String>,
}

impl fmt::Debug for RobotWebhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = self.url.split('?').next().unwrap_or_default();
        f.debug_struct("RobotWebhook")
            .field("url", &format_args!("{base}?access_token=[redacted]"))
            .field("signed", &self.secret.is_some())
            .finish()
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default, deserialize_with = "crate::wire::lenient::opt_i64")]
    errcode: Option<i64>,
    #[serde(default)]
    errmsg: String,
}

/// Sends to one robot, pacing itself to [`PER_MINUTE`].
pub struct RobotSender {
    http: reqwest::Client,
    webhook: RobotWebhook,
    sent: Mutex<VecDeque<Instant>>,
    per_minute: usize,
}

impl RobotSender {
    pub fn new(webhook: RobotWebhook) -> Result<Self, RobotError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| RobotError::Unreachable(e.without_url().to_string()))?;
        Ok(RobotSender {
            http,
            webhook,
            sent: Mutex::new(VecDeque::new()),
            per_minute: PER_MINUTE,
        })
    }

    /// Sends a markdown message, waiting first if 20 went out in the last minute.
    pub async fn send_markdown(&self, title: &str, text: &str) -> Result<(), RobotError> {
        let body = serde_json::json!({
            "msgtype": "markdown",
            "markdown": { "title": title, "text": text },
        });
        self.pace().await;
        let url = self.signed_url();
        let response = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(|e| RobotError::Unreachable(e.without_url().to_string()))?;
        let bytes = response
            .bytes()
            .await
            .map_err(|e| RobotError::Unreachable(e.without_url().to_string()))?;
        let answer: Answer = serde_json::from_slice(&bytes)
            .map_err(|_| RobotError::Malformed(crate::wire::snippet(&bytes)))?;
        match answer.errcode {
            Some(0) => Ok(()),
            Some(code) if THROTTLE_CODES.contains(&code) => Err(RobotError::Throttled {
                code,
                message: answer.errmsg,
            }),
            Some(code) => Err(RobotError::Rejected {
                code,
                message: answer.errmsg,
            }),
            None => Err(RobotError::Malformed(crate::wire::snippet(&bytes))),
        }
    }

    fn signed_url(&self) -> String {
        match &self.webhook.secret {
            Some(secret) => {
                let now = chrono::Utc::now().timestamp_millis();
                let joiner = if self.webhook.url.contains('?') {
                    '&'
                } else {
                    '?'
                };
                format!("{}{joiner}{}", self.webhook.url, signed_query(secret, now))
            }
            None => self.webhook.url.clone(),
        }
    }

    /// Waits until fewer than `per_minute` messages went out in the last 60 s.
    async fn pace(&self) {
        let mut sent = self.sent.lock().await;
        let minute = Duration::from_secs(60);
        loop {
            let now = Instant::now();
            while sent
                .front()
                .is_some_and(|t| now.duration_since(*t) >= minute)
            {
                sent.pop_front();
            }
            if sent.len() < self.per_minute {
                sent.push_back(now);
                return;
            }
            if let Some(oldest) = sent.front().copied() {
                tokio::time::sleep_until(oldest + minute).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_twenty_first_message_waits_for_the_minute() {
        let sender = RobotSender::new(RobotWebhook {
            url: "http://127.0.0.1:9/robot/send?access_token=x".into(),
            secret: None,
        })
        .expect("client");
        let start = Instant::now();
        for _ in 0..PER_MINUTE {
            sender.pace().await;
        }
        assert_eq!(Instant::now(), start, "twenty go out at once");
        sender.pace().await;
        assert!(Instant::now() >= start + Duration::from_secs(60));
    }

    #[test]
    fn the_robot_token_is_not_in_debug_output() {
        let hook = RobotWebhook {
            url: "https://oapi.dingtalk.com/robot/send?access_token=abc123".into(),
            secret: Some("SECxyz".into()),
        };
        let text = format!("{hook:?}");
        assert!(!text.contains("abc123") && !text.contains("SECxyz"));
    }
}
