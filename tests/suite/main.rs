//! The integration tests, in one crate so that they compile and link once: each module
//! builds fixture sites under `tests/fixtures/` with the real binary and checks what comes
//! out. `common` is their harness.

mod base_url;
mod build_errors;
mod build_output;
mod check;
mod common;
mod diagnostics_name_files;
mod incremental;
mod init;
mod markdown_briefings;
mod metadata;
mod new_topic;
mod one_rule_set;
mod output_safety;
mod pages_and_menus;
mod pages_stay_small;
mod parse_store;
mod properties;
mod publish_together;
mod search_and_archive;
mod search_terms;
mod serve;
mod serve_boundary;
mod small_sites;
mod theme;
mod translation_diff;
mod translation_tools;
mod warm_build;
mod xliff;
mod xliff_review;
