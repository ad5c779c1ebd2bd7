//! What changed in a source file since its translation was made: the version the
//! translation's `source_digest` names, found in git history (`history`), compared block by
//! block with the file now (`blocks::diff`). Shared by `check`, `diff` and the dev server.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::blocks::diff::{BlockChange, describe, diff_files};
use crate::config::{CONFIG_FILE, Config};
use crate::content::page::{is_safe_segment, split_front_matter};
use crate::diagnostic::{Diagnostic, display_path};
use crate::history::{FileVersion, History, NoVersion};
use crate::translation::{HOME_TOPIC, page_path, source_digest};

/// The answer for one translation: the changes since the version it records, or one line
/// saying why they are unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SinceTranslation {
    /// The commit that made the version the translation records.
    pub commit: Option<String>,
    pub summary: Option<String>,
    /// Why the changes are unknown (no git, no matching version); `None` when they are known.
    pub unknown: Option<String>,
    /// The same, as a code for pages that say it in their own words: `no-git`, `no-match`.
    #[serde(skip)]
    pub unknown_code: Option<&'static str>,
    pub blocks: Vec<BlockChange>,
}

impl SinceTranslation {
    fn unknown(why: &NoVersion) -> SinceTranslation {
        SinceTranslation {
            commit: None,
            summary: None,
            unknown: Some(why.to_string()),
            unknown_code: Some(match why {
                NoVersion::NoRepository(_) => "no-git",
                NoVersion::NoMatch => "no-match",
            }),
            blocks: Vec::new(),
        }
    }

    /// For a terminal: a line naming the version, then one line per change.
    pub fn describe(&self, indent: &str) -> String {
        if let Some(why) = &self.unknown {
            return format!("{indent}{why}\n");
        }
        let commit = self.commit.as_deref().unwrap_or_default();
        let mut out = format!(
            "{indent}since the version of commit {} ({}):\n",
            &commit[..commit.len().min(10)],
            self.summary.as_deref().unwrap_or_default()
        );
        if self.blocks.is_empty() {
            out.push_str(&format!("{indent}  no block changed (only spacing)\n"));
        }
        out.push_str(&describe(&self.blocks, &format!("{indent}  ")));
        out
    }
}

/// Lookups in one project, opening its repository once, when first needed.
pub struct Lookups {
    root: PathBuf,
    history: Option<Result<History, NoVersion>>,
}

impl Lookups {
    pub fn new(root: &Path) -> Lookups {
        Lookups {
            root: root.to_path_buf(),
            history: None,
        }
    }

    /// The changes to `source_path` (relative to the root; `current` is its text now) since
    /// the version whose digest is `recorded`.
    pub fn since(&mut self, source_path: &Path, current: &str, recorded: &str) -> SinceTranslation {
        match self.version(source_path, recorded) {
            Ok(version) => SinceTranslation {
                blocks: diff_files(&version.text, current),
                commit: Some(version.commit),
                summary: Some(version.summary),
                unknown: None,
                unknown_code: None,
            },
            Err(why) => SinceTranslation::unknown(&why),
        }
    }

    /// The committed version of `source_path` whose digest is `recorded`, for callers that
    /// compare it with the file now in their own terms (the XLIFF export, unit by unit).
    pub fn version(
        &mut self,
        source_path: &Path,
        recorded: &str,
    ) -> Result<FileVersion, NoVersion> {
        let root = &self.root;
        match self.history.get_or_insert_with(|| History::open(root)) {
            Ok(history) => history.find_version(source_path, recorded),
            Err(why) => Err(why.clone()),
        }
    }
}

/// Where one translation stands, for `briefing diff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranslationDiff {
    /// It records the source as it is now.
    Current,
    /// It records no digest: all of the source is to translate.
    Untranslated,
    /// No file in that language.
    Missing,
    Outdated(SinceTranslation),
}

/// The topic's source language, and each translation file with where it stands.
pub type TopicDiff = (String, Vec<(PathBuf, TranslationDiff)>);

/// `briefing diff <topic> [--lang L]`: for `lang`, or every translation language, where the
/// translation stands and what changed in the source since it was made.
pub fn topic_diff(
    root: &Path,
    topic: &str,
    lang: Option<&str>,
) -> Result<TopicDiff, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let source_lang = config.source_language();
    let source_path = page_path(topic, source_lang);
    if topic != HOME_TOPIC && !is_safe_segment(topic) {
        return Err(vec![Diagnostic::error(
            "topic-id",
            &source_path,
            format!("\"{topic}\" is not a topic id"),
        )]);
    }
    let unknown_lang =
        |message: String| vec![Diagnostic::error("diff-language", CONFIG_FILE, message)];
    let languages: Vec<&str> = match lang {
        Some(lang) if lang == source_lang => {
            return Err(unknown_lang(format!(
                "\"{lang}\" is the source language: its files are not translations"
            )));
        }
        Some(lang) if !config.languages.iter().any(|known| known == lang) => {
            return Err(unknown_lang(format!(
                "\"{lang}\" is not one of the site's languages ({})",
                config.languages.join(", ")
            )));
        }
        Some(lang) => vec![lang],
        None => config.languages[1..].iter().map(String::as_str).collect(),
    };
    let current = std::fs::read_to_string(root.join(&source_path)).map_err(|error| {
        vec![Diagnostic::error(
            "diff-topic",
            &source_path,
            format!("topic \"{topic}\" has no readable source-language file: {error}"),
        )]
    })?;
    let now = source_digest(&current);
    let mut lookups = Lookups::new(root);
    let mut diffs = Vec::new();
    for lang in languages {
        let path = page_path(topic, lang);
        let state = match std::fs::read_to_string(root.join(&path)) {
            Err(_) => TranslationDiff::Missing,
            Ok(text) => match recorded_digest(&path, &text)? {
                None => TranslationDiff::Untranslated,
                Some(recorded) if recorded == now => TranslationDiff::Current,
                Some(recorded) => {
                    TranslationDiff::Outdated(lookups.since(&source_path, &current, &recorded))
                }
            },
        };
        diffs.push((path, state));
    }
    Ok((source_lang.to_string(), diffs))
}

/// The `source_digest` of a translation's front matter.
fn recorded_digest(path: &Path, text: &str) -> Result<Option<String>, Vec<Diagnostic>> {
    let split = split_front_matter(path, text).map_err(|problem| vec![problem])?;
    let Some((front, _)) = split.front_matter else {
        return Ok(None);
    };
    let table: toml::Table = toml::from_str(front).map_err(|error| {
        vec![Diagnostic::error(
            "toml-syntax",
            path,
            format!("invalid front matter: {}", error.message()),
        )]
    })?;
    Ok(table
        .get("source_digest")
        .and_then(toml::Value::as_str)
        .map(str::to_string))
}

/// `topic_diff`'s answer for a terminal.
pub fn describe_diff(
    topic: &str,
    source_lang: &str,
    diffs: &[(PathBuf, TranslationDiff)],
) -> String {
    let source = display_path(&page_path(topic, source_lang));
    let mut out = String::new();
    for (path, state) in diffs {
        let path = display_path(path);
        match state {
            TranslationDiff::Current => {
                out.push_str(&format!("{path} is current: it follows {source} as it is now\n"));
            }
            TranslationDiff::Untranslated => out.push_str(&format!(
                "{path} is untranslated (it records no source_digest): all of {source} is to translate\n"
            )),
            TranslationDiff::Missing => out.push_str(&format!("{path} does not exist\n")),
            TranslationDiff::Outdated(since) => {
                out.push_str(&format!("{path} is outdated: {source} changed\n"));
                out.push_str(&since.describe("  "));
            }
        }
    }
    out
}
