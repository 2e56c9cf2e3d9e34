//! Project-management connections and people matching, through the services
//! the pages call, against the Jira and DingTalk simulators (one company).

mod support;

use hourbridge_core::services::matching::{self, Decision, Filter};
use hourbridge_core::services::{pm_connections, Actor, Origin};
use hourbridge_core::CoreError;
use hourbridge_dingtalk_sim::{CompanySpec, Simulator};
use hourbridge_domain::matching::{MatchStatus, Method};
use hourbridge_domain::pm_connection::PmConnectionForm;
use hourbridge_domain::{ConnectionId, Problem, Role, UserId};
use hourbridge_pm_sim::jira::{ApiAccount, JiraConfig, JiraSim};

fn company() -> CompanySpec {
    CompanySpec {
        people: 40,
        departments: 4,
        ..CompanySpec::default()
    }
}

fn admin() -> Actor {
    Actor {
        id: UserId::new("admin-id"),
        username: "admin".into(),
        role: Role::Admin,
    }
}

fn jira_form(sim: &JiraSim, token: &str) -> PmConnectionForm {
    let account = ApiAccount::integration();
    PmConnectionForm {
        name: "研发 Jira".into(),
        kind: "jira_cloud".into(),
        base_url: sim.base_url(),
        username: account.email,
        secret: token.into(),
        ..PmConnectionForm::default()
    }
}

/// DingTalk directory pulled, and a Jira connection over the same company.
async fn setup(app: &support::TestApp) -> (Simulator, JiraSim, ConnectionId) {
    let (dingtalk, _) = support::connected_dingtalk(app, company()).await;
    let jira = JiraSim::start(JiraConfig {
        company: company(),
        projects: 3,
        ..JiraConfig::default()
    })
    .await
    .expect("Jira simulator");
    let pm = pm_connections::create(
        &app.state,
        &admin(),
        &Origin::default(),
        &jira_form(&jira, &ApiAccount::integration().api_token),
    )
    .await
    .expect("Jira connection");
    (dingtalk, jira, pm.id)
}

on_both_backends!(a_jira_connection_is_tested_and_its_people_matched, |app| {
    let (_dingtalk, jira, id) = setup(&app).await;
    let origin = Origin::default();

    let outcome = pm_connections::test(&app.state, &admin(), &origin, &id)
        .await
        .expect("test");
    assert!(outcome.ok, "{outcome:?}");
    assert_eq!(outcome.projects.len(), 3);
    let listed = pm_connections::list(&app.state).await.expect("list");
    assert_eq!(listed[0].last_test_ok, Some(true));
    assert!(!listed[0].capabilities.update || listed[0].capabilities.delete);

    let users = pm_connections::sync_users(&app.state, Some(&admin()), &origin, &id)
        .await
        .expect("users");
    assert!(users >= 40, "{users}");

    let page = matching::page(&app.state, &id, Filter::All, "", 1)
        .await
        .expect("matching page");
    assert!(page.people > 0);
    let by_email = page
        .rows
        .iter()
        .filter(|r| r.status == MatchStatus::Matched && r.method == Some(Method::Email))
        .count();
    assert!(by_email > 0, "some people share their e-mail with Jira");
    // Every automatic match points at the Jira user of the same person.
    for row in page
        .rows
        .iter()
        .filter(|r| r.status == MatchStatus::Matched)
    {
        let account = row.account.as_ref().expect("matched account");
        let user = jira
            .directory()
            .users
            .iter()
            .find(|u| u.account_id == account.id)
            .cloned()
            .expect("a Jira user");
        assert_eq!(
            user.dingtalk_userid.as_deref(),
            Some(row.userid.as_str()),
            "{row:?}"
        );
    }

    // A decision by hand wins, is audited, and can be undone.
    let person = page.rows[0].clone();
    let other = page
        .accounts
        .iter()
        .find(|a| Some(&a.id) != person.account.as_ref().map(|x| &x.id))
        .expect("another account")
        .clone();
    let status = matching::decide(
        &app.state,
        &admin(),
        &origin,
        &id,
        &person.userid,
        Decision::Account(&other.id),
    )
    .await
    .expect("decided");
    assert_eq!(status, MatchStatus::Matched);
    let page = matching::page(&app.state, &id, Filter::All, &person.userid, 1)
        .await
        .expect("page");
    assert_eq!(page.rows[0].method, Some(Method::Manual));
    assert_eq!(
        page.rows[0].account.as_ref().map(|a| &a.id),
        Some(&other.id)
    );
    matching::decide(
        &app.state,
        &admin(),
        &origin,
        &id,
        &person.userid,
        Decision::NoAccount,
    )
    .await
    .expect("no account");
    let filtered = matching::page(&app.state, &id, Filter::NeedsDecision, "", 1)
        .await
        .expect("page");
    assert!(filtered.rows.iter().all(|r| r.userid != person.userid));
    assert_eq!(filtered.matching, filtered.needs_decision);

    // A choice that does not exist is a field problem and changes nothing.
    let error = matching::decide(
        &app.state,
        &admin(),
        &origin,
        &id,
        &person.userid,
        Decision::Account("nobody"),
    )
    .await
    .expect_err("unknown account");
    assert!(
        matches!(&error, CoreError::Invalid(f) if f[0].field == "account" && f[0].problem == Problem::InvalidChoice),
        "{error:?}"
    );
});

on_both_backends!(wrong_credentials_and_bad_input_are_shown_plainly, |app| {
    let (_dingtalk, jira, _) = setup(&app).await;
    let origin = Origin::default();
    let wrong = pm_connections::create(
        &app.state,
        &admin(),
        &origin,
        &jira_form(&jira, "wrong-token"),
    )
    .await
    .expect("saved: credentials are checked by the test");
    let outcome = pm_connections::test(&app.state, &admin(), &origin, &wrong.id)
        .await
        .expect("test ran");
    assert!(!outcome.ok);
    let error = outcome.error.unwrap_or_default();
    assert!(error.contains("Jira refused the credentials"), "{error}");
    let stored = pm_connections::get(&app.state, &wrong.id)
        .await
        .expect("get");
    assert_eq!(stored.last_test_ok, Some(false), "not shown as working");

    let before = pm_connections::list(&app.state).await.expect("list").len();
    let mut bad = jira_form(&jira, "t");
    bad.base_url = "ftp://jira.corp".into();
    let error = pm_connections::create(&app.state, &admin(), &origin, &bad)
        .await
        .expect_err("not http(s)");
    assert!(
        matches!(&error, CoreError::Invalid(f) if f.iter().any(|e| e.field == "base_url")),
        "{error:?}"
    );
    assert_eq!(
        pm_connections::list(&app.state).await.expect("list").len(),
        before
    );

    let mut unreachable = jira_form(&jira, "t");
    unreachable.base_url = "http://127.0.0.1:9".into();
    let created = pm_connections::create(&app.state, &admin(), &origin, &unreachable)
        .await
        .expect("saved");
    let outcome = pm_connections::test(&app.state, &admin(), &origin, &created.id)
        .await
        .expect("test ran");
    assert!(!outcome.ok);
    assert!(outcome.error.unwrap_or_default().contains("unreachable"));
});

/// A connection form for one of the kinds beyond Jira and Redmine, with the
/// right or a wrong secret, against its simulator.
struct OtherKind {
    form: PmConnectionForm,
    wrong_secret: &'static str,
    /// What the test shows for the wrong secret, in the system's words.
    refusal: &'static str,
}

on_both_backends!(zentao_tapd_and_feishu_connect_and_match_like_jira, |app| {
    use hourbridge_domain::target::OnBehalfOf;
    use hourbridge_pm_sim::{feishu, tapd, zentao};
    let (_dingtalk, _jira, _) = setup(&app).await;
    let origin = Origin::default();
    let zentao = zentao::ZentaoSim::start(zentao::ZentaoConfig {
        company: company(),
        projects: 3,
        ..zentao::ZentaoConfig::default()
    })
    .await
    .expect("ZenTao simulator");
    let tapd = tapd::TapdSim::start(tapd::TapdConfig {
        company: company(),
        projects: 3,
        ..tapd::TapdConfig::default()
    })
    .await
    .expect("TAPD simulator");
    let feishu = feishu::FeishuSim::start(feishu::FeishuConfig {
        company: company(),
        projects: 3,
        ..feishu::FeishuConfig::default()
    })
    .await
    .expect("Feishu Project simulator");
    let tapd_account = tapd.config().accounts[0].clone();
    let kinds = [
        OtherKind {
            form: PmConnectionForm {
                name: "禅道".into(),
                kind: "zentao".into(),
                base_url: zentao.base_url(),
                username: zentao.config().admin_account.clone(),
                secret: zentao.config().admin_password.clone(),
                ..PmConnectionForm::default()
            },
            wrong_secret: "not-the-password",
            refusal: "ZenTao",
        },
        OtherKind {
            form: PmConnectionForm {
                name: "TAPD".into(),
                kind: "tapd".into(),
                base_url: tapd.base_url(),
                username: tapd_account.api_user.clone(),
                secret: tapd_account.api_password.clone(),
                space: tapd.config().company_id.clone(),
                ..PmConnectionForm::default()
            },
            wrong_secret: "not-the-password",
            refusal: "TAPD",
        },
        OtherKind {
            form: PmConnectionForm {
                name: "飞书项目".into(),
                kind: "feishu_project".into(),
                base_url: feishu.base_url(),
                username: feishu.config().plugin_id.clone(),
                secret: feishu.config().plugin_secret.clone(),
                space: feishu.directory().spaces[0].project_key.clone(),
                operator: feishu.config().operator_user_key.clone(),
                ..PmConnectionForm::default()
            },
            wrong_secret: "not-the-secret",
            refusal: "Feishu Project",
        },
    ];
    for kind in kinds {
        let created = pm_connections::create(&app.state, &admin(), &origin, &kind.form)
            .await
            .expect("saved");
        let outcome = pm_connections::test(&app.state, &admin(), &origin, &created.id)
            .await
            .expect("test ran");
        assert!(outcome.ok, "{}: {outcome:?}", kind.form.kind);
        assert!(!outcome.projects.is_empty(), "{}", kind.form.kind);
        if kind.form.kind == "zentao" {
            // Recording under the connection's account: said so, not "each
            // person's own credentials".
            assert_eq!(created.capabilities.on_behalf_of, OnBehalfOf::AccountOnly);
        }
        let users = pm_connections::sync_users(&app.state, Some(&admin()), &origin, &created.id)
            .await
            .expect("users read");
        assert!(users > 0, "{}", kind.form.kind);
        let page = matching::page(&app.state, &created.id, Filter::All, "", 1)
            .await
            .expect("matching page");
        assert!(
            page.rows
                .iter()
                .any(|r| r.status == MatchStatus::Matched && r.method == Some(Method::Email)),
            "{}: the same people, matched by e-mail",
            kind.form.kind
        );

        let mut wrong = kind.form.clone();
        wrong.name = format!("{} (wrong)", kind.form.name);
        wrong.secret = kind.wrong_secret.into();
        let created = pm_connections::create(&app.state, &admin(), &origin, &wrong)
            .await
            .expect("saved: credentials are checked by the test");
        let outcome = pm_connections::test(&app.state, &admin(), &origin, &created.id)
            .await
            .expect("test ran");
        assert!(!outcome.ok, "{}", kind.form.kind);
        let error = outcome.error.unwrap_or_default();
        assert!(error.contains(kind.refusal), "{}: {error}", kind.form.kind);
        let stored = pm_connections::get(&app.state, &created.id)
            .await
            .expect("get");
        assert_eq!(stored.last_test_ok, Some(false), "not shown as working");
    }
});
