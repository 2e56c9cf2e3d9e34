//! The directory calls: the department tree, paged user lists, one user.

mod support;

use std::collections::BTreeSet;

use serde_json::{json, Value};
use support::*;

#[tokio::test]
async fn the_department_tree_is_walked_from_the_root() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let mut seen = BTreeSet::new();
    let mut queue = vec![1_i64];
    while let Some(dept) = queue.pop() {
        // The Java SDK sends scalars as strings.
        let answer = post(
            &sim,
            "/topapi/v2/department/listsub",
            &t,
            &json!({"dept_id": dept.to_string()}),
        )
        .await;
        assert_eq!(errcode(&answer), 0, "{answer}");
        for child in answer["result"].as_array().unwrap() {
            assert_eq!(child["parent_id"], json!(dept));
            let id = child["dept_id"].as_i64().unwrap();
            seen.insert(id);
            queue.push(id);
        }
    }
    let expected: BTreeSet<i64> = sim
        .company()
        .departments()
        .iter()
        .map(|d| d.dept_id)
        .filter(|id| *id != 1)
        .collect();
    assert_eq!(seen, expected);
    let root = post(&sim, "/topapi/v2/department/listsub", &t, &json!({})).await;
    assert!(
        !root["result"].as_array().unwrap().is_empty(),
        "dept_id defaults to the root"
    );
    let ids = post(
        &sim,
        "/topapi/v2/department/listsubid",
        &t,
        &json!({"dept_id": 1}),
    )
    .await;
    assert_eq!(
        ids["result"]["dept_id_list"].as_array().unwrap().len(),
        root["result"].as_array().unwrap().len()
    );
    let unknown = post(
        &sim,
        "/topapi/v2/department/listsub",
        &t,
        &json!({"dept_id": 999_999}),
    )
    .await;
    assert_eq!(errcode(&unknown), 60003);
    assert!(unknown["request_id"].is_string());
}

async fn all_users(
    sim: &hourbridge_dingtalk_sim::Simulator,
    t: &str,
    dept: i64,
    size: i64,
) -> (Vec<Value>, usize) {
    let mut cursor = 0_i64;
    let mut users = Vec::new();
    let mut pages = 0;
    loop {
        let answer = post(
            sim,
            "/topapi/v2/user/list",
            t,
            &json!({"dept_id": dept, "cursor": cursor, "size": size}),
        )
        .await;
        assert_eq!(errcode(&answer), 0, "{answer}");
        pages += 1;
        let result = &answer["result"];
        users.extend(result["list"].as_array().unwrap().iter().cloned());
        if !result["has_more"].as_bool().unwrap() {
            assert!(result.get("next_cursor").is_none());
            return (users, pages);
        }
        cursor = result["next_cursor"].as_i64().unwrap();
    }
}

#[tokio::test]
async fn user_lists_page_by_cursor_and_skip_people_who_left() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let company = sim.company();
    let dept = company.departments()[1].dept_id;
    let expected: Vec<String> = company
        .department_people(dept)
        .iter()
        .map(|p| p.userid.clone())
        .collect();
    assert!(expected.len() > 3);
    let (users, pages) = all_users(&sim, &t, dept, 3).await;
    let got: Vec<String> = users
        .iter()
        .map(|u| u["userid"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, expected);
    assert_eq!(pages, expected.len().div_ceil(3));
    let (_, one_page) = all_users(&sim, &t, dept, expected.len() as i64).await;
    assert_eq!(one_page, 1, "exactly one full page has no more");

    let person = company.person(&got[0]).unwrap();
    let user = &users[0];
    assert_eq!(user["name"], json!(person.name));
    assert_eq!(user["email"], json!(person.email));
    assert_eq!(user["mobile"], json!(person.mobile));
    assert_eq!(user["dept_id_list"], json!(person.dept_id_list));
    assert!(user["hired_date"].is_i64() && user["active"].as_bool().unwrap());

    for size in [json!(0), json!(101), json!("x")] {
        let answer = post(
            &sim,
            "/topapi/v2/user/list",
            &t,
            &json!({"dept_id": dept, "cursor": 0, "size": size}),
        )
        .await;
        assert_eq!(errcode(&answer), 40035, "size {size}");
    }
    let answer = post(
        &sim,
        "/topapi/v2/user/list",
        &t,
        &json!({"cursor": 0, "size": 10}),
    )
    .await;
    assert_eq!(errcode(&answer), 40035, "dept_id is required");

    let mut listed = BTreeSet::new();
    for d in company.departments() {
        let (users, _) = all_users(&sim, &t, d.dept_id, 100).await;
        listed.extend(
            users
                .iter()
                .map(|u| u["userid"].as_str().unwrap().to_owned()),
        );
    }
    for p in company.people() {
        assert_eq!(
            listed.contains(&p.userid),
            company.in_directory(p),
            "{}",
            p.userid
        );
    }
}

#[tokio::test]
async fn one_user_in_full_and_unknown_users() {
    let sim = start(config()).await;
    let t = token(&sim).await;
    let answer = post(&sim, "/topapi/v2/user/get", &t, &json!({"userid": "u0002"})).await;
    assert_eq!(errcode(&answer), 0);
    let user = &answer["result"];
    assert_eq!(user["userid"], "u0002");
    assert_eq!(user["manager_userid"], "u0001");
    assert!(user["dept_order_list"].is_array() && user["leader_in_dept"].is_array());
    let unknown = post(
        &sim,
        "/topapi/v2/user/get",
        &t,
        &json!({"userid": "nobody"}),
    )
    .await;
    assert_eq!(errcode(&unknown), 60121);
    let missing = post(&sim, "/topapi/v2/user/get", &t, &json!({})).await;
    assert_eq!(errcode(&missing), 40035);
    let ids = post(&sim, "/topapi/user/listid", &t, &json!({"dept_id": 1})).await;
    assert_eq!(
        ids["result"]["userid_list"],
        json!(["u0001"]),
        "the boss sits in the root"
    );
    assert_eq!(sim.stats().billable, 0, "contacts calls are quota-exempt");
}
