//! Simulators of the project-management systems HourBridge writes worklogs
//! to. Each speaks its system's wire format (paths, auth, JSON shapes,
//! paging, errors, rate limits) over seed data that matches the DingTalk
//! simulator's company, and lets tests list every worklog it holds.
