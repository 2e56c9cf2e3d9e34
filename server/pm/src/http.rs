//! The HTTP layer every connector shares: timeouts, pacing to the target's
//! rate limit, rate-limit waits (`429`/`503` with `Retry-After`, shared by
//! every call of the connection), back-off on transient failures for
//! requests that are safe to repeat, and reading JSON with the path of the
//! first mismatch.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use rand::Rng;
use reqwest::{header::HeaderMap, Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

use crate::PmError;

/// Retries and waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First back-off on a transient failure; doubled each time, plus jitter.
    pub base_delay: Duration,
    /// The longest `Retry-After` honoured in place; a longer one fails the
    /// call as throttled so the job can be rescheduled.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
        }
    }
}

/// The most calls a connection sends per second (client-side pacing), so
/// that a target with a rate limit is not run into by concurrent writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub per_second: NonZeroU32,
    /// Calls that may go at once after a quiet spell.
    pub burst: NonZeroU32,
}

impl Pace {
    /// `per_second` calls a second, bursts of as many; `None` for 0.
    pub fn per_second(per_second: u32) -> Option<Pace> {
        let n = NonZeroU32::new(per_second)?;
        Some(Pace {
            per_second: n,
            burst: n,
        })
    }
}

/// Shared by every clone of one connection's [`Http`]: the pacing bucket and
/// the moment a `Retry-After` told everyone to wait until.
#[derive(Debug, Default)]
struct Gate {
    bucket: Option<DefaultDirectRateLimiter>,
    hold_until: Mutex<Option<Instant>>,
}

impl Gate {
    fn new(pace: Option<Pace>) -> Self {
        Gate {
            bucket: pace
                .map(|p| RateLimiter::direct(Quota::per_second(p.per_second).allow_burst(p.burst))),
            hold_until: Mutex::new(None),
        }
    }

    fn hold_until(&self) -> Option<Instant> {
        *self.hold_until.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every call waits out the latest `Retry-After`, then its turn.
    async fn enter(&self) {
        while let Some(until) = self.hold_until().filter(|u| *u > Instant::now()) {
            tokio::time::sleep_until(until).await;
        }
        if let Some(bucket) = &self.bucket {
            bucket.until_ready().await;
        }
    }

    /// The target said to wait: every call of the connection waits.
    fn hold(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut held = self.hold_until.lock().unwrap_or_else(|p| p.into_inner());
        if held.is_none_or(|h| h < until) {
            *held = Some(until);
        }
    }
}

/// An HTTP answer, read whole.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The first 200 characters of a body, for error messages.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    out
}

impl Answer {
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// The body as `T`; a mismatch names the JSON path.
    pub fn json<T: DeserializeOwned>(&self, system: &'static str) -> Result<T, PmError> {
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(&mut de).map_err(|e| PmError::Malformed {
            system,
            path: e.path().to_string(),
            detail: e.inner().to_string(),
            snippet: snippet(&self.body),
        })
    }
}

/// Seconds to wait from a `Retry-After` header (seconds form).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// One request as a connector describes it.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    pub method: Method,
    pub url: String,
    pub query: &'a [(&'a str, String)],
    /// Sent as JSON.
    pub body: Option<&'a serde_json::Value>,
    /// Safe to send twice (see [`Http::send`]).
    pub repeatable: bool,
}

/// One system's HTTP client.
#[derive(Debug, Clone)]
pub struct Http {
    system: &'static str,
    client: reqwest::Client,
    timeout: Duration,
    policy: RetryPolicy,
    gate: Arc<Gate>,
}

impl Http {
    pub fn new(
        system: &'static str,
        timeout: Duration,
        policy: RetryPolicy,
    ) -> Result<Self, PmError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("HourBridge/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| PmError::Unreachable {
                system,
                detail: e.without_url().to_string(),
            })?;
        Ok(Http {
            system,
            client,
            timeout,
            policy,
            gate: Arc::new(Gate::new(None)),
        })
    }

    /// Paces every call of this connection to `pace` (`None`: unpaced).
    pub fn paced(mut self, pace: Option<Pace>) -> Self {
        self.gate = Arc::new(Gate::new(pace));
        self
    }

    pub fn system(&self) -> &'static str {
        self.system
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    fn transport(&self, e: reqwest::Error) -> PmError {
        if e.is_timeout() {
            PmError::Timeout {
                system: self.system,
                seconds: self.timeout.as_secs(),
            }
        } else {
            PmError::Unreachable {
                system: self.system,
                detail: e.without_url().to_string(),
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.policy.base_delay.saturating_mul(1 << attempt.min(6));
        let jitter = rand::thread_rng().gen_range(0.0..0.5);
        base.mul_f64(1.0 + jitter)
    }

    /// Sends `call` with the system's credentials (`auth` adds them) and
    /// answers it when it succeeded, else the system's reason (`failure`).
    pub async fn call(
        &self,
        call: Call<'_>,
        auth: impl Fn(RequestBuilder) -> RequestBuilder,
        failure: impl Fn(&Answer) -> PmError,
    ) -> Result<Answer, PmError> {
        let answer = self
            .send(call.method.clone(), call.repeatable, |client| {
                let request = client
                    .request(call.method.clone(), &call.url)
                    .query(call.query)
                    .header("Accept", "application/json");
                let request = auth(request);
                match call.body {
                    Some(body) => request.json(body),
                    None => request,
                }
            })
            .await?;
        if answer.is_success() {
            Ok(answer)
        } else {
            Err(failure(&answer))
        }
    }

    /// Sends the request `build` makes (called again for each attempt).
    ///
    /// `429` and `503` mean the request was not carried out: they are waited
    /// out (`Retry-After`, else back-off) and retried whatever the method.
    /// A transport failure or gateway error is retried only when
    /// `repeatable` (a read, a PUT, a DELETE, or a write the system
    /// de-duplicates); otherwise it is returned for the caller to check
    /// whether the write landed.
    pub async fn send(
        &self,
        method: Method,
        repeatable: bool,
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<Answer, PmError> {
        let repeatable = repeatable || method == Method::GET;
        let mut attempt = 0;
        loop {
            self.gate.enter().await;
            let result = build(&self.client).send().await;
            let last = attempt >= self.policy.max_retries;
            match result {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    let body = match response.bytes().await {
                        Ok(b) => b.to_vec(),
                        Err(e) if repeatable && !last => {
                            tracing::debug!(system = self.system, error = %e, "body lost, retrying");
                            tokio::time::sleep(self.backoff(attempt)).await;
                            attempt += 1;
                            continue;
                        }
                        Err(e) => return Err(self.transport(e)),
                    };
                    let throttled = status == StatusCode::TOO_MANY_REQUESTS
                        || (status == StatusCode::SERVICE_UNAVAILABLE
                            && retry_after(&headers).is_some());
                    if throttled {
                        let wait = retry_after(&headers).unwrap_or_else(|| self.backoff(attempt));
                        if last || wait > self.policy.max_wait {
                            return Err(PmError::Throttled {
                                system: self.system,
                                retry_after: Some(wait),
                            });
                        }
                        self.gate.hold(wait);
                        attempt += 1;
                        continue;
                    }
                    let gateway = matches!(status.as_u16(), 502..=504);
                    if gateway && repeatable && !last {
                        tokio::time::sleep(self.backoff(attempt)).await;
                        attempt += 1;
                        continue;
                    }
                    return Ok(Answer {
                        status,
                        headers,
                        body,
                    });
                }
                Err(e) if repeatable && !last => {
                    tracing::debug!(system = self.system, error = %e, "transient failure, retrying");
                    tokio::time::sleep(self.backoff(attempt)).await;
                    attempt += 1;
                }
                Err(e) => return Err(self.transport(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(reqwest::header::RETRY_AFTER, "7".parse().expect("header"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2026 07:28:00 GMT".parse().expect("header"),
        );
        assert_eq!(retry_after(&headers), None, "dates fall back to back-off");
    }

    #[test]
    fn a_mismatch_names_its_path() {
        #[derive(serde::Deserialize, Debug)]
        struct Page {
            #[allow(dead_code)]
            values: Vec<u32>,
        }
        let answer = Answer {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: br#"{"values":[1,"x"]}"#.to_vec(),
        };
        match answer.json::<Page>("Jira") {
            Err(PmError::Malformed { path, snippet, .. }) => {
                assert_eq!(path, "values[1]");
                assert!(snippet.contains("\"x\""));
            }
            other => panic!("expected a malformed answer, got {other:?}"),
        }
    }
}
