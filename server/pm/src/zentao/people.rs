//! ZenTao's users: the company list (needs *company-browse*), read whole
//! and kept for a few minutes, since ZenTao has no search and a lookup per
//! person would otherwise read the whole list each time.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::{PmError, PmUser, UserQuery};

use super::client::{Client, Login};
use super::wire;

/// How long a read list answers lookups.
pub const FRESH_FOR: Duration = Duration::from_secs(300);

#[derive(Debug, Default)]
pub struct People {
    cached: Mutex<Option<(Instant, Vec<PmUser>)>>,
}

fn person(u: wire::User) -> PmUser {
    let some = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    PmUser {
        id: u.account.clone(),
        login: Some(u.account.clone()),
        name: some(u.realname).unwrap_or_else(|| u.account.clone()),
        email: some(u.email),
        mobile: some(u.mobile),
        active: !u.deleted,
    }
}

impl People {
    /// Every user, read now. `fileds=mobile` (ZenTao's spelling) adds the
    /// mobile number to each user; a ZenTao that ignores it leaves `mobile`
    /// empty rather than costing one `GET /users/{id}` per person.
    pub async fn read(&self, client: &Client, login: Login<'_>) -> Result<Vec<PmUser>, PmError> {
        let query = [("fileds", "mobile".to_owned())];
        let listed: Vec<wire::User> = client.list(login, "/users", &query).await?;
        let users: Vec<PmUser> = listed
            .into_iter()
            .filter(|u| !u.deleted && !u.account.trim().is_empty())
            .map(person)
            .collect();
        *self.cached.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((Instant::now(), users.clone()));
        Ok(users)
    }

    /// The list read within [`FRESH_FOR`], else read again.
    async fn recent(&self, client: &Client, login: Login<'_>) -> Result<Vec<PmUser>, PmError> {
        let cached = self
            .cached
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, users)| users.clone());
        match cached {
            Some(users) => Ok(users),
            None => self.read(client, login).await,
        }
    }

    /// Exact matches: e-mail and account case-insensitively, name as written.
    pub async fn find(
        &self,
        client: &Client,
        login: Login<'_>,
        query: &UserQuery,
    ) -> Result<Vec<PmUser>, PmError> {
        let text = query.text();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let same = |a: &Option<String>| a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(text));
        Ok(self
            .recent(client, login)
            .await?
            .into_iter()
            .filter(|u| match query {
                UserQuery::Email(_) => same(&u.email),
                UserQuery::Login(_) => same(&u.login),
                UserQuery::Name(_) => u.name == text,
            })
            .collect())
    }
}
