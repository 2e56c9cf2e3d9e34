//! Helpers shared by the benchmarks: options, a small deterministic RNG,
//! the benchmark rule book (seed-standard plus 20 extra rules), people, a
//! pool of attendance patterns, and 2025's dates with China's calendar.

use chrono::{Days, NaiveDate};
use hourbridge_rules::calendar::Calendar;
use hourbridge_rules::model::{
    ApprovalKind, DayApproval, DayAttendance, DayType, Person, PunchTime, TimeResult,
};
use hourbridge_rules::rules::{Rule, RuleBook};
use hourbridge_rules::{seed, Hours};

pub const POOL: usize = 4096;

/// Command-line options: `--people N`, `--days N`.
pub struct Args {
    pub people: usize,
    pub days: u64,
}

pub fn args() -> Args {
    let mut a = Args {
        people: 10_000,
        days: 365,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--people" => a.people = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.people),
            "--days" => a.days = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.days),
            _ => {}
        }
    }
    a
}

/// xorshift64*: deterministic, fast, good enough for test data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn rule(json: &str) -> Rule {
    match serde_json::from_str(json) {
        Ok(r) => r,
        Err(e) => panic!("bench rule does not parse: {e}\n{json}"),
    }
}

/// Seed-standard with 20 extra rules in front of its own.
pub fn rule_book() -> RuleBook {
    let mut book = match seed::seed_standard_from(
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
        &["外勤工程师".to_owned()],
    ) {
        Ok(b) => b,
        Err(e) => panic!("seed: {e}"),
    };
    let extra = vec![
        rule(
            r#"{"id":"x01","name":"night shift by punches","when":[{"if":"department","any_of":[901]},{"if":"day_type","any_of":["workday","makeup_workday"]}],"then":{"do":"hours","base":{"from":"punches","breaks":[{"from":"00:00","to":"00:30"}]}}}"#,
        ),
        rule(
            r#"{"id":"x02","name":"executives","when":[{"if":"person","any_of":["u17","u4242","u9001"]}],"then":{"do":"hours","base":{"from":"fixed","hours":8},"status":"worked"}}"#,
        ),
        rule(
            r#"{"id":"x03","name":"interns","when":[{"if":"title","any_of":["实习生"]},{"if":"day_type","any_of":["workday","makeup_workday"]},{"if":"on_duty","any_of":["Normal","Late","SeriousLate"]}],"then":{"do":"hours","base":{"from":"fixed","hours":6},"adjust":[{"by":"penalty","table":{"Late":0.5,"SeriousLate":1,"Early":0.5,"NotSigned":3}}]}}"#,
        ),
        rule(
            r#"{"id":"x04","name":"wedding leave is paid","when":[{"if":"approval","kinds":["leave"],"leave_types":["婚假"],"compare":">=","hours":8}],"then":{"do":"hours","base":{"from":"fixed","hours":8},"status":"leave"}}"#,
        ),
        rule(
            r#"{"id":"x05","name":"maternity leave skipped","when":[{"if":"approval","kinds":["leave"],"leave_types":["产假","陪产假"],"compare":">=","hours":8}],"then":{"do":"skip"}}"#,
        ),
        rule(
            r#"{"id":"x06","name":"bereavement","when":[{"if":"approval","kinds":["leave"],"leave_types":["丧假"],"compare":">=","hours":4}],"then":{"do":"hours","base":{"from":"fixed","hours":8},"status":"leave"}}"#,
        ),
        rule(
            r#"{"id":"x07","name":"unknown results need review","when":[{"if":"on_duty","any_of":["Other"]}],"then":{"do":"skip"}}"#,
        ),
        rule(
            r#"{"id":"x08","name":"make-up day, ops","when":[{"if":"day_type","any_of":["makeup_workday"]},{"if":"department","any_of":[905]}],"then":{"do":"hours","base":{"from":"fixed","hours":8}}}"#,
        ),
        rule(
            r#"{"id":"x09","name":"duty manager on holidays","when":[{"if":"day_type","any_of":["statutory_holiday"]},{"if":"title","any_of":["值班经理"]}],"then":{"do":"hours","base":{"from":"fixed","hours":8},"adjust":[{"by":"approvals","op":"add","kinds":["overtime"]}],"status":"overtime"}}"#,
        ),
        rule(
            r#"{"id":"x10","name":"sales early leave free","when":[{"if":"title","any_of":["销售"]},{"if":"off_duty","any_of":["Early"]},{"if":"day_type","any_of":["workday"]}],"then":{"do":"hours","base":{"from":"fixed","hours":8},"adjust":[{"by":"approvals","op":"subtract","kinds":["leave"]}]}}"#,
        ),
        rule(
            r#"{"id":"x11","name":"long outing","when":[{"if":"approval","kinds":["outing"],"compare":">","hours":6},{"if":"department","any_of":[910,911,912]}],"then":{"do":"hours","base":{"from":"fixed","hours":8},"status":"trip"}}"#,
        ),
        rule(
            r#"{"id":"x12","name":"big overtime needs review","when":[{"if":"approval","kinds":["overtime"],"compare":">","hours":10}],"then":{"do":"skip"}}"#,
        ),
        rule(
            r#"{"id":"x13","name":"contractors by punches","when":[{"if":"title","any_of":["外包工程师"]},{"if":"day_type","any_of":["workday","makeup_workday"]}],"then":{"do":"hours","base":{"from":"punches","breaks":[{"from":"12:00","to":"13:00"}]},"adjust":[{"by":"approvals","op":"add","kinds":["overtime"]}]}}"#,
        ),
        rule(
            r#"{"id":"x14","name":"research half days","when":[{"if":"department","any_of":[920]},{"if":"approval","kinds":["leave"],"compare":">=","hours":4}],"then":{"do":"hours","base":{"from":"fixed","hours":4},"status":"partial"}}"#,
        ),
        rule(
            r#"{"id":"x15","name":"not HQ, absent","when":[{"if":"department","any_of":[1,2,3,4,5,6,7,8,9,10],"not":true},{"if":"department","any_of":[930]},{"if":"on_duty","any_of":["NotSigned"]},{"if":"off_duty","any_of":["NotSigned"]}],"then":{"do":"hours","base":{"from":"fixed","hours":0},"status":"absent"}}"#,
        ),
        rule(
            r#"{"id":"x16","name":"drivers","when":[{"if":"title","any_of":["司机"]}],"then":{"do":"hours","base":{"from":"fixed","hours":9},"adjust":[{"by":"penalty","table":{"NotSigned":9},"checks":"on_duty"}]}}"#,
        ),
        rule(
            r#"{"id":"x17","name":"trip on rest day counts","when":[{"if":"day_type","any_of":["rest_day"]},{"if":"approval","kinds":["business_trip"],"compare":">=","hours":8},{"if":"department","any_of":[940]}],"then":{"do":"hours","base":{"from":"fixed","hours":4},"status":"trip"}}"#,
        ),
        rule(
            r#"{"id":"x18","name":"annual leave half day","when":[{"if":"approval","kinds":["leave"],"leave_types":["年假"],"compare":"=","hours":4},{"if":"department","any_of":[950]}],"then":{"do":"hours","base":{"from":"fixed","hours":4},"status":"leave"}}"#,
        ),
        rule(
            r#"{"id":"x19","name":"serious late is absent","when":[{"if":"on_duty","any_of":["SeriousLate"]},{"if":"title","any_of":["保安"]}],"then":{"do":"hours","base":{"from":"fixed","hours":0},"status":"absent"}}"#,
        ),
        rule(
            r#"{"id":"x20","name":"named people skipped","when":[{"if":"person","any_of":["u1","u2","u3","u4","u5","u6","u7","u8"]},{"if":"day_type","any_of":["rest_day","statutory_holiday"]}],"then":{"do":"skip"}}"#,
        ),
    ];
    for v in &mut book.versions {
        let seed_rules = std::mem::take(&mut v.rules);
        v.rules = extra.clone();
        v.rules.extend(seed_rules);
    }
    book
}

pub fn people(n: usize, rng: &mut Rng) -> Vec<Person> {
    const TITLES: [&str; 10] = [
        "后端工程师",
        "测试工程师",
        "产品经理",
        "外勤工程师",
        "实习生",
        "销售",
        "外包工程师",
        "司机",
        "保安",
        "值班经理",
    ];
    (0..n)
        .map(|i| {
            let mut departments = vec![(i % 50) as i64 + 1];
            if rng.below(20) == 0 {
                departments.push(900 + rng.below(60) as i64);
            }
            Person {
                userid: format!("u{i}"),
                title: Some(TITLES[rng.below(TITLES.len() as u64) as usize].to_owned()),
                departments,
            }
        })
        .collect()
}

fn approval(kind: ApprovalKind, leave_type: Option<&str>, hours: i64) -> DayApproval {
    DayApproval {
        kind,
        leave_type: leave_type.map(str::to_owned),
        hours: Hours::from_hours(hours),
        form_id: None,
    }
}

/// Attendance patterns; date and day type are set per use.
pub fn pool(rng: &mut Rng) -> Vec<DayAttendance> {
    let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    (0..POOL)
        .map(|_| {
            let mut d = DayAttendance::empty(day, DayType::Workday);
            let roll = rng.below(1000);
            let (on, off) = match roll {
                0..=799 => (TimeResult::Normal, TimeResult::Normal),
                800..=859 => (TimeResult::Late, TimeResult::Normal),
                860..=879 => (TimeResult::SeriousLate, TimeResult::Normal),
                880..=909 => (TimeResult::Normal, TimeResult::Early),
                910..=929 => (TimeResult::NotSigned, TimeResult::Normal),
                930..=949 => (TimeResult::Normal, TimeResult::NotSigned),
                950..=979 => (TimeResult::NotSigned, TimeResult::NotSigned),
                980..=989 => (TimeResult::Absenteeism, TimeResult::Normal),
                990..=998 => (TimeResult::Late, TimeResult::Early),
                _ => (TimeResult::Other, TimeResult::Normal),
            };
            d.on_duty = on;
            d.off_duty = off;
            if on != TimeResult::NotSigned {
                d.on_duty_at = Some(PunchTime::at(8, 40 + rng.below(50) as i32));
            }
            if off != TimeResult::NotSigned {
                d.off_duty_at = Some(PunchTime::at(17, 30 + rng.below(120) as i32));
            }
            match rng.below(100) {
                0..=2 => {
                    const TYPES: [&str; 7] =
                        ["年假", "事假", "病假", "调休", "婚假", "丧假", "产假"];
                    let t = TYPES[rng.below(TYPES.len() as u64) as usize];
                    let h = [2, 4, 8][rng.below(3) as usize];
                    d.approvals.push(approval(ApprovalKind::Leave, Some(t), h));
                }
                3 | 4 => d
                    .approvals
                    .push(approval(ApprovalKind::BusinessTrip, None, 8)),
                5 => d.approvals.push(approval(ApprovalKind::Outing, None, 4)),
                6..=8 => d.approvals.push(approval(
                    ApprovalKind::Overtime,
                    None,
                    1 + rng.below(6) as i64,
                )),
                _ => {}
            }
            d
        })
        .collect()
}

pub fn mix(p: usize, d: u64) -> usize {
    let x = (p as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ d.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    ((x ^ (x >> 29)) as usize) % POOL
}

/// The first `days` days of 2025 with their type in China's calendar.
pub fn dates(days: u64) -> Vec<(NaiveDate, DayType)> {
    let calendar = match Calendar::china() {
        Ok(c) => c,
        Err(e) => panic!("calendar: {e}"),
    };
    let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    (0..days)
        .filter_map(|i| first.checked_add_days(Days::new(i)))
        .map(|d| (d, calendar.day_type(d)))
        .collect()
}
