//! The rule book, field mappings and the live preview, through the HTTP API
//! the pages call and the services behind it, on both databases: seed-standard
//! once; refused documents answer 422 with every problem at its path and
//! change nothing; a stale save is a 409; the preview evaluates a draft over
//! attendance pulled from the DingTalk simulator and maps it for Jira.

mod support;

use hourbridge_core::services::{attendance, mappings, preview, rules};
use hourbridge_core::services::{pm_connections, Actor, Origin};
use hourbridge_core::CoreError;
use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_domain::pm_connection::PmConnectionForm;
use hourbridge_domain::preview::PreviewQuery;
use hourbridge_domain::{Role, UserId};
use hourbridge_pm_sim::jira::{ApiAccount, JiraConfig, JiraSim};
use hourbridge_rules::calendar::DingTalkAnswers;
use hourbridge_rules::mapping::{MappingBook, Transform};
use hourbridge_rules::rules::{Base, Outcome, Rule, Test};
use hourbridge_rules::{DayType, Hours, Lang, Problem, RuleBook};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn admin() -> Actor {
    Actor {
        id: UserId::new("admin-id"),
        username: "admin".into(),
        role: Role::Admin,
    }
}

async fn post_json(client: &support::Client, endpoint: &str, body: Value) -> (StatusCode, Value) {
    let token = client.cookie("hb_csrf").unwrap_or_default();
    let r = client
        .http
        .post(client.url(&format!("/api/{endpoint}")))
        .header("x-csrf-token", token)
        .json(&body)
        .send()
        .await
        .expect("POST");
    let status = r.status();
    let text = r.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

on_both_backends!(
    seed_standard_once_then_refused_books_change_nothing,
    |app| {
        let (client, _) = app.admin().await;
        let (status, _) = client.call_json("rules/get", &[]).await;
        assert_eq!(status, StatusCode::OK);

        let (status, revision) = client
            .call_json("rules/seed-standard", &[("effective_from", "2026-01-01")])
            .await;
        assert_eq!(status, StatusCode::OK, "{revision}");
        assert_eq!(revision, json!(1));
        let (status, again) = client
            .call_json("rules/seed-standard", &[("effective_from", "2026-01-01")])
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
        assert_eq!(again["error"], "conflict");

        let (_, view) = client.call_json("rules/get", &[]).await;
        assert_eq!(view["revision"], 1);
        let mut book: RuleBook = serde_json::from_value(view["book"].clone()).expect("a rule book");
        assert_eq!(book.versions[0].effective_from.to_string(), "2026-01-01");

        // A rule without an outcome and a negative cap: both named, nothing saved.
        book.versions[0].rules.push(Rule {
            id: "draft".into(),
            name: "未完成".into(),
            when: vec![],
            then: None,
        });
        book.versions[0].daily_cap = Some(Hours::from_hours(-1));
        let (status, refused) = post_json(
            &client,
            "rules/save",
            json!({ "based_on": 1, "book": book }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["error"], "document_invalid");
        let paths: Vec<&str> = refused["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .filter_map(|p| p["path"].as_str())
            .collect();
        let last = book.versions[0].rules.len() - 1;
        assert!(paths.contains(&"versions[0].daily_cap"), "{paths:?}");
        assert!(
            paths.contains(&format!("versions[0].rules[{last}].then").as_str()),
            "{paths:?}"
        );
        let stored = rules::rule_book(&app.state.db)
            .await
            .expect("read")
            .expect("saved");
        assert_eq!(stored.revision, 1);
        assert_eq!(stored.doc.versions[0].rules.len(), last);

        // A save based on an old revision is refused as a conflict.
        let good = stored.doc.clone();
        let saved =
            rules::save_rule_book(&app.state.db, &admin(), &Origin::default(), Some(1), &good)
                .await
                .expect("save on the latest revision");
        assert_eq!(saved, 2);
        let stale =
            rules::save_rule_book(&app.state.db, &admin(), &Origin::default(), Some(1), &good)
                .await;
        assert!(
            matches!(stale, Err(CoreError::Conflict { revision: 2, .. })),
            "{stale:?}"
        );

        // Another role may not read the rules.
        let hr = app.user_with_role(&client, "hr.li", "hr").await;
        let (status, _) = hr.call_json("rules/get", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

fn company() -> CompanySpec {
    CompanySpec {
        people: 12,
        departments: 2,
        ..CompanySpec::default()
    }
}

on_both_backends!(
    the_preview_evaluates_a_draft_over_pulled_attendance_and_maps_it,
    |app| {
        let (dingtalk, id) = support::connected_dingtalk(&app, company()).await;
        let jira = JiraSim::start(JiraConfig {
            company: company(),
            projects: 2,
            ..JiraConfig::default()
        })
        .await
        .expect("Jira simulator");
        let origin = Origin::default();
        let today = dingtalk.company().today();
        let last = today.pred_opt().expect("yesterday");
        let first = last - chrono::Duration::days(6);
        attendance::pull(&app.state, id.as_str(), first, last)
            .await
            .expect("pull");
        // The pull keeps DingTalk's holiday answer for the range, and the
        // calendar applies it.
        let kept = hourbridge_core::services::documents::load::<DingTalkAnswers>(
            &app.state.db,
            hourbridge_core::db::rule_documents::DocKind::DingTalkHolidays,
            id.as_str(),
        )
        .await
        .expect("read")
        .expect("the holiday answer is kept");
        assert_eq!(kept.doc.answers.len(), 1);
        assert_eq!(
            (kept.doc.answers[0].first, kept.doc.answers[0].last),
            (first, last)
        );
        hourbridge_core::services::calendar::calendar(&app.state)
            .await
            .expect("the calendar applies it");
        let account = ApiAccount::integration();
        let pm = pm_connections::create(
            &app.state,
            &admin(),
            &origin,
            &PmConnectionForm {
                name: "研发 Jira".into(),
                kind: "jira_cloud".into(),
                base_url: jira.base_url(),
                username: account.email.clone(),
                secret: account.api_token.clone(),
                ..PmConnectionForm::default()
            },
        )
        .await
        .expect("Jira connection");

        let person = dingtalk
            .company()
            .people()
            .iter()
            .find(|p| dingtalk.company().in_directory(p))
            .expect("someone in the directory")
            .userid
            .clone();
        let query = PreviewQuery {
            people: vec![person.clone()],
            department: None,
            first: first.to_string(),
            last: last.to_string(),
            pm_connection: Some(pm.id.as_str().to_owned()),
        };
        let seed = hourbridge_rules::seed::seed_standard().expect("seed-standard");
        let shown = preview::preview(&app.state, &seed, &query, Lang::Zh)
            .await
            .expect("preview");
        assert_eq!(shown.days.len(), 7);
        assert_eq!(shown.people_without_attendance, 0);
        assert!(shown
            .days
            .iter()
            .all(|d| d.userid == person && !d.explanation.is_empty()));

        // A draft whose first rule gives every workday 3.5 h: the workdays show it.
        let mut draft = seed.clone();
        draft.versions[0].rules.insert(
            0,
            Rule {
                id: "pilot".into(),
                name: "试点".into(),
                when: vec![Test::DayType {
                    any_of: vec![DayType::Workday, DayType::MakeupWorkday],
                }
                .into()],
                then: Some(Outcome::Hours {
                    base: Base::Fixed {
                        hours: Hours::parse_decimal("3.5").expect("hours"),
                    },
                    adjust: vec![],
                    status: None,
                }),
            },
        );
        let changed = preview::preview(&app.state, &draft, &query, Lang::Zh)
            .await
            .expect("preview");
        let workdays: Vec<_> = changed
            .days
            .iter()
            .filter(|d| d.day_type == "workday" || d.day_type == "makeup_workday")
            .collect();
        assert!(!workdays.is_empty());
        for day in &workdays {
            assert_eq!(day.hours, "3.5", "{day:?}");
            assert_eq!(day.rule.as_deref(), Some("试点"));
        }

        // Without an allocation plan, each day says why it has no lines.
        assert!(workdays
            .iter()
            .all(|d| d.lines.is_empty() && d.problem.is_some()));

        // A fallback share gives one Jira worklog line per day, mapped by the
        // saved mapping: the comment template names the day.
        let plan = hourbridge_rules::allocation::AllocationPlan {
            fallback: vec![hourbridge_rules::allocation::Share {
                project: "PRJ".into(),
                task: "PRJ-1".into(),
                percent: hourbridge_rules::allocation::Percent::WHOLE,
            }],
            ..Default::default()
        };
        hourbridge_core::services::documents::save(
            &app.state.db,
            &admin(),
            hourbridge_core::db::rule_documents::DocKind::Allocation,
            pm.id.as_str(),
            None,
            &plan,
        )
        .await
        .expect("allocation plan");
        let mut mapping =
            MappingBook::default_for(hourbridge_domain::target::TargetKind::JiraCloud);
        let comment = mapping.versions[0]
            .lines
            .iter_mut()
            .find(|l| l.target == "comment")
            .expect("a comment line");
        comment.source = None;
        comment.transform = Some(Transform::Template {
            template: "{person_name} {work_date} {hours}h".into(),
        });
        mappings::save(
            &app.state,
            &admin(),
            &origin,
            pm.id.as_str(),
            None,
            &mapping,
        )
        .await
        .expect("mapping");
        let mapped = preview::preview(&app.state, &draft, &query, Lang::Zh)
            .await
            .expect("preview");
        let day = mapped
            .days
            .iter()
            .find(|d| d.day_type == "workday")
            .expect("a workday");
        assert_eq!(day.lines.len(), 1, "{day:?}");
        let fields: std::collections::HashMap<_, _> = day.lines[0].fields.iter().cloned().collect();
        assert_eq!(fields.get("issue").map(String::as_str), Some("PRJ-1"));
        assert_eq!(
            fields.get("started").map(String::as_str),
            Some(day.date.as_str())
        );
        assert_eq!(
            fields.get("timeSpentSeconds").map(String::as_str),
            Some("3.5")
        );
        assert_eq!(
            fields.get("comment").cloned(),
            Some(format!("{} {} 3.5h", day.name, day.date))
        );

        // Allocation by open tasks: once people are matched to Jira users, each
        // day's hours go to the person's open Jira issues, summing to the day.
        pm_connections::sync_users(&app.state, Some(&admin()), &origin, &pm.id)
            .await
            .expect("Jira users");
        let by_tasks = hourbridge_rules::allocation::AllocationPlan {
            method: hourbridge_rules::allocation::Method::OpenTasks,
            ..plan.clone()
        };
        hourbridge_core::services::mappings::save_allocation(
            &app.state,
            &admin(),
            &origin,
            pm.id.as_str(),
            Some(1),
            &by_tasks,
        )
        .await
        .expect("allocation by open tasks");
        let accounts =
            hourbridge_core::services::matching::matched_accounts(&app.state, pm.id.as_str())
                .await
                .expect("matched");
        let connector = pm_connections::target(&app.state, pm.id.as_str())
            .await
            .expect("connector");
        let open =
            hourbridge_core::services::allocation_inputs::open_tasks(connector.as_ref(), &accounts)
                .await
                .expect("open tasks");
        let (busy, tasks) = open
            .iter()
            .find(|(userid, tasks)| !tasks.is_empty() && accounts.contains_key(*userid))
            .expect("someone with open Jira issues");
        let by_issue = preview::preview(
            &app.state,
            &draft,
            &PreviewQuery {
                people: vec![busy.clone()],
                ..query.clone()
            },
            Lang::Zh,
        )
        .await
        .expect("preview");
        let day = by_issue
            .days
            .iter()
            .find(|d| d.day_type == "workday")
            .expect("a workday");
        assert!(!day.lines.is_empty(), "{day:?}");
        let total: f64 = day
            .lines
            .iter()
            .map(|l| l.hours.parse::<f64>().expect("hours"))
            .sum();
        assert!((total - 3.5).abs() < 1e-9, "{day:?}");
        for line in &day.lines {
            assert!(
                tasks
                    .iter()
                    .any(|t| t.task == line.task && t.project == line.project),
                "{line:?} is not one of {busy}'s open issues {tasks:?}"
            );
        }

        // A mapping without the required date line is refused at its path.
        let mut broken = mapping.clone();
        broken.versions[0].lines.retain(|l| l.target != "started");
        let refused = mappings::save(
            &app.state,
            &admin(),
            &origin,
            pm.id.as_str(),
            Some(1),
            &broken,
        )
        .await;
        match refused {
            Err(CoreError::DocumentInvalid(problems)) => {
                assert!(problems
                    .iter()
                    .any(|p| p.path == "versions[0].targets.started"
                        && p.problem == Problem::RequiredFieldUnmapped));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }

        // Bad preview input is named.
        let bad = PreviewQuery {
            last: "2026-13-01".into(),
            ..query.clone()
        };
        let err = preview::preview(&app.state, &draft, &bad, Lang::Zh).await;
        assert!(
            matches!(err, Err(CoreError::Invalid(ref f)) if f[0].field == "last"),
            "{err:?}"
        );
    }
);
