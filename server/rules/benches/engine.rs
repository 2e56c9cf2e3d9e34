//! Benchmark: rules-engine throughput on one thread, and allocation of the
//! same days over projects.
//!
//! 10 000 people × 365 days (2025, China's calendar) evaluated with
//! seed-standard plus 20 extra rules placed *before* the seed rules (so every
//! day is checked against all of them). Days are drawn from a pool of
//! generated attendance patterns (punch results, punch times, leave of
//! several types, trips, outings, overtime) and re-dated in place, so the
//! measured loop does nothing but evaluate.
//!
//! ```sh
//! cargo bench -p hourbridge-rules --bench engine
//! cargo bench -p hourbridge-rules --bench engine -- --people 2000 --days 30
//! ```
//!
//! Goal (issue 5): ≥ 2 000 000 person-days per second on one core.

use std::hint::black_box;
use std::time::Instant;

use hourbridge_rules::allocation::{Allocator, Basis, Line, LoggedHours, OpenTask, Percent, Share};
use hourbridge_rules::{Engine, Hours, Status};

mod common;

use common::{args, dates, mix, people, pool, rule_book, Rng};

fn main() {
    let args = args();
    let mut rng = Rng(2026);
    let book = rule_book();
    let rules = book.versions.first().map_or(0, |v| v.rules.len());
    let engine = match Engine::new(&book) {
        Ok(e) => e,
        Err(e) => panic!("bench rule book refused: {e}"),
    };
    let dates = dates(args.days);
    let people = people(args.people, &mut rng);
    let mut pool = pool(&mut rng);
    let person_days = people.len() * dates.len();
    println!(
        "rules engine: {} people × {} days = {person_days} person-days, {rules} rules (seed-standard 6 + 20 extra), 1 thread",
        people.len(),
        dates.len()
    );

    // 1. Profiled evaluation (what a sync or report run uses).
    let mut hours_by_day: Vec<Hours> = Vec::with_capacity(person_days);
    let mut statuses = [0usize; 8];
    let started = Instant::now();
    let mut profile_time = 0f64;
    for (p, person) in people.iter().enumerate() {
        let t = Instant::now();
        let profile = engine.profile(person);
        profile_time += t.elapsed().as_secs_f64();
        for (d, (date, day_type)) in dates.iter().enumerate() {
            let day = &mut pool[mix(p, d as u64)];
            day.date = *date;
            day.day_type = *day_type;
            let e = engine.evaluate_profiled(&profile, black_box(day));
            hours_by_day.push(e.hours);
            statuses[Status::ALL.iter().position(|s| *s == e.status).unwrap_or(0)] += 1;
        }
    }
    let profiled = started.elapsed().as_secs_f64();
    let total_hours = hours_by_day.iter().fold(Hours::ZERO, |t, h| t.plus(*h));

    // 2. Direct evaluation (the person's conditions checked on every day).
    let started = Instant::now();
    let mut check = Hours::ZERO;
    for (p, person) in people.iter().enumerate() {
        for (d, (date, day_type)) in dates.iter().enumerate() {
            let day = &mut pool[mix(p, d as u64)];
            day.date = *date;
            day.day_type = *day_type;
            check = check.plus(engine.evaluate_for(person, black_box(day)).hours);
        }
    }
    let direct = started.elapsed().as_secs_f64();
    assert_eq!(
        check, total_hours,
        "direct and profiled evaluation disagree"
    );

    // 3. Explanations for a sample (built lazily, on demand).
    let sample = 100_000.min(person_days);
    let started = Instant::now();
    let mut text = 0usize;
    for i in 0..sample {
        let p = i % people.len();
        let (date, day_type) = dates[(i / people.len()) % dates.len()];
        let day = &mut pool[mix(p, i as u64)];
        day.date = date;
        day.day_type = day_type;
        text += engine.explain(&people[p], day).zh().len();
    }
    let explain = started.elapsed().as_secs_f64();
    black_box(text);

    println!(
        "  evaluate (profiled): {:>12.0} person-days/s  ({profiled:.3} s, of which profiles {profile_time:.3} s)",
        person_days as f64 / profiled
    );
    println!(
        "  evaluate (direct):   {:>12.0} person-days/s  ({direct:.3} s)",
        person_days as f64 / direct
    );
    println!(
        "  explain + zh text:   {:>12.0} person-days/s  ({sample} days, {explain:.3} s)",
        sample as f64 / explain
    );
    println!("  total {total_hours} h; by status:");
    for (s, n) in Status::ALL.iter().zip(statuses) {
        println!("    {:<9} {n}", s.code());
    }

    // 4. Allocation of the same days: each person splits by fixed shares, open
    //    tasks or logged hours (by person), to the half hour.
    let step = Hours::from_minutes(30);
    let shares: Vec<Vec<Share>> = (0..7)
        .map(|k| {
            let a = 20 + k * 5;
            vec![
                Share {
                    project: format!("P{k}"),
                    task: format!("P{k}-1"),
                    percent: Percent(a * 100),
                },
                Share {
                    project: format!("Q{k}"),
                    task: format!("Q{k}-7"),
                    percent: Percent((100 - a) / 2 * 100),
                },
                Share {
                    project: format!("R{k}"),
                    task: format!("R{k}-3"),
                    percent: Percent((100 - a - (100 - a) / 2) * 100),
                },
            ]
        })
        .collect();
    let tasks: Vec<Vec<OpenTask>> = (0..7)
        .map(|k| {
            (0..5 + k)
                .map(|t| OpenTask {
                    project: format!("P{}", (t * 7 + k) % 4),
                    task: format!("T-{k}-{t}"),
                })
                .collect()
        })
        .collect();
    let logged: Vec<Vec<LoggedHours>> = (0..7)
        .map(|k| {
            (0..4)
                .map(|t| LoggedHours {
                    project: format!("P{}", (t + k) % 3),
                    task: format!("L-{k}-{t}"),
                    hours: Hours::from_minutes(30 * (1 + ((t * 5 + k) % 9) as i64)),
                })
                .collect()
        })
        .collect();
    let mut allocator = Allocator::new();
    let mut out: Vec<Line<'_>> = Vec::new();
    let mut lines = 0usize;
    let mut mismatches = 0usize;
    let started = Instant::now();
    for p in 0..people.len() {
        let k = p % 7;
        let basis = match p % 3 {
            0 => Basis::Shares(&shares[k]),
            1 => Basis::OpenTasks(&tasks[k]),
            _ => Basis::Logged(&logged[k]),
        };
        for d in 0..dates.len() {
            let day = hours_by_day[p * dates.len() + d];
            allocator.allocate(day, step, basis, &mut out);
            lines += out.len();
            let sum = out.iter().fold(Hours::ZERO, |t, l| t.plus(l.hours));
            if sum != day {
                mismatches += 1;
            }
        }
    }
    let allocation = started.elapsed().as_secs_f64();
    println!(
        "  allocate:            {:>12.0} person-days/s  ({allocation:.3} s, {lines} lines, {:.0} lines/s, {mismatches} sums ≠ day)",
        person_days as f64 / allocation,
        lines as f64 / allocation
    );
    assert_eq!(mismatches, 0, "an allocation did not add up to its day");
    let goal = 2_000_000.0;
    let rate = person_days as f64 / profiled;
    println!(
        "goal ≥ {goal:.0} person-days/s on one core: {}",
        if rate >= goal { "met" } else { "NOT met" }
    );
}
