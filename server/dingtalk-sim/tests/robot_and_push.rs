//! The group robot webhook and encrypted event pushes.

mod support;

use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use hourbridge_dingtalk::callback_crypto::CallbackCrypto;
use hourbridge_dingtalk::robot;
use hourbridge_dingtalk_sim::{events, PushSettings, RobotConfig, SimConfig};
use serde_json::{json, Value};
use support::*;

const SECRET: &str = "SEC9f39a575c19e41afc89b6eaf44e4414479b9f6cd26fa117721ea7a01d964321d";

async fn send(sim: &hourbridge_dingtalk_sim::Simulator, query: &str, body: &Value) -> Value {
    http()
        .post(format!("{}/robot/send?{query}", sim.base_url()))
        .json(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn signed(token: &str, ts: i64) -> String {
    format!("access_token={token}&{}", robot::signed_query(SECRET, ts))
}

#[tokio::test]
async fn the_robot_checks_its_signature_and_sends_twenty_a_minute() {
    let sim = start(SimConfig {
        robot: Some(RobotConfig {
            access_token: "robottok".to_owned(),
            secret: Some(SECRET.to_owned()),
        }),
        ..config()
    })
    .await;
    let now = chrono::Utc::now().timestamp_millis();
    let text = |n: usize| json!({"msgtype": "text", "text": {"content": format!("工时日报 {n}")}});

    let ok = send(&sim, &signed("robottok", now), &text(0)).await;
    assert_eq!(ok, json!({"errcode": 0, "errmsg": "ok"}));
    let wrong_sign = send(
        &sim,
        &format!("access_token=robottok&timestamp={now}&sign=abc"),
        &text(0),
    )
    .await;
    assert_eq!(
        wrong_sign,
        json!({"errcode": 310000, "errmsg": "sign not match"})
    );
    let stale = send(&sim, &signed("robottok", now - 2 * 3_600_000), &text(0)).await;
    assert_eq!(
        stale,
        json!({"errcode": 310000, "errmsg": "invalid timestamp"})
    );
    let unknown = send(&sim, &signed("other", now), &text(0)).await;
    assert_eq!(unknown["errcode"], 300005);
    let bad_type = send(&sim, &signed("robottok", now), &json!({"msgtype": "video"})).await;
    assert_eq!(bad_type["errcode"], 400105);

    for n in 1..20 {
        assert_eq!(
            send(&sim, &signed("robottok", now), &text(n)).await["errcode"],
            0,
            "message {n}"
        );
    }
    let blocked = send(&sim, &signed("robottok", now), &text(20)).await;
    assert_eq!(blocked["errcode"], 410100);
    assert_eq!(
        send(&sim, &signed("robottok", now), &text(21)).await["errcode"],
        410100,
        "blocked for 10 minutes"
    );
    let messages = sim.robot_messages();
    assert_eq!(messages.len(), 20);
    assert_eq!(messages[0], text(0));
    assert_eq!(sim.stats().robot_messages, 20);
    assert_eq!(sim.stats().billable, 0);
}

const TOKEN: &str = "simToken123";
const AES_KEY: &str = "Sim0Key1For2DingTalk3Callback4Test5Vector6A";
const OWNER: &str = "dingsimappkey0001";

#[derive(Clone)]
struct Receiver {
    crypto: CallbackCrypto,
    received: Arc<Mutex<Vec<Value>>>,
    answer: &'static str,
}

async fn receive(
    State(r): State<Receiver>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let encrypt = body["encrypt"].as_str().unwrap_or_default();
    let signature = q
        .get("msg_signature")
        .or(q.get("signature"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(q.get("signature"), q.get("msg_signature"));
    let timestamp = q.get("timestamp").cloned().unwrap_or_default();
    let nonce = q.get("nonce").cloned().unwrap_or_default();
    let Ok(plain) = r.crypto.open(&signature, &timestamp, &nonce, encrypt) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "cannot open"})),
        );
    };
    r.received
        .lock()
        .unwrap()
        .push(serde_json::from_str(&plain).unwrap());
    let sealed = r.crypto.seal(r.answer, "1700000000123", "respNonce1");
    let reply = json!({"msg_signature": sealed.signature, "timeStamp": "1700000000123",
                       "nonce": "respNonce1", "encrypt": sealed.encrypt});
    (StatusCode::OK, Json(reply))
}

async fn receiver(answer: &'static str) -> (String, Arc<Mutex<Vec<Value>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let state = Receiver {
        crypto: CallbackCrypto::new(TOKEN, AES_KEY, OWNER).unwrap(),
        received: received.clone(),
        answer,
    };
    let app = Router::new()
        .route("/dingtalk/callback", post(receive))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/dingtalk/callback",
        listener.local_addr().unwrap()
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

fn settings() -> PushSettings {
    PushSettings {
        token: TOKEN.to_owned(),
        aes_key: AES_KEY.to_owned(),
        owner_key: OWNER.to_owned(),
    }
}

#[tokio::test]
async fn pushes_are_encrypted_and_need_an_encrypted_success() {
    let sim = start(config()).await;
    let (url, received) = receiver("success").await;
    let check = sim
        .push_event(&url, &settings(), events::check_url())
        .await
        .unwrap();
    assert!(check.accepted, "{check:?}");
    assert_eq!(check.status, 200);
    let punch = events::attendance_check_record("dingsimcorp0001", "u0002", 1_772_412_733_000);
    let outcome = sim
        .push_event(&url, &settings(), punch.clone())
        .await
        .unwrap();
    assert!(outcome.accepted);
    let got = received.lock().unwrap().clone();
    assert_eq!(got, vec![events::check_url(), punch]);

    let (url, _) = receiver("fail").await;
    let refused = sim
        .push_event(&url, &settings(), events::check_url())
        .await
        .unwrap();
    assert!(!refused.accepted);
    assert!(refused.reason.unwrap().contains("fail"));

    let wrong_owner = PushSettings {
        owner_key: "dingother".to_owned(),
        ..settings()
    };
    let (url, _) = receiver("success").await;
    let foreign = sim
        .push_event(&url, &wrong_owner, events::check_url())
        .await
        .unwrap();
    assert_eq!(
        (foreign.accepted, foreign.status),
        (false, 400),
        "the receiver cannot open it"
    );

    assert!(sim
        .push_event("http://127.0.0.1:1/x", &settings(), events::check_url())
        .await
        .is_err());
}

#[tokio::test]
async fn pushes_can_be_sent_over_http() {
    let sim = start(config()).await;
    let (url, received) = receiver("success").await;
    let event = events::user_leave_org("dingsimcorp0001", &["u0007"]);
    let outcome: Value = http()
        .post(format!("{}/_sim/push", sim.base_url()))
        .json(&json!({"url": url, "token": TOKEN, "aes_key": AES_KEY, "event": event}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["accepted"], json!(true), "{outcome}");
    assert_eq!(received.lock().unwrap()[0], event);
}

#[test]
fn event_bodies_follow_the_reference() {
    let e = events::attendance_check_record("corp", "u1", 5);
    for key in ["EventType", "EventTime", "CorpId", "BizId", "eventId"] {
        assert!(e.get(key).is_some(), "{key}");
    }
    assert_eq!(e["dataList"][0]["userId"], "u1");
    assert_eq!(e["dataList"][0]["checkTime"], 5);
    let change = events::BpmsChange {
        process_instance_id: "p-1".to_owned(),
        process_code: "PROC-LEAVE".to_owned(),
        biz_category_id: "attendance.batchovertime".to_owned(),
        title: "加班".to_owned(),
        change: "finish".to_owned(),
        result: Some("agree".to_owned()),
        staff_id: "u1".to_owned(),
        create_time: 1,
        finish_time: Some(2),
    };
    let b = events::bpms_instance_change("corp", &change);
    assert_eq!(
        (
            b["type"].as_str(),
            b["result"].as_str(),
            b["staffId"].as_str()
        ),
        (Some("finish"), Some("agree"), Some("u1"))
    );
    let m = events::user_modify_org(
        "corp",
        "u1",
        json!({"name": "张三"}),
        json!({"name": "张叁"}),
    );
    assert_eq!(m["userId"], json!(["u1"]));
    assert!(m["timeStamp"].is_string());
    assert_eq!(m["diffInfo"]["curr"]["name"], "张叁");
    assert_eq!(
        events::user_add_org("corp", &["u1", "u2"])["EventType"],
        "user_add_org"
    );
}
