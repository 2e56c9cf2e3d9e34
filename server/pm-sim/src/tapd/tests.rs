//! The simulator over HTTP: TAPD's paging defaults, the one-record rule,
//! form and JSON bodies, soft deletes, `timeremain`.

use serde_json::{json, Value};

use super::{ApiAccount, TapdConfig, TapdSim};
use crate::common::limits::RateLimit;
use hourbridge_dingtalk_sim::CompanySpec;

async fn sim() -> TapdSim {
    TapdSim::start(TapdConfig {
        company: CompanySpec {
            people: 120,
            departments: 3,
            ..CompanySpec::default()
        },
        projects: 1,
        rate_limit: RateLimit::OFF,
        ..TapdConfig::default()
    })
    .await
    .expect("starts")
}

struct Client {
    base: String,
    http: reqwest::Client,
    account: ApiAccount,
}

impl Client {
    async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .basic_auth(&self.account.api_user, Some(&self.account.api_password))
            .send()
            .await
            .expect("sent");
        (r.status().as_u16(), r.json().await.expect("json"))
    }

    async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .basic_auth(&self.account.api_user, Some(&self.account.api_password))
            .form(form)
            .send()
            .await
            .expect("sent");
        (r.status().as_u16(), r.json().await.expect("json"))
    }

    async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .basic_auth(&self.account.api_user, Some(&self.account.api_password))
            .json(body)
            .send()
            .await
            .expect("sent");
        (r.status().as_u16(), r.json().await.expect("json"))
    }
}

fn client(sim: &TapdSim) -> Client {
    Client {
        base: sim.base_url(),
        http: reqwest::Client::new(),
        account: ApiAccount::integration(),
    }
}

#[tokio::test]
async fn lists_page_by_30_by_default_and_200_at_most() {
    let sim = sim().await;
    let c = client(&sim);
    let ws = sim.directory().workspaces[0].id.clone();
    let (status, page) = c.get(&format!("/tasks?workspace_id={ws}")).await;
    assert_eq!(status, 200);
    assert_eq!(page["status"], 1);
    assert_eq!(page["data"].as_array().map(Vec::len), Some(30));
    let (_, page) = c.get(&format!("/tasks?workspace_id={ws}&limit=500")).await;
    assert_eq!(page["data"].as_array().map(Vec::len), Some(200));
    let (_, count) = c.get(&format!("/tasks/count?workspace_id={ws}")).await;
    assert!(count["data"]["count"].as_u64().is_some_and(|n| n > 200));
    let (status, deep) = c
        .get(&format!("/tasks?workspace_id={ws}&limit=200&page=101"))
        .await;
    assert_eq!((status, deep["status"].clone()), (422, json!(422)));
    let (status, missing) = c.get("/tasks").await;
    assert_eq!(status, 422);
    assert_eq!(missing["info"], "missing parameter: workspace_id");
}

#[tokio::test]
async fn one_record_per_item_day_and_owner_and_deletes_are_soft() {
    let sim = sim().await;
    let c = client(&sim);
    let task = sim
        .directory()
        .items
        .iter()
        .find(|i| i.kind == super::EntityType::Task && i.is_open() && !i.owner.is_empty())
        .cloned()
        .expect("a task");
    let owner = task.owners().next().unwrap_or_default().to_owned();
    let form = [
        ("workspace_id", task.workspace_id.as_str()),
        ("entity_type", "task"),
        ("entity_id", task.id.as_str()),
        ("owner", owner.as_str()),
        ("timespent", "7.5"),
        ("timeremain", "2"),
        ("spentdate", "2026-03-02"),
        ("memo", "出勤折算"),
    ];
    let (status, created) = c.post_form("/timesheets", &form).await;
    assert_eq!(status, 200, "{created}");
    let id = created["data"]["Timesheet"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(id.starts_with(&format!("10{}", task.workspace_id)) && id.len() == 19);
    assert_eq!(sim.remain_of(&task.id).as_deref(), Some("2"));
    let (status, again) = c.post_form("/timesheets", &form).await;
    assert_eq!(status, 422);
    assert!(again["info"]
        .as_str()
        .is_some_and(|i| i.contains("only one record")));

    let (status, deleted) = c
        .post_json(
            "/timesheets/delete_timesheets",
            &json!({"workspace_id": task.workspace_id, "entity_type": "task",
                    "entity_id": task.id, "cost_ids": [id, "1000"]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(deleted["data"]["data"]["success"]["cost_ids"], json!([id]));
    assert_eq!(
        deleted["data"]["data"]["failed"][0]["cost_ids"],
        json!(["1000"])
    );
    let ws = &task.workspace_id;
    let (_, live) = c.get(&format!("/timesheets?workspace_id={ws}")).await;
    assert_eq!(live["data"], json!([]));
    let (_, gone) = c
        .get(&format!(
            "/timesheets?workspace_id={ws}&is_delete=1&spentdate=2026-03-01~2026-03-31"
        ))
        .await;
    assert_eq!(gone["data"][0]["Timesheet"]["is_delete"], "1");
    // Deleted, the key is free again.
    let (status, _) = c.post_form("/timesheets", &form).await;
    assert_eq!(status, 200);
    assert_eq!(sim.timesheets().len(), 2);
}
