//! Assemble stage, the official-languages rule (`[translations] publish = "together"`): a topic
//! goes out only when every language has its file and none is a draft (and, with
//! `require_current`, every translation records the source as it is now). A topic held back is
//! published in no language; `build` warns once per topic, `check` reports an error at each of
//! its files that is not a draft, and the dev server (drafts on) shows it under a banner.

use std::collections::BTreeMap;

use crate::check::translations::{TranslationState, TranslationStatus};
use crate::config::{Publish, TranslationRules};
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

/// The topics `rules` holds back, given the translation status of the project. A topic whose
/// every file is a draft is not listed: it is not published anyway.
pub fn held_back(status: &TranslationStatus, rules: &TranslationRules) -> HeldBack {
    let mut held = HeldBack::new();
    if rules.publish == Publish::Each {
        return held;
    }
    for topic in status.topics.iter().filter(|t| t.topic != HOME_TOPIC) {
        let unpublished = |state: TranslationState, draft: bool| {
            draft || matches!(state, TranslationState::Missing | TranslationState::Invalid)
        };
        if topic
            .languages
            .iter()
            .all(|l| unpublished(l.state, l.draft))
        {
            continue;
        }
        let holds: Vec<Hold> = topic
            .languages
            .iter()
            .filter_map(|language| {
                let reason = match language.state {
                    TranslationState::Missing => HoldReason::Missing,
                    TranslationState::Invalid => HoldReason::Invalid,
                    _ if language.draft => HoldReason::Draft,
                    TranslationState::Outdated if rules.require_current => HoldReason::Outdated,
                    TranslationState::Untranslated if rules.require_current => {
                        HoldReason::Untranslated
                    }
                    _ => return None,
                };
                Some(Hold {
                    lang: language.lang.clone(),
                    reason,
                })
            })
            .collect();
        if !holds.is_empty() {
            held.insert(topic.topic.clone(), holds);
        }
    }
    held
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
