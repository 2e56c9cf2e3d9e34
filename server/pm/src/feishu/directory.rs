//! Spaces and users: the spaces the operator sees, the connection's space's
//! members, and users' details (`POST /open_api/user/query`).

use std::collections::{BTreeMap, HashSet};

use reqwest::Method;
use serde_json::json;

use super::client::Request;
use super::wire;
use super::{FeishuProject, SYSTEM};
use crate::{PmError, PmUser, Project};

/// `user/query` takes at most 100 keys or e-mails a call.
const USERS_PER_QUERY: usize = 100;
/// Members per page (the API's maximum is 100).
const MEMBERS_PER_PAGE: u64 = 100;
/// Teams per page (the API's maximum is 300).
const TEAMS_PER_PAGE: u64 = 300;
/// Spaces per detail call (unconfirmed limit; kept small).
const SPACES_PER_DETAIL: usize = 50;
const MAX_PAGES: u64 = 10_000;

/// Statuses of people who can no longer log in (unconfirmed wording; any
/// other status, or none, is taken as active).
const INACTIVE: [&str; 6] = [
    "resigned",
    "left",
    "frozen",
    "disabled",
    "deactivated",
    "inactive",
];

fn user(u: wire::User) -> PmUser {
    let pick = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let name = pick(&u.name_cn)
        .or_else(|| {
            u.name
                .get("zh_cn")
                .cloned()
                .filter(|s| !s.trim().is_empty())
        })
        .or_else(|| {
            u.name
                .get("default")
                .cloned()
                .filter(|s| !s.trim().is_empty())
        })
        .or_else(|| pick(&u.name_en))
        .or_else(|| pick(&u.username))
        .unwrap_or_else(|| u.user_key.clone());
    let active = u
        .status
        .as_deref()
        .is_none_or(|s| !INACTIVE.contains(&s.trim().to_ascii_lowercase().as_str()));
    PmUser {
        id: u.user_key,
        login: pick(&u.username),
        name,
        email: pick(&u.email),
        mobile: None,
        active,
    }
}

impl FeishuProject {
    /// The spaces the operator sees, the connection's own first. The
    /// connection's space must exist.
    pub(super) async fn spaces(&self) -> Result<Vec<Project>, PmError> {
        let operator = self.config.operator_user_key.as_str();
        let body = json!({ "user_key": operator });
        let listed: wire::Data<Vec<String>> = self
            .client
            .read(&Request::post(
                "/open_api/projects".into(),
                &body,
                Some(operator),
            ))
            .await?;
        let mut keys = vec![self.config.project_key.clone()];
        for key in listed.data {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let mut details: BTreeMap<String, wire::Space> = BTreeMap::new();
        for chunk in keys.chunks(SPACES_PER_DETAIL) {
            let body = json!({ "project_keys": chunk, "user_key": operator });
            let found: wire::Data<BTreeMap<String, wire::Space>> = self
                .client
                .read(&Request::post(
                    "/open_api/projects/detail".into(),
                    &body,
                    Some(operator),
                ))
                .await?;
            details.extend(found.data);
        }
        if !details.contains_key(&self.config.project_key) {
            return Err(PmError::NotFound {
                system: SYSTEM,
                message: format!(
                    "space {} does not exist, or the plugin is not installed there",
                    self.config.project_key
                ),
            });
        }
        Ok(keys
            .iter()
            .filter_map(|key| details.remove(key))
            .map(|space| Project {
                key: space
                    .simple_name
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or_else(|| space.project_key.clone()),
                name: space.name,
                id: space.project_key,
            })
            .collect())
    }

    /// The operator's name, for the connection test.
    pub(super) async fn operator(&self) -> Result<String, PmError> {
        let key = self.config.operator_user_key.clone();
        let found = self.user_details(std::slice::from_ref(&key)).await?;
        match found.into_iter().next() {
            Some(u) => Ok(format!("{} ({})", u.name, u.id)),
            None => Err(PmError::NotFound {
                system: SYSTEM,
                message: format!("the operator user {key} does not exist"),
            }),
        }
    }

    /// The user keys of a space's members: the space-member user group,
    /// or, where the plugin token may not read it, the space's teams.
    pub(super) async fn member_keys(&self, project_key: &str) -> Result<Vec<String>, PmError> {
        match self.member_group(project_key).await {
            Ok(keys) => Ok(keys),
            Err(e @ (PmError::Auth { .. } | PmError::Rejected { .. })) => {
                tracing::info!(system = SYSTEM, error = %e, "space members unreadable, reading its teams");
                self.team_members(project_key).await
            }
            Err(e) => Err(e),
        }
    }

    /// `POST /open_api/{project_key}/user_groups/members/page` (`PROJECT_MEMBER`).
    async fn member_group(&self, project_key: &str) -> Result<Vec<String>, PmError> {
        let operator = self.config.operator_user_key.as_str();
        let path = format!("/open_api/{project_key}/user_groups/members/page");
        let mut keys = Vec::new();
        let mut seen = HashSet::new();
        for page in 1..=MAX_PAGES {
            let body = json!({
                "user_group_type": "PROJECT_MEMBER",
                "page_num": page,
                "page_size": MEMBERS_PER_PAGE,
            });
            let got: wire::Data<wire::MemberPage> = self
                .client
                .read(&Request::post(path.clone(), &body, Some(operator)))
                .await?;
            let before = keys.len();
            for key in got.data.list.into_iter().flat_map(|g| g.user_members) {
                if seen.insert(key.clone()) {
                    keys.push(key);
                }
            }
            let more = got
                .data
                .pagination
                .and_then(|p| p.has_more)
                .unwrap_or(false);
            if !more || keys.len() == before {
                break;
            }
        }
        Ok(keys)
    }

    /// `GET /open_api/{project_key}/teams/all`: everyone in a team of the space.
    async fn team_members(&self, project_key: &str) -> Result<Vec<String>, PmError> {
        let operator = self.config.operator_user_key.as_str();
        let mut keys = Vec::new();
        let mut seen = HashSet::new();
        let mut offset = 0;
        for _ in 0..MAX_PAGES {
            let query = [
                ("offset", offset.to_string()),
                ("limit", TEAMS_PER_PAGE.to_string()),
            ];
            let request = Request {
                method: Method::GET,
                path: format!("/open_api/{project_key}/teams/all"),
                query: &query,
                body: None,
                user_key: Some(operator),
                idem: None,
            };
            let page: wire::Teams = self.client.read(&request).await?;
            let got = page.data.len() as u64;
            for team in page.data {
                for key in team.user_keys.into_iter().chain(team.members) {
                    if seen.insert(key.clone()) {
                        keys.push(key);
                    }
                }
            }
            offset += got;
            if got == 0 || !page.has_more.unwrap_or(false) {
                break;
            }
        }
        Ok(keys)
    }

    /// `POST /open_api/user/query` by user keys, 100 a call.
    pub(super) async fn user_details(&self, keys: &[String]) -> Result<Vec<PmUser>, PmError> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(USERS_PER_QUERY) {
            let body = json!({ "user_keys": chunk });
            out.extend(self.query_users(&body).await?);
        }
        Ok(out)
    }

    /// `POST /open_api/user/query` by e-mail, kept to exact matches.
    pub(super) async fn users_by_email(&self, email: &str) -> Result<Vec<PmUser>, PmError> {
        let body = json!({ "emails": [email] });
        Ok(self
            .query_users(&body)
            .await?
            .into_iter()
            .filter(|u| {
                u.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .collect())
    }

    /// One user query; "no user found" is an empty answer.
    async fn query_users(&self, body: &serde_json::Value) -> Result<Vec<PmUser>, PmError> {
        let request = Request::post("/open_api/user/query".into(), body, None);
        match self.client.read::<wire::Paged<wire::User>>(&request).await {
            Ok(found) => Ok(found.data.into_iter().map(user).collect()),
            Err(PmError::NotFound { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_is_named_in_chinese_first_and_left_people_are_inactive() {
        let u: wire::User = serde_json::from_str(
            r#"{"user_key":"70","username":"lilei0001","email":"lilei0001@corp.example",
                "name_cn":"李雷","name_en":"Li Lei","name":{"zh_cn":"李雷"},"status":"activated"}"#,
        )
        .expect("json");
        let pm = user(u);
        assert_eq!(pm.id, "70");
        assert_eq!(pm.name, "李雷");
        assert_eq!(pm.login.as_deref(), Some("lilei0001"));
        assert!(pm.active);
        let gone: wire::User = serde_json::from_str(
            r#"{"user_key":"71","name":{"default":"韩梅梅"},"status":"resigned"}"#,
        )
        .expect("json");
        let pm = user(gone);
        assert_eq!(pm.name, "韩梅梅");
        assert!(!pm.active);
    }
}
