//! The simulator on the wire: what a client that is not HourBridge's
//! connector would see (token shape, idempotency conflicts, day handling,
//! validation in Feishu's envelope).

use serde_json::{json, Value};

use super::{FeishuConfig, FeishuSim};
use crate::common::limits::RateLimit;
use hourbridge_dingtalk_sim::CompanySpec;

fn small() -> FeishuConfig {
    FeishuConfig {
        company: CompanySpec {
            people: 12,
            departments: 2,
            ..CompanySpec::default()
        },
        projects: 2,
        rate_limit: RateLimit::OFF,
        ..FeishuConfig::default()
    }
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    async fn new(sim: &FeishuSim) -> Client {
        let http = reqwest::Client::new();
        let base = sim.base_url();
        let answer: Value = http
            .post(format!("{base}/open_api/authen/plugin_token"))
            .json(&json!({
                "plugin_id": sim.config().plugin_id,
                "plugin_secret": sim.config().plugin_secret,
                "type": 0,
            }))
            .send()
            .await
            .expect("token call")
            .json()
            .await
            .expect("token json");
        assert_eq!(answer["error"]["code"], 0);
        assert_eq!(answer["data"]["expire_time"], 7200);
        let token = answer["data"]["token"]
            .as_str()
            .expect("a token")
            .to_owned();
        Client { http, base, token }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        user: &str,
        idem: Option<&str>,
        body: Value,
    ) -> Value {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("X-PLUGIN-TOKEN", &self.token)
            .header("X-USER-KEY", user)
            .json(&body);
        if let Some(key) = idem {
            request = request.header("X-IDEM-UUID", key);
        }
        let response = request.send().await.expect("call");
        assert_eq!(response.status(), 200);
        response.json().await.expect("json")
    }
}

/// An open task of the first space and its owner.
fn task(sim: &FeishuSim) -> (String, i64, String) {
    let space = &sim.directory().spaces[0];
    let item = sim
        .directory()
        .items_of(&space.project_key)
        .find(|w| w.type_key == "task" && w.is_open() && w.owner.is_some())
        .expect("an assigned open task");
    (
        space.project_key.clone(),
        item.id,
        item.owner.clone().unwrap_or_default(),
    )
}

#[tokio::test]
async fn an_idempotency_key_answers_once_and_refuses_another_body() {
    let sim = FeishuSim::start(small()).await.expect("sim");
    let client = Client::new(&sim).await;
    let (space, id, owner) = task(&sim);
    let path = format!("/open_api/{space}/work_item/task/{id}/work_hour_record");
    // 2026-03-02 00:00 +08:00.
    let body = |hours: &str| {
        json!({
            "work_begin_date": 1_772_380_800_000_i64,
            "work_end_date": 1_772_380_800_000_i64,
            "working_hour_records": [{"work_time": hours, "work_description": "x"}],
        })
    };
    let first = client
        .send(reqwest::Method::POST, &path, &owner, Some("k1"), body("2"))
        .await;
    assert_eq!(first["err_code"], 0);
    let again = client
        .send(reqwest::Method::POST, &path, &owner, Some("k1"), body("2"))
        .await;
    assert_eq!(again, first, "the first answer, again");
    let other = client
        .send(reqwest::Method::POST, &path, &owner, Some("k1"), body("3"))
        .await;
    assert_eq!(other["err_code"], 20013);
    assert_eq!(sim.records().len(), 1);
    assert_eq!(sim.stats().writes, 1);
}

#[tokio::test]
async fn days_are_milliseconds_and_weekends_need_include_holidays() {
    let sim = FeishuSim::start(small()).await.expect("sim");
    let client = Client::new(&sim).await;
    let (space, id, owner) = task(&sim);
    let path = format!("/open_api/{space}/work_item/task/{id}/work_hour_record");
    // Friday 2026-03-06 to Monday 2026-03-09, +08:00 midnights.
    let (friday, monday) = (1_772_726_400_000_i64, 1_772_985_600_000_i64);
    let create = |begin: i64, end: i64, holidays: bool| {
        json!({
            "work_begin_date": begin,
            "work_end_date": end,
            "include_holidays": holidays,
            "working_hour_records": [{"work_time": "1", "work_description": "x"}],
        })
    };
    let seconds = client
        .send(
            reqwest::Method::POST,
            &path,
            &owner,
            None,
            create(friday / 1000, friday / 1000, false),
        )
        .await;
    assert_eq!(seconds["err_code"], 20006);
    assert!(seconds["err_msg"]
        .as_str()
        .is_some_and(|m| m.contains("milliseconds")));
    let workdays = client
        .send(
            reqwest::Method::POST,
            &path,
            &owner,
            None,
            create(friday, monday, false),
        )
        .await;
    assert_eq!(
        workdays["data"].as_array().map(Vec::len),
        Some(2),
        "Friday and Monday"
    );
    let every_day = client
        .send(
            reqwest::Method::POST,
            &path,
            &owner,
            None,
            create(friday, monday, true),
        )
        .await;
    assert_eq!(every_day["data"].as_array().map(Vec::len), Some(4));
    let dates: Vec<i64> = every_day["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["work_date"].as_i64())
        .collect();
    assert_eq!(dates.first(), Some(&friday));
    assert_eq!(dates.last(), Some(&monday));
}

#[tokio::test]
async fn unknown_records_are_refused_and_others_may_not_change_them() {
    let sim = FeishuSim::start(small()).await.expect("sim");
    let client = Client::new(&sim).await;
    let (space, id, owner) = task(&sim);
    let path = format!("/open_api/{space}/work_item/task/{id}/work_hour_record");
    let created = client
        .send(
            reqwest::Method::POST,
            &path,
            &owner,
            None,
            json!({
                "work_begin_date": 1_772_380_800_000_i64,
                "work_end_date": 1_772_380_800_000_i64,
                "working_hour_records": [{"work_time": "1.5"}],
            }),
        )
        .await;
    let record = created["data"][0]["id"].as_i64().expect("record id");
    let gone = client
        .send(
            reqwest::Method::DELETE,
            &path,
            &owner,
            None,
            json!({"working_hour_record_ids": [record, 1]}),
        )
        .await;
    assert_eq!(gone["err_code"], 30014);
    assert_eq!(sim.records().len(), 1, "nothing deleted");
    let stranger = sim
        .directory()
        .people()
        .find(|u| u.user_key != owner)
        .expect("someone else")
        .user_key
        .clone();
    let theirs = client
        .send(
            reqwest::Method::PUT,
            &path,
            &stranger,
            None,
            json!({"working_hour_records": [{"id": record, "work_time": "2"}]}),
        )
        .await;
    assert_eq!(theirs["err_code"], 10001);
    let operator = sim.config().operator_user_key.clone();
    let by_admin = client
        .send(
            reqwest::Method::DELETE,
            &path,
            &operator,
            None,
            json!({"working_hour_record_ids": [record]}),
        )
        .await;
    assert_eq!(by_admin["err_code"], 0);
    assert!(sim.records().is_empty());
}
