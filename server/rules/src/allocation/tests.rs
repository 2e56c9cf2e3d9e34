//! Allocation: each basis, remainders, defaults and validation.

use super::*;

fn h(x: &str) -> Hours {
    Hours::parse_decimal(x).unwrap()
}

fn share(project: &str, task: &str, percent: u32) -> Share {
    Share {
        project: project.into(),
        task: task.into(),
        percent: Percent(percent * 100),
    }
}

fn hours(lines: &[Line<'_>]) -> Vec<(String, String, Hours)> {
    lines
        .iter()
        .map(|l| (l.project.to_owned(), l.task.to_owned(), l.hours))
        .collect()
}

#[test]
fn thirds_of_a_day_sum_exactly_to_the_day() {
    let shares = [
        share("A", "A-1", 34),
        share("B", "B-1", 33),
        share("C", "C-1", 33),
    ];
    let lines = allocate(h("8"), h("0.5"), Basis::Shares(&shares));
    assert_eq!(
        hours(&lines),
        vec![
            ("A".into(), "A-1".into(), h("3")),
            ("B".into(), "B-1".into(), h("2.5")),
            ("C".into(), "C-1".into(), h("2.5")),
        ]
    );
}

#[test]
fn a_day_that_is_not_whole_steps_gives_the_part_below_a_step_to_the_next_remainder() {
    let shares = [share("A", "A-1", 50), share("B", "B-1", 50)];
    let lines = allocate(h("6.75"), h("0.5"), Basis::Shares(&shares));
    let total = lines.iter().fold(Hours::ZERO, |t, l| t.plus(l.hours));
    assert_eq!(total, h("6.75"));
    // 3.375 each: both get 3, the last whole step goes to A, the quarter to B.
    assert_eq!(lines[0].hours, h("3.5"));
    assert_eq!(lines[1].hours, h("3.25"));
}

#[test]
fn open_tasks_weigh_projects_and_name_the_first_task() {
    let tasks: Vec<OpenTask> = [("A", "A-7"), ("B", "B-1"), ("A", "A-9"), ("A", "A-3")]
        .iter()
        .map(|(p, t)| OpenTask {
            project: (*p).into(),
            task: (*t).into(),
        })
        .collect();
    let lines = allocate(h("8"), h("0.5"), Basis::OpenTasks(&tasks));
    assert_eq!(
        hours(&lines),
        vec![
            ("A".into(), "A-7".into(), h("6")),
            ("B".into(), "B-1".into(), h("2"))
        ]
    );
}

#[test]
fn logged_hours_weigh_projects_and_name_the_busiest_task() {
    let logged: Vec<LoggedHours> = [
        ("A", "A-1", "2"),
        ("A", "A-2", "4"),
        ("B", "B-1", "2"),
        ("C", "C-1", "0"),
    ]
    .iter()
    .map(|(p, t, x)| LoggedHours {
        project: (*p).into(),
        task: (*t).into(),
        hours: h(x),
    })
    .collect();
    let lines = allocate(h("8"), h("0.5"), Basis::Logged(&logged));
    assert_eq!(
        hours(&lines),
        vec![
            ("A".into(), "A-2".into(), h("6")),
            ("B".into(), "B-1".into(), h("2"))
        ]
    );
}

#[test]
fn nothing_to_weigh_gives_no_lines() {
    let mut a = Allocator::new();
    let mut out = vec![];
    assert!(!a.allocate(h("8"), h("0.5"), Basis::Shares(&[]), &mut out));
    assert!(out.is_empty());
    let zero = [LoggedHours {
        project: "A".into(),
        task: "A-1".into(),
        hours: Hours::ZERO,
    }];
    assert!(!a.allocate(h("8"), h("0.5"), Basis::Logged(&zero), &mut out));
    // A zero day allocates to nobody but is not an error.
    let all = [share("A", "A-1", 100)];
    assert!(a.allocate(Hours::ZERO, h("0.5"), Basis::Shares(&all), &mut out));
    assert!(out.is_empty());
}

#[test]
fn people_inherit_department_defaults_and_fall_back() {
    let mut inputs = Inputs::default();
    inputs
        .shares
        .departments
        .insert(2, vec![share("D", "D-1", 100)]);
    inputs
        .shares
        .people
        .insert("own".into(), vec![share("O", "O-1", 100)]);
    let person = |userid: &str, depts: Vec<i64>| Person {
        userid: userid.into(),
        title: None,
        departments: depts,
    };
    let mut a = Allocator::new();
    let mut out = vec![];
    allocate_person(
        &mut a,
        &person("own", vec![2]),
        h("8"),
        h("0.5"),
        Method::FixedShares,
        &inputs,
        None,
        &mut out,
    )
    .unwrap();
    assert_eq!(out[0].project, "O");
    allocate_person(
        &mut a,
        &person("x", vec![9, 2]),
        h("8"),
        h("0.5"),
        Method::FixedShares,
        &inputs,
        None,
        &mut out,
    )
    .unwrap();
    assert_eq!(out[0].project, "D");
    let fallback = [share("G", "G-1", 100)];
    allocate_person(
        &mut a,
        &person("x", vec![]),
        h("8"),
        h("0.5"),
        Method::OpenTasks,
        &inputs,
        Some(&fallback),
        &mut out,
    )
    .unwrap();
    assert_eq!(out[0].task, "G-1");
    let err = allocate_person(
        &mut a,
        &person("x", vec![]),
        h("8"),
        h("0.5"),
        Method::LoggedThisWeek,
        &inputs,
        None,
        &mut out,
    );
    assert!(matches!(err, Err(RulesError::NothingToAllocate { .. })));
}

#[test]
fn shares_must_add_up_to_100_percent() {
    let mut shares = FixedShares::default();
    shares
        .people
        .insert("u".into(), vec![share("A", "A-1", 60), share("B", "", 30)]);
    let err = shares.validate().unwrap_err();
    let got: Vec<(String, Problem)> = err
        .field_errors()
        .iter()
        .map(|f| (f.path.clone(), f.problem))
        .collect();
    assert_eq!(
        got,
        vec![
            ("people.u[1].task".into(), Problem::Required),
            ("people.u".into(), Problem::SharesNot100)
        ]
    );
    let p: Percent = serde_json::from_str("33.33").unwrap();
    assert_eq!(p, Percent(3333));
    assert!(serde_json::from_str::<Percent>("101").is_err());
    assert_eq!(serde_json::to_string(&Percent(5000)).unwrap(), "50");
}
