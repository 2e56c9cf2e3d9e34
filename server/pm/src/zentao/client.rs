//! Calls to ZenTao's REST API as one account: the `Token` header, one fresh
//! login when a token has expired (401), and `page`/`limit` paging.

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::http::{Answer, Http};
use crate::PmError;

use super::failure::{failure, login_failure};
use super::tokens::Tokens;
use super::wire;
use super::SYSTEM;

/// Items asked for per page.
pub const PAGE: u64 = 100;
/// A bound on the pages of one list (1 000 000 items at [`PAGE`]).
const MAX_PAGES: u64 = 10_000;

/// An account to call as.
#[derive(Clone, Copy)]
pub struct Login<'a> {
    pub account: &'a str,
    pub password: &'a str,
}

/// One request, before the token is added.
pub struct Request<'a> {
    pub method: Method,
    pub path: &'a str,
    pub query: &'a [(&'a str, String)],
    pub body: Option<&'a Value>,
    /// Safe to send again after a lost answer.
    pub repeatable: bool,
}

impl<'a> Request<'a> {
    pub fn get(path: &'a str, query: &'a [(&'a str, String)]) -> Self {
        Request {
            method: Method::GET,
            path,
            query,
            body: None,
            repeatable: true,
        }
    }
}

#[derive(Debug)]
pub struct Client {
    http: Http,
    /// `…/api.php/v1`.
    root: String,
    tokens: Tokens,
}

impl Client {
    pub fn new(http: Http, root: String) -> Self {
        Client {
            http,
            root,
            tokens: Tokens::default(),
        }
    }

    /// `POST /tokens`: a new session for `login`.
    async fn login(&self, login: Login<'_>) -> Result<String, PmError> {
        let url = format!("{}/tokens", self.root);
        let body = json!({"account": login.account, "password": login.password});
        tracing::debug!(account = login.account, "logging in to ZenTao");
        let answer = self
            .http
            .send(Method::POST, true, |client| {
                client
                    .post(&url)
                    .header("Accept", "application/json")
                    .json(&body)
            })
            .await?;
        if !answer.is_success() {
            return Err(login_failure(&answer, login.account, &url));
        }
        let token: wire::Token = answer.json(SYSTEM)?;
        if token.token.trim().is_empty() {
            return Err(PmError::Malformed {
                system: SYSTEM,
                path: "token".into(),
                detail: "an empty token".into(),
                snippet: String::new(),
            });
        }
        Ok(token.token)
    }

    /// Sends `request` as `login`; a 401 (the session expired) is followed
    /// by one fresh login and the same request again — safe for writes too,
    /// since ZenTao did nothing with the refused call.
    pub async fn call(&self, login: Login<'_>, request: Request<'_>) -> Result<Answer, PmError> {
        let url = format!("{}{}", self.root, request.path);
        let mut token = self.tokens.get(login.account, || self.login(login)).await?;
        let mut renewed = false;
        loop {
            let answer = self
                .http
                .send(request.method.clone(), request.repeatable, |client| {
                    let built = client
                        .request(request.method.clone(), &url)
                        .query(request.query)
                        .header("Accept", "application/json")
                        .header("Token", &token);
                    match request.body {
                        Some(body) => built.json(body),
                        None => built,
                    }
                })
                .await?;
            if answer.status == StatusCode::UNAUTHORIZED && !renewed {
                tracing::debug!(
                    account = login.account,
                    "ZenTao token expired, logging in again"
                );
                token = self
                    .tokens
                    .renew(login.account, &token, || self.login(login))
                    .await?;
                renewed = true;
                continue;
            }
            if answer.is_success() {
                return Ok(answer);
            }
            return Err(failure(&answer));
        }
    }

    /// A GET answered as `T`.
    pub async fn get<T: DeserializeOwned>(
        &self,
        login: Login<'_>,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, PmError> {
        self.call(login, Request::get(path, query))
            .await?
            .json(SYSTEM)
    }

    /// Every page of a `{page,total,limit,<items>}` list.
    ///
    /// ZenTao answers page 1 again for a page past the end, so the walk
    /// stops at `total`, at a short or empty page, or when the page answered
    /// is not the page asked for.
    pub async fn list<T: DeserializeOwned>(
        &self,
        login: Login<'_>,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<T>, PmError> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let mut q = query.to_vec();
            q.push(("page", page.to_string()));
            q.push(("limit", PAGE.to_string()));
            let answer: Answer = self.call(login, Request::get(path, &q)).await?;
            let listed: wire::Page<T> = answer.json(SYSTEM)?;
            if page > 1 && listed.page.is_some_and(|p| p as u64 != page) {
                break;
            }
            let got = listed.items.len() as u64;
            out.extend(listed.items);
            let done = match listed.total {
                Some(total) => out.len() as u64 >= total as u64,
                None => got < PAGE,
            };
            if got == 0 || done {
                break;
            }
        }
        Ok(out)
    }
}
