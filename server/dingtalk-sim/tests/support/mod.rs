//! Helpers shared by the black-box tests: a simulator on port 0 and raw
//! reqwest calls in DingTalk's wire format.
#![allow(dead_code)]

use chrono::NaiveDate;
use hourbridge_dingtalk_sim::{CompanySpec, SimConfig, Simulator};
use serde_json::Value;

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A small company over March–April 2026, no limits.
pub fn config() -> SimConfig {
    SimConfig {
        company: CompanySpec {
            people: 60,
            departments: 6,
            first_day: day(2026, 3, 1),
            last_day: day(2026, 4, 30),
            seed: 2026,
        },
        qps_per_api: 0,
        monthly_quota: 0,
        ..SimConfig::default()
    }
}

pub async fn start(config: SimConfig) -> Simulator {
    Simulator::start(config)
        .await
        .expect("the simulator starts")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// A token from `/gettoken`.
pub async fn token(sim: &Simulator) -> String {
    let cfg = sim.config();
    let url = format!(
        "{}/gettoken?appkey={}&appsecret={}",
        sim.base_url(),
        cfg.app_key,
        cfg.app_secret
    );
    let body: Value = http().get(url).send().await.unwrap().json().await.unwrap();
    body["access_token"].as_str().expect("a token").to_owned()
}

/// An old-family POST with `?access_token=` and a JSON body; the answer's
/// HTTP status and body text.
pub async fn post_raw(sim: &Simulator, path: &str, token: &str, body: &Value) -> (u16, String) {
    let url = format!("{}{}?access_token={}", sim.base_url(), path, token);
    let response = http().post(url).json(body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// An old-family POST; asserts HTTP 200 and returns the JSON body.
pub async fn post(sim: &Simulator, path: &str, token: &str, body: &Value) -> Value {
    let (status, text) = post_raw(sim, path, token, body).await;
    assert_eq!(status, 200, "old-family calls always answer 200: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A new-family POST with the header token: (status, JSON body).
pub async fn post_v1(sim: &Simulator, path: &str, token: &str, body: &Value) -> (u16, Value) {
    let response = http()
        .post(format!("{}{}", sim.base_url(), path))
        .header("x-acs-dingtalk-access-token", token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

pub fn errcode(v: &Value) -> i64 {
    v["errcode"].as_i64().expect("an errcode")
}
