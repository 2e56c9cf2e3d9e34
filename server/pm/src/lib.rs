//! Project-management targets: the interface every connector implements,
//! and one connector per system.
