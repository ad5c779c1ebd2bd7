//! Translations and their source: the digest a translation records of the source-language
//! file it was made from, and `briefing translated`, which records it.

use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};
use toml::de::DeTable;

use crate::config::Config;
use crate::content::page::{HOME_SCHEMA, PAGE_SCHEMA, is_safe_segment, split_front_matter};
use crate::diagnostic::{Diagnostic, nearest};
use crate::schema::{Located, parse_checked};

/// The topic id that names the home page texts (`content/_index.<lang>.md`) in `check` and
/// `translated`. Topic ids never start with `_`, so it cannot clash with one.
pub const HOME_TOPIC: &str = "_index";

/// SHA-256 (hex) of a source file's text with line endings normalized to `\n`, so that a
/// checkout with other line endings gives the same digest. `sha256sum` gives the same value
/// for a file with `\n` endings.
pub fn source_digest(text: &str) -> String {
    let normalized = text.replace("\r\n", "\n");
    let hash = Sha256::digest(normalized.as_bytes());
    hash.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Where the file of `topic` in `lang` is, relative to the project root.
pub fn page_path(topic: &str, lang: &str) -> PathBuf {
    if topic == HOME_TOPIC {
        PathBuf::from(format!("content/_index.{lang}.md"))
    } else {
        PathBuf::from(format!("content/{topic}/index.{lang}.md"))
    }
}

/// A translation `translated` looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub path: PathBuf,
    /// False when the file already recorded the current digest.
    pub changed: bool,
}

/// `briefing translated <topic> [--lang L]`: records the current digest of the topic's
/// source-language file in its translation into `lang`, or into every language that has one.
pub fn mark_translated(
    root: &Path,
    topic: &str,
    lang: Option<&str>,
) -> Result<Vec<Recorded>, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let source_lang = config.source_language();
    let topic = &standalone_or_topic(root, topic);
    let source_path = page_path(topic, source_lang);
    let id = crate::content::page::standalone_id(topic).unwrap_or(topic);
    if topic != HOME_TOPIC && !is_safe_segment(id) {
        return Err(vec![Diagnostic::error(
            "topic-id",
            &source_path,
            format!("\"{topic}\" is not a topic id"),
        )]);
    }
    let source_text = read(root, &source_path).map_err(|problem| {
        vec![problem.with_help(match nearest_topic(root, topic) {
            Some(candidate) => format!("did you mean \"{candidate}\"?"),
            None => format!("the source language is \"{source_lang}\", the first in briefing.toml"),
        })]
    })?;
    let digest = source_digest(&source_text);
    let targets = translations_to_mark(root, &config, topic, lang)?;
    let mut recorded = Vec::new();
    for lang in targets {
        let path = page_path(topic, lang);
        let text = read(root, &path).map_err(|problem| vec![problem])?;
        let updated = record_source_digest(&path, &text, &digest, topic == HOME_TOPIC)?;
        let changed = updated != text;
        if changed {
            std::fs::write(root.join(&path), &updated).map_err(|error| {
                vec![Diagnostic::error(
                    "io",
                    &path,
                    format!("cannot write: {error}"),
                )]
            })?;
        }
        recorded.push(Recorded { path, changed });
    }
    Ok(recorded)
}

/// The languages whose translation of `topic` to mark: `lang`, or every one with a file.
fn translations_to_mark<'c>(
    root: &Path,
    config: &'c Config,
    topic: &str,
    lang: Option<&'c str>,
) -> Result<Vec<&'c str>, Vec<Diagnostic>> {
    let source_lang = config.source_language();
    let source_path = page_path(topic, source_lang);
    let targets: Vec<&str> = match lang {
        Some(lang) if lang == source_lang => {
            return Err(vec![Diagnostic::error(
                "translated-source",
                &source_path,
                format!("\"{lang}\" is the source language: its files are not translations"),
            )]);
        }
        Some(lang) if !config.languages.iter().any(|known| known == lang) => {
            return Err(vec![Diagnostic::error(
                "translated-language",
                "briefing.toml",
                format!(
                    "\"{lang}\" is not one of the site's languages ({})",
                    config.languages.join(", ")
                ),
            )]);
        }
        Some(lang) => vec![lang],
        None => config.languages[1..]
            .iter()
            .map(String::as_str)
            .filter(|lang| root.join(page_path(topic, lang)).is_file())
            .collect(),
    };
    if targets.is_empty() {
        return Err(vec![Diagnostic::error(
            "translated-none",
            &source_path,
            format!("topic \"{topic}\" has no translation yet"),
        )]);
    }
    Ok(targets)
}

fn read(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(root.join(path)).map_err(|error| {
        let message = match error.kind() {
            std::io::ErrorKind::NotFound => format!("{} does not exist", path.display()),
            _ => format!("cannot read {}: {error}", path.display()),
        };
        Diagnostic::error("io", path, message)
    })
}

/// `about` names the standalone page `_pages/about` when there is no topic `about`.
fn standalone_or_topic(root: &Path, id: &str) -> String {
    let page = format!("{}/{id}", crate::source::PAGES_FOLDER);
    let content = root.join("content");
    if is_safe_segment(id) && !content.join(id).is_dir() && content.join(&page).is_dir() {
        page
    } else {
        id.to_string()
    }
}

fn nearest_topic(root: &Path, topic: &str) -> Option<String> {
    let folders: Vec<String> = std::fs::read_dir(root.join("content"))
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    let candidates: Vec<&str> = folders.iter().map(String::as_str).collect();
    nearest(topic, &candidates).map(str::to_string)
}

/// The file's text with `source_digest = "<digest>"` in its front matter: the value replaced
/// where the key is, or the key added after the last top-level key (before any `[[sources]]`
/// table, where it would change meaning), with the file's line ending. Nothing else changes.
pub fn record_source_digest(
    path: &Path,
    text: &str,
    digest: &str,
    is_home: bool,
) -> Result<String, Vec<Diagnostic>> {
    let split = split_front_matter(path, text).map_err(|problem| vec![problem])?;
    let Some((front, offset)) = split.front_matter else {
        return Err(vec![
            Diagnostic::error(
                "front-matter-missing",
                path,
                "the file has no front matter to record the source digest in",
            )
            .at_line_column(Some(text), 1, 1),
        ]);
    };
    let at = Located {
        path,
        file_text: text,
        offset,
    };
    let schema = if is_home { &HOME_SCHEMA } else { &PAGE_SCHEMA };
    parse_checked::<toml::Table>(front, schema, &at)?;
    let table = DeTable::parse(front).expect("front matter that deserialized parses");
    let value = format!("\"{digest}\"");
    let mut updated = String::with_capacity(text.len() + 100);
    if let Some((_, existing)) = table
        .get_ref()
        .iter()
        .find(|(key, _)| key.get_ref().as_ref() == "source_digest")
    {
        let span = existing.span();
        updated.push_str(&text[..offset + span.start]);
        updated.push_str(&value);
        updated.push_str(&text[offset + span.end..]);
        return Ok(updated);
    }
    let insert_at = end_of_top_level_keys(front, table.get_ref());
    let line_ending = if front[..insert_at].ends_with("\r\n")
        || (insert_at == 0 && text[..offset].ends_with("\r\n"))
    {
        "\r\n"
    } else {
        "\n"
    };
    updated.push_str(&text[..offset + insert_at]);
    updated.push_str(&format!("source_digest = {value}{line_ending}"));
    updated.push_str(&text[offset + insert_at..]);
    Ok(updated)
}

/// The offset just after the line of the last top-level `key = value` of the front matter,
/// or 0 when there is none. Keys written in a `[table]` or `[[array]]` header are not
/// top-level key-values.
fn end_of_top_level_keys(front: &str, table: &DeTable<'_>) -> usize {
    table
        .iter()
        .filter(|(key, _)| {
            let line_start = front[..key.span().start].rfind('\n').map_or(0, |at| at + 1);
            front[line_start..key.span().start].trim().is_empty()
        })
        .map(|(_, value)| value.span().end)
        .max()
        .map_or(0, |end| {
            front[end..]
                .find('\n')
                .map_or(front.len(), |newline| end + newline + 1)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn record(text: &str) -> String {
        record_source_digest(Path::new("content/x/index.en.md"), text, DIGEST, false).unwrap()
    }

    #[test]
    fn line_endings_do_not_change_the_digest() {
        assert_eq!(source_digest("a\r\nb\r\n"), source_digest("a\nb\n"));
        assert_eq!(source_digest(""), DIGEST);
    }

    #[test]
    fn an_existing_digest_is_replaced_in_place() {
        let text = "+++\ntitle = \"T\"\nsource_digest='old'   # kept comment\ndate = 2024-01-01\n+++\nBody\n";
        assert_eq!(
            record(text),
            format!(
                "+++\ntitle = \"T\"\nsource_digest=\"{DIGEST}\"   # kept comment\ndate = 2024-01-01\n+++\nBody\n"
            )
        );
    }

    #[test]
    fn a_missing_digest_goes_after_the_last_top_level_key_not_into_a_table() {
        let text = "+++\r\ntitle = \"T\"\r\ntags = [\r\n  \"a\",\r\n]\r\n\r\n[[sources]]\r\npublisher = \"P\"\r\ntitle = \"S\"\r\n+++\r\nBody\r\n";
        assert_eq!(
            record(text),
            format!(
                "+++\r\ntitle = \"T\"\r\ntags = [\r\n  \"a\",\r\n]\r\nsource_digest = \"{DIGEST}\"\r\n\r\n[[sources]]\r\npublisher = \"P\"\r\ntitle = \"S\"\r\n+++\r\nBody\r\n"
            )
        );
    }

    #[test]
    fn a_front_matter_of_tables_only_gets_the_key_first() {
        let text = "+++\n[[events]]\ndate = 2024\ntext = \"E\"\n+++\n";
        assert_eq!(
            record(text),
            format!(
                "+++\nsource_digest = \"{DIGEST}\"\n[[events]]\ndate = 2024\ntext = \"E\"\n+++\n"
            )
        );
    }

    #[test]
    fn invalid_front_matter_is_reported_not_rewritten() {
        let problems = record_source_digest(
            Path::new("content/x/index.en.md"),
            "+++\ntitel = \"T\"\n+++\n",
            DIGEST,
            false,
        )
        .unwrap_err();
        assert_eq!(problems[0].location(), "content/x/index.en.md:2:1");
    }
}
