//! What allocation reads from a PM system: each person's open tasks, and
//! the hours people logged there by hand in a date range. Used by the
//! preview (and by the sync): HourBridge's own worklogs — those carrying its
//! external id — never count as hours logged by hand.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use hourbridge_pm::{PmError, Target, WorklogQuery};
use hourbridge_rules::allocation::{LoggedHours, OpenTask};
use hourbridge_rules::Hours;

/// Each person's open tasks, by DingTalk userid. `accounts` maps userids to
/// their PM user; people without one have none.
pub async fn open_tasks(
    target: &dyn Target,
    accounts: &HashMap<String, String>,
) -> Result<BTreeMap<String, Vec<OpenTask>>, PmError> {
    let mut by_account: HashMap<&str, Vec<&str>> = HashMap::new();
    for (userid, account) in accounts {
        by_account.entry(account.as_str()).or_default().push(userid);
    }
    let mut out: BTreeMap<String, Vec<OpenTask>> = BTreeMap::new();
    for project in target.projects().await? {
        for task in target.open_tasks(&project).await? {
            let (Some(assignee), Some(key)) = (task.assignee.as_deref(), task.item.task.as_deref())
            else {
                continue;
            };
            for userid in by_account.get(assignee).into_iter().flatten() {
                out.entry((*userid).to_owned()).or_default().push(OpenTask {
                    project: project.key.clone(),
                    task: key.to_owned(),
                });
            }
        }
    }
    Ok(out)
}

/// Hours each person logged by hand per project and task over
/// `first..=last`, by DingTalk userid.
pub async fn logged_by_hand(
    target: &dyn Target,
    accounts: &HashMap<String, String>,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<BTreeMap<String, Vec<LoggedHours>>, PmError> {
    let people: Vec<String> = accounts.values().cloned().collect();
    if people.is_empty() {
        return Ok(BTreeMap::new());
    }
    let userid_of: HashMap<&str, &str> = accounts
        .iter()
        .map(|(userid, account)| (account.as_str(), userid.as_str()))
        .collect();
    let worklogs = target
        .worklogs(&WorklogQuery {
            first,
            last,
            people,
            items: Vec::new(),
        })
        .await?;
    let mut minutes: BTreeMap<(String, String, String), i64> = BTreeMap::new();
    for w in worklogs.iter().filter(|w| w.external_id.is_none()) {
        let (Some(person), Some(task)) = (w.person.as_deref(), w.item.task.as_deref()) else {
            continue;
        };
        let Some(userid) = userid_of.get(person) else {
            continue;
        };
        *minutes
            .entry((
                (*userid).to_owned(),
                w.item.project.clone(),
                task.to_owned(),
            ))
            .or_default() += i64::from(w.minutes);
    }
    let mut out: BTreeMap<String, Vec<LoggedHours>> = BTreeMap::new();
    for ((userid, project, task), m) in minutes {
        out.entry(userid).or_default().push(LoggedHours {
            project,
            task,
            hours: Hours::from_minutes(m),
        });
    }
    Ok(out)
}
