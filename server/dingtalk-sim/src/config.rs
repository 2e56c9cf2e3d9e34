//! What a simulator serves: the app's credentials, the company, the limits.

use chrono::{Datelike, Months, NaiveDate};

use crate::calendar::today_in_china;
use crate::company::Company;

/// The company to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanySpec {
    /// Number of people (including those who join or leave during the period).
    pub people: usize,
    /// Number of departments below the root department.
    pub departments: usize,
    /// First day with attendance data.
    pub first_day: NaiveDate,
    /// Last day with attendance data.
    pub last_day: NaiveDate,
    /// Everything random is derived from this seed.
    pub seed: u64,
}

impl Default for CompanySpec {
    /// 300 people, 12 departments, one year ending at the end of the current
    /// month (China time), seed 2026.
    fn default() -> Self {
        let (first_day, last_day) = year_ending_this_month(today_in_china());
        Self {
            people: 300,
            departments: 12,
            first_day,
            last_day,
            seed: 2026,
        }
    }
}

/// The twelve whole months ending with the month of `today`.
pub fn year_ending_this_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let month_start = today.with_day(1).unwrap_or(today);
    let next_month = month_start
        .checked_add_months(Months::new(1))
        .unwrap_or(month_start);
    let last_day = next_month.pred_opt().unwrap_or(today);
    let first_day = month_start
        .checked_sub_months(Months::new(11))
        .unwrap_or(month_start);
    (first_day, last_day)
}

/// A group custom robot: its webhook token and optional `SEC…` signing secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotConfig {
    pub access_token: String,
    pub secret: Option<String>,
}

impl Default for RobotConfig {
    fn default() -> Self {
        Self {
            access_token: "simrobottoken0001".to_owned(),
            secret: Some(
                "SEC9f39a575c19e41afc89b6eaf44e4414479b9f6cd26fa117721ea7a01d964321d".to_owned(),
            ),
        }
    }
}

/// Everything a [`Simulator`](crate::Simulator) is started with.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub app_key: String,
    pub app_secret: String,
    pub corp_id: String,
    pub agent_id: i64,
    pub org_name: String,
    /// The company to generate (ignored when `company_data` is set).
    pub company: CompanySpec,
    /// Serve this company instead of generating one (e.g. [`Company::from_golden`]).
    pub company_data: Option<Company>,
    /// Calls per second per API path; 0 = unlimited.
    pub qps_per_api: u32,
    /// Billable calls per natural month (Asia/Shanghai); 0 = unlimited.
    pub monthly_quota: u64,
    pub token_ttl_secs: u64,
    pub robot: Option<RobotConfig>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            app_key: "dingsimappkey0001".to_owned(),
            app_secret: "sim-app-secret-0001".to_owned(),
            corp_id: "dingsimcorp0001".to_owned(),
            agent_id: 3_000_000_001,
            org_name: "星桥科技（模拟）".to_owned(),
            company: CompanySpec::default(),
            company_data: None,
            qps_per_api: 20,
            monthly_quota: 5_000,
            token_ttl_secs: 7_200,
            robot: Some(RobotConfig::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_year_ends_with_the_current_month() {
        let today = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        let (first, last) = year_ending_this_month(today);
        assert_eq!(first, NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
        assert_eq!(last, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
    }
}
