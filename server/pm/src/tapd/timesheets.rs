//! One timesheet at a time: create (a refusal over TAPD's one record per
//! item, day and owner becomes an update of HourBridge's own record), find
//! by marker, update, delete.

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::{ExternalId, ItemRef, NewWorklog, PmError, Worklog, WorklogRef};

use super::hours::{minutes, timespent};
use super::item::{Entity, EntityType};
use super::{wire, Tapd, SYSTEM};

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The worklog a timesheet is (`workspace` when the row does not say).
pub(super) fn worklog(ts: wire::Timesheet, workspace: &str) -> Worklog {
    let workspace = if ts.workspace_id.is_empty() {
        workspace.to_owned()
    } else {
        ts.workspace_id
    };
    let comment = ts.memo.unwrap_or_default();
    Worklog {
        id: ts.id,
        item: ItemRef {
            project: workspace,
            task: Some(format!("{}:{}", ts.entity_type, ts.entity_id)),
        },
        person: Some(ts.owner).filter(|o| !o.is_empty()),
        date: ts.spentdate,
        minutes: minutes(ts.timespent),
        external_id: ExternalId::find_in(&comment),
        comment,
    }
}

/// The filter naming one entity's timesheets.
pub(super) fn entity_filter(entity: &Entity) -> Vec<(&'static str, String)> {
    vec![
        ("workspace_id", entity.workspace.clone()),
        ("entity_type", entity.kind.as_str().to_owned()),
        ("entity_id", entity.id.clone()),
        // A story's list would otherwise carry its parent story's hours.
        ("include_parent_story_timesheet", "0".to_owned()),
    ]
}

fn belongs_to(ts: &wire::Timesheet, entity: &Entity) -> bool {
    EntityType::parse(&ts.entity_type) == Some(entity.kind) && ts.entity_id == entity.id
}

impl Tapd {
    /// Timesheets of one entity on one day.
    async fn on_day(
        &self,
        entity: &Entity,
        date: NaiveDate,
        owner: Option<&str>,
    ) -> Result<Vec<wire::Timesheet>, PmError> {
        let mut query = entity_filter(entity);
        query.push(("spentdate", day(date)));
        if let Some(owner) = owner {
            query.push(("owner", owner.to_owned()));
        }
        let rows = self
            .pages::<wire::TimesheetRow>("/timesheets", &query)
            .await?
            .rows;
        Ok(rows
            .into_iter()
            .map(|r| r.timesheet)
            .filter(|t| belongs_to(t, entity) && t.spentdate == date)
            .filter(|t| owner.is_none_or(|o| t.owner == o))
            .collect())
    }

    /// The timesheet `id` of a workspace, if it exists (and is not deleted).
    async fn by_id(&self, workspace: &str, id: &str) -> Result<Option<wire::Timesheet>, PmError> {
        let rows: Vec<wire::TimesheetRow> = self
            .get(
                "/timesheets",
                &[
                    ("workspace_id", workspace.to_owned()),
                    ("id", id.to_owned()),
                ],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.timesheet).find(|t| t.id == id))
    }

    /// Sets the hours and memo of timesheet `id` (one call; the same body
    /// twice has the same effect).
    async fn overwrite(
        &self,
        workspace: &str,
        id: &str,
        w: &NewWorklog,
    ) -> Result<Worklog, PmError> {
        let body = json!({
            "id": id,
            "workspace_id": workspace,
            "timespent": timespent(w.minutes),
            "memo": w.external_id.tag(&w.comment),
        });
        let row: wire::TimesheetRow = self.post("/timesheets", &body, true).await?;
        Ok(worklog(row.timesheet, workspace))
    }

    pub(super) async fn create(&self, w: &NewWorklog) -> Result<Worklog, PmError> {
        let entity = Entity::of(&w.item)?;
        let body: Value = json!({
            "workspace_id": entity.workspace,
            "entity_type": entity.kind.as_str(),
            "entity_id": entity.id,
            "owner": w.person,
            "spentdate": day(w.date),
            "timespent": timespent(w.minutes),
            "memo": w.external_id.tag(&w.comment),
        });
        let refused = match self
            .post::<wire::TimesheetRow>("/timesheets", &body, false)
            .await
        {
            Ok(row) => return Ok(worklog(row.timesheet, &entity.workspace)),
            Err(e @ PmError::Rejected { .. }) => e,
            Err(e) => return Err(e),
        };
        // TAPD keeps one record per (item, day, owner); its wording for that
        // refusal is not documented, so look for the record itself.
        let existing = self.on_day(&entity, w.date, Some(&w.person)).await?;
        let Some(existing) = existing.into_iter().next() else {
            return Err(refused);
        };
        let ours = existing
            .memo
            .as_deref()
            .and_then(ExternalId::find_in)
            .is_some_and(|id| id == w.external_id);
        if ours {
            return self.overwrite(&entity.workspace, &existing.id, w).await;
        }
        let (status, said) = match refused {
            PmError::Rejected {
                status, message, ..
            } => (status, message),
            _ => (0, String::new()),
        };
        Err(PmError::Rejected {
            system: SYSTEM,
            status,
            message: format!(
                "{said} ({} already has timesheet {} on {entity} for {}, not written by HourBridge; it is left as it is)",
                w.person,
                existing.id,
                day(w.date)
            ),
        })
    }

    pub(super) async fn find(
        &self,
        item: &ItemRef,
        date: NaiveDate,
        external_id: &ExternalId,
    ) -> Result<Option<Worklog>, PmError> {
        if item.task.is_none() {
            // Nothing is ever written on a workspace alone.
            return Ok(None);
        }
        let entity = Entity::of(item)?;
        // Matched on the marker: the external id names the DingTalk user,
        // not the TAPD nick.
        Ok(self
            .on_day(&entity, date, None)
            .await?
            .into_iter()
            .map(|t| worklog(t, &entity.workspace))
            .find(|w| w.external_id.as_ref() == Some(external_id)))
    }

    pub(super) async fn update(
        &self,
        existing: &WorklogRef,
        w: &NewWorklog,
    ) -> Result<Worklog, PmError> {
        let entity = Entity::of(&existing.item)?;
        let Some(now) = self.by_id(&entity.workspace, &existing.id).await? else {
            return Err(PmError::NotFound {
                system: SYSTEM,
                message: format!(
                    "timesheet {} does not exist in workspace {}",
                    existing.id, entity.workspace
                ),
            });
        };
        // TAPD's update takes hours and memo only: the item, the day and
        // the owner of a record never change.
        let target = Entity::of(&w.item)?;
        if !belongs_to(&now, &target) || now.spentdate != w.date || now.owner != w.person {
            return Err(PmError::Rejected {
                system: SYSTEM,
                status: 400,
                message: format!(
                    "TAPD cannot move timesheet {} ({}'s, {} on {}:{}) to {} on {target}; delete it and write a new one",
                    existing.id,
                    now.owner,
                    day(now.spentdate),
                    now.entity_type,
                    now.entity_id,
                    day(w.date),
                ),
            });
        }
        self.overwrite(&entity.workspace, &existing.id, w).await
    }

    /// Deletes a timesheet; one already gone counts as deleted.
    pub(super) async fn delete(&self, existing: &WorklogRef) -> Result<(), PmError> {
        let entity = Entity::of(&existing.item)?;
        let body = json!({
            "workspace_id": entity.workspace,
            "entity_type": entity.kind.as_str(),
            "entity_id": entity.id,
            "cost_ids": [existing.id],
        });
        let answer: wire::Deleted = self
            .post("/timesheets/delete_timesheets", &body, true)
            .await?;
        if answer.data.success.cost_ids.contains(&existing.id) {
            return Ok(());
        }
        let failed = answer
            .data
            .failed
            .iter()
            .find(|g| g.cost_ids.contains(&existing.id));
        match failed {
            Some(g) if g.msg.to_lowercase().contains("not exist") || g.msg.contains("不存在") => {
                Ok(())
            }
            Some(g) => Err(PmError::Rejected {
                system: SYSTEM,
                status: 200,
                message: g.msg.trim().to_owned(),
            }),
            None => Err(PmError::Malformed {
                system: SYSTEM,
                path: "data.data".into(),
                detail: format!(
                    "timesheet {} is listed neither as deleted nor as failed",
                    existing.id
                ),
                snippet: String::new(),
            }),
        }
    }
}
