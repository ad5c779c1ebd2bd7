//! briefing: a static site generator for bilingual briefing sites.
//!
//! The pipeline, as plain data flowing through small modules:
//! load (`config`, `source`) → parse (`content`, `i18n`) → assemble (`model`) →
//! render (`render`) → write (`output`), run by `build::Pipeline`.

// Diagnostics are the cold path of every stage and are collected by the hundred at most;
// boxing them would add noise to every signature for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod archive;
pub mod blocks;
pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod history;
pub mod i18n;
pub mod identity;
pub mod init;
pub mod menus;
pub mod messages;
pub mod metadata;
pub mod model;
pub mod new_topic;
pub mod output;
pub mod parse_store;
pub mod publish;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod since_translation;
pub mod source;
pub mod symlinks;
pub mod translation;
pub mod urls;
pub mod xliff;

pub use build::{BuildFailure, BuildOptions, Pipeline, Site};
pub use diagnostic::{Diagnostic, Severity};
