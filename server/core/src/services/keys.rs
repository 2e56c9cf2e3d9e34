//! Master-key rotation: re-seal every stored secret with the current key.

use crate::db::connections as table;
use crate::{AppState, CoreError};

/// Re-seals secrets sealed by an older key. Runs at start-up; answers how
/// many connections changed.
pub async fn reseal_stale(state: &AppState) -> Result<u64, CoreError> {
    let k = &state.keyring;
    let mut changed = 0;
    for mut row in table::list(&state.db).await? {
        let id = row.id.clone();
        let mut stale = false;
        let mut redo = |field: &str, sealed: &mut String| -> Result<(), CoreError> {
            if k.is_stale(sealed) {
                let context = super::connections::secret_context(&id, field);
                let plain = k
                    .open(&context, sealed)
                    .map_err(|e| CoreError::internal(&format!("{field} of connection {id}"), e))?;
                *sealed = k.seal(&context, &plain);
                stale = true;
            }
            Ok(())
        };
        redo("app_secret", &mut row.app_secret_sealed)?;
        redo("callback_token", &mut row.callback_token_sealed)?;
        redo("callback_aes_key", &mut row.callback_aes_key_sealed)?;
        if let Some(v) = row.robot_webhook_sealed.as_mut() {
            redo("robot_webhook", v)?;
        }
        if let Some(v) = row.robot_secret_sealed.as_mut() {
            redo("robot_secret", v)?;
        }
        if stale {
            table::reseal(&state.db, &row).await?;
            changed += 1;
        }
    }
    Ok(changed)
}
