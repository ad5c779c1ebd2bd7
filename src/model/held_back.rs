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

/// What the last run's `held_back_with_memo` found, to redo only the topics whose pages
/// changed since.
#[derive(Debug, Default)]
pub struct HeldBackMemo {
    languages: Vec<String>,
    rules: TranslationRules,
    pages: Vec<Arc<Page>>,
    /// Topic → the indexes of its pages in `pages`.
    topics: HashMap<String, Vec<usize>>,
    held: HeldBack,
}

/// The topics `rules` holds back, from the pages of a run (for `build` and `serve`, where
/// every file parsed). `state_of(translation, source)` is asked only with `require_current`.
/// With a `memo` of the last run, only the topics with a page that is not the very page of
/// that run are worked out again (each topic's holds read that topic's pages alone), when
/// the run has the same files in the same places, languages and rules; all of them otherwise.
pub fn held_back_with_memo(
    languages: &[String],
    pages: &[Arc<Page>],
    rules: &TranslationRules,
    memo: &mut Option<HeldBackMemo>,
    mut state_of: impl FnMut(&Page, &Page) -> TranslationState,
) -> HeldBack {
    if rules.publish == Publish::Each {
        *memo = None;
        return HeldBack::new();
    }
    if let Some(last) = memo.as_mut().filter(|last| {
        last.languages == languages && last.rules == *rules && last.pages.len() == pages.len()
    }) && let Some(changed) = changed_in_place(&last.pages, pages)
    {
        let mut redo: Vec<&str> = changed.iter().map(|at| pages[*at].topic.as_str()).collect();
        redo.sort_unstable();
        redo.dedup();
        for topic in redo {
            let of_topic: Vec<&Page> = last.topics[topic].iter().map(|at| &*pages[*at]).collect();
            match topic_held(languages, &of_topic, rules, &mut state_of) {
                Some(holds) => last.held.insert(topic.to_string(), holds),
                None => last.held.remove(topic),
            };
        }
        for at in changed {
            last.pages[at] = pages[at].clone();
        }
        return last.held.clone();
    }
    let mut topics: HashMap<String, Vec<usize>> = HashMap::new();
    for (at, page) in pages.iter().enumerate() {
        topics.entry(page.topic.clone()).or_default().push(at);
    }
    let mut held = HeldBack::new();
    for (topic, indexes) in &topics {
        let of_topic: Vec<&Page> = indexes.iter().map(|at| &*pages[*at]).collect();
        if let Some(holds) = topic_held(languages, &of_topic, rules, &mut state_of) {
            held.insert(topic.clone(), holds);
        }
    }
    *memo = Some(HeldBackMemo {
        languages: languages.to_vec(),
        rules: *rules,
        pages: pages.to_vec(),
        topics,
        held: held.clone(),
    });
    held
}

/// The indexes where `pages` holds another page than `last` did, when each such page has the
/// same file as the one it replaces; `None` when a file moved. Only the pointers are read
/// for pages left as they were.
fn changed_in_place(last: &[Arc<Page>], pages: &[Arc<Page>]) -> Option<Vec<usize>> {
    let mut changed = Vec::new();
    for (at, (old, new)) in last.iter().zip(pages).enumerate() {
        if !Arc::ptr_eq(old, new) {
            if old.path != new.path {
                return None;
            }
            changed.push(at);
        }
    }
    Some(changed)
}

/// The holds of one topic, from its pages.
fn topic_held(
    languages: &[String],
    pages: &[&Page],
    rules: &TranslationRules,
    state_of: &mut impl FnMut(&Page, &Page) -> TranslationState,
) -> Option<Vec<Hold>> {
    let mut files: Vec<Option<&Page>> = vec![None; languages.len()];
    for page in pages {
        if let Some(index) = languages.iter().position(|lang| *lang == page.lang) {
            files[index] = Some(page);
        }
    }
    let source = files[0];
    let mut facts: Vec<(&str, FileFacts)> = Vec::with_capacity(languages.len());
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
    topic_holds(&facts, rules)
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
