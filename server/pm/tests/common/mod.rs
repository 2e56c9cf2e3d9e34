//! What every connector test does against a target, simulated or real:
//! write a worklog for the assignee of an open task, find it by its
//! external id, correct it, list it, delete it (twice).

use chrono::NaiveDate;
use hourbridge_pm::{ExternalId, NewWorklog, Target, Worklog, WorklogQuery, WorklogRef};

/// A worklog of `minutes` for the assignee of the first assigned open task.
pub async fn assigned_worklog(target: &dyn Target, date: NaiveDate, minutes: u32) -> NewWorklog {
    let projects = target.projects().await.expect("projects");
    for project in &projects {
        let tasks = target.open_tasks(project).await.expect("tasks");
        if let Some(task) = tasks.into_iter().find(|t| t.assignee.is_some()) {
            let item = task.item.clone();
            return NewWorklog {
                person: task.assignee.unwrap_or_default(),
                external_id: ExternalId::new("hb-test", date, &item.id_part()),
                item,
                date,
                minutes,
                comment: "HourBridge 连接测试".into(),
            };
        }
    }
    panic!("no assigned open task on the target");
}

/// Create → find → update → list → delete → delete again. Answers the
/// worklog as first written.
pub async fn round_trip(target: &dyn Target, w: &NewWorklog) -> Worklog {
    let written = target.create_worklog(w).await.expect("created");
    assert_eq!(written.minutes, w.minutes);
    assert_eq!(written.date, w.date);
    assert_eq!(written.external_id.as_ref(), Some(&w.external_id));

    let found = target
        .find_worklog(&w.item, w.date, &w.external_id)
        .await
        .expect("find")
        .expect("found by its external id");
    assert_eq!(found.id, written.id);

    let mut changed = w.clone();
    changed.minutes = w.minutes + 30;
    let updated = target
        .update_worklog(&WorklogRef::from(&written), &changed)
        .await
        .expect("updated");
    assert_eq!(updated.minutes, changed.minutes);

    let listed = target
        .worklogs(&WorklogQuery {
            first: w.date,
            last: w.date,
            people: Vec::new(),
            items: vec![w.item.clone()],
        })
        .await
        .expect("listed");
    let mine: Vec<&Worklog> = listed
        .iter()
        .filter(|l| l.external_id.as_ref() == Some(&w.external_id))
        .collect();
    assert_eq!(mine.len(), 1, "exactly one worklog carries the id");
    assert_eq!(mine[0].minutes, changed.minutes);

    target
        .delete_worklog(&WorklogRef::from(&written))
        .await
        .expect("deleted");
    target
        .delete_worklog(&WorklogRef::from(&written))
        .await
        .expect("a second delete is harmless");
    assert!(target
        .find_worklog(&w.item, w.date, &w.external_id)
        .await
        .expect("find after delete")
        .is_none());
    written
}
