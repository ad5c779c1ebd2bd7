//! Check stage: the state of every translation (topic × language), as plain data for the
//! report and for the dev server's status page, and the findings it gives. A translation is
//! current when the `source_digest` it records is the digest of its source-language file now.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::content::page::{HomeText, Page, RecordedDigest};
use crate::diagnostic::Diagnostic;
use crate::source::{Digest, SourceFile, SourceKind, Sources};
use crate::translation::{HOME_TOPIC, page_path, source_digest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TranslationState {
    /// The source-language file.
    Source,
    /// Records the digest of the source file as it is now.
    Current,
    /// Records the digest of another version of the source file.
    Outdated,
    /// Records no digest: a stub (as `briefing new` makes) nobody has translated yet.
    Untranslated,
    /// No file in this language.
    Missing,
    /// The file did not parse; its own findings say why.
    Invalid,
    /// A translation of a topic that has no source-language file.
    NoSource,
}

impl TranslationState {
    pub const ALL: [TranslationState; 7] = [
        TranslationState::Source,
        TranslationState::Current,
        TranslationState::Outdated,
        TranslationState::Untranslated,
        TranslationState::Missing,
        TranslationState::Invalid,
        TranslationState::NoSource,
    ];

    /// How the report names the state.
    pub fn label(self) -> &'static str {
        match self {
            TranslationState::Source => "source",
            TranslationState::Current => "ok",
            TranslationState::Outdated => "outdated",
            TranslationState::Untranslated => "untranslated",
            TranslationState::Missing => "missing",
            TranslationState::Invalid => "invalid",
            TranslationState::NoSource => "no source",
        }
    }
}

/// One language of one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LanguageStatus {
    pub lang: String,
    pub state: TranslationState,
    /// The file, or where it is expected when missing.
    pub path: PathBuf,
    pub draft: bool,
    /// What a translation records of its source, when it records something.
    pub recorded: Option<RecordedDigest>,
    /// The digest of the source-language file now (for translations of an existing source).
    pub current: Option<String>,
}

/// One topic (or the home page texts, topic `_index`) in every language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicStatus {
    pub topic: String,
    /// The title in the source language, or in the first language that has one.
    pub title: Option<String>,
    /// In the order of the configuration.
    pub languages: Vec<LanguageStatus>,
}

/// The translation status of the whole site: rows by topic (home texts first), columns by
/// language (source first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranslationStatus {
    pub source_language: String,
    pub languages: Vec<String>,
    pub topics: Vec<TopicStatus>,
}

impl TranslationStatus {
    /// How many topics are in `state` in `lang`.
    pub fn count(&self, lang: &str, state: TranslationState) -> usize {
        self.topics
            .iter()
            .flat_map(|topic| &topic.languages)
            .filter(|status| status.lang == lang && status.state == state)
            .count()
    }
}

/// What the status is computed from: the files, and the pages and home texts that parsed.
pub struct StatusInput<'a> {
    pub languages: &'a [String],
    pub sources: &'a Sources,
    pub pages: &'a [Arc<Page>],
    pub homes: &'a [Arc<HomeText>],
}

/// What the status needs of a parsed file.
struct Parsed<'a> {
    title: Option<&'a str>,
    draft: bool,
    recorded: Option<&'a RecordedDigest>,
}

/// Source digests by the content digest of the file they were made from. `check` uses one
/// once; the dev server keeps one across runs, so that only edited source files are hashed
/// again.
#[derive(Debug, Default)]
pub struct SourceDigestMemo {
    known: HashMap<Digest, String>,
    used: HashMap<Digest, String>,
}

impl SourceDigestMemo {
    pub(crate) fn digest_of(&mut self, file: &SourceFile) -> Option<String> {
        let text = file.text.as_deref()?;
        let digest = match self.known.remove(&file.digest) {
            Some(known) => known,
            None => source_digest(text),
        };
        self.used.insert(file.digest, digest.clone());
        Some(digest)
    }

    /// Forgets the digests of files no longer there, after a status is made.
    fn keep_used(&mut self) {
        self.known = std::mem::take(&mut self.used);
    }
}

/// The status of every translation of the project.
pub fn translation_status(
    input: &StatusInput<'_>,
    memo: &mut SourceDigestMemo,
) -> TranslationStatus {
    let mut files: BTreeMap<&str, BTreeMap<&str, &Path>> = BTreeMap::new();
    for file in input.sources.files.values() {
        match &file.kind {
            SourceKind::TopicPage { topic, lang } => {
                files.entry(topic).or_default().insert(lang, &file.path);
            }
            SourceKind::HomePage { lang } => {
                files
                    .entry(HOME_TOPIC)
                    .or_default()
                    .insert(lang, &file.path);
            }
            _ => {}
        }
    }
    let mut parsed: BTreeMap<&Path, Parsed<'_>> = BTreeMap::new();
    for page in input.pages {
        let recorded = page.source_digest.as_ref();
        let title = Some(page.title.as_str());
        parsed.insert(
            &page.path,
            Parsed {
                title,
                draft: page.draft,
                recorded,
            },
        );
    }
    for home in input.homes {
        let recorded = home.source_digest.as_ref();
        let title = home.title.as_deref();
        parsed.insert(
            &home.path,
            Parsed {
                title,
                draft: false,
                recorded,
            },
        );
    }
    let topics = files
        .iter()
        .map(|(topic, by_language)| topic_status(input, topic, by_language, &parsed, memo))
        .collect();
    memo.keep_used();
    TranslationStatus {
        source_language: input.languages[0].clone(),
        languages: input.languages.to_vec(),
        topics,
    }
}

fn topic_status(
    input: &StatusInput<'_>,
    topic: &str,
    files: &BTreeMap<&str, &Path>,
    parsed: &BTreeMap<&Path, Parsed<'_>>,
    memo: &mut SourceDigestMemo,
) -> TopicStatus {
    let source_lang = input.languages[0].as_str();
    let current = files
        .get(source_lang)
        .and_then(|path| memo.digest_of(input.sources.files.get(*path)?));
    let shared = TopicFiles {
        topic,
        source_lang,
        current,
        // A topic every existing file of which is a draft is a draft.
        draft: files
            .values()
            .all(|path| parsed.get(path).is_some_and(|page| page.draft)),
    };
    let languages = input
        .languages
        .iter()
        .map(|lang| language_status(&shared, lang, files.get(lang.as_str()).copied(), parsed))
        .collect();
    let title = files
        .get(source_lang)
        .into_iter()
        .chain(files.values())
        .find_map(|path| parsed.get(path).and_then(|page| page.title))
        .map(str::to_string);
    TopicStatus {
        topic: topic.to_string(),
        title,
        languages,
    }
}

/// What the statuses of one topic's languages share.
struct TopicFiles<'a> {
    topic: &'a str,
    source_lang: &'a str,
    /// The digest of the source-language file now.
    current: Option<String>,
    draft: bool,
}

fn language_status(
    topic: &TopicFiles<'_>,
    lang: &str,
    path: Option<&Path>,
    parsed: &BTreeMap<&Path, Parsed<'_>>,
) -> LanguageStatus {
    let is_source = lang == topic.source_lang;
    let current = topic.current.clone().filter(|_| !is_source);
    let Some(path) = path else {
        return LanguageStatus {
            lang: lang.to_string(),
            state: TranslationState::Missing,
            path: page_path(topic.topic, lang),
            draft: topic.draft,
            recorded: None,
            current,
        };
    };
    let page = parsed.get(path);
    let recorded = page.and_then(|page| page.recorded.cloned());
    let state = match (page, is_source, &topic.current) {
        (None, _, _) => TranslationState::Invalid,
        (Some(_), true, _) => TranslationState::Source,
        (Some(_), false, None) => TranslationState::NoSource,
        (Some(_), false, Some(now)) if recorded.as_ref().is_some_and(|r| &r.digest == now) => {
            TranslationState::Current
        }
        (Some(_), false, Some(_)) if recorded.is_none() => TranslationState::Untranslated,
        (Some(_), false, Some(_)) => TranslationState::Outdated,
    };
    LanguageStatus {
        lang: lang.to_string(),
        state,
        path: path.to_path_buf(),
        draft: page.is_some_and(|page| page.draft),
        recorded: recorded.filter(|_| !is_source),
        current,
    }
}

/// The findings of the status: missing, outdated and source-less translations. Those about
/// drafts are warnings: work in progress should not fail a CI run.
pub fn status_findings(status: &TranslationStatus) -> Vec<Diagnostic> {
    let source_lang = status.source_language.as_str();
    let mut findings = Vec::new();
    for topic in &status.topics {
        let name = match topic.topic.as_str() {
            HOME_TOPIC => "the home page".to_string(),
            id => format!("topic \"{id}\""),
        };
        let source_path = page_path(&topic.topic, source_lang);
        for language in &topic.languages {
            let lang = language.lang.as_str();
            let finding = |code, message: String| {
                let finding = if language.draft {
                    Diagnostic::warning(code, &language.path, message)
                } else {
                    Diagnostic::error(code, &language.path, message)
                };
                finding.for_page(&topic.topic, lang)
            };
            let help = format!(
                "once it follows {}, run `briefing translated {} --lang {lang}`",
                source_path.display(),
                topic.topic
            );
            match language.state {
                // A topic without its source is reported once, at each translation.
                TranslationState::Missing if lang == source_lang => {}
                TranslationState::Missing => findings.push(finding(
                    "translation-missing",
                    format!("{name} has no \"{lang}\" translation"),
                )),
                TranslationState::NoSource => findings.push(finding(
                    "translation-no-source",
                    format!("{name} has no source-language (\"{source_lang}\") file"),
                )),
                TranslationState::Outdated => {
                    let Some(recorded) = &language.recorded else {
                        continue;
                    };
                    let finding = finding(
                        "translation-outdated",
                        format!(
                            "the \"{lang}\" translation of {name} is outdated: {} changed since",
                            source_path.display()
                        ),
                    )
                    .at_line_column(
                        None,
                        recorded.spot.line,
                        recorded.spot.column,
                    );
                    findings.push(finding.with_help(help));
                }
                TranslationState::Untranslated => {
                    let finding = finding(
                        "translation-untranslated",
                        format!(
                            "the \"{lang}\" file of {name} is not translated yet: it records no source_digest"
                        ),
                    )
                    .at_line_column(None, 1, 1);
                    findings.push(finding.with_help(help));
                }
                _ => {}
            }
        }
    }
    findings
}
