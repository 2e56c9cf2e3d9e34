//! Every golden case: the 40 of `hours-cases.json` (HR's hand-computed
//! person-days, given with the product brief) under seed-standard, and this crate's
//! own cases (`extra-cases.json` with `extra-rules.json`) for the conditions
//! and outcomes beyond seed-standard.

use std::path::{Path, PathBuf};

use hourbridge_rules::golden::CaseFile;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn run(name: &str) -> (usize, Vec<String>) {
    let path = dir().join(name);
    let file = CaseFile::load(&path).expect("case file loads");
    let book = file.rule_book(path.parent()).expect("rule book loads");
    let result = file.run(&book).expect("cases run");
    let failures = result
        .outcomes
        .iter()
        .filter(|o| !o.passed())
        .map(|o| {
            format!(
                "{}: computed {} h, expected {} h — {}",
                o.id,
                o.evaluation.hours,
                o.expected,
                o.trace.en()
            )
        })
        .collect();
    (result.outcomes.len(), failures)
}

#[test]
fn all_40_seed_standard_cases_pass() {
    let (count, failures) = run("hours-cases.json");
    assert_eq!(count, 40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_crates_own_cases_pass() {
    let (count, failures) = run("extra-cases.json");
    assert_eq!(count, 30);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_golden_binary_prints_the_summary_and_fails_on_a_wrong_case() {
    let bin = env!("CARGO_BIN_EXE_golden");
    let ok = std::process::Command::new(bin)
        .arg(dir().join("hours-cases.json"))
        .args(["--lang", "en"])
        .output()
        .expect("golden runs");
    assert!(ok.status.success());
    let out = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(out.lines().last(), Some("40 passed, 0 failed"));

    // The same cases under a rule book without the cap fail where the cap matters.
    let tmp = std::env::temp_dir().join(format!("hb-rules-{}.json", std::process::id()));
    let from = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
    let mut book =
        hourbridge_rules::seed::seed_standard_from(from, &["外勤工程师".to_owned()]).expect("seed");
    book.versions[0].daily_cap = None;
    std::fs::write(&tmp, book.to_json().expect("json")).expect("write");
    let failed = std::process::Command::new(bin)
        .arg(dir().join("hours-cases.json"))
        .arg("--rules")
        .arg(&tmp)
        .output()
        .expect("golden runs");
    let _ = std::fs::remove_file(&tmp);
    assert_eq!(failed.status.code(), Some(1));
    let out = String::from_utf8_lossy(&failed.stdout);
    assert!(
        out.lines().last().is_some_and(|l| l.ends_with("1 failed")),
        "{out}"
    );
}
