//! A golden case file served as a company: records and approvals exactly as in the file.

mod support;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use hourbridge_dingtalk_sim::{Company, SimConfig};
use serde_json::{json, Value};
use support::*;

const GOLDEN: &str = include_str!("data/hours-cases.json");

#[tokio::test]
async fn the_golden_file_is_served_exactly() {
    let file: Value = serde_json::from_str(GOLDEN).unwrap();
    let company = Company::from_golden(GOLDEN).unwrap();
    let sim = start(SimConfig {
        company_data: Some(company),
        ..config()
    })
    .await;
    let t = token(&sim).await;

    let mut expected: BTreeMap<i64, Value> = BTreeMap::new();
    let cases = file["cases"].as_array().unwrap();
    for case in cases {
        for r in case["records"].as_array().unwrap() {
            expected.insert(r["id"].as_i64().unwrap(), r.clone());
        }
    }
    let users: Vec<String> = file["people"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let dates: Vec<NaiveDate> = cases
        .iter()
        .map(|c| c["work_date"].as_str().unwrap().parse().unwrap())
        .collect();
    let (first, last) = (*dates.iter().min().unwrap(), *dates.iter().max().unwrap());
    let mut served: BTreeMap<i64, Value> = BTreeMap::new();
    let mut from = first - Duration::days(1);
    while from <= last + Duration::days(1) {
        let to = from + Duration::days(6);
        let mut offset = 0;
        loop {
            let body = json!({"workDateFrom": format!("{from} 00:00:00"), "workDateTo": format!("{to} 00:00:00"),
                              "userIdList": users, "offset": offset, "limit": 50});
            let answer = post(&sim, "/attendance/list", &t, &body).await;
            assert_eq!(errcode(&answer), 0, "{answer}");
            for r in answer["recordresult"].as_array().unwrap() {
                assert!(
                    served
                        .insert(r["id"].as_i64().unwrap(), r.clone())
                        .is_none(),
                    "served twice: {r}"
                );
            }
            if !answer["hasMore"].as_bool().unwrap() {
                break;
            }
            offset += 50;
        }
        from = to + Duration::days(1);
    }
    assert_eq!(served, expected);

    for case in cases {
        let body = json!({"userid": case["userid"], "work_date": format!("{} 00:00:00", case["work_date"].as_str().unwrap())});
        let answer = post(&sim, "/topapi/attendance/getupdatedata", &t, &body).await;
        assert_eq!(
            answer["result"]["approve_list"], case["approvals"],
            "case {}",
            case["id"]
        );
    }

    let (status, holidays) = post_v1(
        &sim,
        "/v1.0/attendance/holidays",
        &t,
        &json!({
            "userIds": ["u_li"],
            "workDateFrom": hourbridge_dingtalk_sim::calendar::midnight_ms(day(2026, 10, 1)),
            "workDateTo": hourbridge_dingtalk_sim::calendar::midnight_ms(day(2026, 10, 11)),
        }),
    )
    .await;
    assert_eq!(status, 200);
    let types: Vec<(i64, &str)> = holidays["result"][0]["holidays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["workDate"].as_i64().unwrap(),
                h["holidayType"].as_str().unwrap(),
            )
        })
        .collect();
    let ms = |d| hourbridge_dingtalk_sim::calendar::midnight_ms(d);
    assert!(types.contains(&(ms(day(2026, 10, 1)), "festival")));
    assert!(types.contains(&(ms(day(2026, 10, 5)), "festival")));
    assert!(types.contains(&(ms(day(2026, 10, 10)), "overtime")));
    assert!(
        types.contains(&(ms(day(2026, 10, 3)), "rest")),
        "the golden calendar holds only its own dates"
    );
    assert!(
        !types.iter().any(|(d, _)| *d == ms(day(2026, 10, 6))),
        "an ordinary workday there"
    );
}

#[tokio::test]
async fn golden_people_are_in_the_directory() {
    let company = Company::from_golden(GOLDEN).unwrap();
    let sim = start(SimConfig {
        company_data: Some(company),
        org_name: "金样公司".to_owned(),
        ..config()
    })
    .await;
    let t = token(&sim).await;
    let root = post(
        &sim,
        "/topapi/v2/department/listsub",
        &t,
        &json!({"dept_id": 1}),
    )
    .await;
    let depts: Vec<i64> = root["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dept_id"].as_i64().unwrap())
        .collect();
    assert_eq!(depts, vec![2, 3, 4]);
    let users = post(
        &sim,
        "/topapi/v2/user/list",
        &t,
        &json!({"dept_id": 2, "cursor": 0, "size": 100}),
    )
    .await;
    let names: Vec<&str> = users["result"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["张伟", "赵敏"]);
    assert_eq!(sim.company().departments()[0].name, "金样公司");
    assert_eq!(sim.company().exception_titles(), ["外勤工程师".to_owned()]);
}
