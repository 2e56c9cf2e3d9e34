//! The `pm-sim` program prints its address, then serves.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_binary_prints_its_address_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pm-sim"))
        .args([
            "jira", "--port", "0", "--people", "20", "--seed", "3", "--rate", "0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    // The reader is kept until the end: dropping the pipe early would make the
    // program's next line fail with a broken pipe and end it.
    let (line, _reader) = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        reader.read_line(&mut line).map(|_| (line, reader))
    })
    .await
    .unwrap()
    .unwrap();
    let base = line
        .trim()
        .strip_prefix("Jira simulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"));
    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("{base}/rest/api/2/myself"))
        .bearer_auth("sim-jira-pat-0001")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["name"], "hourbridge");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn the_redmine_binary_prints_its_address_and_keys_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pm-sim"))
        .args(["redmine", "--port", "0", "--people", "20", "--seed", "3"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let (lines, _reader) = tokio::task::spawn_blocking(move || {
        let mut reader = BufReader::new(stdout);
        let mut lines = Vec::new();
        for _ in 0..3 {
            let mut line = String::new();
            reader.read_line(&mut line)?;
            lines.push(line);
        }
        std::io::Result::Ok((lines, reader))
    })
    .await
    .unwrap()
    .unwrap();
    let base = lines[0]
        .trim()
        .strip_prefix("Redmine simulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {:?}", lines[0]))
        .to_owned();
    let key = lines[2]
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("{base}/users/current.json"))
        .header("X-Redmine-API-Key", key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["login"], "hourbridge");
    child.kill().unwrap();
    child.wait().unwrap();
}
