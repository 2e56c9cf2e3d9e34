//! HourBridge's web UI: pages, components and the server functions behind them.
//!
//! Built twice: with `ssr` into the server (rendering and server functions),
//! and with `hydrate` into the WebAssembly bundle that makes pages interactive.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod app;
mod components;
mod pages;

pub use app::{shell, App};

/// Entry point of the browser bundle: attach to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
