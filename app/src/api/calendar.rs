//! The holiday calendar (admins only): every year, and saving a year.

use super::AppError;
use hourbridge_rules::calendar::YearSchedule;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// One year on the calendar page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarYear {
    pub schedule: YearSchedule,
    /// The revision of the admin's edit (`None`: as shipped).
    pub revision: Option<i64>,
    pub saved_by: Option<String>,
}

#[server(endpoint = "calendar/years")]
pub async fn calendar_years() -> Result<Vec<CalendarYear>, AppError> {
    use super::guard;
    use hourbridge_core::services::calendar;
    use hourbridge_domain::role::Area;
    guard::respond(async {
        let auth = guard::require(Area::Rules).await?;
        Ok(calendar::years(&auth.call.state)
            .await?
            .into_iter()
            .map(|y| CalendarYear {
                schedule: y.schedule,
                revision: y.revision,
                saved_by: y.saved_by,
            })
            .collect())
    })
    .await
}

/// Replaces a year's holidays and make-up workdays.
#[server(endpoint = "calendar/save", input = Json)]
pub async fn save_calendar_year(
    based_on: Option<i64>,
    schedule: YearSchedule,
) -> Result<i64, AppError> {
    use super::guard;
    use hourbridge_core::services::calendar;
    use hourbridge_domain::role::Area;
    guard::respond(async move {
        let auth = guard::require(Area::Rules).await?;
        let call = &auth.call;
        Ok(calendar::save_year(&call.state, &auth.actor, &call.origin, based_on, schedule).await?)
    })
    .await
}
