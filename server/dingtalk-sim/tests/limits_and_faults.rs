//! The monthly quota, QPS throttling and every injected fault.

mod support;

use std::time::{Duration, Instant};

use hourbridge_dingtalk_sim::{Fault, FaultScope, SimConfig};
use serde_json::{json, Value};
use support::*;

const LIST: &str = "/attendance/list";
const LISTSUB: &str = "/topapi/v2/department/listsub";

fn list_body() -> Value {
    json!({"workDateFrom": "2026-03-02 00:00:00", "workDateTo": "2026-03-03 00:00:00",
           "userIdList": ["u0002"], "offset": 0, "limit": 50})
}

#[tokio::test]
async fn the_monthly_quota_counts_only_billable_successful_calls() {
    let sim = start(SimConfig {
        monthly_quota: 3,
        ..config()
    })
    .await;
    let t = token(&sim).await;
    let bad = json!({"workDateFrom": "2026-03-02 00:00:00", "workDateTo": "2026-03-20 00:00:00", "userIdList": ["u0002"]});
    assert_eq!(
        errcode(&post(&sim, LIST, &t, &bad).await),
        400002,
        "a failed call"
    );
    for _ in 0..3 {
        assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), 0);
    }
    let over = post(&sim, LIST, &t, &list_body()).await;
    assert_eq!(errcode(&over), 90020, "{over}");
    let (status, v1) = post_v1(&sim, "/v1.0/attendance/holidays", &t,
        &json!({"userIds": ["u0002"], "workDateFrom": 1_772_380_800_000_i64, "workDateTo": 1_772_985_600_000_i64})).await;
    assert_eq!(
        (status, v1["code"].as_str()),
        (403, Some("Forbidden.AccessDenied.ApiCountLimitForOrg"))
    );
    // Token and contacts calls are exempt.
    assert_eq!(errcode(&post(&sim, LISTSUB, &t, &json!({})).await), 0);
    sim.revoke_tokens();
    let t = token(&sim).await;
    assert_eq!(errcode(&post(&sim, LISTSUB, &t, &json!({})).await), 0);
    let stats = sim.stats();
    assert_eq!((stats.billable, stats.billable_this_month), (3, 3));
    assert_eq!(stats.quota_rejected, 2);
    assert_eq!(stats.calls_to(LIST), 5);
}

#[tokio::test]
async fn calls_beyond_the_qps_are_throttled() {
    let sim = start(SimConfig {
        qps_per_api: 2,
        ..config()
    })
    .await;
    let t = token(&sim).await;
    let url = format!("{}{LISTSUB}?access_token={t}", sim.base_url());
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let url = url.clone();
        calls.spawn(async move {
            let answer: Value = http()
                .post(url)
                .json(&json!({}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            answer
        });
    }
    let answers: Vec<Value> = calls.join_all().await;
    let throttled = answers.iter().filter(|a| errcode(a) == 90018).count();
    let ok = answers.iter().filter(|a| errcode(a) == 0).count();
    assert_eq!(throttled + ok, 20);
    assert!(throttled > 0 && ok >= 2, "{throttled} throttled, {ok} ok");
    assert_eq!(sim.stats().throttled, throttled as u64);
    assert!(answers
        .iter()
        .filter(|a| errcode(a) == 90018)
        .all(|a| a["request_id"].is_string()));
    // Another API has its own bucket.
    assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), 0);
}

#[tokio::test]
async fn each_fault_answers_as_dingtalk_would() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let faults = sim.faults();
    let once = || FaultScope::path(LIST, 1);

    faults.inject(Fault::ServerError(502), once());
    let (status, body) = post_raw(&sim, LIST, &t, &list_body()).await;
    assert_eq!(status, 502);
    assert!(
        serde_json::from_str::<Value>(&body).is_err(),
        "not JSON: {body}"
    );

    faults.inject(Fault::MalformedJson, once());
    let (status, body) = post_raw(&sim, LIST, &t, &list_body()).await;
    assert_eq!(status, 200);
    assert!(
        serde_json::from_str::<Value>(&body).is_err(),
        "truncated: {body}"
    );

    faults.inject(Fault::WrongShape, once());
    let shaped = post(&sim, LIST, &t, &list_body()).await;
    assert_eq!(
        (errcode(&shaped), shaped["recordresult"].is_string()),
        (0, true)
    );

    faults.inject(Fault::Throttle, once());
    assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), 90018);

    faults.inject(Fault::GlobalThrottle, once());
    let global = post(&sim, LIST, &t, &list_body()).await;
    assert_eq!(errcode(&global), 90002);
    assert!(global["errmsg"]
        .as_str()
        .unwrap()
        .contains("所有请求都被暂时禁用了"));

    faults.inject(Fault::Busy, once());
    assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), -1);

    faults.inject(Fault::IpBan, once());
    let ban = post(&sim, LIST, &t, &list_body()).await;
    assert_eq!(
        (
            ban["status"].as_i64(),
            ban["punish"].as_str(),
            ban["wait"].as_i64()
        ),
        (Some(1111), Some("deny"), Some(5))
    );

    faults.inject(Fault::QuotaExhausted, once());
    assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), 90020);

    faults.inject(Fault::Slow(Duration::from_millis(300)), once());
    let started = Instant::now();
    assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), 0);
    assert!(started.elapsed() >= Duration::from_millis(300));

    faults.inject(Fault::RevokeTokenNow, once());
    assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), 40014);
    assert_eq!(
        errcode(&post(&sim, LIST, &t, &list_body()).await),
        40014,
        "the token stays revoked"
    );

    let stats = sim.stats();
    assert_eq!(stats.faults_served, 10);
    assert_eq!(stats.billable, 1, "only the slow call succeeded");
}

#[tokio::test]
async fn faults_respect_their_scope_and_count() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    sim.faults().inject(Fault::Busy, FaultScope::path(LIST, 2));
    assert_eq!(
        errcode(&post(&sim, LISTSUB, &t, &json!({})).await),
        0,
        "another path"
    );
    assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), -1);
    assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), -1);
    assert_eq!(
        errcode(&post(&sim, LIST, &t, &list_body()).await),
        0,
        "used up"
    );

    sim.faults().inject(Fault::Throttle, FaultScope::any(1));
    let topapi = post(&sim, LISTSUB, &t, &json!({})).await;
    assert_eq!(errcode(&topapi), 90018);
    assert!(topapi["request_id"].is_string(), "in the /topapi envelope");

    sim.faults().inject(Fault::Throttle, FaultScope::any(5));
    sim.faults().clear();
    assert_eq!(errcode(&post(&sim, LIST, &t, &list_body()).await), 0);

    // New family: HTTP statuses.
    sim.faults().inject(
        Fault::Throttle,
        FaultScope::path("/v1.0/attendance/holidays", 1),
    );
    let (status, body) = post_v1(&sim, "/v1.0/attendance/holidays", &t,
        &json!({"userIds": ["u0002"], "workDateFrom": 1_772_380_800_000_i64, "workDateTo": 1_772_985_600_000_i64})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"))
    );
}

#[tokio::test]
async fn faults_can_be_injected_over_http() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let base = sim.base_url();
    let response = http()
        .post(format!("{base}/_sim/faults"))
        .json(&json!({"fault": "server_error", "status": 503, "path": LIST, "times": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(post_raw(&sim, LIST, &t, &list_body()).await.0, 503);
    http()
        .delete(format!("{base}/_sim/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(post_raw(&sim, LIST, &t, &list_body()).await.0, 200);
    let bad = http()
        .post(format!("{base}/_sim/faults"))
        .json(&json!({"fault": "meteor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    for fault in [
        "slow",
        "malformed_json",
        "wrong_shape",
        "throttle",
        "global_throttle",
        "busy",
        "ip_ban",
        "quota_exhausted",
        "revoke_token_now",
    ] {
        let r = http()
            .post(format!("{base}/_sim/faults"))
            .json(&json!({"fault": fault, "ms": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{fault}");
    }
    let stats: Value = http()
        .get(format!("{base}/_sim/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["calls"][LIST], json!(2));
    assert!(stats["calls"].get("/_sim/faults").is_none());
}
