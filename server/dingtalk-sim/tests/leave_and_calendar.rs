//! Leave (`getleavestatus`, leave types), the one-day view
//! (`getupdatedata`) and the holiday calendar (`/v1.0/attendance/holidays`).

mod support;

use hourbridge_dingtalk_sim::calendar::china_ms;
use serde_json::{json, Value};
use support::*;

#[tokio::test]
async fn leave_status_pages_and_limits() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let company = sim.company();
    let users: Vec<String> = company.people().iter().map(|p| p.userid.clone()).collect();
    let start_ms = china_ms(day(2026, 3, 1).and_hms_opt(0, 0, 0).unwrap());
    let end_ms = china_ms(day(2026, 4, 30).and_hms_opt(23, 59, 59).unwrap());
    let expected = company.leave_status(&users, start_ms, end_ms);
    assert!(expected.len() > 20, "{} leave entries", expected.len());
    let mut served = Vec::new();
    let mut offset = 0;
    loop {
        let body = json!({"userid_list": users.join(","), "start_time": start_ms, "end_time": end_ms,
                          "offset": offset, "size": 20});
        let answer = post(&sim, "/topapi/attendance/getleavestatus", &t, &body).await;
        assert_eq!(
            (errcode(&answer), &answer["success"]),
            (0, &json!(true)),
            "{answer}"
        );
        let page = answer["result"]["leave_status"].as_array().unwrap();
        assert!(page.len() <= 20);
        served.extend(page.iter().cloned());
        if !answer["result"]["has_more"].as_bool().unwrap() {
            break;
        }
        offset += 20;
    }
    assert_eq!(
        served,
        expected.iter().map(|l| json!(l)).collect::<Vec<_>>()
    );
    assert!(served.iter().all(|l| matches!(
        l["duration_unit"].as_str(),
        Some("percent_day" | "percent_hour")
    )));

    let base = json!({"userid_list": "u0002", "start_time": start_ms, "end_time": end_ms, "offset": 0, "size": 20});
    let with = |key: &str, value: Value| {
        let mut b = base.clone();
        b[key] = value;
        b
    };
    let path = "/topapi/attendance/getleavestatus";
    assert_eq!(
        errcode(&post(&sim, path, &t, &with("size", json!(21))).await),
        400002
    );
    let many: Vec<String> = (1..=101).map(|i| format!("u{i:04}")).collect();
    assert_eq!(
        errcode(&post(&sim, path, &t, &with("userid_list", json!(many.join(",")))).await),
        400002
    );
    let long = start_ms + 181 * 86_400_000;
    assert_eq!(
        errcode(&post(&sim, path, &t, &with("end_time", json!(long))).await),
        400002
    );

    let types = post(
        &sim,
        "/topapi/attendance/vacation/type/list",
        &t,
        &json!({"op_userid": "u0001", "vacation_source": "all"}),
    )
    .await;
    let names: Vec<&str> = types["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["leave_name"].as_str().unwrap())
        .collect();
    for name in ["年假", "病假", "事假", "调休"] {
        assert!(names.contains(&name));
    }
}

#[tokio::test]
async fn one_user_day_in_full() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let company = sim.company();
    let (userid, date) = company
        .people()
        .iter()
        .flat_map(|p| {
            day(2026, 3, 2)
                .iter_days()
                .take(30)
                .map(move |d| (p.userid.clone(), d))
        })
        .find(|(u, d)| {
            !company.approvals(u, *d).is_empty() && !company.records(u, *d..=*d).is_empty()
        })
        .expect("a day with an approval");
    let body = json!({"userid": userid, "work_date": format!("{date} 00:00:00")});
    let answer = post(&sim, "/topapi/attendance/getupdatedata", &t, &body).await;
    assert_eq!(errcode(&answer), 0, "{answer}");
    let result = &answer["result"];
    assert_eq!(
        result["approve_list"],
        json!(company.approvals(&userid, date))
    );
    assert_eq!(
        result["attendance_result_list"].as_array().unwrap().len(),
        2
    );
    let approval = &result["approve_list"][0];
    assert!(approval["procInst_id"].is_string() && approval["duration"].is_string());
    assert!(matches!(approval["biz_type"].as_i64(), Some(1..=3)));
    let nobody = post(
        &sim,
        "/topapi/attendance/getupdatedata",
        &t,
        &json!({"userid": "nobody", "work_date": "2026-03-02"}),
    )
    .await;
    assert_eq!(nobody["result"]["approve_list"], json!([]));
    assert_eq!(nobody["result"]["attendance_result_list"], json!([]));
}

#[tokio::test]
async fn holidays_show_festivals_rest_days_and_makeup_workdays() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let from = china_ms(day(2026, 9, 28).and_hms_opt(0, 0, 0).unwrap());
    let to = china_ms(day(2026, 10, 11).and_hms_opt(0, 0, 0).unwrap());
    let (status, answer) = post_v1(
        &sim,
        "/v1.0/attendance/holidays",
        &t,
        &json!({"userIds": ["u0002", "nobody"], "workDateFrom": from, "workDateTo": to}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let result = answer["result"].as_array().unwrap();
    assert_eq!(result.len(), 1);
    let holidays = result[0]["holidays"].as_array().unwrap();
    let kind = |d: chrono::NaiveDate| {
        let ms = china_ms(d.and_hms_opt(0, 0, 0).unwrap());
        holidays
            .iter()
            .find(|h| h["workDate"] == json!(ms))
            .map(|h| h["holidayType"].as_str().unwrap().to_owned())
    };
    assert_eq!(kind(day(2026, 10, 1)).as_deref(), Some("festival"));
    assert_eq!(kind(day(2026, 10, 10)).as_deref(), Some("overtime"));
    assert_eq!(kind(day(2026, 10, 11)).as_deref(), Some("rest"));
    assert_eq!(
        kind(day(2026, 9, 29)),
        None,
        "an ordinary workday is not listed"
    );
    let many: Vec<String> = (1..=51).map(|i| format!("u{i:04}")).collect();
    let (status, answer) = post_v1(
        &sim,
        "/v1.0/attendance/holidays",
        &t,
        &json!({"userIds": many, "workDateFrom": from, "workDateTo": to}),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (400, Some("invalidParameter"))
    );
}
