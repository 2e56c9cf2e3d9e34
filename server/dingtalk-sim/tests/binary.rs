//! The `dingtalk-sim` program prints its address, then serves.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_binary_prints_its_address_and_serves() {
    let golden = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hours-cases.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dingtalk-sim"))
        .args([
            "--port", "0", "--people", "20", "--qps", "0", "--golden", golden,
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    let base = line
        .trim()
        .strip_prefix("DingTalk simulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"));
    let answer: serde_json::Value = reqwest::get(format!(
        "{base}/gettoken?appkey=dingsimappkey0001&appsecret=sim-app-secret-0001"
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(answer["errcode"], 0);
    child.kill().unwrap();
    child.wait().unwrap();
}
