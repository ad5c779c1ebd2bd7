//! Parse stage: one content file (`index.<lang>.md` or `_index.<lang>.md`) → `Page` or
//! `HomeText`: front matter checked field by field, body rendered. Pure: text in, data out.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::content::date::{Date, DateInput};
use crate::content::glossary::Term;
use crate::content::markdown::{Body, BodySource, OtherLink, Spot, render_markdown_with};
use crate::content::media::Media;
use crate::content::typography::Typography;
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::schema::{Located, TableSchema, parse_checked};
use crate::source::{Digest, DigestHasher};

static SOURCE_SCHEMA: TableSchema = TableSchema {
    what: "source",
    keys: &["publisher", "title", "date", "url"],
    nested: &[],
    any_key: None,
};
static EVENT_SCHEMA: TableSchema = TableSchema {
    what: "event",
    keys: &["date", "end", "text"],
    nested: &[],
    any_key: None,
};
pub static PAGE_SCHEMA: TableSchema = TableSchema {
    what: "front-matter",
    keys: &[
        "title",
        "date",
        "updated",
        "summary",
        "tags",
        "slug",
        "weight",
        "draft",
        "source_digest",
        "sources",
        "events",
        "image",
    ],
    nested: &[("sources", &SOURCE_SCHEMA), ("events", &EVENT_SCHEMA)],
    any_key: None,
};
pub static HOME_SCHEMA: TableSchema = TableSchema {
    what: "home page front-matter",
    keys: &["title", "summary", "updated", "source_digest"],
    nested: &[],
    any_key: None,
};

#[derive(Deserialize)]
struct RawPage {
    title: Spanned<String>,
    date: Spanned<toml::value::Datetime>,
    updated: Option<Spanned<toml::value::Datetime>>,
    summary: Option<String>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    slug: Option<Spanned<String>>,
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
    source_digest: Option<Spanned<String>>,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    events: Vec<RawEvent>,
    image: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawSource {
    publisher: String,
    title: String,
    date: Option<Spanned<toml::value::Datetime>>,
    url: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawEvent {
    date: Spanned<DateInput>,
    end: Option<Spanned<DateInput>>,
    text: String,
}

#[derive(Deserialize)]
struct RawHome {
    title: Option<String>,
    summary: Option<String>,
    updated: Option<Spanned<toml::value::Datetime>>,
    source_digest: Option<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TagRef {
    pub id: String,
    pub spot: Spot,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub publisher: String,
    pub title: String,
    pub date: Option<Date>,
    pub url: Option<String>,
    /// Where the URL is written, for `check`'s list of external links.
    pub url_spot: Option<Spot>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub date: Date,
    pub end: Option<Date>,
    pub text: String,
}

/// One topic in one language, as its file says. Text fields carry the language's typography.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Page {
    pub path: PathBuf,
    pub topic: String,
    pub lang: String,
    pub title: String,
    pub date: Date,
    pub updated: Option<Date>,
    pub summary: String,
    pub tags: Vec<TagRef>,
    pub slug: String,
    pub slug_spot: Spot,
    pub weight: Option<i64>,
    pub draft: bool,
    pub source_digest: Option<RecordedDigest>,
    pub sources: Vec<Source>,
    pub events: Vec<Event>,
    /// The page's picture for link previews (`og:image`): a file of its folder or a URL.
    pub image: Option<String>,
    pub body: Body,
    /// Digest of everything the page was parsed from (path, text, glossary; the parse stage
    /// folds in its call-out labels and the image files it measured): equal digests mean
    /// equal pages, which is how later stages know what they can reuse.
    pub digest: Digest,
}

/// The home page text of one language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct HomeText {
    pub path: PathBuf,
    pub lang: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub updated: Option<Date>,
    pub source_digest: Option<RecordedDigest>,
    pub body: Body,
    /// As `Page::digest`.
    pub digest: Digest,
}

/// The `source_digest` a translation records, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct RecordedDigest {
    pub digest: String,
    pub spot: Spot,
}

mod split;
pub use split::{FrontMatterSplit, split_front_matter};

/// What a page is parsed with besides its text.
pub struct PageInput<'a> {
    pub path: &'a Path,
    pub topic: &'a str,
    pub lang: &'a str,
    pub text: &'a str,
    pub glossary: &'a [Term],
}

pub fn parse_page(input: &PageInput<'_>) -> Result<Page, Vec<Diagnostic>> {
    parse_page_with(input, &Media::default())
}

/// `parse_page`, with the call-out labels of the page's language and its images' sizes.
pub fn parse_page_with(input: &PageInput<'_>, media: &Media<'_>) -> Result<Page, Vec<Diagnostic>> {
    let PageInput {
        path, text, lang, ..
    } = *input;
    let split = split_front_matter(path, text).map_err(|d| vec![d])?;
    let Some((front, front_offset)) = split.front_matter else {
        return Err(vec![
            Diagnostic::error(
                "front-matter-missing",
                path,
                "a topic page starts with front matter between +++ lines",
            )
            .at_line_column(Some(text), 1, 1)
            .with_help("add +++, title = \"...\", date = 2024-01-31, +++ at the top"),
        ]);
    };
    let at = Located {
        path,
        file_text: text,
        offset: front_offset,
    };
    let raw: RawPage = parse_checked(front, &PAGE_SCHEMA, &at)?;
    let mut problems = Vec::new();
    let lines = LineIndex::new(text);
    let typography = Typography::for_language(lang);
    let spot = |span: std::ops::Range<usize>| {
        let position = lines.position_in(text, span.start + front_offset);
        Spot {
            line: position.line,
            column: position.column,
        }
    };
    let mut date_of = |value: &Spanned<toml::value::Datetime>| -> Option<Date> {
        Date::from_toml(value.get_ref())
            .map_err(|message| problems.push(field_error(&at, value.span(), message)))
            .ok()
    };
    let date = date_of(&raw.date);
    let updated = raw.updated.as_ref().and_then(&mut date_of);
    let sources: Vec<Source> = raw
        .sources
        .iter()
        .map(|source| Source {
            publisher: typography.prose(source.publisher.trim()),
            title: typography.prose(source.title.trim()),
            date: source.date.as_ref().and_then(&mut date_of),
            url: source.url.as_ref().map(|url| url.get_ref().clone()),
            url_spot: source.url.as_ref().map(|url| spot(url.span())),
        })
        .collect();
    let mut events = Vec::new();
    for event in &raw.events {
        let mut resolve = |value: &Spanned<DateInput>| {
            value
                .get_ref()
                .resolve()
                .map_err(|message| problems.push(field_error(&at, value.span(), message)))
                .ok()
        };
        let start = resolve(&event.date);
        let end = match &event.end {
            Some(value) => match resolve(value) {
                Some(end) => Some(end),
                None => continue,
            },
            None => None,
        };
        let Some(start) = start else { continue };
        if let Some(end) = end
            && end.sort_key() < start.sort_key()
        {
            let span = event.end.as_ref().map_or(0..0, Spanned::span);
            problems.push(field_error(
                &at,
                span,
                format!("event ends ({end}) before it starts ({start})"),
            ));
        }
        events.push(Event {
            date: start,
            end,
            text: typography.prose(event.text.trim()),
        });
    }
    let slug = match &raw.slug {
        Some(slug) => {
            if !is_safe_segment(slug.get_ref()) {
                problems.push(field_error(
                    &at,
                    slug.span(),
                    format!(
                        "slug \"{}\" must be lowercase letters, digits and hyphens",
                        slug.get_ref()
                    ),
                ));
            }
            (slug.get_ref().clone(), spot(slug.span()))
        }
        None => (
            standalone_id(input.topic)
                .unwrap_or(input.topic)
                .to_string(),
            Spot { line: 1, column: 1 },
        ),
    };
    if raw.title.get_ref().trim().is_empty() {
        problems.push(field_error(&at, raw.title.span(), "title is empty".into()));
    }
    let tags = raw
        .tags
        .iter()
        .map(|tag| TagRef {
            id: tag.get_ref().trim().to_string(),
            spot: spot(tag.span()),
        })
        .collect();

    let source = BodySource {
        file_text: text,
        offset: split.body_offset,
        lines: &lines,
    };
    let mut body = render_markdown_with(split.body, &source, lang, input.glossary, media);
    problems.extend(crate::content::media::missing_alt_errors(
        path,
        text,
        &body.images_without_alt,
    ));
    if let Some(image) = &raw.image {
        // Checked like the images of the body: the file must be published where it leads.
        let link = OtherLink {
            target: image.get_ref().clone(),
            is_image: true,
            spot: spot(image.span()),
        };
        if image.get_ref().contains("://") {
            body.external_links.push(link);
        } else {
            body.file_links.push(link);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let summary = match raw.summary {
        Some(summary) if !summary.trim().is_empty() => typography.prose(summary.trim()),
        _ => shorten(&body.first_paragraph, 200),
    };
    Ok(Page {
        path: path.to_path_buf(),
        topic: input.topic.to_string(),
        lang: lang.to_string(),
        title: typography.prose(raw.title.get_ref().trim()),
        date: date.expect("a date without a problem was parsed"),
        updated,
        summary,
        tags,
        slug: slug.0,
        slug_spot: slug.1,
        weight: raw.weight,
        draft: raw.draft,
        source_digest: raw.source_digest.as_ref().map(|digest| RecordedDigest {
            digest: digest.get_ref().clone(),
            spot: spot(digest.span()),
        }),
        sources,
        events,
        image: raw.image.map(Spanned::into_inner),
        body,
        digest: parse_digest(path, input.topic, lang, text, input.glossary),
    })
}

/// The id of a standalone page (`about` for the topic `_pages/about`), `None` for a topic.
pub fn standalone_id(topic: &str) -> Option<&str> {
    topic
        .strip_prefix(crate::source::PAGES_FOLDER)?
        .strip_prefix('/')
}

impl Page {
    /// A page of `content/_pages/`: never listed with the topics, in tags, the timeline or
    /// feeds.
    pub fn is_standalone(&self) -> bool {
        standalone_id(&self.topic).is_some()
    }

    /// The id menus name it by: the topic id, or the standalone page's own id.
    pub fn id(&self) -> &str {
        standalone_id(&self.topic).unwrap_or(&self.topic)
    }
}

/// Parsing is pure: its inputs digest what comes out.
fn parse_digest(path: &Path, topic: &str, lang: &str, text: &str, glossary: &[Term]) -> Digest {
    let mut hasher = DigestHasher::default();
    hasher.add(path).add(topic).add(lang).add(text);
    for term in glossary {
        hasher.add(&term.short).add(&term.expansion);
    }
    hasher.digest()
}

pub fn parse_home(
    path: &Path,
    lang: &str,
    text: &str,
    glossary: &[Term],
) -> Result<HomeText, Vec<Diagnostic>> {
    parse_home_with(path, lang, text, glossary, &Media::default())
}

/// `parse_home`, with the call-out labels of the language and the images' sizes.
pub fn parse_home_with(
    path: &Path,
    lang: &str,
    text: &str,
    glossary: &[Term],
    media: &Media<'_>,
) -> Result<HomeText, Vec<Diagnostic>> {
    let split = split_front_matter(path, text).map_err(|d| vec![d])?;
    let typography = Typography::for_language(lang);
    let raw = match split.front_matter {
        Some((front, offset)) => {
            let at = Located {
                path,
                file_text: text,
                offset,
            };
            let raw: RawHome = parse_checked(front, &HOME_SCHEMA, &at)?;
            let updated = match &raw.updated {
                Some(value) => Some(
                    Date::from_toml(value.get_ref())
                        .map_err(|message| vec![field_error(&at, value.span(), message)])?,
                ),
                None => None,
            };
            Some((raw, updated, offset))
        }
        None => None,
    };
    let lines = LineIndex::new(text);
    let source = BodySource {
        file_text: text,
        offset: split.body_offset,
        lines: &lines,
    };
    let body = render_markdown_with(split.body, &source, lang, glossary, media);
    let missing_alt =
        crate::content::media::missing_alt_errors(path, text, &body.images_without_alt);
    if !missing_alt.is_empty() {
        return Err(missing_alt);
    }
    let (title, summary, updated, source_digest) = match raw {
        Some((raw, updated, offset)) => (
            raw.title.map(|t| typography.prose(t.trim())),
            raw.summary.map(|s| typography.prose(s.trim())),
            updated,
            raw.source_digest.map(|digest| {
                let position = lines.position_in(text, digest.span().start + offset);
                RecordedDigest {
                    digest: digest.into_inner(),
                    spot: Spot {
                        line: position.line,
                        column: position.column,
                    },
                }
            }),
        ),
        None => (None, None, None, None),
    };
    Ok(HomeText {
        path: path.to_path_buf(),
        lang: lang.to_string(),
        title,
        summary,
        updated,
        source_digest,
        body,
        digest: parse_digest(path, "", lang, text, glossary),
    })
}

fn field_error(at: &Located<'_>, span: std::ops::Range<usize>, message: String) -> Diagnostic {
    Diagnostic::error("front-matter-value", at.path, message)
        .at_span(at.file_text, span.start + at.offset..span.end + at.offset)
}

/// A URL segment or folder name that is safe everywhere: `a-z`, `0-9`, `-`, `_`.
pub fn is_safe_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment.len() <= 100
        && segment
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !segment.starts_with(['-', '_'])
}

/// Cuts text to at most `limit` characters at a word boundary, with an ellipsis.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests;
