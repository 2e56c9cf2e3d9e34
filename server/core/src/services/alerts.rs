//! Alerts to a connection's DingTalk group robot. Delivery is best effort:
//! an alert that cannot be sent is logged and never fails the job it
//! reports on.

use super::connections;
use crate::AppState;
use hourbridge_domain::alert::Alert;

/// Sends `alert` to the connection's robot, if it has one. Answers whether
/// it was delivered.
pub async fn send(state: &AppState, connection_id: &str, alert: &Alert) -> bool {
    let robot = match connections::robot(state, connection_id).await {
        Ok(Some(robot)) => robot,
        Ok(None) => return false,
        Err(e) => {
            tracing::warn!(connection = connection_id, error = %e, "robot alert not sent");
            return false;
        }
    };
    match robot.send_markdown(&alert.title, &alert.markdown).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(connection = connection_id, error = %e, "robot alert not delivered");
            false
        }
    }
}
