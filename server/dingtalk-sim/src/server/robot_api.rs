//! `POST /robot/send`.

use std::collections::HashMap;
use std::time::Instant;

use chrono::Utc;

use super::envelope::Answer;
use super::state::AppState;
use crate::faults::lock;
use crate::robot::RobotCall;

pub fn send(state: &AppState, query: &HashMap<String, String>, body: &[u8]) -> Answer {
    let call = RobotCall {
        access_token: query.get("access_token").map(String::as_str),
        timestamp: query.get("timestamp").map(String::as_str),
        sign: query.get("sign").map(String::as_str),
    };
    let now_ms = Utc::now().timestamp_millis();
    let value = lock(&state.robot).send(&call, body, now_ms, Instant::now());
    Answer::ok(&value)
}
