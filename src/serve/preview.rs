//! Serve stage: the dev server's own pages. The side-by-side preview shows one topic in every
//! language next to each other (the translator's view), at a URL made from the topic id
//! alone: `/__briefing/side-by-side/<topic-id>`; under it, for each outdated translation, the
//! source blocks that changed since the version it records, each next to the translation's
//! block at the same place. Also the page shown while no build has succeeded yet.

use std::path::Path;

use serde::Serialize;
use tera::Context;

use crate::blocks::diff::{BlockChange, Change, Words};
use crate::blocks::{Block, BlockKind, split_blocks};
use crate::check::translations::{TopicStatus, TranslationState};
use crate::model::SiteModel;
use crate::since_translation::Lookups;
use crate::translation::page_path;

use super::pages::{FALLBACK, page_language, render};
use super::state::{DiagnosticView, ServedSite};

pub const PREVIEW_PREFIX: &str = "__briefing/side-by-side/";

/// The address of the side-by-side preview of a topic, from the site root.
pub fn preview_path(topic: &str) -> String {
    format!("/{PREVIEW_PREFIX}{topic}")
}

/// For each language of the site, the address of the topic's page in it, if any.
pub fn frames(model: Option<&SiteModel>, topic: &str) -> Vec<Option<String>> {
    let Some(model) = model else {
        return Vec::new();
    };
    let pages = model.translations.get(topic);
    model
        .languages
        .iter()
        .map(|language| {
            pages
                .and_then(|pages| pages.get(&language.lang))
                .map(|path| format!("/{}", path.as_str()))
        })
        .collect()
}

#[derive(Serialize)]
struct ColumnView {
    lang: String,
    src: Option<String>,
    title: Option<String>,
    /// Where the file is expected, when there is no page.
    expected: String,
}

#[derive(Serialize)]
struct ChangesView {
    lang: String,
    path: String,
    /// `no-git` or `no-match` when the changes are unknown.
    unknown: Option<&'static str>,
    commit: Option<String>,
    summary: Option<String>,
    rows: Vec<RowView>,
}

#[derive(Serialize)]
struct RowView {
    change: Change,
    kind: BlockKind,
    field: Option<String>,
    line: usize,
    before: Option<String>,
    after: Option<String>,
    words: Vec<Words>,
    /// The translation's block at the same place (same field, or same position in the body).
    translation: Option<String>,
}

/// The preview page, or `None` when no language has the topic.
pub fn page(served: &ServedSite, topic: &str) -> Option<String> {
    let model = served.model.as_deref()?;
    model.translations.get(topic)?;
    let mut titles = Vec::new();
    let mut columns = Vec::new();
    for (language, frame) in model.languages.iter().zip(frames(Some(model), topic)) {
        let title = language
            .topics
            .iter()
            .chain(&language.pages)
            .find(|t| t.page.topic == topic)
            .map(|t| t.page.title.clone());
        if let (Some(_), Some(title)) = (&frame, &title) {
            titles.push(title.clone());
        }
        columns.push(ColumnView {
            lang: language.lang.clone(),
            src: frame.filter(|_| title.is_some()),
            title,
            expected: page_path(topic, &language.lang)
                .to_string_lossy()
                .into_owned(),
        });
    }
    let status = served
        .translations
        .as_deref()
        .and_then(|status| status.topics.iter().find(|row| row.topic == topic));
    let changes = match (status, &served.project_root) {
        (Some(status), Some(root)) => outdated_changes(root, status),
        _ => Vec::new(),
    };
    let source_language = model.languages.first().map_or(FALLBACK, |l| &l.lang);
    // The translator reads the page in the language being translated.
    let lang = changes
        .first()
        .map(|view| view.lang.as_str())
        .or(model.languages.get(1).map(|l| l.lang.as_str()))
        .unwrap_or(source_language);
    let mut context = Context::new();
    context.insert("lang", page_language(lang));
    context.insert("source_language", source_language);
    context.insert("topic", topic);
    context.insert("titles", &titles);
    context.insert("columns", &columns);
    context.insert("changes", &changes);
    Some(render("side_by_side.html", &context))
}

/// The changes of each outdated translation of the topic, read from the project's files and
/// git history now.
fn outdated_changes(root: &Path, status: &TopicStatus) -> Vec<ChangesView> {
    let Some(source) = status.languages.first() else {
        return Vec::new();
    };
    let Ok(current) = std::fs::read_to_string(root.join(&source.path)) else {
        return Vec::new();
    };
    let mut lookups = Lookups::new(root);
    let mut views = Vec::new();
    for language in &status.languages {
        let (TranslationState::Outdated, Some(recorded)) = (language.state, &language.recorded)
        else {
            continue;
        };
        let since = lookups.since(&source.path, &current, &recorded.digest);
        let translation = std::fs::read_to_string(root.join(&language.path))
            .map(|text| split_blocks(&text))
            .unwrap_or_default();
        views.push(ChangesView {
            lang: language.lang.clone(),
            path: language.path.to_string_lossy().into_owned(),
            unknown: since.unknown_code,
            commit: since.commit.map(|commit| commit.chars().take(10).collect()),
            summary: since.summary,
            rows: since
                .blocks
                .into_iter()
                .map(|change| row(change, &translation))
                .collect(),
        });
    }
    views
}

fn row(change: BlockChange, translation: &[Block]) -> RowView {
    let at_same_place = match (&change.field, change.index) {
        (Some(key), _) => translation
            .iter()
            .find(|block| block.field.as_ref() == Some(key)),
        (None, Some(index)) => translation
            .iter()
            .filter(|block| block.kind != BlockKind::Field)
            .nth(index),
        (None, None) => None,
    };
    RowView {
        change: change.change,
        kind: change.kind,
        field: change.field,
        line: change.line,
        before: change.before,
        after: change.after,
        words: change.words,
        translation: at_same_place.map(|block| block.text.clone()),
    }
}

/// Shown for every page while no build has succeeded: the errors, and the live-reload script
/// brings the site in once they are fixed. In the source language's words when known.
pub fn error_page(served: &ServedSite) -> String {
    let errors: Vec<&str> = served
        .errors
        .as_deref()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|error: &DiagnosticView| error.text.as_str())
        .collect();
    let lang = served
        .translations
        .as_deref()
        .map_or(FALLBACK, |status| status.source_language.as_str());
    let mut context = Context::new();
    context.insert("lang", page_language(lang));
    context.insert("errors", &errors);
    render("error.html", &context)
}
