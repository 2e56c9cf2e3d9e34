//! Writing a worklog exactly once, however often an answer is lost: a
//! create whose answer never came is followed by a look for the external id
//! before it is tried again.

use crate::{NewWorklog, PmError, Target, Worklog};

/// Creates `worklog` on `target`, trying at most `attempts` times. Before
/// every attempt after the first, the target is searched for the external
/// id: if the earlier write landed, that worklog is the answer.
pub async fn write_once(
    target: &dyn Target,
    worklog: &NewWorklog,
    attempts: u32,
) -> Result<Worklog, PmError> {
    let attempts = attempts.max(1);
    let mut attempt = 0;
    loop {
        if attempt > 0 {
            let found = target
                .find_worklog(&worklog.item, worklog.date, &worklog.external_id)
                .await?;
            if let Some(found) = found {
                return Ok(found);
            }
        }
        match target.create_worklog(worklog).await {
            Ok(written) => return Ok(written),
            Err(e) if e.is_transient() && attempt + 1 < attempts => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        ExternalId, ItemRef, PmUser, Project, TargetKind, Task, TestReport, UserQuery,
        WorklogQuery, WorklogRef,
    };
    use async_trait::async_trait;
    use chrono::NaiveDate;
    use std::sync::Mutex;

    /// A target that stores every create but loses the first `lose` answers.
    struct Lossy {
        stored: Mutex<Vec<Worklog>>,
        lose: Mutex<u32>,
        refuse: bool,
    }

    impl Lossy {
        fn new(lose: u32) -> Self {
            Lossy {
                stored: Mutex::new(Vec::new()),
                lose: Mutex::new(lose),
                refuse: false,
            }
        }
    }

    fn unreachable() -> PmError {
        PmError::Unreachable {
            system: "fake",
            detail: "connection reset".into(),
        }
    }

    #[async_trait]
    impl Target for Lossy {
        fn kind(&self) -> TargetKind {
            TargetKind::Redmine
        }
        async fn test(&self) -> Result<TestReport, PmError> {
            Err(unreachable())
        }
        async fn projects(&self) -> Result<Vec<Project>, PmError> {
            Ok(Vec::new())
        }
        async fn users(&self) -> Result<Vec<PmUser>, PmError> {
            Ok(Vec::new())
        }
        async fn find_users(&self, _: &UserQuery) -> Result<Vec<PmUser>, PmError> {
            Ok(Vec::new())
        }
        async fn open_tasks(&self, _: &Project) -> Result<Vec<Task>, PmError> {
            Ok(Vec::new())
        }
        async fn create_worklog(&self, w: &NewWorklog) -> Result<Worklog, PmError> {
            if self.refuse {
                return Err(PmError::Rejected {
                    system: "fake",
                    status: 422,
                    message: "Issue is closed".into(),
                });
            }
            let mut stored = self.stored.lock().expect("lock");
            let written = Worklog {
                id: (stored.len() + 1).to_string(),
                item: w.item.clone(),
                person: Some(w.person.clone()),
                date: w.date,
                minutes: w.minutes,
                comment: w.external_id.tag(&w.comment),
                external_id: Some(w.external_id.clone()),
            };
            stored.push(written.clone());
            let mut lose = self.lose.lock().expect("lock");
            if *lose > 0 {
                *lose -= 1;
                return Err(unreachable());
            }
            Ok(written)
        }
        async fn find_worklog(
            &self,
            item: &ItemRef,
            date: NaiveDate,
            id: &ExternalId,
        ) -> Result<Option<Worklog>, PmError> {
            Ok(self
                .stored
                .lock()
                .expect("lock")
                .iter()
                .find(|w| &w.item == item && w.date == date && w.external_id.as_ref() == Some(id))
                .cloned())
        }
        async fn update_worklog(&self, _: &WorklogRef, _: &NewWorklog) -> Result<Worklog, PmError> {
            Err(unreachable())
        }
        async fn delete_worklog(&self, _: &WorklogRef) -> Result<(), PmError> {
            Err(unreachable())
        }
        async fn worklogs(&self, _: &WorklogQuery) -> Result<Vec<Worklog>, PmError> {
            Ok(self.stored.lock().expect("lock").clone())
        }
    }

    fn worklog() -> NewWorklog {
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let item = ItemRef {
            project: "ERP".into(),
            task: Some("42".into()),
        };
        NewWorklog {
            person: "5".into(),
            external_id: ExternalId::new("u1", date, &item.id_part()),
            item,
            date,
            minutes: 450,
            comment: "出勤折算".into(),
        }
    }

    #[tokio::test]
    async fn a_lost_answer_does_not_write_twice() {
        let target = Lossy::new(1);
        let written = write_once(&target, &worklog(), 3).await.expect("written");
        assert_eq!(written.id, "1");
        assert_eq!(target.stored.lock().expect("lock").len(), 1);
    }

    #[tokio::test]
    async fn every_answer_lost_still_writes_once_and_says_why() {
        let target = Lossy::new(10);
        let error = write_once(&target, &worklog(), 3).await;
        // The first create landed; the second attempt finds it.
        assert_eq!(error.map(|w| w.id).ok().as_deref(), Some("1"));
        assert_eq!(target.stored.lock().expect("lock").len(), 1);
    }

    #[tokio::test]
    async fn a_refusal_is_not_retried() {
        let mut target = Lossy::new(0);
        target.refuse = true;
        let error = write_once(&target, &worklog(), 3)
            .await
            .expect_err("refused");
        assert_eq!(error.reason(), "rejected");
    }
}
