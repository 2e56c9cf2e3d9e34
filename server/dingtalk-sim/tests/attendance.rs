//! Attendance calls: paging, window and batch limits, raw punches, leave,
//! the one-day view, holidays; and determinism.

mod support;

use hourbridge_dingtalk_sim::calendar::china_ms;
use hourbridge_dingtalk_sim::Simulator;
use serde_json::{json, Value};
use support::*;

const LIST: &str = "/attendance/list";

fn list_body(users: &[String], from: &str, to: &str, offset: i64, limit: i64) -> Value {
    json!({"workDateFrom": from, "workDateTo": to, "userIdList": users, "offset": offset, "limit": limit})
}

/// People with records on each workday of 2026-03-02..06 (10 records each).
fn full_week_people(sim: &Simulator) -> Vec<String> {
    sim.company()
        .people()
        .iter()
        .filter(|p| {
            sim.company()
                .records(&p.userid, day(2026, 3, 2)..=day(2026, 3, 6))
                .len()
                == 10
        })
        .map(|p| p.userid.clone())
        .collect()
}

async fn pages(sim: &Simulator, t: &str, users: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let body = list_body(
            users,
            "2026-03-02 00:00:00",
            "2026-03-06 00:00:00",
            offset,
            50,
        );
        let answer = post(sim, LIST, t, &body).await;
        assert_eq!(errcode(&answer), 0, "{answer}");
        out.push(answer.clone());
        if !answer["hasMore"].as_bool().unwrap() {
            return out;
        }
        offset += 50;
    }
}

#[tokio::test]
async fn offset_paging_at_the_boundaries() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let people = full_week_people(&sim);
    assert!(people.len() >= 6);

    let fifty = &people[..5];
    let got = pages(&sim, &t, fifty).await;
    assert_eq!(got.len(), 1, "exactly 50 records fit one page");
    assert_eq!(got[0]["recordresult"].as_array().unwrap().len(), 50);
    let beyond = post(
        &sim,
        LIST,
        &t,
        &list_body(fifty, "2026-03-02 00:00:00", "2026-03-06 00:00:00", 50, 50),
    )
    .await;
    assert_eq!(beyond["recordresult"], json!([]));
    assert_eq!(beyond["hasMore"], json!(false));

    let mut more = fifty.to_vec();
    more.push(people[5].clone());
    let got = pages(&sim, &t, &more).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[1]["recordresult"].as_array().unwrap().len(), 10);
    let served: Vec<Value> = got
        .iter()
        .flat_map(|p| p["recordresult"].as_array().unwrap().clone())
        .collect();
    let expected: Vec<Value> = more
        .iter()
        .flat_map(|u| sim.company().records(u, day(2026, 3, 2)..=day(2026, 3, 6)))
        .map(|r| json!(r))
        .collect();
    assert_eq!(
        served, expected,
        "pages concatenate to the company's records, in order"
    );
    for r in &served {
        assert!(r["id"].is_i64() && r["workDate"].is_i64() && r["baseCheckTime"].is_i64());
        if r["timeResult"] == "NotSigned" {
            assert!(r.get("userCheckTime").is_none());
            assert_eq!(r["sourceType"], "SYSTEM");
        }
    }
}

#[tokio::test]
async fn window_batch_and_page_limits() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let one = vec!["u0002".to_owned()];
    let invalid = json!({"errcode": 400002, "errmsg": "无效的参数"});
    let eight_days = list_body(&one, "2026-03-02 00:00:00", "2026-03-10 00:00:00", 0, 50);
    assert_eq!(post(&sim, LIST, &t, &eight_days).await, invalid);
    let seven_apart = list_body(&one, "2026-03-02 00:00:00", "2026-03-09 00:00:00", 0, 50);
    assert_eq!(
        errcode(&post(&sim, LIST, &t, &seven_apart).await),
        0,
        "D..D+7 passes"
    );
    let backwards = list_body(&one, "2026-03-09 00:00:00", "2026-03-02 00:00:00", 0, 50);
    assert_eq!(post(&sim, LIST, &t, &backwards).await, invalid);

    let fifty_one: Vec<String> = (1..=51).map(|i| format!("u{i:04}")).collect();
    let too_many = list_body(
        &fifty_one,
        "2026-03-02 00:00:00",
        "2026-03-02 00:00:00",
        0,
        50,
    );
    assert_eq!(post(&sim, LIST, &t, &too_many).await, invalid);
    let fifty = list_body(
        &fifty_one[..50],
        "2026-03-02 00:00:00",
        "2026-03-02 00:00:00",
        0,
        50,
    );
    assert_eq!(errcode(&post(&sim, LIST, &t, &fifty).await), 0);
    let none = list_body(&[], "2026-03-02 00:00:00", "2026-03-02 00:00:00", 0, 50);
    assert_eq!(post(&sim, LIST, &t, &none).await, invalid);
    let big_page = list_body(&one, "2026-03-02 00:00:00", "2026-03-02 00:00:00", 0, 51);
    assert_eq!(post(&sim, LIST, &t, &big_page).await, invalid);
    let missing = json!({"workDateFrom": "2026-03-02 00:00:00", "userIdList": ["u0002"]});
    assert_eq!(errcode(&post(&sim, LIST, &t, &missing).await), 40035);

    let strangers = vec!["nobody".to_owned(), "ghost".to_owned()];
    let silent = list_body(
        &strangers,
        "2026-03-02 00:00:00",
        "2026-03-06 00:00:00",
        0,
        50,
    );
    assert_eq!(
        post(&sim, LIST, &t, &silent).await,
        json!({"errcode": 0, "errmsg": "ok", "hasMore": false, "recordresult": []})
    );
    let mut i18n = list_body(&one, "2026-03-02 00:00:00", "2026-03-02 00:00:00", 0, 50);
    i18n["isI18n"] = json!(true);
    assert_eq!(post(&sim, LIST, &t, &i18n).await["recordresult"], json!([]));
    // Numeric strings are numbers.
    let strings = json!({"workDateFrom": "2026-03-02 00:00:00", "workDateTo": "2026-03-02 00:00:00",
                         "userIdList": ["u0002"], "offset": "0", "limit": "50"});
    assert_eq!(errcode(&post(&sim, LIST, &t, &strings).await), 0);
}

#[tokio::test]
async fn raw_punches_honour_the_time_of_day() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let people: Vec<String> = full_week_people(&sim).into_iter().take(10).collect();
    let body =
        |from: &str, to: &str| json!({"userIds": people, "checkDateFrom": from, "checkDateTo": to});
    let all = post(
        &sim,
        "/attendance/listRecord",
        &t,
        &body("2026-03-02 00:00:00", "2026-03-02 23:59:59"),
    )
    .await;
    assert_eq!(errcode(&all), 0, "{all}");
    let all = all["recordresult"].as_array().unwrap().clone();
    assert!(!all.is_empty());
    let late = post(
        &sim,
        "/attendance/listRecord",
        &t,
        &body("2026-03-02 10:00:00", "2026-03-02 23:59:59"),
    )
    .await;
    let late = late["recordresult"].as_array().unwrap().clone();
    let ten = china_ms(day(2026, 3, 2).and_hms_opt(10, 0, 0).unwrap());
    assert!(late.len() < all.len());
    assert!(late
        .iter()
        .all(|p| p["userCheckTime"].as_i64().unwrap() >= ten));
    assert!(all
        .iter()
        .all(|p| p["corpId"] == "dingsimcorp0001" && p["isLegal"].is_string()));
    let too_long = post(
        &sim,
        "/attendance/listRecord",
        &t,
        &body("2026-03-02 00:00:00", "2026-03-09 00:00:01"),
    )
    .await;
    assert_eq!(errcode(&too_long), 400002);

    // Across the company: some duplicate punches and some invalid ones.
    let company = sim.company();
    let (mut extra, mut invalid) = (0, 0);
    for p in company.people() {
        let from = day(2026, 3, 1).and_hms_opt(0, 0, 0).unwrap();
        let to = day(2026, 4, 30).and_hms_opt(23, 59, 59).unwrap();
        let punches = company.punches(&p.userid, from, to);
        let records = company.records(&p.userid, day(2026, 3, 1)..=day(2026, 4, 30));
        let matched = records
            .iter()
            .filter(|r| r.record_id.is_some() && r.source_type != "APPROVE")
            .count();
        invalid += punches
            .iter()
            .filter(|p| p.invalid_record_type.is_some())
            .count();
        extra += punches.len().saturating_sub(matched);
    }
    assert!(
        invalid > 0 && extra > invalid,
        "{extra} extra punches, {invalid} invalid"
    );
}

#[tokio::test]
async fn the_same_seed_serves_the_same_data() {
    let a = start(config()).await;
    let b = start(config()).await;
    let users: Vec<String> = (2..=40).map(|i| format!("u{i:04}")).collect();
    let body = list_body(
        &users,
        "2026-03-09 00:00:00",
        "2026-03-15 00:00:00",
        100,
        50,
    );
    let ta = token(&a).await;
    let tb = token(&b).await;
    assert_eq!(
        post(&a, LIST, &ta, &body).await,
        post(&b, LIST, &tb, &body).await
    );
    let c = start(hourbridge_dingtalk_sim::SimConfig {
        company: hourbridge_dingtalk_sim::CompanySpec {
            seed: 99,
            ..config().company
        },
        ..config()
    })
    .await;
    let tc = token(&c).await;
    assert_ne!(
        post(&a, LIST, &ta, &body).await,
        post(&c, LIST, &tc, &body).await
    );
}
