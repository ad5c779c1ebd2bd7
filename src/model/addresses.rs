//! Assemble stage, addresses: where a language's pages live (URL segments from the locale
//! tables, topic slugs, tag pages) and the clashes between them.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::{Segments, TagModel};
use crate::content::markdown::Spot;
use crate::content::page::{Page, is_safe_segment};
use crate::diagnostic::Diagnostic;
use crate::i18n::Locales;
use crate::messages;
use crate::urls::SitePath;

pub(super) fn tag_model(
    locales: &Locales,
    lang: &str,
    segments: &Segments,
    page: &Page,
    id: &str,
    spot: Spot,
    problems: &mut Vec<Diagnostic>,
) -> Option<TagModel> {
    let message = messages::tag_message(id);
    match locales.message(lang, &message, &[]) {
        Ok(name) => {
            let slug = slug::slugify(&name);
            Some(TagModel {
                id: id.to_string(),
                path: SitePath::folder(&[lang, &segments.tags, &slug]),
                name,
                topics: Vec::new(),
            })
        }
        Err(_) => {
            problems.push(
                Diagnostic::error(
                    "tag-without-name",
                    &page.path,
                    format!("tag \"{id}\" has no name in language \"{lang}\""),
                )
                .at_line_column(None, spot.line, spot.column)
                .with_help(format!(
                    "add `{message} = ...` to a file in locales/{lang}/"
                ))
                .for_page(&page.topic, lang),
            );
            None
        }
    }
}

pub(super) fn segments(locales: &Locales, lang: &str, problems: &mut Vec<Diagnostic>) -> Segments {
    let mut values = Vec::new();
    for message in messages::SEGMENTS {
        let id = message.id;
        let value = match locales.code_message(lang, &message, &[]) {
            Ok(value) if is_safe_segment(&value) => value,
            Ok(value) => {
                problems.push(locale_problem(locales, lang, id, format!(
                    "URL segment \"{value}\" of message \"{id}\" must be lowercase letters, digits and hyphens"
                )));
                id.trim_start_matches("url-").to_string()
            }
            Err(error) => {
                problems.push(Diagnostic::error(
                    "fluent-missing",
                    Path::new("locales").join(lang),
                    error.to_string(),
                ));
                id.trim_start_matches("url-").to_string()
            }
        };
        if values.contains(&value) {
            problems.push(locale_problem(
                locales,
                lang,
                id,
                format!("URL segment \"{value}\" is used twice"),
            ));
        }
        values.push(value);
    }
    let mut values = values.into_iter();
    let mut next = || values.next().unwrap_or_default();
    Segments {
        tags: next(),
        timeline: next(),
        glossary: next(),
        search: next(),
        page: next(),
    }
}

pub(super) fn locale_problem(
    locales: &Locales,
    lang: &str,
    id: &str,
    message: String,
) -> Diagnostic {
    match locales
        .definitions(lang)
        .and_then(|definitions| definitions.get(id))
    {
        Some(definition) => Diagnostic::error("locale-segment", &definition.path, message)
            .at_line_column(None, definition.line, definition.column),
        None => Diagnostic::error("locale-segment", Path::new("locales").join(lang), message),
    }
}

pub(super) fn check_slugs(
    lang: &str,
    pages: &[Arc<Page>],
    segments: &Segments,
    problems: &mut Vec<Diagnostic>,
) {
    let reserved = [
        &segments.tags,
        &segments.timeline,
        &segments.glossary,
        &segments.search,
        &segments.page,
    ];
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for page in pages {
        let mut problem = |message: String| {
            problems.push(
                Diagnostic::error("slug-collision", &page.path, message)
                    .at_line_column(None, page.slug_spot.line, page.slug_spot.column)
                    .for_page(&page.topic, lang),
            );
        };
        if reserved.iter().any(|segment| **segment == page.slug) || page.slug == "atom.xml" {
            problem(format!(
                "slug \"{}\" is the address of a page of the site in \"{lang}\"",
                page.slug
            ));
        } else if let Some(other) = seen.insert(&page.slug, page) {
            problem(format!(
                "slug \"{}\" is also the address of {} in \"{lang}\"",
                page.slug,
                other.path.display()
            ));
        }
    }
}

pub(super) fn check_tag_slugs(lang: &str, tags: &[TagModel], problems: &mut Vec<Diagnostic>) {
    for (index, tag) in tags.iter().enumerate() {
        if let Some(other) = tags[..index].iter().find(|other| other.path == tag.path) {
            problems.push(Diagnostic::error(
                "tag-collision",
                Path::new("locales").join(lang),
                format!(
                    "tags \"{}\" and \"{}\" have names that give the same address {}",
                    other.id,
                    tag.id,
                    tag.path.as_str()
                ),
            ));
        }
    }
}
