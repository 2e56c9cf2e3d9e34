//! Token issue, reuse, expiry and revocation; token placement; envelopes.

mod support;

use std::time::Duration;

use serde_json::json;
use support::*;

const LIST: &str = "/attendance/list";
const LISTSUB: &str = "/topapi/v2/department/listsub";
const HOLIDAYS: &str = "/v1.0/attendance/holidays";

fn list_body() -> serde_json::Value {
    json!({"workDateFrom": "2026-03-02 00:00:00", "workDateTo": "2026-03-03 00:00:00",
           "userIdList": ["u0002"], "offset": 0, "limit": 50})
}

fn holidays_body() -> serde_json::Value {
    json!({"userIds": ["u0002"], "workDateFrom": 1_772_380_800_000_i64, "workDateTo": 1_772_985_600_000_i64})
}

#[tokio::test]
async fn the_same_token_is_returned_until_it_is_revoked() {
    let sim = start(config()).await;
    let a = token(&sim).await;
    assert_eq!(token(&sim).await, a);
    let v1: serde_json::Value = http()
        .post(format!("{}/v1.0/oauth2/accessToken", sim.base_url()))
        .json(&json!({"appKey": "dingsimappkey0001", "appSecret": "sim-app-secret-0001"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v1, json!({"accessToken": a, "expireIn": 7200}));
    assert_eq!(sim.stats().tokens_issued, 1);
    assert_eq!(errcode(&post(&sim, LIST, &a, &list_body()).await), 0);

    sim.revoke_tokens();
    let topapi = post(&sim, LISTSUB, &a, &json!({})).await;
    assert_eq!(
        (errcode(&topapi), topapi["sub_code"].as_str()),
        (88, Some("40014"))
    );
    assert!(topapi["request_id"].is_string());
    let flat = post(&sim, LIST, &a, &list_body()).await;
    assert_eq!(
        flat,
        json!({"errcode": 40014, "errmsg": "不合法的access_token"})
    );
    let (status, v1) = post_v1(&sim, HOLIDAYS, &a, &holidays_body()).await;
    assert_eq!(
        (status, v1["code"].as_str()),
        (400, Some("InvalidAuthentication"))
    );
    assert!(v1["requestid"].is_string() && v1["message"].is_string());

    let b = token(&sim).await;
    assert_ne!(a, b);
    assert_eq!(sim.stats().tokens_issued, 2);
    let (status, _) = post_v1(&sim, HOLIDAYS, &b, &holidays_body()).await;
    assert_eq!(status, 200, "a gettoken token also works on /v1.0");
}

#[tokio::test]
async fn an_expired_token_is_invalid_and_replaced() {
    let sim = start(hourbridge_dingtalk_sim::SimConfig {
        token_ttl_secs: 1,
        ..config()
    })
    .await;
    let a = token(&sim).await;
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    let answer = post(&sim, LISTSUB, &a, &json!({})).await;
    assert_eq!(answer["sub_code"], "40014");
    assert_ne!(token(&sim).await, a);
}

#[tokio::test]
async fn bad_credentials_are_refused_in_each_family() {
    let sim = start(config()).await;
    let base = sim.base_url();
    let bad: serde_json::Value = http()
        .get(format!(
            "{base}/gettoken?appkey=dingsimappkey0001&appsecret=wrong"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        bad,
        json!({"errcode": 40096, "errmsg": "不合法的appKey或appSecret"})
    );
    let missing: serde_json::Value = http()
        .get(format!("{base}/gettoken"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(errcode(&missing), 40035);
    let response = http()
        .post(format!("{base}/v1.0/oauth2/accessToken"))
        .json(&json!({"appKey": "dingsimappkey0001", "appSecret": "nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "invalidClientIdOrSecret");
    let response = http()
        .post(format!("{base}/v1.0/oauth2/accessToken"))
        .form(&[
            ("appKey", "dingsimappkey0001"),
            ("appSecret", "sim-app-secret-0001"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400, "JSON only");
    assert_eq!(sim.stats().tokens_issued, 0);
}

#[tokio::test]
async fn tokens_are_read_only_where_each_family_reads_them() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let base = sim.base_url();
    let header_only = |path: &str| {
        http()
            .post(format!("{base}{path}"))
            .header("x-acs-dingtalk-access-token", t.clone())
            .json(&list_body())
            .send()
    };
    let topapi: serde_json::Value = header_only(LISTSUB).await.unwrap().json().await.unwrap();
    assert_eq!(
        (errcode(&topapi), topapi["sub_code"].as_str()),
        (88, Some("40000"))
    );
    let flat: serde_json::Value = header_only(LIST).await.unwrap().json().await.unwrap();
    assert_eq!(errcode(&flat), 40014);

    let response = http()
        .post(format!("{base}{HOLIDAYS}?access_token={t}"))
        .json(&holidays_body())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "AuthenticationFailed.MissingParameter");

    // A form body may carry the token and the parameters.
    let form: serde_json::Value = http()
        .post(format!("{base}{LIST}"))
        .form(&[
            ("access_token", t.as_str()),
            ("workDateFrom", "2026-03-02 00:00:00"),
            ("workDateTo", "2026-03-03 00:00:00"),
            ("userIdList", "u0002,u0003"),
            ("offset", "0"),
            ("limit", "50"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(errcode(&form), 0, "{form}");
    assert!(form["recordresult"].is_array());
}

#[tokio::test]
async fn unknown_paths_answer_like_dingtalk() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let answer = post(&sim, "/topapi/v2/user/notexist", &t, &json!({})).await;
    assert_eq!(errcode(&answer), 22);
    assert!(answer["sub_msg"]
        .as_str()
        .unwrap()
        .contains("dingtalk.oapi.v2.user.notexist"));
    let (status, _) = post_raw(&sim, "/no/such/path", &t, &json!({})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn sim_routes_are_not_counted_and_shutdown_stops_serving() {
    let sim = start(config()).await;
    let base = sim.base_url();
    let stats: serde_json::Value = http()
        .get(format!("{base}/_sim/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["calls"], json!({}));
    http()
        .post(format!("{base}/_sim/revoke-tokens"))
        .send()
        .await
        .unwrap();
    token(&sim).await;
    assert_eq!(sim.stats().total_calls(), 1);
    assert_eq!(sim.stats().calls_to("/gettoken"), 1);
    sim.shutdown().await;
    assert!(http()
        .get(format!("{base}/_sim/stats"))
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn hostile_parameters_get_error_codes_not_crashes() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let weird = [
        json!({"dept_id": i64::MIN, "cursor": -1, "size": 1e30, "userid": {"a": 1}}),
        json!({"userid_list": "u0002", "start_time": i64::MIN, "end_time": i64::MAX, "offset": 0, "size": 20}),
        json!({"userid_list": [[1]], "start_time": "x", "end_time": true}),
        json!({"workDateFrom": "9999-12-31 23:59:59", "workDateTo": "9999-12-31 23:59:59", "userIdList": ["u0002"]}),
        json!({"workDateFrom": "0000-01-01", "workDateTo": "0000-01-02", "userIdList": "u0002", "offset": i64::MAX}),
        json!({"checkDateFrom": "2026-13-45 99:00:00", "checkDateTo": null, "userIds": 5}),
        json!({"userid": "u0002", "work_date": "-262144-01-01"}),
        json!([1, 2, 3]),
    ];
    let paths = [
        "/topapi/v2/department/listsub",
        "/topapi/v2/department/listsubid",
        "/topapi/v2/user/list",
        "/topapi/v2/user/get",
        "/topapi/user/listid",
        "/attendance/list",
        "/attendance/listRecord",
        "/topapi/attendance/getleavestatus",
        "/topapi/attendance/getupdatedata",
    ];
    for path in paths {
        for body in &weird {
            let (status, text) = post_raw(&sim, path, &t, body).await;
            assert_eq!(status, 200, "{path} {body}: {text}");
            let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(answer["errcode"].is_i64(), "{path} {body}: {text}");
        }
    }
    for body in &weird {
        let (status, answer) = post_v1(&sim, HOLIDAYS, &t, body).await;
        assert!(status == 200 || status == 400, "{body}: {status} {answer}");
    }
    let extreme = json!({"userIds": ["u0002"], "workDateFrom": i64::MIN, "workDateTo": i64::MAX});
    assert_eq!(post_v1(&sim, HOLIDAYS, &t, &extreme).await.0, 400);
}
