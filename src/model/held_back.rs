//! Assemble stage, the official-languages rule (`[translations] publish = "together"`): a topic
//! goes out only when every language has its file and none is a draft (and, with
//! `require_current`, every translation records the source as it is now). A topic held back is
//! published in no language; `build` warns once per topic, `check` reports an error at each of
//! its files that is not a draft, and the dev server (drafts on) shows it under a banner.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::check::translations::{TranslationState, TranslationStatus};
use crate::config::{Publish, TranslationRules};
use crate::content::page::Page;
use crate::diagnostic::Diagnostic;
use crate::translation::{HOME_TOPIC, page_path};

/// Why one language keeps a topic from being published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HoldReason {
    Missing,
    Draft,
    Invalid,
    Outdated,
    Untranslated,
}

impl HoldReason {
    /// How the messages name it ("en is missing").
    pub fn label(self) -> &'static str {
        match self {
            HoldReason::Missing => "missing",
            HoldReason::Draft => "a draft",
            HoldReason::Invalid => "invalid",
            HoldReason::Outdated => "outdated",
            HoldReason::Untranslated => "untranslated",
        }
    }
}

/// One language's reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Hold {
    pub lang: String,
    pub reason: HoldReason,
}

/// Topic id → the languages that hold it back, in the order of the configuration. A topic not
/// listed is published (in each language whose file is not a draft).
pub type HeldBack = BTreeMap<String, Vec<Hold>>;

/// What the rule reads of one language's file of a topic.
#[derive(Debug, Clone, Copy)]
pub struct FileFacts {
    pub state: TranslationState,
    pub draft: bool,
}

/// The topics `rules` holds back, given the translation status of the project (for `check`).
pub fn held_back(status: &TranslationStatus, rules: &TranslationRules) -> HeldBack {
    let mut held = HeldBack::new();
    if rules.publish == Publish::Each {
        return held;
    }
    for topic in status.topics.iter().filter(|t| t.topic != HOME_TOPIC) {
        let files: Vec<(&str, FileFacts)> = topic
            .languages
            .iter()
            .map(|language| {
                let facts = FileFacts {
                    state: language.state,
                    draft: language.draft,
                };
                (language.lang.as_str(), facts)
            })
            .collect();
        if let Some(holds) = topic_holds(&files, rules) {
            held.insert(topic.topic.clone(), holds);
        }
    }
    held
}

/// The topics `rules` holds back, from the pages of a run (for `build` and `serve`, where
/// every file parsed). `state_of(translation, source)` is asked only with `require_current`.
pub fn held_back_of_pages(
    languages: &[String],
    pages: &[Arc<Page>],
    rules: &TranslationRules,
    mut state_of: impl FnMut(&Page, &Page) -> TranslationState,
) -> HeldBack {
    let mut held = HeldBack::new();
    if rules.publish == Publish::Each {
        return held;
    }
    let mut by_topic: HashMap<&str, Vec<Option<&Page>>> = HashMap::new();
    for page in pages {
        let Some(index) = languages.iter().position(|lang| *lang == page.lang) else {
            continue;
        };
        by_topic
            .entry(&page.topic)
            .or_insert_with(|| vec![None; languages.len()])[index] = Some(page);
    }
    for (topic, files) in by_topic {
        let source = files[0];
        let mut facts = Vec::with_capacity(languages.len());
        for (lang, page) in languages.iter().zip(&files) {
            let state = match (page, source) {
                (None, _) => TranslationState::Missing,
                (Some(_), _) if lang == &languages[0] => TranslationState::Source,
                (Some(_), None) => TranslationState::NoSource,
                (Some(page), Some(source)) if rules.require_current => state_of(page, source),
                (Some(_), Some(_)) => TranslationState::Current,
            };
            let draft = page.is_some_and(|page| page.draft);
            facts.push((lang.as_str(), FileFacts { state, draft }));
        }
        if let Some(holds) = topic_holds(&facts, rules) {
            held.insert(topic.to_string(), holds);
        }
    }
    held
}

/// The languages that hold a topic back, or `None` when it is published (or when every
/// file is a draft, missing or invalid: it is not published anyway).
fn topic_holds(files: &[(&str, FileFacts)], rules: &TranslationRules) -> Option<Vec<Hold>> {
    let unpublished = |facts: &FileFacts| {
        facts.draft
            || matches!(
                facts.state,
                TranslationState::Missing | TranslationState::Invalid
            )
    };
    if files.iter().all(|(_, facts)| unpublished(facts)) {
        return None;
    }
    let holds: Vec<Hold> = files
        .iter()
        .filter_map(|(lang, facts)| {
            let reason = match facts.state {
                TranslationState::Missing => HoldReason::Missing,
                TranslationState::Invalid => HoldReason::Invalid,
                _ if facts.draft => HoldReason::Draft,
                TranslationState::Outdated if rules.require_current => HoldReason::Outdated,
                TranslationState::Untranslated if rules.require_current => HoldReason::Untranslated,
                _ => return None,
            };
            Some(Hold {
                lang: lang.to_string(),
                reason,
            })
        })
        .collect();
    (!holds.is_empty()).then_some(holds)
}

/// "en is missing, fr is a draft".
pub fn reasons(holds: &[Hold]) -> String {
    holds
        .iter()
        .map(|hold| format!("{} is {}", hold.lang, hold.reason.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One warning per topic held back, for `build` (at the source-language file).
pub fn held_back_warnings(held: &HeldBack, source_lang: &str) -> Vec<Diagnostic> {
    held.iter()
        .map(|(topic, holds)| {
            Diagnostic::warning(
                "translation-held-back",
                page_path(topic, source_lang),
                format!(
                    "topic \"{topic}\" is published in no language: {}",
                    reasons(holds)
                ),
            )
            .for_page(topic, source_lang)
            .with_help("[translations] publish = \"together\" in briefing.toml")
        })
        .collect()
}

/// For `check`: an error at each file of a held-back topic that is not a draft (it would be
/// published but is not); drafts are work in progress.
pub fn held_back_findings(held: &HeldBack, status: &TranslationStatus) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for topic in &status.topics {
        let Some(holds) = held.get(&topic.topic) else {
            continue;
        };
        for language in &topic.languages {
            let is_file = !matches!(
                language.state,
                TranslationState::Missing | TranslationState::Invalid
            );
            if !is_file || language.draft {
                continue;
            }
            findings.push(
                Diagnostic::error(
                    "translation-held-back",
                    &language.path,
                    format!(
                        "topic \"{}\" is not published, in \"{}\" either: {}",
                        topic.topic,
                        language.lang,
                        reasons(holds)
                    ),
                )
                .for_page(&topic.topic, &language.lang)
                .with_help(
                    "with [translations] publish = \"together\", every language goes out at once",
                ),
            );
        }
    }
    findings
}
