//! One call to Feishu Project: the plugin token (fetched and renewed), the
//! acting user (`X-USER-KEY`), the idempotency key (`X-IDEM-UUID`), the
//! answer's envelope read for its code, and the waits on rate limiting.

use std::time::Duration;

use rand::Rng;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::codes::{self, Outcome};
use super::token::{Fresh, TokenCache};
use super::wire;
use super::SYSTEM;
use crate::http::{Answer, Http, Pace, RetryPolicy};
use crate::PmError;

/// One request as the connector describes it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub method: Method,
    /// From the root, e.g. `/open_api/projects`.
    pub path: String,
    pub query: &'a [(&'a str, String)],
    pub body: Option<&'a Value>,
    /// `X-USER-KEY`: whom the call acts as.
    pub user_key: Option<&'a str>,
    /// `X-IDEM-UUID`: makes a write safe to send again.
    pub idem: Option<&'a str>,
}

impl<'a> Request<'a> {
    pub fn post(path: String, body: &'a Value, user_key: Option<&'a str>) -> Self {
        Request {
            method: Method::POST,
            path,
            query: &[],
            body: Some(body),
            user_key,
            idem: None,
        }
    }

    /// Safe to send twice: reads (most of them POSTs here), updates and
    /// deletes (which set a state), and creates carrying an idempotency key.
    fn repeatable(&self) -> bool {
        self.idem.is_some()
            || matches!(self.method, Method::GET | Method::PUT | Method::DELETE)
            || is_read(&self.path)
    }
}

/// The POST endpoints that only read.
fn is_read(path: &str) -> bool {
    path == "/open_api/projects"
        || path == "/open_api/projects/detail"
        || path == "/open_api/user/query"
        || path == "/open_api/work_item/man_hour/records"
        || path.ends_with("/work_item/filter")
        || path.ends_with("/user_groups/members/page")
}

#[derive(Debug)]
pub struct Client {
    http: Http,
    base_url: String,
    plugin_id: String,
    plugin_secret: String,
    policy: RetryPolicy,
    tokens: TokenCache,
}

impl Client {
    pub fn new(
        base_url: &str,
        plugin_id: &str,
        plugin_secret: &str,
        timeout: Duration,
        policy: RetryPolicy,
        pace: Option<Pace>,
    ) -> Result<Self, PmError> {
        Ok(Client {
            http: Http::new(SYSTEM, timeout, policy)?.paced(pace),
            base_url: base_url.trim_end_matches('/').to_owned(),
            plugin_id: plugin_id.to_owned(),
            plugin_secret: plugin_secret.to_owned(),
            policy,
            tokens: TokenCache::default(),
        })
    }

    /// `POST /open_api/authen/plugin_token` (type 0: a real plugin token,
    /// not the debugging "virtual" one).
    async fn fetch_token(&self) -> Result<Fresh, PmError> {
        let body = json!({
            "plugin_id": self.plugin_id,
            "plugin_secret": self.plugin_secret,
            "type": 0,
        });
        let url = format!("{}/open_api/authen/plugin_token", self.base_url);
        let answer = self
            .http
            .send(Method::POST, true, |client| {
                client
                    .post(&url)
                    .header("Accept", "application/json")
                    .json(&body)
            })
            .await?;
        match codes::classify(&answer) {
            Outcome::Ok => {}
            Outcome::Throttled => return Err(codes::throttled(self.policy.base_delay)),
            Outcome::StaleToken(message) => {
                return Err(PmError::Auth {
                    system: SYSTEM,
                    message,
                })
            }
            Outcome::Failed(e) => return Err(e),
        }
        let token: wire::Data<wire::PluginToken> = answer.json(SYSTEM)?;
        if token.data.token.trim().is_empty() {
            return Err(PmError::Malformed {
                system: SYSTEM,
                path: "data.token".into(),
                detail: "empty token".into(),
                snippet: String::new(),
            });
        }
        Ok(Fresh {
            token: token.data.token,
            valid_for: Duration::from_secs(u64::try_from(token.data.expire_time).unwrap_or(0)),
        })
    }

    /// The current token (checks the plugin's credentials on first use).
    pub async fn token(&self) -> Result<String, PmError> {
        self.tokens.get(|| self.fetch_token()).await
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.policy.base_delay.saturating_mul(1 << attempt.min(6));
        base.mul_f64(1.0 + rand::thread_rng().gen_range(0.0..0.5))
    }

    /// Sends `request` and answers it when its code says success. A stale
    /// token is replaced and the call repeated once; a rate-limit code is
    /// waited out like HTTP 429.
    pub async fn call(&self, request: &Request<'_>) -> Result<Answer, PmError> {
        let url = format!("{}{}", self.base_url, request.path);
        let mut renewed = false;
        let mut throttled = 0;
        loop {
            let token = self.token().await?;
            let answer = self
                .http
                .send(request.method.clone(), request.repeatable(), |client| {
                    let mut builder = client
                        .request(request.method.clone(), &url)
                        .query(request.query)
                        .header("Accept", "application/json")
                        .header("X-PLUGIN-TOKEN", &token);
                    if let Some(user) = request.user_key {
                        builder = builder.header("X-USER-KEY", user);
                    }
                    if let Some(key) = request.idem {
                        builder = builder.header("X-IDEM-UUID", key);
                    }
                    match request.body {
                        Some(body) => builder.json(body),
                        None => builder,
                    }
                })
                .await?;
            match codes::classify(&answer) {
                Outcome::Ok => return Ok(answer),
                Outcome::StaleToken(message) => {
                    if renewed {
                        return Err(codes::token_refused(message));
                    }
                    tracing::debug!(system = SYSTEM, %message, "plugin token refused, fetching a new one");
                    self.tokens.forget(&token).await;
                    renewed = true;
                }
                Outcome::Throttled => {
                    let wait = self.backoff(throttled);
                    if throttled >= self.policy.max_retries || wait > self.policy.max_wait {
                        return Err(codes::throttled(wait));
                    }
                    tokio::time::sleep(wait).await;
                    throttled += 1;
                }
                Outcome::Failed(e) => return Err(e),
            }
        }
    }

    /// [`Client::call`], reading the answer as `T`.
    pub async fn read<T: DeserializeOwned>(&self, request: &Request<'_>) -> Result<T, PmError> {
        self.call(request).await?.json(SYSTEM)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_keyed_writes_may_be_repeated() {
        let body = json!({});
        let read = Request::post("/open_api/work_item/man_hour/records".into(), &body, None);
        assert!(read.repeatable());
        let filter = Request::post("/open_api/pk/work_item/filter".into(), &body, None);
        assert!(filter.repeatable());
        let mut write = Request::post(
            "/open_api/pk/work_item/story/1/work_hour_record".into(),
            &body,
            None,
        );
        assert!(!write.repeatable());
        write.idem = Some("k");
        assert!(write.repeatable());
    }
}
