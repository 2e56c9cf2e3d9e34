//! Evaluates a golden case file and prints, per case, the computed and the
//! expected hours and the explanation; the last line is `N passed, N failed`
//! and the exit code is non-zero when a case fails.
//!
//! ```sh
//! cargo run -p hourbridge-rules --bin golden -- <case file> [--rules <rules.json>] [--lang zh|en|both]
//! ```
//!
//! Without `--rules` the rule set named by the file's `rules` field is used
//! (`seed-standard`, or a rule book file next to the case file).

use std::path::PathBuf;
use std::process::ExitCode;

use hourbridge_rules::golden::CaseFile;
use hourbridge_rules::{Lang, RuleBook, RulesError};

struct Args {
    cases: PathBuf,
    rules: Option<PathBuf>,
    langs: Vec<Lang>,
}

const USAGE: &str = "usage: golden <case file> [--rules <rules.json>] [--lang zh|en|both]";

fn parse_args() -> Result<Args, String> {
    let mut cases = None;
    let mut rules = None;
    let mut langs = vec![Lang::Zh, Lang::En];
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rules" => rules = Some(PathBuf::from(args.next().ok_or("--rules needs a file")?)),
            "--lang" => {
                langs = match args.next().as_deref() {
                    Some("zh") => vec![Lang::Zh],
                    Some("en") => vec![Lang::En],
                    Some("both") => vec![Lang::Zh, Lang::En],
                    _ => return Err("--lang takes zh, en or both".into()),
                }
            }
            "-h" | "--help" => return Err(USAGE.into()),
            _ if cases.is_none() && !arg.starts_with("--") => cases = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`\n{USAGE}")),
        }
    }
    Ok(Args {
        cases: cases.ok_or(USAGE)?,
        rules,
        langs,
    })
}

fn run(args: &Args) -> Result<bool, RulesError> {
    let file = CaseFile::load(&args.cases)?;
    let book = match &args.rules {
        Some(path) => {
            let json = std::fs::read_to_string(path).map_err(|source| RulesError::Io {
                path: path.display().to_string(),
                source,
            })?;
            RuleBook::from_json(&json)?
        }
        None => file.rule_book(args.cases.parent())?,
    };
    let result = file.run(&book)?;
    for o in &result.outcomes {
        let mark = if o.passed() { "ok  " } else { "FAIL" };
        println!(
            "{mark} {:<6} {:<10} {}  computed {:>5} h  expected {:>5} h  {:<8} ({})",
            o.id,
            o.trace.userid,
            o.trace.date,
            o.evaluation.hours.to_string(),
            o.expected.to_string(),
            o.evaluation.status.code(),
            o.expected_status,
        );
        for lang in &args.langs {
            println!("       {}", o.trace.render(*lang));
        }
    }
    println!("{}", result.summary());
    Ok(result.failed() == 0)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("golden: {e}");
            for f in e.field_errors() {
                eprintln!("  {f}");
            }
            ExitCode::from(2)
        }
    }
}
