//! Serve stage: the translation-status page of the dev server, a view over
//! `check::translations::TranslationStatus` (the same data `briefing check` reports). Every
//! translation that is not current links to the topic's side-by-side preview.

use crate::check::translations::{TranslationState, TranslationStatus};

use super::http::escape_attribute;
use super::preview::preview_path;

/// Where the page is served, from the site root (without its leading slash).
pub const STATUS_KEY: &str = "__briefing/translations/index.html";

/// The address of the page.
pub fn status_path() -> String {
    format!("/{}", STATUS_KEY.trim_end_matches("index.html"))
}

pub fn page(status: &TranslationStatus) -> String {
    let mut head = String::from("<tr><th scope=\"col\">topic</th>");
    for lang in &status.languages {
        head.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            escape_attribute(lang)
        ));
    }
    head.push_str("</tr>");
    let mut rows = String::new();
    for topic in &status.topics {
        let preview = escape_attribute(&preview_path(&topic.topic));
        let name = match &topic.title {
            Some(title) => format!(
                "{} <span class=\"id\">{}</span>",
                escape_attribute(title),
                escape_attribute(&topic.topic)
            ),
            None => escape_attribute(&topic.topic),
        };
        rows.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"{preview}\">{name}</a></th>"
        ));
        for cell in &topic.languages {
            let label = cell.state.label();
            let draft = if cell.draft { " (draft)" } else { "" };
            let text = match cell.state {
                TranslationState::Source | TranslationState::Current => {
                    format!("{label}{draft}")
                }
                _ => format!("<a href=\"{preview}\">{label}</a>{draft}"),
            };
            rows.push_str(&format!(
                "<td class=\"{}\" title=\"{}\">{text}</td>",
                label.replace(' ', "-"),
                escape_attribute(&cell.path.to_string_lossy())
            ));
        }
        rows.push_str("</tr>\n");
    }
    let mut counts = String::new();
    for lang in status.languages.iter().skip(1) {
        let parts: Vec<String> = TranslationState::ALL
            .iter()
            .filter_map(|state| {
                let count = status.count(lang, *state);
                (count > 0).then(|| format!("{count} {}", state.label()))
            })
            .collect();
        counts.push_str(&format!(
            "<li>{}: {}</li>",
            escape_attribute(lang),
            parts.join(", ")
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Translations · briefing</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>Translations</h1>\n\
         <p>Source language: {}. A translation is outdated when its <code>source_digest</code> \
         is not the digest of its source file now; open the topic side by side, bring the \
         translation up to date, then run <code>briefing translated &lt;topic-id&gt;</code>.</p>\n\
         <ul class=\"counts\">{counts}</ul>\n\
         <table>\n<thead>{head}</thead>\n<tbody>\n{rows}</tbody>\n</table>\n</main>\n</body>\n</html>\n",
        escape_attribute(&status.source_language)
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}\
table{border-collapse:collapse}th,td{border:1px solid #d5dae0;padding:.35rem .6rem;text-align:left}\
thead th{background:#f4f6f8}.id{color:#555;font-family:monospace;font-size:.85em}\
td.ok,td.source{color:#1d5e2a}td.outdated,td.untranslated,td.invalid,td.no-source{background:#fff1e0}\
td.missing{background:#fdecec}a{color:#0b4f8a}";

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
        assert!(html.contains(
            "<td class=\"outdated\" title=\"content/x/index.en.md\"><a href=\"/__briefing/side-by-side/cyber\">outdated</a></td>"
        ));
        assert!(html.contains("Cyber &lt;défense&gt;"));
        assert!(html.contains("<li>en: 1 outdated</li>"));
        assert_eq!(status_path(), "/__briefing/translations/");
    }
}
