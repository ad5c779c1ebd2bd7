//! Parse stage: one Markdown body → `Body` (HTML, headings, links), pure.
//!
//! Done here, once per file: heading ids, the language's typography on prose, `<abbr>` on the
//! first use of each glossary short form, and the record of every link. `@/topic` links are
//! left as numbered placeholders that the assemble stage resolves, because their targets live
//! in other files.

use std::borrow::Cow;
use std::collections::HashSet;

use pulldown_cmark::{
    CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};

use crate::content::glossary::Term;
use crate::content::lazy_text::LazyText;
use crate::content::media::{self, Media, MissingAlt, PendingImage};
use crate::content::typography::{TextBlock, Typography};
use crate::diagnostic::LineIndex;

/// The prefix of the placeholder an `@/` link's href holds until the assemble stage.
pub const TOPIC_LINK_PLACEHOLDER: &str = "briefing-topic-link:";

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Where in the file something was written: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Spot {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TopicLink {
    pub topic: String,
    pub anchor: Option<String>,
    pub spot: Spot,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct OtherLink {
    pub target: String,
    pub is_image: bool,
    pub spot: Spot,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Body {
    /// HTML with `@/` links as placeholders numbered by their index in `topic_links`.
    pub html: LazyText,
    pub headings: Vec<Heading>,
    pub topic_links: Vec<TopicLink>,
    /// `#anchor` links within the page.
    pub anchor_links: Vec<OtherLink>,
    /// Relative links and images to files.
    pub file_links: Vec<OtherLink>,
    /// Links with a scheme (`https:`, `mailto:`), listed by `check`, never fetched.
    pub external_links: Vec<OtherLink>,
    pub plain_text: LazyText,
    /// Read once, for a page's summary when it has none: a `LazyText`, so that the parse
    /// store gives it without copying or checking it.
    pub first_paragraph: LazyText,
    pub word_count: usize,
    /// Images written without alternative text: errors of the page.
    pub images_without_alt: Vec<MissingAlt>,
}

/// Where a body sits in its file, so that links can name their line and column.
pub struct BodySource<'a> {
    pub file_text: &'a str,
    pub offset: usize,
    pub lines: &'a LineIndex,
}

impl BodySource<'_> {
    fn spot(&self, body_offset: usize) -> Spot {
        let position = self
            .lines
            .position_in(self.file_text, self.offset + body_offset);
        Spot {
            line: position.line,
            column: position.column,
        }
    }
}

pub fn render_markdown(
    markdown: &str,
    source: &BodySource<'_>,
    lang: &str,
    glossary: &[Term],
) -> Body {
    render_markdown_with(markdown, source, lang, glossary, &Media::default())
}

/// `render_markdown` with the call-out labels of the language and the sizes of images.
pub fn render_markdown_with(
    markdown: &str,
    source: &BodySource<'_>,
    lang: &str,
    glossary: &[Term],
    media: &Media<'_>,
) -> Body {
    let typography = Typography::for_language(lang);
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    if typography == Typography::Plain {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let parser = Parser::new_ext(markdown, options).into_offset_iter();
    let mut state = State {
        body: Body::default(),
        // The text and the HTML are about the size of the Markdown: sized once rather than
        // grown by doubling (a copy each time) over a body's 5–10 KB.
        plain_text: String::with_capacity(markdown.len()),
        first_paragraph: String::new(),
        typography,
        block: typography.block(),
        glossary,
        used_terms: HashSet::new(),
        used_ids: HashSet::new(),
        code_depth: 0,
        image_depth: 0,
        heading: None,
        paragraph_depth: 0,
        first_paragraph_done: false,
        events: Vec::new(),
        media,
        image: None,
        paragraph_start: None,
        lone_image: None,
    };
    for (event, range) in TextMergeWithOffset::new(parser) {
        // Only links and images keep where they are: the line and column are worked out
        // for them alone, not for each of a body's hundreds of events.
        state.handle(event, || source.spot(range.start));
    }
    let State {
        mut body,
        events,
        plain_text,
        first_paragraph,
        ..
    } = state;
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // `LazyText` keeps it in a box of its own size.
    body.html = html.into();
    let plain_text = plain_text.trim();
    body.word_count = plain_text.split_whitespace().count();
    body.plain_text = plain_text.into();
    body.first_paragraph = first_paragraph.trim().into();
    body
}

struct PendingHeading<'e> {
    level: HeadingLevel,
    id: Option<CowStr<'e>>,
    classes: Vec<CowStr<'e>>,
    attrs: Vec<(CowStr<'e>, Option<CowStr<'e>>)>,
    events: Vec<Event<'e>>,
    text: String,
}

struct State<'g, 'e> {
    media: &'g Media<'g>,
    /// The image being read: its alternative text is the text up to its end.
    image: Option<PendingImage>,
    /// Where the open paragraph's events start.
    paragraph_start: Option<usize>,
    /// The index of the last image's event, with its title: a paragraph holding only it
    /// becomes a figure.
    lone_image: Option<(usize, String, String)>,
    body: Body,
    /// The body's text as the search index reads it, written as the events come.
    plain_text: String,
    first_paragraph: String,
    typography: Typography,
    block: TextBlock,
    glossary: &'g [Term],
    used_terms: HashSet<usize>,
    used_ids: HashSet<String>,
    code_depth: usize,
    image_depth: usize,
    heading: Option<PendingHeading<'e>>,
    paragraph_depth: usize,
    first_paragraph_done: bool,
    events: Vec<Event<'e>>,
}

impl<'e> State<'_, 'e> {
    fn handle(&mut self, event: Event<'e>, spot: impl Fn() -> Spot) {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.block = self.typography.block();
                self.heading = Some(PendingHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.record_link(dest_url, link_type, false, spot());
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let spot = spot();
                let dest_url = self.record_link(dest_url, link_type, true, spot);
                self.image_depth += 1;
                self.image = Some(PendingImage {
                    src: dest_url.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                    spot: Some(spot),
                });
            }
            Event::End(TagEnd::Image) => {
                self.image_depth -= 1;
                self.finish_image();
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                self.block = self.typography.block();
                let html = media::callout_open(kind, &self.media.callouts);
                self.emit(Event::Html(html.into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.plain_text.push('\n');
                self.emit(Event::Html(media::CALLOUT_CLOSE.into()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code_depth += 1;
                self.emit(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_depth -= 1;
                self.emit(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::Paragraph) => {
                self.paragraph_depth += 1;
                self.block = self.typography.block();
                if self.heading.is_none() {
                    self.paragraph_start = Some(self.events.len());
                }
                self.emit(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.paragraph_depth -= 1;
                if !self.first_paragraph.trim().is_empty() {
                    self.first_paragraph_done = true;
                }
                self.plain_text.push('\n');
                if !self.make_figure() {
                    self.emit(Event::End(TagEnd::Paragraph));
                }
            }
            Event::Start(tag) => {
                self.block = self.typography.block();
                self.emit(Event::Start(tag));
            }
            Event::End(tag) => {
                let inline = matches!(
                    tag,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Link
                        | TagEnd::Superscript
                        | TagEnd::Subscript
                );
                if !inline {
                    self.plain_text.push('\n');
                }
                self.emit(Event::End(tag));
            }
            Event::Text(text) if self.code_depth > 0 => {
                self.plain_text.push_str(&text);
                self.emit(Event::Text(text));
            }
            Event::Text(text) => self.prose(text),
            Event::Code(code) => {
                self.block.interrupt();
                self.collect_text(&code);
                self.emit(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.collect_text(" ");
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    fn emit(&mut self, event: Event<'e>) {
        // What sits inside an image is its alternative text, written as the attribute.
        if self.image.is_some() {
            return;
        }
        match &mut self.heading {
            Some(heading) => heading.events.push(event),
            None => self.events.push(event),
        }
    }

    fn collect_text(&mut self, text: &str) {
        if let Some(image) = &mut self.image {
            image.alt.push_str(text);
        }
        self.plain_text.push_str(text);
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        }
        if self.paragraph_depth > 0 && !self.first_paragraph_done {
            self.first_paragraph.push_str(text);
        }
    }

    /// Text outside code: typography, then `<abbr>` around first uses of short forms.
    fn prose(&mut self, text: CowStr<'e>) {
        // Most text passes unchanged: its event keeps the parser's text, uncopied.
        let text = match self.block.push(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(changed) => CowStr::from(changed),
        };
        self.collect_text(&text);
        let first_term = match self.image_depth {
            0 => self.first_unused_term(&text),
            _ => None,
        };
        let Some(mut found) = first_term else {
            self.emit(Event::Text(text));
            return;
        };
        let mut rest: &str = &text;
        loop {
            let (start, index) = found;
            let term = &self.glossary[index];
            if start > 0 {
                self.emit(Event::Text(rest[..start].to_string().into()));
            }
            let html = format!(
                "<abbr title=\"{}\">{}</abbr>",
                escape(&term.expansion),
                escape(&term.short)
            );
            self.emit(Event::InlineHtml(html.into()));
            self.used_terms.insert(index);
            rest = &rest[start + term.short.len()..];
            match self.first_unused_term(rest) {
                Some(next) => found = next,
                None => break,
            }
        }
        if !rest.is_empty() {
            self.emit(Event::Text(rest.to_string().into()));
        }
    }

    /// The earliest whole-word occurrence of a short form not used yet: (byte, term index).
    fn first_unused_term(&self, text: &str) -> Option<(usize, usize)> {
        self.glossary
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.used_terms.contains(index))
            .filter_map(|(index, term)| {
                text.match_indices(term.short.as_str())
                    .find(|(at, found)| is_whole_word(text, *at, found.len()))
                    .map(|(at, _)| (at, index))
            })
            .min_by_key(|(at, index)| (*at, usize::MAX - self.glossary[*index].short.len()))
    }

    fn finish_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let text = heading.text.trim().to_string();
        let id = match heading.id {
            Some(id) => id.to_string(),
            None => self.unique_id(&text),
        };
        self.used_ids.insert(id.clone());
        self.body.headings.push(Heading {
            level: heading.level as u8,
            id: id.clone(),
            text,
        });
        self.events.push(Event::Start(Tag::Heading {
            level: heading.level,
            id: Some(id.into()),
            classes: heading.classes,
            attrs: heading.attrs,
        }));
        self.events.extend(heading.events);
        self.events.push(Event::End(TagEnd::Heading(heading.level)));
        self.plain_text.push('\n');
    }

    fn unique_id(&self, text: &str) -> String {
        let mut base = slug::slugify(text);
        if base.is_empty() {
            base = "section".to_string();
        }
        let mut id = base.clone();
        let mut counter = 1;
        while self.used_ids.contains(&id) {
            id = format!("{base}-{counter}");
            counter += 1;
        }
        id
    }

    /// Records a link and returns the destination to write (a placeholder for `@/` links).
    fn record_link(
        &mut self,
        dest: CowStr<'e>,
        link_type: LinkType,
        is_image: bool,
        spot: Spot,
    ) -> CowStr<'e> {
        if matches!(link_type, LinkType::Email) {
            return dest;
        }
        if let Some(target) = dest.strip_prefix("@/") {
            let (topic, anchor) = match target.split_once('#') {
                Some((topic, anchor)) => (topic, Some(anchor.to_string())),
                None => (target, None),
            };
            let index = self.body.topic_links.len();
            self.body.topic_links.push(TopicLink {
                topic: topic.trim_end_matches('/').to_string(),
                anchor,
                spot,
            });
            return format!("{TOPIC_LINK_PLACEHOLDER}{index}").into();
        }
        let link = OtherLink {
            target: dest.to_string(),
            is_image,
            spot,
        };
        if has_scheme(&dest) || dest.starts_with("//") {
            self.body.external_links.push(link);
        } else if dest.starts_with('#') {
            self.body.anchor_links.push(link);
        } else if !dest.is_empty() {
            self.body.file_links.push(link);
        }
        dest
    }
}

fn has_scheme(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

fn is_whole_word(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

mod images;
#[cfg(test)]
mod tests;
