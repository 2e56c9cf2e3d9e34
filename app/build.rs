//! Generates the typed translation module from `locales/*.json` (leptos_i18n).

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("i18n");
    // Simplified Chinese is the default; English is the second language.
    let options = ParseOptions::default().interpolate_display(true);
    let cfg = Config::new("zh")?.add_locale("en")?.parse_options(options);
    let translations = TranslationsInfos::parse(cfg)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
