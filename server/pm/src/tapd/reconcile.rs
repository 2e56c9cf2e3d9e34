//! Listing timesheets for reconciliation: per workspace (or per item when
//! only a few are asked for) over `spentdate=first~last`, paged, with
//! windows split by date where TAPD's depth limit would cut a list short.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Duration, NaiveDate};

use crate::{PmError, Target, Worklog, WorklogQuery};

use super::item::{self, Entity};
use super::timesheets::{entity_filter, worklog};
use super::{wire, Tapd, SYSTEM};

/// Up to this many items of one workspace are listed one by one; more, and
/// the workspace is listed whole and filtered here.
const FEW_ITEMS: usize = 5;

fn range(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        first.format("%Y-%m-%d").to_string()
    } else {
        format!("{}~{}", first.format("%Y-%m-%d"), last.format("%Y-%m-%d"))
    }
}

impl Tapd {
    /// The timesheets a filter selects between `first` and `last`. A
    /// workspace-wide list is counted first (`/timesheets/count`) and split
    /// by date while one window holds more than TAPD lists; an item's list
    /// is read directly and split only if TAPD cut it.
    async fn scan(
        &self,
        filter: &[(&'static str, String)],
        first: NaiveDate,
        last: NaiveDate,
        count_first: bool,
    ) -> Result<Vec<wire::Timesheet>, PmError> {
        let cap = self.config.max_rows_per_query;
        let mut windows = vec![(first, last)];
        let mut out = Vec::new();
        while let Some((a, b)) = windows.pop() {
            let mut query = filter.to_vec();
            query.push(("spentdate", range(a, b)));
            let too_many = if count_first {
                let n: wire::Count = self.get("/timesheets/count", &query).await?;
                if n.count == 0 {
                    continue;
                }
                n.count > cap as u64
            } else {
                false
            };
            let pages = if too_many {
                None
            } else {
                query.push(("order", "id asc".to_owned()));
                Some(
                    self.pages::<wire::TimesheetRow>("/timesheets", &query)
                        .await?,
                )
            };
            match pages {
                Some(p) if !p.cut || count_first => {
                    if p.cut {
                        tracing::warn!(
                            from = %a, to = %b,
                            "TAPD cut a list it had counted within its limit"
                        );
                    }
                    out.extend(p.rows.into_iter().map(|r| r.timesheet));
                }
                _ if a < b => {
                    let mid = a + Duration::days((b - a).num_days() / 2);
                    windows.push((mid + Duration::days(1), b));
                    windows.push((a, mid));
                }
                _ => {
                    return Err(PmError::Rejected {
                        system: SYSTEM,
                        status: 400,
                        message: format!(
                        "TAPD lists at most {cap} timesheets per query and holds more on {a} ({})",
                        filter
                            .iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join("&")
                    ),
                    })
                }
            }
        }
        Ok(out)
    }

    pub(super) async fn list(&self, q: &WorklogQuery) -> Result<Vec<Worklog>, PmError> {
        if q.first > q.last {
            return Ok(Vec::new());
        }
        // Workspace → the entities asked for (`None`: all of it).
        let mut scopes: BTreeMap<String, Option<BTreeSet<Entity>>> = BTreeMap::new();
        if q.items.is_empty() {
            for project in self.projects().await? {
                scopes.insert(project.id, None);
            }
        }
        for i in &q.items {
            let workspace = item::workspace(i)?;
            if i.task.is_none() {
                scopes.insert(workspace, None);
                continue;
            }
            let entity = Entity::of(i)?;
            let scope = scopes
                .entry(workspace)
                .or_insert_with(|| Some(BTreeSet::new()));
            if let Some(entities) = scope {
                entities.insert(entity);
            }
        }

        let mut rows = Vec::new();
        for (workspace, entities) in &scopes {
            match entities {
                Some(entities) if entities.len() <= FEW_ITEMS => {
                    for entity in entities {
                        let found = self
                            .scan(&entity_filter(entity), q.first, q.last, false)
                            .await?;
                        rows.extend(found.into_iter().map(|t| (workspace, t)));
                    }
                }
                _ => {
                    let filter = [("workspace_id", workspace.clone())];
                    let found = self.scan(&filter, q.first, q.last, true).await?;
                    rows.extend(found.into_iter().map(|t| (workspace, t)));
                }
            }
        }

        let people: HashSet<&str> = q.people.iter().map(String::as_str).collect();
        let mut seen = HashSet::new();
        let mut out: Vec<Worklog> = rows
            .into_iter()
            .filter(|(_, t)| people.is_empty() || people.contains(t.owner.as_str()))
            .filter(|(_, t)| t.spentdate >= q.first && t.spentdate <= q.last)
            .filter(|(_, t)| seen.insert(t.id.clone()))
            .map(|(workspace, t)| worklog(t, workspace))
            .filter(|w| match scopes.get(&w.item.project) {
                Some(Some(entities)) => Entity::of(&w.item).is_ok_and(|e| entities.contains(&e)),
                _ => true,
            })
            .collect();
        out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }
}
