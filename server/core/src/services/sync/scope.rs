//! Who a run covers: the pair's DingTalk directory (active people, and
//! those who left during the run's dates), within the pair's pilot scope
//! and the run's narrowing; a department includes its sub-departments.

use std::collections::HashMap;

use chrono::NaiveDate;
use hourbridge_sync::Scope;

use super::pairs;
use super::runs::RunScope;
use crate::db::directory::{self, PersonRecord};
use crate::db::sync_pairs::PairRecord;
use crate::{AppState, CoreError};

/// The people a run of `pair` from `first` on covers, narrowed.
pub async fn people_in_scope(
    state: &AppState,
    pair: &PairRecord,
    narrowing: &RunScope,
    first: NaiveDate,
) -> Result<Vec<PersonRecord>, CoreError> {
    let since = hourbridge_dingtalk::model::day_start_ms(first);
    let everyone = directory::people_since(&state.db, &pair.dingtalk_connection_id, since).await?;
    let parents = parents(state).await?;
    let pair_scope = pairs::scope_of(pair);
    let run_scope = Scope {
        departments: narrowing.departments.clone(),
        people: narrowing.people.clone(),
    };
    Ok(everyone
        .into_iter()
        .filter(|p| {
            let departments = with_ancestors(&p.dept_ids, &parents);
            pair_scope.includes(&p.userid, &departments)
                && run_scope.includes(&p.userid, &departments)
        })
        .collect())
}

/// Each department's parent.
pub async fn parents(state: &AppState) -> Result<HashMap<i64, Option<i64>>, CoreError> {
    Ok(directory::all_departments(&state.db)
        .await?
        .into_iter()
        .map(|d| (d.dept_id, d.parent_id))
        .collect())
}

/// A person's departments (`dept_ids`, comma-separated) and all above them.
pub fn with_ancestors(dept_ids: &str, parents: &HashMap<i64, Option<i64>>) -> Vec<i64> {
    let mut out = Vec::new();
    for id in dept_ids
        .split(',')
        .filter_map(|d| d.trim().parse::<i64>().ok())
    {
        let mut next = Some(id);
        // A directory loop cannot make this spin: at most one pass per department.
        for _ in 0..=parents.len() {
            let Some(d) = next else { break };
            if !out.contains(&d) {
                out.push(d);
            }
            next = parents.get(&d).copied().flatten();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_bring_their_ancestors() {
        let parents: HashMap<i64, Option<i64>> =
            [(1, None), (10, Some(1)), (100, Some(10)), (7, Some(7))]
                .into_iter()
                .collect();
        assert_eq!(with_ancestors("100", &parents), vec![100, 10, 1]);
        assert_eq!(with_ancestors("100,10", &parents), vec![100, 10, 1]);
        // A loop in the directory ends.
        assert_eq!(with_ancestors("7", &parents), vec![7]);
        assert_eq!(with_ancestors("", &parents), Vec::<i64>::new());
    }
}
