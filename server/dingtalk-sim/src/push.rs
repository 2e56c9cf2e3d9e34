//! Event pushes to an HTTP callback URL, as DingTalk sends them (§7.2):
//! `POST url?signature=…&msg_signature=…&timestamp=…&nonce=…` with
//! `{"encrypt":…}`; the receiver must answer with an encrypted, signed
//! `success`.

use std::time::{Duration, Instant};

use hourbridge_dingtalk::callback_crypto::{CallbackCrypto, CryptoError};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// How long DingTalk waits for the answer to the URL check.
pub const CHECK_URL_DEADLINE: Duration = Duration::from_millis(1_500);
/// How long the simulator waits for any answer.
pub const PUSH_TIMEOUT: Duration = Duration::from_secs(10);

/// The subscription's secrets, as configured in the developer console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSettings {
    /// The callback token.
    pub token: String,
    /// The 43-character EncodingAESKey.
    pub aes_key: String,
    /// The AppKey for console-configured pushes (the CorpId for legacy ones).
    pub owner_key: String,
}

/// What the receiver answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushOutcome {
    /// The reply was HTTP 200 with a correctly signed, encrypted `success`
    /// (in time, for the URL check).
    pub accepted: bool,
    pub status: u16,
    pub body: String,
    /// Why the reply was not accepted.
    pub reason: Option<String>,
    pub elapsed_ms: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("the push settings are unusable: {0}")]
    Settings(#[from] CryptoError),
    #[error("the callback URL could not be reached: {0}")]
    Network(String),
}

#[derive(Deserialize)]
struct Reply {
    msg_signature: String,
    #[serde(rename = "timeStamp", alias = "timestamp")]
    time_stamp: Value,
    nonce: String,
    encrypt: String,
}

fn nonce() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Encrypts and posts `event`, then checks the reply.
pub async fn push_event(
    url: &str,
    settings: &PushSettings,
    event: Value,
) -> Result<PushOutcome, PushError> {
    let crypto = CallbackCrypto::new(&settings.token, &settings.aes_key, &settings.owner_key)?;
    let timestamp = chrono::Utc::now().timestamp_millis().to_string();
    let nonce = nonce();
    let sealed = crypto.seal(&event.to_string(), &timestamp, &nonce);
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("signature", &sealed.signature)
        .append_pair("msg_signature", &sealed.signature)
        .append_pair("timestamp", &timestamp)
        .append_pair("nonce", &nonce)
        .finish();
    let separator = if url.contains('?') { '&' } else { '?' };
    let client = reqwest::Client::builder()
        .timeout(PUSH_TIMEOUT)
        .build()
        .map_err(|e| PushError::Network(e.to_string()))?;
    let started = Instant::now();
    let response = client
        .post(format!("{url}{separator}{query}"))
        .json(&json!({"encrypt": sealed.encrypt}))
        .send()
        .await
        .map_err(|e| PushError::Network(e.to_string()))?;
    let status = response.status().as_u16();
    let body = response
        .text()
        .await
        .map_err(|e| PushError::Network(e.to_string()))?;
    let elapsed = started.elapsed();
    let is_check = event.get("EventType").and_then(Value::as_str) == Some("check_url");
    let verdict = if status != 200 {
        Err(format!("HTTP {status}"))
    } else if is_check && elapsed > CHECK_URL_DEADLINE {
        Err("the URL check was answered after 1 500 ms".to_owned())
    } else {
        check_reply(&crypto, &body)
    };
    Ok(PushOutcome {
        accepted: verdict.is_ok(),
        status,
        body,
        reason: verdict.err(),
        elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
    })
}

/// The reply must decrypt, under a valid signature, to exactly `success`.
fn check_reply(crypto: &CallbackCrypto, body: &str) -> Result<(), String> {
    let reply: Reply = serde_json::from_str(body)
        .map_err(|e| format!("the reply is not the expected JSON: {e}"))?;
    let time_stamp = match &reply.time_stamp {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err("timeStamp is neither a string nor a number".to_owned()),
    };
    let text = crypto
        .open(
            &reply.msg_signature,
            &time_stamp,
            &reply.nonce,
            &reply.encrypt,
        )
        .map_err(|e| format!("the reply does not open: {e}"))?;
    if text == "success" {
        Ok(())
    } else {
        Err(format!("the reply decrypts to {text:?}, not \"success\""))
    }
}
