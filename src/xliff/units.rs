//! A Markdown body cut into translatable blocks (paragraphs, headings, list items, table
//! cells, footnotes), each with its inline content and the Markdown its tags stand for,
//! and the way back: a block's content written as Markdown again.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::xliff::inline::{Inline, Piece};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    ListItem,
    TableCell,
    Footnote,
}

impl BlockKind {
    pub fn label(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "paragraph",
            BlockKind::Heading(_) => "heading",
            BlockKind::ListItem => "list item",
            BlockKind::TableCell => "table cell",
            BlockKind::Footnote => "footnote",
        }
    }
}

/// One translatable block of a body.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// The bytes of the body the block's content spans (markers such as `## ` or `- ` are
    /// outside it).
    pub range: Range<usize>,
    pub inline: Inline,
    /// Per tag id: the Markdown before and after its content (`**`, `**`), or the whole
    /// native code of a standalone tag (and an empty second part).
    pub markup: BTreeMap<String, (String, String)>,
}

/// The options the site renders with, minus smart punctuation: units carry the text as
/// written.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
}

/// A tag whose content is still being read.
struct OpenTag {
    id: String,
    range: Range<usize>,
    first_child: Option<usize>,
    last_child: usize,
}

/// The block being read.
struct Current {
    kind: BlockKind,
    start: Option<usize>,
    end: usize,
    inline: Inline,
    markup: BTreeMap<String, (String, String)>,
    open: Vec<OpenTag>,
    next_id: u32,
    /// Depth of an image or autolink whose inner events are part of one `<ph>`.
    skip: usize,
}

impl Current {
    fn new(kind: BlockKind) -> Current {
        Current {
            kind,
            start: None,
            end: 0,
            inline: Inline::default(),
            markup: BTreeMap::new(),
            open: Vec::new(),
            next_id: 1,
            skip: 0,
        }
    }

    fn new_id(&mut self) -> String {
        let id = self.next_id.to_string();
        self.next_id += 1;
        id
    }

    /// Records that something occupies `range` at the current depth.
    fn touch(&mut self, range: &Range<usize>) {
        match self.open.last_mut() {
            Some(tag) => {
                tag.first_child.get_or_insert(range.start);
                tag.last_child = range.end;
            }
            None => {
                self.start.get_or_insert(range.start);
                self.end = range.end;
            }
        }
    }

    fn code(&mut self, ctype: &str, body: &str, range: &Range<usize>) {
        let id = self.new_id();
        let native = body[range.clone()].to_string();
        self.markup
            .insert(id.clone(), (native.clone(), String::new()));
        self.inline.push(Piece::Code {
            id,
            ctype: ctype.to_string(),
            native,
        });
        self.touch(range);
    }

    fn mark(&mut self, ctype: &str, body: &str, range: &Range<usize>) {
        let id = self.new_id();
        self.markup
            .insert(id.clone(), (body[range.clone()].to_string(), String::new()));
        self.inline.push(Piece::Mark {
            id,
            ctype: ctype.to_string(),
        });
        self.touch(range);
    }

    fn open(&mut self, ctype: &str, range: Range<usize>) {
        let id = self.new_id();
        self.inline.push(Piece::Open {
            id: id.clone(),
            ctype: ctype.to_string(),
        });
        self.open.push(OpenTag {
            id,
            last_child: range.start,
            range,
            first_child: None,
        });
    }

    fn close(&mut self, body: &str) {
        let Some(tag) = self.open.pop() else { return };
        let inner_start = tag.first_child.unwrap_or(tag.range.end);
        let inner_end = tag.last_child.max(inner_start);
        let mut before = body[tag.range.start..inner_start].to_string();
        // `*\*x*`: the escape belongs to the text, which is escaped again when written.
        if before.ends_with('\\')
            && body[inner_start..].starts_with(|c: char| c.is_ascii_punctuation())
        {
            before.pop();
        }
        let after = body[inner_end..tag.range.end].to_string();
        self.markup.insert(tag.id.clone(), (before, after));
        self.inline.push(Piece::Close { id: tag.id });
        self.touch(&tag.range);
    }

    fn finish(mut self, body: &str) -> Option<Block> {
        while !self.open.is_empty() {
            self.close(body);
        }
        let start = self.start?;
        Some(Block {
            kind: self.kind,
            range: start..self.end,
            inline: self.inline,
            markup: self.markup,
        })
    }
}

/// The translatable blocks of a Markdown body, in order.
pub fn blocks(body: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Current> = None;
    let mut items = 0usize;
    let mut footnotes = 0usize;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Some(block) = current.as_mut()
            && block.skip > 0
        {
            match event {
                Event::Start(Tag::Image { .. } | Tag::Link { .. }) => block.skip += 1,
                Event::End(TagEnd::Image | TagEnd::Link) => block.skip -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) if is_block(&tag) => {
                if let Some(block) = current.take().and_then(|c| c.finish(body)) {
                    blocks.push(block);
                }
                match tag {
                    Tag::Item => items += 1,
                    Tag::FootnoteDefinition(_) => footnotes += 1,
                    _ => {}
                }
                let kind = match tag {
                    Tag::Paragraph if footnotes > 0 => Some(BlockKind::Footnote),
                    Tag::Paragraph if items > 0 => Some(BlockKind::ListItem),
                    Tag::Paragraph => Some(BlockKind::Paragraph),
                    Tag::Heading { level, .. } => Some(BlockKind::Heading(level as u8)),
                    Tag::TableCell => Some(BlockKind::TableCell),
                    Tag::Item => Some(BlockKind::ListItem),
                    _ => None,
                };
                current = kind.map(Current::new);
            }
            Event::End(tag) if is_block_end(tag) => {
                if let Some(block) = current.take().and_then(|c| c.finish(body)) {
                    blocks.push(block);
                }
                match tag {
                    TagEnd::Item => items -= 1,
                    TagEnd::FootnoteDefinition => footnotes -= 1,
                    _ => {}
                }
            }
            inline => {
                if let Some(block) = current.as_mut() {
                    inline_event(block, inline, range, body);
                }
            }
        }
    }
    if let Some(block) = current.and_then(|c| c.finish(body)) {
        blocks.push(block);
    }
    blocks
}

fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn is_block_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

fn inline_event(block: &mut Current, event: Event<'_>, range: Range<usize>, body: &str) {
    match event {
        Event::Text(text) => {
            block.inline.push_text(&text);
            block.touch(&range);
        }
        Event::SoftBreak => {
            block.inline.push_text(" ");
            block.touch(&range);
        }
        Event::Code(_) => block.code("x-code", body, &range),
        Event::InlineHtml(_) | Event::Html(_) => block.code("x-html", body, &range),
        Event::InlineMath(_) | Event::DisplayMath(_) => block.code("x-math", body, &range),
        Event::TaskListMarker(_) => block.code("x-task", body, &range),
        Event::FootnoteReference(_) => block.mark("x-footnote-ref", body, &range),
        Event::HardBreak => block.mark("lb", body, &range),
        Event::Rule => {}
        Event::Start(Tag::Image { .. }) => {
            block.code("x-image", body, &range);
            block.skip = 1;
        }
        Event::Start(Tag::Link {
            link_type: LinkType::Autolink | LinkType::Email,
            ..
        }) => {
            block.code("x-autolink", body, &range);
            block.skip = 1;
        }
        Event::Start(Tag::Link { dest_url, .. }) => {
            let ctype = if dest_url.starts_with("@/") {
                "x-topic-link"
            } else {
                "link"
            };
            block.open(ctype, range);
        }
        Event::Start(Tag::Emphasis) => block.open("italic", range),
        Event::Start(Tag::Strong) => block.open("bold", range),
        Event::Start(Tag::Strikethrough) => block.open("x-strike", range),
        Event::Start(Tag::Superscript) => block.open("superscript", range),
        Event::Start(Tag::Subscript) => block.open("subscript", range),
        Event::End(_) => block.close(body),
        Event::Start(_) => {}
    }
}

/// A block's content as Markdown: the text escaped, each tag as the Markdown it stands for.
pub fn to_markdown(
    content: &Inline,
    markup: &BTreeMap<String, (String, String)>,
    kind: BlockKind,
) -> String {
    let mut markdown = String::new();
    for piece in &content.0 {
        match piece {
            Piece::Text(text) => escape_text(&mut markdown, text, kind),
            Piece::Open { id, .. } | Piece::Mark { id, .. } | Piece::Code { id, .. } => {
                markdown.push_str(markup.get(id).map_or("", |(before, _)| before.as_str()));
            }
            Piece::Close { id } => {
                markdown.push_str(markup.get(id).map_or("", |(_, after)| after.as_str()));
            }
        }
    }
    markdown
}

/// Escapes what Markdown would read as markup; at the start, what would begin another block.
fn escape_text(out: &mut String, text: &str, kind: BlockKind) {
    let at_start = out.is_empty();
    let chars: Vec<char> = text.chars().collect();
    for (index, &c) in chars.iter().enumerate() {
        let next = chars.get(index + 1).copied();
        let special = match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '~' => true,
            '|' => kind == BlockKind::TableCell,
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '#' | '>' | '-' | '+' | '=' => at_start && index == 0,
            '.' | ')' => at_start && chars[..index].iter().all(char::is_ascii_digit) && index > 0,
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "## Un *titre*\n\nDu **gras**, du `code`, un [lien](@/autre#ancre)\net une note[^1].\n\n- premier\n- second\n  > cité\n\n| A | B |\n|---|---|\n| *x* | y |\n\n[^1]: La note.\n";

    #[test]
    fn a_body_is_cut_into_blocks_with_their_markup() {
        let found = blocks(BODY);
        let kinds: Vec<&str> = found.iter().map(|b| b.kind.label()).collect();
        assert_eq!(
            kinds,
            [
                "heading",
                "paragraph",
                "list item",
                "list item",
                "list item",
                "table cell",
                "table cell",
                "table cell",
                "table cell",
                "footnote"
            ]
        );
        assert_eq!(&BODY[found[0].range.clone()], "Un *titre*");
        assert_eq!(
            found[1].inline.to_xml(),
            "Du <g id=\"1\" ctype=\"bold\">gras</g>, du <ph id=\"2\" ctype=\"x-code\">`code`</ph>, un <g id=\"3\" ctype=\"x-topic-link\">lien</g> et une note<x id=\"4\" ctype=\"x-footnote-ref\"/>."
        );
        assert_eq!(
            found[1].markup["3"],
            ("[".into(), "](@/autre#ancre)".into())
        );
    }

    #[test]
    fn a_block_written_back_reads_the_same() {
        for block in blocks(BODY) {
            let markdown = to_markdown(&block.inline, &block.markup, block.kind);
            let again = blocks(&format!("{markdown}\n\n[^1]: La note.\n"));
            assert_eq!(again[0].inline, block.inline, "{markdown}");
        }
        let tricky = blocks("Un \\*astérisque\\*, 3 < 4 &amp; *a\\*b*\n");
        let markdown = to_markdown(&tricky[0].inline, &tricky[0].markup, BlockKind::Paragraph);
        assert_eq!(blocks(&markdown)[0].inline, tricky[0].inline, "{markdown}");
    }

    #[test]
    fn heading_ids_and_table_pipes_stay_outside_the_text() {
        let body = "## Titre {#ancre}\n\n| a \\| b | c |\n|---|---|\n| d | e |\n";
        let found = blocks(body);
        assert_eq!(&body[found[0].range.clone()], "Titre");
        assert_eq!(found[1].inline.plain(), "a | b");
        let markdown = to_markdown(&found[1].inline, &found[1].markup, BlockKind::TableCell);
        assert_eq!(markdown, "a \\| b");
    }
}
