//! Walking a project's executions (sprints, stages) to its tasks: ZenTao
//! lists tasks per execution only.

use crate::{PmError, Project};

use super::client::{Client, Login};
use super::wire;

/// Every task of the project, children flattened, in execution order.
pub async fn of_project(
    client: &Client,
    login: Login<'_>,
    project_id: &str,
) -> Result<Vec<wire::Task>, PmError> {
    let id = numeric(project_id)?;
    let executions: Vec<wire::Execution> = client
        .list(
            login,
            &format!("/projects/{id}/executions"),
            &[("status", "all".to_owned())],
        )
        .await?;
    let mut out = Vec::new();
    for execution in executions {
        let listed: Vec<wire::Task> = client
            .list(
                login,
                &format!("/executions/{}/tasks", execution.id),
                &[("status", "all".to_owned())],
            )
            .await?;
        for task in listed {
            task.flatten(&mut out);
        }
    }
    // A task shows once even if a list nests it and also lists it flat.
    let mut seen = std::collections::HashSet::new();
    out.retain(|t| seen.insert(t.id));
    Ok(out)
}

/// Every project the account sees.
pub async fn projects(client: &Client, login: Login<'_>) -> Result<Vec<Project>, PmError> {
    let listed: Vec<wire::Project> = client
        .list(login, "/projects", &[("status", "all".to_owned())])
        .await?;
    Ok(listed
        .into_iter()
        .map(|p| Project {
            id: p.id.to_string(),
            key: if p.code.trim().is_empty() {
                p.id.to_string()
            } else {
                p.code.trim().to_owned()
            },
            name: p.name,
        })
        .collect())
}

/// A ZenTao id from HourBridge's text (a project or task id).
pub fn numeric(text: &str) -> Result<u64, PmError> {
    text.trim().parse().map_err(|_| PmError::NotFound {
        system: super::SYSTEM,
        message: format!("{text} is not a ZenTao id"),
    })
}
