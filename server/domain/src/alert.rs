//! Messages to a DingTalk group robot: markdown, in Chinese then English
//! (the group is shared by HR and engineers), with the reason as DingTalk or
//! the database gave it.

/// A robot message: the title shown in the notification, and the markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub title: String,
    pub markdown: String,
}

/// Longest reason quoted in a message; DingTalk caps markdown at 20 000 bytes
/// and a group reads the first lines only.
const REASON_CHARS: usize = 500;

/// Characters that would start markdown structure inside the quoted reason.
fn plain(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(REASON_CHARS)
        .map(|c| match c {
            '\n' | '\r' => ' ',
            '`' => '\'',
            other => other,
        })
        .collect();
    if text.chars().count() > REASON_CHARS {
        out.push('…');
    }
    out
}

/// An attendance pull of `first..=last` (`YYYY-MM-DD`) failed.
pub fn pull_failed(connection: &str, first: &str, last: &str, reason: &str) -> Alert {
    let connection = plain(connection);
    let reason = plain(reason);
    Alert {
        title: format!("HourBridge：考勤拉取失败 · {connection}"),
        markdown: format!(
            "#### HourBridge：考勤拉取失败\n\n\
             - 连接：{connection}\n\
             - 日期：{first} 至 {last}\n\
             - 原因：`{reason}`\n\n\
             已拉取的数据保留；修复后重新运行即可补齐。\n\n\
             ---\n\n\
             Attendance pull failed for **{connection}** ({first} – {last}): `{reason}`. \
             What was pulled before the failure is kept; run it again once fixed."
        ),
    }
}

/// A connection pair paused itself after `failures` scheduled runs failed
/// in a row; `reason` is the last run's.
pub fn sync_paused(pair: &str, failures: i64, reason: &str) -> Alert {
    let pair = plain(pair);
    let reason = plain(reason);
    Alert {
        title: format!("HourBridge：同步已暂停 · {pair}"),
        markdown: format!(
            "#### HourBridge：同步已暂停\n\n\
             - 同步配对：{pair}\n\
             - 连续失败：{failures} 次定时同步\n\
             - 最近原因：`{reason}`\n\n\
             定时同步已停止；在“同步任务”页面修复后点击“恢复”。\n\n\
             ---\n\n\
             Sync **{pair}** was paused after {failures} scheduled runs failed in a row \
             (last reason: `{reason}`). Fix it and press Resume on the Sync jobs page."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_alert_names_the_pair_streak_and_reason() {
        let alert = sync_paused("考勤 → Jira", 3, "Jira refused the credentials");
        assert!(alert.title.contains("考勤 → Jira"));
        assert!(alert.markdown.contains("连续失败：3 次"));
        assert!(alert.markdown.contains("`Jira refused the credentials`"));
    }

    #[test]
    fn the_alert_names_the_connection_range_and_reason() {
        let alert = pull_failed(
            "总部",
            "2026-10-01",
            "2026-10-31",
            "quota used up (DingTalk 90020)",
        );
        assert!(alert.title.contains("总部"));
        assert!(alert.markdown.contains("2026-10-01 至 2026-10-31"));
        assert!(alert.markdown.contains("`quota used up (DingTalk 90020)`"));
    }

    #[test]
    fn a_long_or_multiline_reason_stays_one_quoted_line() {
        let reason = format!("line one\n`code`{}", "x".repeat(2_000));
        let alert = pull_failed("c", "a", "b", &reason);
        let quoted = alert
            .markdown
            .lines()
            .find(|l| l.starts_with("- 原因"))
            .expect("reason line");
        assert!(quoted.contains("line one 'code'"));
        assert!(quoted.chars().count() < REASON_CHARS + 20);
        assert!(quoted.ends_with("…`"));
    }
}
