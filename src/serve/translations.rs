//! Serve stage: the translation-status page of the dev server, a view over
//! `check::translations::TranslationStatus` (the same data `briefing check` reports). Every
//! translation that is not current links to the topic's side-by-side preview.

use serde::Serialize;
use tera::Context;

use crate::check::translations::{TranslationState, TranslationStatus};

use super::pages::render;
use super::preview::preview_path;

/// Where the page is served, from the site root (without its leading slash).
pub const STATUS_KEY: &str = "__briefing/translations/index.html";

/// The address of the page.
pub fn status_path() -> String {
    format!("/{}", STATUS_KEY.trim_end_matches("index.html"))
}

#[derive(Serialize)]
struct TopicView<'a> {
    id: &'a str,
    title: Option<&'a str>,
    preview: String,
    cells: Vec<CellView>,
}

#[derive(Serialize)]
struct CellView {
    /// The state's name in the page's words (`state-<name>`).
    state: TranslationState,
    /// The CSS class: the state as `check` names it.
    class: String,
    path: String,
    draft: bool,
    /// Whether the cell links to the side-by-side view (not current, not the source).
    linked: bool,
}

#[derive(Serialize)]
struct CountView<'a> {
    lang: &'a str,
    parts: Vec<CountPart>,
}

#[derive(Serialize)]
struct CountPart {
    state: TranslationState,
    count: usize,
}

/// The page, in the source language's words.
pub fn page(status: &TranslationStatus) -> String {
    let topics: Vec<TopicView<'_>> = status
        .topics
        .iter()
        .map(|topic| TopicView {
            id: &topic.topic,
            title: topic.title.as_deref(),
            preview: preview_path(&topic.topic),
            cells: topic
                .languages
                .iter()
                .map(|cell| CellView {
                    state: cell.state,
                    class: cell.state.label().replace(' ', "-"),
                    path: cell.path.to_string_lossy().into_owned(),
                    draft: cell.draft,
                    linked: !matches!(
                        cell.state,
                        TranslationState::Source | TranslationState::Current
                    ),
                })
                .collect(),
        })
        .collect();
    let counts: Vec<CountView<'_>> = status
        .languages
        .iter()
        .skip(1)
        .map(|lang| CountView {
            lang,
            parts: TranslationState::ALL
                .iter()
                .map(|state| CountPart {
                    state: *state,
                    count: status.count(lang, *state),
                })
                .filter(|part| part.count > 0)
                .collect(),
        })
        .collect();
    let mut context = Context::new();
    context.insert("lang", &status.source_language);
    context.insert("source_language", &status.source_language);
    context.insert("languages", &status.languages);
    context.insert("topics", &topics);
    context.insert("counts", &counts);
    render("translations.html", &context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::translations::{LanguageStatus, TopicStatus};
    use std::path::PathBuf;

    fn cell(lang: &str, state: TranslationState) -> LanguageStatus {
        LanguageStatus {
            lang: lang.into(),
            state,
            path: PathBuf::from(format!("content/x/index.{lang}.md")),
            draft: false,
            recorded: None,
            current: None,
        }
    }

    #[test]
    fn an_outdated_translation_links_to_its_side_by_side_preview() {
        let status = TranslationStatus {
            source_language: "fr".into(),
            languages: vec!["fr".into(), "en".into()],
            topics: vec![TopicStatus {
                topic: "cyber".into(),
                title: Some("Cyber <défense>".into()),
                languages: vec![
                    cell("fr", TranslationState::Source),
                    cell("en", TranslationState::Outdated),
                ],
            }],
        };
        let html = page(&status);
        // In the source language's words.
        assert!(
            html.contains(
                "<td class=\"outdated\" title=\"content/x/index.en.md\"><a href=\"/__briefing/side-by-side/cyber\">périmée</a></td>"
            ),
            "{html}"
        );
        assert!(html.contains("Cyber &lt;défense&gt;"), "{html}");
        assert!(html.contains("<li>en: 1 périmée</li>"), "{html}");
        assert_eq!(status_path(), "/__briefing/translations/");
    }
}
