//! Generating the directory: departments (a tree under root 1) and people.

use chrono::{Duration, NaiveDate};
use rand::Rng;

use super::identity::{
    person_email, person_job_number, person_mobile, person_name, person_unionid, person_userid,
};
use super::rng::{rng, Stream};
use super::types::{Department, Person};
use crate::config::CompanySpec;

/// Id of the root department (the organisation itself).
pub const ROOT_DEPT: i64 = 1;
/// Ids of generated departments start here.
const FIRST_DEPT_ID: i64 = 100;

/// A kind of department: its name and the titles of its people (the last
/// ones are rarer).
struct DeptKind {
    name: &'static str,
    titles: &'static [&'static str],
}

const KINDS: &[DeptKind] = &[
    DeptKind {
        name: "研发部",
        titles: &["后端工程师", "前端工程师", "架构师", "移动端工程师"],
    },
    DeptKind {
        name: "产品部",
        titles: &["产品经理", "产品助理"],
    },
    DeptKind {
        name: "测试部",
        titles: &["测试工程师", "自动化测试工程师"],
    },
    DeptKind {
        name: "设计部",
        titles: &["UI设计师", "交互设计师"],
    },
    DeptKind {
        name: "运维部",
        titles: &["运维工程师", "DBA", "外勤工程师"],
    },
    DeptKind {
        name: "市场部",
        titles: &["市场专员", "市场经理"],
    },
    DeptKind {
        name: "销售部",
        titles: &["销售经理", "销售代表", "外勤工程师"],
    },
    DeptKind {
        name: "客服部",
        titles: &["客服专员", "客服主管"],
    },
    DeptKind {
        name: "人事部",
        titles: &["人事专员", "招聘专员"],
    },
    DeptKind {
        name: "财务部",
        titles: &["会计", "出纳"],
    },
    DeptKind {
        name: "行政部",
        titles: &["行政专员", "前台", "司机"],
    },
    DeptKind {
        name: "法务部",
        titles: &["法务专员"],
    },
];

const GROUP_NAMES: &[&str] = &["一组", "二组", "三组", "四组", "五组", "六组"];

/// The departments: root, then `count` departments; about a third of them
/// are nested one more level under the others.
pub fn departments(org_name: &str, count: usize) -> Vec<Department> {
    let mut out = vec![Department {
        dept_id: ROOT_DEPT,
        name: org_name.to_owned(),
        parent_id: None,
    }];
    let top = if count == 0 { 0 } else { count.div_ceil(3) * 2 };
    let top = top.min(count);
    for i in 0..count {
        let dept_id = FIRST_DEPT_ID + i as i64;
        if i < top {
            let kind = &KINDS[i % KINDS.len()];
            let round = i / KINDS.len();
            let name = if round == 0 {
                kind.name.to_owned()
            } else {
                format!("{}{}", kind.name, round + 1)
            };
            out.push(Department {
                dept_id,
                name,
                parent_id: Some(ROOT_DEPT),
            });
        } else {
            let nested = i - top;
            let parent = nested % top.max(1);
            let parent_name = out
                .get(parent + 1)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            let group = GROUP_NAMES[(nested / top.max(1)) % GROUP_NAMES.len()];
            out.push(Department {
                dept_id,
                name: format!("{parent_name}{group}"),
                parent_id: Some(FIRST_DEPT_ID + parent as i64),
            });
        }
    }
    out
}

/// The kind (name and titles) of a generated department by position.
fn kind_of(departments: &[Department], dept_id: i64) -> &'static DeptKind {
    let mut id = dept_id;
    // Nested departments take their parent's kind.
    for d in departments {
        if d.dept_id == dept_id {
            if let Some(parent) = d.parent_id.filter(|p| *p != ROOT_DEPT) {
                id = parent;
            }
        }
    }
    let position = (id - FIRST_DEPT_ID).max(0) as usize;
    &KINDS[position % KINDS.len()]
}

/// The people: person 1 is the boss (in the root department); about 12 %
/// join during the period and about 8 % leave during it.
pub fn people(spec: &CompanySpec, departments: &[Department]) -> Vec<Person> {
    let dept_ids: Vec<i64> = departments
        .iter()
        .map(|d| d.dept_id)
        .filter(|id| *id != ROOT_DEPT)
        .collect();
    let period_days = (spec.last_day - spec.first_day).num_days().max(1);
    (1..=spec.people)
        .map(|index| {
            let mut r = rng(&[spec.seed, Stream::Person as u64, index as u64]);
            let mut person = Person {
                index,
                userid: person_userid(index),
                unionid: person_unionid(index),
                name: person_name(index),
                mobile: person_mobile(index),
                email: person_email(index),
                job_number: person_job_number(index),
                title: "总经理".to_owned(),
                dept_id_list: vec![ROOT_DEPT],
                hired_date: spec.first_day - Duration::days(3_650),
                left_date: None,
                boss: index == 1,
            };
            if index == 1 || dept_ids.is_empty() {
                return person;
            }
            let primary = dept_ids[r.gen_range(0..dept_ids.len())];
            person.dept_id_list = vec![primary];
            if dept_ids.len() > 1 && r.gen_bool(0.05) {
                let second = dept_ids[r.gen_range(0..dept_ids.len())];
                if second != primary {
                    person.dept_id_list.push(second);
                }
            }
            let titles = kind_of(departments, primary).titles;
            // The first title is the common one; the others are rarer.
            let pick = if r.gen_bool(0.6) {
                0
            } else {
                r.gen_range(0..titles.len())
            };
            person.title = titles[pick].to_owned();
            person.hired_date = if r.gen_bool(0.12) {
                spec.first_day + Duration::days(r.gen_range(1..=period_days))
            } else {
                spec.first_day - Duration::days(r.gen_range(1..=3_650))
            };
            if r.gen_bool(0.08) {
                let from = person.hired_date.max(spec.first_day) + Duration::days(20);
                if from < spec.last_day {
                    let span = (spec.last_day - from).num_days();
                    person.left_date = Some(from + Duration::days(r.gen_range(0..=span)));
                }
            }
            person
        })
        .collect()
}

/// In the directory on `today`: hired and not yet gone.
pub fn in_directory(person: &Person, today: NaiveDate) -> bool {
    person.employed_on(today)
}
