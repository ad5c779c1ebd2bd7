//! A content file as a sequence of blocks: its front-matter fields (one per value, `title`,
//! `sources[1].title`…) and the blocks of its Markdown body (headings, paragraphs, list
//! items, table rows, code, HTML, footnotes), each with its line. What translators compare
//! between two versions of a source file (`diff`); also what lines a translation up with its
//! source, block for block.

pub mod diff;

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use toml::de::{DeTable, DeValue};

use crate::content::page::split_front_matter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    Field,
    Heading,
    Paragraph,
    ListItem,
    TableRow,
    Code,
    Html,
    Footnote,
}

impl BlockKind {
    pub fn label(self) -> &'static str {
        match self {
            BlockKind::Field => "field",
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list item",
            BlockKind::TableRow => "table row",
            BlockKind::Code => "code",
            BlockKind::Html => "HTML",
            BlockKind::Footnote => "footnote",
        }
    }
}

/// One block of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The field's key (`title`, `events[0].text`) for a front-matter field.
    pub field: Option<String>,
    /// Its text with runs of white space made one space, so that re-wrapping a paragraph is
    /// no change.
    pub text: String,
    /// 1-based, in the file.
    pub line: usize,
}

/// The blocks of a file: front-matter fields, then body blocks. Front matter that is not
/// valid TOML gives no fields (`check` reports it).
pub fn split_blocks(text: &str) -> Vec<Block> {
    let Ok(split) = split_front_matter(Path::new(""), text) else {
        return body_blocks(text);
    };
    let mut blocks = Vec::new();
    if let Some((front, offset)) = split.front_matter
        && let Ok(table) = DeTable::parse(front)
    {
        let mut at = FieldContext {
            front,
            file: text,
            offset,
            blocks: &mut blocks,
        };
        fields(&mut at, "", table.get_ref());
        // The table is read sorted by key; the file's order is the translator's.
        blocks.sort_by_key(|block| block.line);
    }
    blocks.extend(body_blocks(split.body).into_iter().map(|mut block| {
        block.line += line_of(text, split.body_offset) - 1;
        block
    }));
    blocks
}

/// The body blocks alone (lines counted from the body's first line).
fn body_blocks(body: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS;
    let mut blocks: Vec<(BlockKind, std::ops::Range<usize>)> = Vec::new();
    let mut open_items: Vec<usize> = Vec::new();
    let mut footnote = false;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let kind = match event {
            Event::Start(Tag::Heading { .. }) => BlockKind::Heading,
            Event::Start(Tag::Paragraph) if open_items.is_empty() && !footnote => {
                BlockKind::Paragraph
            }
            Event::Start(Tag::Item) => {
                open_items.push(blocks.len());
                BlockKind::ListItem
            }
            Event::End(TagEnd::Item) => {
                open_items.pop();
                continue;
            }
            // A nested list is its own items, not part of the item that holds it.
            Event::Start(Tag::List(_)) => {
                if let Some(&item) = open_items.last() {
                    let item_range = &mut blocks[item].1;
                    item_range.end = item_range.end.min(range.start);
                }
                continue;
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => BlockKind::TableRow,
            Event::Start(Tag::CodeBlock(_)) => BlockKind::Code,
            Event::Start(Tag::HtmlBlock) => BlockKind::Html,
            Event::Start(Tag::FootnoteDefinition(_)) => {
                footnote = true;
                BlockKind::Footnote
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                footnote = false;
                continue;
            }
            _ => continue,
        };
        blocks.push((kind, range));
    }
    blocks
        .into_iter()
        .map(|(kind, range)| Block {
            kind,
            field: None,
            text: normalize(&body[range.clone()]),
            line: line_of(body, range.start),
        })
        .filter(|block| !block.text.is_empty())
        .collect()
}

struct FieldContext<'a, 'b> {
    front: &'a str,
    file: &'a str,
    offset: usize,
    blocks: &'b mut Vec<Block>,
}

/// One block per scalar (or array of scalars) of the table, keys joined with `.` and `[i]`.
fn fields(at: &mut FieldContext<'_, '_>, prefix: &str, table: &DeTable<'_>) {
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        if prefix.is_empty() && name == "source_digest" {
            continue;
        }
        let key = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        field(at, key, value);
    }
}

fn field(at: &mut FieldContext<'_, '_>, key: String, value: &toml::Spanned<DeValue<'_>>) {
    match value.get_ref() {
        DeValue::Table(table) => fields(at, &key, table),
        DeValue::Array(items)
            if items
                .iter()
                .any(|i| matches!(i.get_ref(), DeValue::Table(_))) =>
        {
            for (index, item) in items.iter().enumerate() {
                field(at, format!("{key}[{index}]"), item);
            }
        }
        scalar => {
            let span = value.span();
            let text = match scalar {
                DeValue::String(text) => text.to_string(),
                _ => at.front[span.clone()].to_string(),
            };
            at.blocks.push(Block {
                kind: BlockKind::Field,
                field: Some(key),
                text: normalize(&text),
                line: line_of(at.file, at.offset + span.start),
            });
        }
    }
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_body_blocks_come_with_their_lines() {
        let text = "+++\ntitle = \"Titre\"\ntags = [\"a\"]\nsource_digest = \"x\"\n[[sources]]\ntitle = \"Rapport\"\n+++\n## Début\n\nUn paragraphe\nsur deux lignes.\n\n- un\n  - deux\n- trois\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let blocks: Vec<(BlockKind, Option<&str>, &str, usize)> = Vec::leak(split_blocks(text))
            .iter()
            .map(|b| (b.kind, b.field.as_deref(), b.text.as_str(), b.line))
            .collect();
        assert_eq!(
            blocks,
            [
                (BlockKind::Field, Some("title"), "Titre", 2),
                (BlockKind::Field, Some("tags"), "[\"a\"]", 3),
                (BlockKind::Field, Some("sources[0].title"), "Rapport", 6),
                (BlockKind::Heading, None, "## Début", 8),
                (
                    BlockKind::Paragraph,
                    None,
                    "Un paragraphe sur deux lignes.",
                    10
                ),
                (BlockKind::ListItem, None, "- un", 13),
                (BlockKind::ListItem, None, "- deux", 14),
                (BlockKind::ListItem, None, "- trois", 15),
                (BlockKind::TableRow, None, "| a | b |", 17),
                (BlockKind::TableRow, None, "| 1 | 2 |", 19),
            ]
        );
    }
}
