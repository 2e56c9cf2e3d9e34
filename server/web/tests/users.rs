//! Administering users, and roles enforced on the server.

mod support;

use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(only_admins_may_call_admin_functions, |app| {
    let (admin, _) = app.admin().await;
    for role in ["project_manager", "hr", "viewer"] {
        let user = app
            .user_with_role(&admin, &format!("{role}.user"), role)
            .await;
        for endpoint in ["users/list", "audit/page"] {
            let (status, body) = user
                .call_json(endpoint, &[("page", "1"), ("action", "")])
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role} → {endpoint}");
            assert_eq!(body, json!({ "error": "forbidden" }));
        }
        let (status, _) = user
            .create_user("sneaky", "x", "admin", "0123456789ab")
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{role} must not create users"
        );
        let (status, _) = user
            .call_json("settings/time-zone", &[("time_zone", "UTC")])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let anonymous = app.client();
    anonymous.open_page("/login").await;
    let (status, body) = anonymous.call_json("users/list", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, json!({ "error": "unauthenticated" }));
    let (_, list) = admin.call_json("users/list", &[]).await;
    let names: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_owned())
        .collect();
    assert!(!names.contains(&"sneaky".to_owned()));
});

on_both_backends!(
    creating_a_user_validates_every_field_and_changes_nothing_on_error,
    |app| {
        let (admin, _) = app.admin().await;
        let (status, body) = admin.create_user("x", "", "boss", "1").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<_> = body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["username", "display_name", "role"]);
        let huge = "a".repeat(11 * 1024);
        let (status, body) = admin.create_user("bob", &huge, "hr", "0123456789ab").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            body["fields"][0],
            json!({ "field": "display_name", "problem": "too_long" })
        );
        let (_, list) = admin.call_json("users/list", &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 1, "only the admin exists");
        let (status, created) = admin
            .create_user("Zhang.Wei", "张伟", "hr", "0123456789ab")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(created["username"], "zhang.wei");
        assert_eq!(created["must_change_password"], true);
        let (status, body) = admin
            .create_user("zhang.wei", "另一个", "hr", "0123456789ab")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            body["fields"][0],
            json!({ "field": "username", "problem": "taken" })
        );
    }
);

on_both_backends!(deactivating_or_resetting_ends_the_users_sessions, |app| {
    let (admin, _) = app.admin().await;
    let pm = app.user_with_role(&admin, "pm.li", "project_manager").await;
    let (_, me) = pm.call_json("account/me", &[]).await;
    assert_eq!(me["role"], "project_manager");
    let (_, list) = admin.call_json("users/list", &[]).await;
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "pm.li")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let (status, user) = admin
        .call_json("users/active", &[("user_id", &id), ("active", "false")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(user["active"], false);
    let (_, me) = pm.call_json("account/me", &[]).await;
    assert_eq!(
        me,
        serde_json::Value::Null,
        "a deactivated user's session ends"
    );
    let again = app.client();
    again.open_page("/login").await;
    let (status, _) = again
        .call_json(
            "account/login",
            &[("username", "pm.li"), ("password", "my-own-password")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a deactivated user cannot log in"
    );

    admin
        .call_json("users/active", &[("user_id", &id), ("active", "true")])
        .await;
    let (status, new_password) = admin
        .call_json("users/reset-password", &[("user_id", &id)])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(new_password["username"], "pm.li");
    let new_password = new_password["password"].as_str().unwrap().to_owned();
    assert_eq!(new_password.len(), 20);
    let (status, body) = again
        .call_json(
            "account/login",
            &[("username", "pm.li"), ("password", &new_password)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["must_change_password"], true);

    let (status, role) = admin
        .call_json("users/role", &[("user_id", &id), ("role", "viewer")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(role["role"], "viewer");
    let (status, body) = admin
        .call_json("users/role", &[("user_id", &id), ("role", "emperor")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["problem"], "invalid_choice");

    let page = hourbridge_core::services::audit::page(&app.state.db, None, 1)
        .await
        .unwrap();
    let actions: Vec<_> = page.entries.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "user_created",
        "user_deactivated",
        "user_reactivated",
        "user_password_reset",
        "user_role_changed",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
});

on_both_backends!(the_last_admin_cannot_be_removed, |app| {
    let (admin, _) = app.admin().await;
    let id = admin.user_id("admin").await;
    let (status, body) = admin
        .call_json("users/role", &[("user_id", &id), ("role", "viewer")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["problem"], "last_admin");
    let (status, body) = admin
        .call_json("users/active", &[("user_id", &id), ("active", "false")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["problem"], "own_account");
});

on_both_backends!(time_zone_setting_is_validated_and_audited, |app| {
    let (admin, _) = app.admin().await;
    let (status, body) = admin
        .call_json("settings/time-zone", &[("time_zone", "Mars/Base")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["fields"][0],
        json!({ "field": "time_zone", "problem": "unknown_time_zone" })
    );
    let (status, body) = admin
        .call_json("settings/time-zone", &[("time_zone", "Europe/Berlin")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "Europe/Berlin");
    let (_, me) = admin.call_json("account/me", &[]).await;
    assert_eq!(me["time_zone"], "Europe/Berlin");
    let (_, audit) = admin
        .call_json(
            "audit/page",
            &[("page", "1"), ("action", "settings_changed")],
        )
        .await;
    assert_eq!(audit["total"], 1);
    assert_eq!(audit["time_zone"], "Europe/Berlin");
    assert_eq!(
        audit["rows"][0]["detail"],
        "time_zone: Asia/Shanghai -> Europe/Berlin"
    );
});
