//! An allocation plan: how one PM connection splits people's days, as the
//! admin saves it.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, RulesError};
use crate::hours::Hours;

use super::{FixedShares, Method, Share};

/// How a PM connection splits a person's day over its projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationPlan {
    /// The basis.
    pub method: Method,
    /// Fixed shares per person and department defaults (the basis of
    /// [`Method::FixedShares`]).
    #[serde(default)]
    pub shares: FixedShares,
    /// Used when the basis gives nothing for a person (no share, no open
    /// task, nothing logged this week): typically one general task.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fallback: Vec<Share>,
    /// Lines are whole multiples of this (the rule book's rounding step,
    /// usually), except the part of a day below one step.
    pub step: Hours,
}

impl Default for AllocationPlan {
    fn default() -> Self {
        AllocationPlan {
            method: Method::FixedShares,
            shares: FixedShares::default(),
            fallback: Vec::new(),
            step: Hours::from_minutes(30),
        }
    }
}

impl AllocationPlan {
    /// Every problem, at its path (`shares.people.u1[0].percent`,
    /// `fallback`, `step`).
    pub fn validate(&self) -> Result<(), RulesError> {
        let mut errors = match self.shares.validate() {
            Ok(()) => Vec::new(),
            Err(e) => e
                .field_errors()
                .iter()
                .map(|f| FieldError {
                    path: format!("shares.{}", f.path),
                    ..f.clone()
                })
                .collect(),
        };
        let fallback = FixedShares {
            people: [("fallback".to_owned(), self.fallback.clone())]
                .into_iter()
                .collect(),
            departments: Default::default(),
        };
        if let Err(e) = fallback.validate() {
            errors.extend(e.field_errors().iter().map(|f| FieldError {
                path: f.path.replacen("people.fallback", "fallback", 1),
                ..f.clone()
            }));
        }
        if self.step <= Hours::ZERO {
            errors.push(FieldError::new("step", crate::error::Problem::ZeroStep));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(RulesError::Invalid(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::Percent;
    use crate::error::Problem;

    fn share(project: &str, percent: u32) -> Share {
        Share {
            project: project.into(),
            task: format!("{project}-1"),
            percent: Percent(percent * 100),
        }
    }

    #[test]
    fn a_plan_reports_problems_at_their_paths() {
        let mut plan = AllocationPlan::default();
        assert!(plan.validate().is_ok());
        plan.shares
            .people
            .insert("u1".into(), vec![share("A", 60), share("B", 30)]);
        plan.fallback = vec![share("", 100)];
        plan.step = Hours::ZERO;
        let err = plan.validate().unwrap_err();
        let paths: Vec<(&str, Problem)> = err
            .field_errors()
            .iter()
            .map(|f| (f.path.as_str(), f.problem))
            .collect();
        assert_eq!(
            paths,
            vec![
                ("shares.people.u1", Problem::SharesNot100),
                ("fallback[0].project", Problem::Required),
                ("step", Problem::ZeroStep),
            ]
        );
    }

    #[test]
    fn plans_read_their_json() {
        let json = r#"{"method":"open_tasks","fallback":[{"project":"OPS","task":"OPS-1","percent":100}],"step":0.5}"#;
        let plan: AllocationPlan = serde_json::from_str(json).unwrap();
        assert_eq!(plan.method, Method::OpenTasks);
        assert_eq!(plan.fallback.len(), 1);
        assert!(plan.validate().is_ok());
    }
}
