//! The largest-remainder split itself.

use std::cmp::Reverse;

use serde::Serialize;

use crate::hours::Hours;

use super::{LoggedHours, OpenTask, Share};

/// What one split is weighed by.
#[derive(Debug, Clone, Copy)]
pub enum Basis<'a> {
    /// Fixed shares (one line per share).
    Shares(&'a [Share]),
    /// Open tasks (one line per project).
    OpenTasks(&'a [OpenTask]),
    /// Hours logged this week (one line per project).
    Logged(&'a [LoggedHours]),
}

/// One allocation line: hours on a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Line<'a> {
    /// The project.
    pub project: &'a str,
    /// The task / issue the worklog goes to.
    pub task: &'a str,
    /// The hours.
    pub hours: Hours,
}

/// Reusable scratch space for allocations.
#[derive(Debug, Default)]
pub struct Allocator {
    weights: Vec<u64>,
    best: Vec<u64>,
    units: Vec<u64>,
    remainders: Vec<u128>,
    order: Vec<usize>,
}

impl Allocator {
    /// An allocator with empty scratch space.
    pub fn new() -> Allocator {
        Allocator::default()
    }

    /// Splits `day` over `basis` in whole `step`s into `out` (cleared
    /// first). Returns false, with `out` empty, when the basis weighs
    /// nothing (no share, no open task, no logged hours).
    pub fn allocate<'a>(
        &mut self,
        day: Hours,
        step: Hours,
        basis: Basis<'a>,
        out: &mut Vec<Line<'a>>,
    ) -> bool {
        out.clear();
        self.weights.clear();
        self.best.clear();
        match basis {
            Basis::Shares(shares) => {
                for s in shares {
                    out.push(line(&s.project, &s.task));
                    self.weights.push(u64::from(s.percent.0));
                }
            }
            Basis::OpenTasks(tasks) => {
                for t in tasks {
                    match out.iter().position(|l| l.project == t.project) {
                        Some(i) => self.weights[i] += 1,
                        None => {
                            out.push(line(&t.project, &t.task));
                            self.weights.push(1);
                        }
                    }
                }
            }
            Basis::Logged(logged) => {
                for l in logged {
                    let hours = l.hours.seconds().max(0).unsigned_abs();
                    match out.iter().position(|x| x.project == l.project) {
                        Some(i) => {
                            self.weights[i] = self.weights[i].saturating_add(hours);
                            if hours > self.best[i] {
                                self.best[i] = hours;
                                out[i].task = &l.task;
                            }
                        }
                        None => {
                            out.push(line(&l.project, &l.task));
                            self.weights.push(hours);
                            self.best.push(hours);
                        }
                    }
                }
            }
        }
        let total: u128 = self.weights.iter().map(|w| u128::from(*w)).sum();
        if total == 0 {
            out.clear();
            return false;
        }
        // Every line's exact share is day × w / total seconds. Each gets
        // whole steps below it; the steps left go to the largest remainders,
        // and the part below one step to the next largest.
        let day = u128::from(day.seconds().max(0).unsigned_abs());
        let step = u128::from(step.seconds().max(1).unsigned_abs());
        let scale = total * step;
        self.units.clear();
        self.remainders.clear();
        let mut given: u128 = 0;
        for w in &self.weights {
            let exact = day * u128::from(*w);
            let units = exact / scale;
            given += units * step;
            self.units
                .push(u64::try_from(units * step).unwrap_or(u64::MAX));
            self.remainders.push(exact % scale);
        }
        let left = day.saturating_sub(given);
        let (whole_steps, below_step) = (left / step, left % step);
        self.order.clear();
        self.order.extend(0..self.weights.len());
        let remainders = &self.remainders;
        self.order.sort_by_key(|&i| (Reverse(remainders[i]), i));
        let steps = usize::try_from(whole_steps).unwrap_or(usize::MAX);
        for &i in self.order.iter().take(steps) {
            self.units[i] = self.units[i].saturating_add(u64::try_from(step).unwrap_or(u64::MAX));
        }
        if below_step > 0 {
            let i = self
                .order
                .get(steps)
                .or(self.order.first())
                .copied()
                .unwrap_or(0);
            if let Some(u) = self.units.get_mut(i) {
                *u = u.saturating_add(u64::try_from(below_step).unwrap_or(0));
            }
        }
        for (i, l) in out.iter_mut().enumerate() {
            l.hours = Hours::from_seconds(i64::try_from(self.units[i]).unwrap_or(i64::MAX));
        }
        out.retain(|l| l.hours > Hours::ZERO);
        true
    }
}

fn line<'a>(project: &'a str, task: &'a str) -> Line<'a> {
    Line {
        project,
        task,
        hours: Hours::ZERO,
    }
}

/// Splits `day` over `basis` in whole `step`s (see [`Allocator::allocate`]).
pub fn allocate<'a>(day: Hours, step: Hours, basis: Basis<'a>) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    Allocator::new().allocate(day, step, basis, &mut out);
    out
}
