//! XLIFF 1.2 out and back: `briefing xliff export` hands the site's translatable text to a
//! translation tool (one file per topic and language, one for the Fluent tables, one for the
//! glossary); `briefing xliff import` writes the translations back from the targets.

mod document;
mod export;
mod fluent;
mod glossary;
mod import;
mod inline;
mod review;
mod topic;
mod units;

use std::io::Write as _;
use std::path::Path;

pub use export::{ExportOptions, Exported, export};
pub use import::{ImportOutcome, ImportReport, import};

use crate::diagnostic::Diagnostic;

/// Which translations `export` includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    Untranslated,
    Outdated,
    All,
}

/// Where a topic's translation into one language stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslationStatus {
    /// No file.
    Missing,
    /// A file that records no `source_digest`.
    Untranslated,
    Outdated,
    Current,
}

impl Only {
    pub fn wants(self, status: TranslationStatus) -> bool {
        match self {
            Only::All => true,
            Only::Untranslated => is_untranslated(status),
            Only::Outdated => status == TranslationStatus::Outdated,
        }
    }
}

/// `--only untranslated`: no translation yet, or one that records no source it was made
/// from (the status `check` will call `Untranslated`).
pub fn is_untranslated(status: TranslationStatus) -> bool {
    matches!(
        status,
        TranslationStatus::Missing | TranslationStatus::Untranslated
    )
}

fn read_text(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(root.join(path)).map_err(|error| {
        Diagnostic::error(
            "io",
            path,
            format!("cannot read {}: {error}", path.display()),
        )
    })
}

/// Writes through a temporary file in the same folder and a rename, so that a reader never
/// sees half a file.
fn atomic_write(root: &Path, path: &Path, text: &str) -> Result<(), Diagnostic> {
    let absolute = root.join(path);
    let problem = |error: std::io::Error| {
        Diagnostic::error(
            "io",
            path,
            format!("cannot write {}: {error}", path.display()),
        )
    };
    let folder = absolute.parent().unwrap_or(root);
    std::fs::create_dir_all(folder).map_err(problem)?;
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(problem)?;
    file.write_all(text.as_bytes()).map_err(problem)?;
    file.persist(&absolute)
        .map_err(|error| problem(error.error))?;
    Ok(())
}

/// How a unit of an interface table or the glossary stands: the word its note ends with and its
/// XLIFF `state`, by whether the target language has a text for it.
pub(crate) fn entry_standing(translated: bool) -> (&'static str, &'static str) {
    if translated {
        ("translated", "translated")
    } else {
        ("not translated yet", "new")
    }
}
