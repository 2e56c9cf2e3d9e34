//! The DingTalk HTTP client: one per connection (app), shared by every task.
//!
//! Each call goes through the same steps: take the app's cached token, wait
//! for the API's rate limiter, send, classify the answer. A token-invalid
//! answer refreshes the token once and retries once; throttling and
//! transient failures back off (1 s, 2 s, 4 s with jitter) and retry; an
//! address ban pauses; the monthly quota stops the caller with that reason.

mod attendance;
mod directory;
mod meter;
mod token;

pub use directory::Directory;
pub use meter::{ApiCount, CallMeter};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use rand::Rng;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use crate::plan::Limits;
use crate::wire::{classify_v1, decode, parse_old, snippet, UpstreamError};
use meter::Outcome;
use token::TokenCache;

/// How to reach one DingTalk app. Base URLs are configurable so that the
/// simulator (or a proxy) can stand in for DingTalk.
#[derive(Clone)]
pub struct ClientConfig {
    /// The old family (`/gettoken`, `/topapi/...`, `/attendance/...`).
    pub oapi_base: String,
    /// The new family (`/v1.0/...`).
    pub api_base: String,
    pub app_key: String,
    pub app_secret: String,
    /// Calls per second per API path; 0 = no client-side limit.
    pub qps_per_api: u32,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Refresh the token this long before it expires.
    pub token_refresh_margin: Duration,
    pub limits: Limits,
    /// Batches in flight at once in the range helpers.
    pub concurrency: usize,
}

impl ClientConfig {
    pub const DEFAULT_OAPI: &'static str = "https://oapi.dingtalk.com";
    pub const DEFAULT_API: &'static str = "https://api.dingtalk.com";

    pub fn new(app_key: impl Into<String>, app_secret: impl Into<String>) -> Self {
        ClientConfig {
            oapi_base: Self::DEFAULT_OAPI.into(),
            api_base: Self::DEFAULT_API.into(),
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            qps_per_api: 20,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            token_refresh_margin: Duration::from_secs(300),
            limits: Limits::default(),
            concurrency: 4,
        }
    }

    /// Both families on one base URL (the simulator serves both).
    pub fn with_base(mut self, base: &str) -> Self {
        let base = base.trim_end_matches('/');
        self.oapi_base = base.to_owned();
        self.api_base = base.to_owned();
        self
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("oapi_base", &self.oapi_base)
            .field("api_base", &self.api_base)
            .field("app_key", &self.app_key)
            .field("app_secret", &"[redacted]")
            .field("qps_per_api", &self.qps_per_api)
            .finish_non_exhaustive()
    }
}

/// Back-off for throttling and transient failures.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt (DingTalk: at most 3 for `-1`).
    pub max_retries: u32,
    /// First pause; doubled each retry, plus up to half of it as jitter.
    pub base_delay: Duration,
    /// Pause after an address ban (DingTalk bans for 5 minutes).
    pub ban_pause: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            ban_pause: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    fn delay(&self, attempt: u32) -> Duration {
        let base = self.base_delay.saturating_mul(1 << attempt.min(10));
        let jitter_ms = (base.as_millis() / 2) as u64;
        let jitter = if jitter_ms == 0 {
            0
        } else {
            rand::thread_rng().gen_range(0..=jitter_ms)
        };
        base + Duration::from_millis(jitter)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// `oapi`: token in the query, HTTP 200 + `errcode`.
    Old,
    /// `api /v1.0`: token in a header, HTTP status + `code`.
    New,
}

/// One API: its path, family, and whether it counts against the quota.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Api {
    pub path: &'static str,
    pub family: Family,
    pub billable: bool,
}

/// The client for one DingTalk app. Cheap to share: wrap it in an `Arc`.
pub struct DingTalkClient {
    http: reqwest::Client,
    config: ClientConfig,
    old_token: TokenCache,
    new_token: TokenCache,
    limiter: Option<DefaultKeyedRateLimiter<&'static str>>,
    meter: Arc<CallMeter>,
}

impl fmt::Debug for DingTalkClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DingTalkClient")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct OldToken {
    access_token: String,
    #[serde(deserialize_with = "crate::wire::lenient::i64")]
    expires_in: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewToken {
    access_token: String,
    #[serde(deserialize_with = "crate::wire::lenient::i64")]
    expire_in: i64,
}

#[derive(Deserialize)]
struct NewError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

impl DingTalkClient {
    pub fn new(config: ClientConfig) -> Result<Self, UpstreamError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("HourBridge/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(transport)?;
        let limiter = NonZeroU32::new(config.qps_per_api).map(|qps| {
            // Half the rate as burst: network jitter can bunch requests on
            // arrival, and DingTalk's bucket must never see more than `qps`.
            let burst = NonZeroU32::new((qps.get() / 2).max(1)).unwrap_or(NonZeroU32::MIN);
            RateLimiter::keyed(Quota::per_second(qps).allow_burst(burst))
        });
        Ok(DingTalkClient {
            http,
            config,
            old_token: TokenCache::default(),
            new_token: TokenCache::default(),
            limiter,
            meter: Arc::new(CallMeter::default()),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Calls made so far, per API.
    pub fn meter(&self) -> &Arc<CallMeter> {
        &self.meter
    }

    /// Checks the app's credentials by fetching a token.
    pub async fn check_credentials(&self) -> Result<(), UpstreamError> {
        self.token(Family::Old).await.map(|_| ())
    }

    async fn token(&self, family: Family) -> Result<String, UpstreamError> {
        let margin = self.config.token_refresh_margin;
        match family {
            Family::Old => self.old_token.get(margin, || self.fetch_old_token()).await,
            Family::New => self.new_token.get(margin, || self.fetch_new_token()).await,
        }
    }

    async fn fetch_old_token(&self) -> Result<(String, u64), UpstreamError> {
        let url = format!("{}/gettoken", self.config.oapi_base);
        let response = self
            .http
            .get(url)
            .query(&[
                ("appkey", self.config.app_key.as_str()),
                ("appsecret", self.config.app_secret.as_str()),
            ])
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport)?;
        if status >= 500 {
            return Err(UpstreamError::ServerError {
                status,
                snippet: snippet(&body),
            });
        }
        let token: OldToken = parse_old(&body).map_err(credentials_error)?;
        Ok((token.access_token, token.expires_in.max(1) as u64))
    }

    async fn fetch_new_token(&self) -> Result<(String, u64), UpstreamError> {
        let url = format!("{}/v1.0/oauth2/accessToken", self.config.api_base);
        let body = serde_json::json!({
            "appKey": self.config.app_key,
            "appSecret": self.config.app_secret,
        });
        let response = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(transport)?;
        let token: NewToken = read_new(status, &bytes).map_err(credentials_error)?;
        Ok((token.access_token, token.expire_in.max(1) as u64))
    }

    /// Sends one call with the token, limiter and retry rules above.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        api: Api,
        body: &serde_json::Value,
    ) -> Result<T, UpstreamError> {
        let mut refreshed = false;
        let mut retries = 0u32;
        let mut banned = false;
        loop {
            // Getting a token fails like any call: a transient failure
            // (a 5xx, a timeout) is retried under the same rules.
            let token = match self.token(api.family).await {
                Ok(token) => token,
                Err(error) if error.is_transient() && retries < self.config.retry.max_retries => {
                    let pause = self.config.retry.delay(retries);
                    tracing::info!(api = api.path, %error, ?pause, "token request failed; retrying after a pause");
                    tokio::time::sleep(pause).await;
                    retries += 1;
                    continue;
                }
                Err(error) => return Err(error),
            };
            if let Some(limiter) = &self.limiter {
                limiter.until_key_ready(&api.path).await;
            }
            let answer = self.send_once::<T>(api, body, &token).await;
            match answer {
                Ok(value) => {
                    self.meter.record(
                        api.path,
                        Outcome::Ok {
                            billable: api.billable,
                        },
                    );
                    return Ok(value);
                }
                Err(UpstreamError::TokenInvalid { .. }) if !refreshed => {
                    self.meter.record(api.path, Outcome::Failed);
                    tracing::info!(api = api.path, "access token rejected; refreshing once");
                    match api.family {
                        Family::Old => self.old_token.invalidate(&token).await,
                        Family::New => self.new_token.invalidate(&token).await,
                    }
                    refreshed = true;
                }
                Err(error @ UpstreamError::AddressBanned { wait_secs }) if !banned => {
                    self.meter.record(api.path, Outcome::of(&error));
                    let pause = self.config.retry.ban_pause;
                    tracing::warn!(
                        api = api.path,
                        ?pause,
                        wait_secs,
                        "address banned by DingTalk; pausing"
                    );
                    tokio::time::sleep(pause).await;
                    banned = true;
                }
                Err(error) if error.is_transient() && retries < self.config.retry.max_retries => {
                    self.meter.record(api.path, Outcome::of(&error));
                    let pause = self.config.retry.delay(retries);
                    tracing::info!(api = api.path, %error, ?pause, "retrying after a pause");
                    tokio::time::sleep(pause).await;
                    retries += 1;
                }
                Err(error) => {
                    self.meter.record(api.path, Outcome::of(&error));
                    return Err(error);
                }
            }
        }
    }

    async fn send_once<T: DeserializeOwned>(
        &self,
        api: Api,
        body: &serde_json::Value,
        token: &str,
    ) -> Result<T, UpstreamError> {
        let request = match api.family {
            Family::Old => self
                .http
                .post(format!("{}{}", self.config.oapi_base, api.path))
                .query(&[("access_token", token)]),
            Family::New => self
                .http
                .post(format!("{}{}", self.config.api_base, api.path))
                .header("x-acs-dingtalk-access-token", token),
        };
        let response = request.json(body).send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(transport)?;
        match api.family {
            Family::Old => read_old(status, &bytes),
            Family::New => read_new(status, &bytes),
        }
    }
}

/// An old-family answer: HTTP 200 with `errcode`; other statuses are
/// gateway trouble unless they carry a DingTalk envelope.
fn read_old<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, UpstreamError> {
    match parse_old(body) {
        Ok(value) if status == 200 => Ok(value),
        Err(error @ UpstreamError::Malformed { .. }) if status != 200 => {
            Err(by_status(status, body).unwrap_or(error))
        }
        Err(error) => Err(error),
        Ok(_) => Err(
            by_status(status, body).unwrap_or_else(|| UpstreamError::ServerError {
                status,
                snippet: snippet(body),
            }),
        ),
    }
}

/// A new-family answer: 2xx is data, otherwise `{code, message}`.
fn read_new<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, UpstreamError> {
    if (200..300).contains(&status) {
        return decode(body);
    }
    match serde_json::from_slice::<NewError>(body) {
        Ok(error) if !error.code.is_empty() => {
            Err(classify_v1(status, &error.code, &error.message))
        }
        _ => Err(
            by_status(status, body).unwrap_or_else(|| UpstreamError::Rejected {
                code: format!("HTTP {status}"),
                message: snippet(body),
            }),
        ),
    }
}

fn by_status(status: u16, body: &[u8]) -> Option<UpstreamError> {
    match status {
        429 | 403 => Some(UpstreamError::Throttled {
            code: format!("HTTP {status}"),
            message: snippet(body),
        }),
        500..=599 => Some(UpstreamError::ServerError {
            status,
            snippet: snippet(body),
        }),
        _ => None,
    }
}

/// Token endpoints report bad credentials; they are not a stale token.
fn credentials_error(error: UpstreamError) -> UpstreamError {
    match error {
        UpstreamError::TokenInvalid { code } => UpstreamError::Rejected {
            message: "DingTalk refused the AppKey/AppSecret".into(),
            code,
        },
        other => other,
    }
}

fn transport(error: reqwest::Error) -> UpstreamError {
    if error.is_timeout() {
        return UpstreamError::Timeout;
    }
    let error = error.without_url();
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    UpstreamError::Unreachable { detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_family_gateway_errors_are_transient() {
        let e = read_old::<serde_json::Value>(502, b"<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(e, UpstreamError::ServerError { status: 502, .. }));
        assert!(e.is_transient());
    }

    #[test]
    fn new_family_errors_are_classified() {
        let body = br#"{"code":"Forbidden.AccessDenied.QpsLimitForAppkeyAndApi","message":"x","requestid":"1"}"#;
        let e = read_new::<serde_json::Value>(403, body).unwrap_err();
        assert!(matches!(e, UpstreamError::Throttled { .. }));
        let body = br#"{"code":"InvalidAuthentication","message":"bad","requestid":"1"}"#;
        let e = read_new::<serde_json::Value>(400, body).unwrap_err();
        assert!(matches!(e, UpstreamError::TokenInvalid { .. }));
        let e = read_new::<serde_json::Value>(404, b"not json").unwrap_err();
        assert!(matches!(e, UpstreamError::Rejected { .. }));
    }

    #[test]
    fn bad_credentials_are_not_a_stale_token() {
        let e = credentials_error(UpstreamError::TokenInvalid {
            code: "40001".into(),
        });
        assert!(matches!(e, UpstreamError::Rejected { .. }));
    }

    #[test]
    fn back_off_doubles_with_bounded_jitter() {
        let policy = RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(100),
            ban_pause: Duration::from_secs(1),
        };
        for attempt in 0..3 {
            let base = 100u64 << attempt;
            let d = policy.delay(attempt).as_millis() as u64;
            assert!(d >= base && d <= base + base / 2, "{attempt}: {d}");
        }
    }

    #[test]
    fn the_secret_is_not_in_debug_output() {
        let config = ClientConfig::new("dingkey", "very-secret");
        assert!(!format!("{config:?}").contains("very-secret"));
    }
}
