//! What changed between two versions of a content file, block by block: front-matter fields
//! by key, body blocks in order (aligned with a sequence diff), and the words inside a block
//! that changed. The report `check`, `diff` and the dev server show to a translator.

use serde::Serialize;
use similar::{Algorithm, DiffOp, DiffTag, TextDiff, capture_diff_slices};

use super::{Block, BlockKind, split_blocks};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

/// A run of words of a changed block: kept, added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Words {
    pub change: Option<Change>,
    pub text: String,
}

/// One block that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockChange {
    pub change: Change,
    pub kind: BlockKind,
    /// The key of a front-matter field.
    pub field: Option<String>,
    /// In the current file: the block's line, or for a removed block the line of the block
    /// now in its place.
    pub line: usize,
    /// In the old file, for removed and changed blocks.
    pub old_line: Option<usize>,
    /// For a body block: its position among the current file's body blocks (where a removed
    /// one was), which is where the translation's matching block is when the structures line
    /// up.
    pub index: Option<usize>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// For a changed block: its words, marked.
    pub words: Vec<Words>,
}

/// The changes from `old` to `new` (both whole files), fields first, then the body in order.
pub fn diff_files(old: &str, new: &str) -> Vec<BlockChange> {
    let (old_fields, old_body): (Vec<Block>, Vec<Block>) = split_blocks(old)
        .into_iter()
        .partition(|b| b.kind == BlockKind::Field);
    let (new_fields, new_body): (Vec<Block>, Vec<Block>) = split_blocks(new)
        .into_iter()
        .partition(|b| b.kind == BlockKind::Field);
    let mut changes = field_changes(&old_fields, &new_fields);
    changes.extend(body_changes(&old_body, &new_body));
    changes
}

fn field_changes(old: &[Block], new: &[Block]) -> Vec<BlockChange> {
    let mut changes = Vec::new();
    for after in new {
        match old.iter().find(|before| before.field == after.field) {
            Some(before) if before.text == after.text => {}
            Some(before) => changes.push(changed(before, after, None)),
            None => changes.push(added(after, after.line, None)),
        }
    }
    for before in old {
        if !new.iter().any(|after| after.field == before.field) {
            let line = new.first().map_or(1, |first| first.line);
            changes.push(removed(before, line, None));
        }
    }
    changes.sort_by_key(|change| change.line);
    changes
}

fn body_changes(old: &[Block], new: &[Block]) -> Vec<BlockChange> {
    let keys = |blocks: &[Block]| -> Vec<(BlockKind, String)> {
        blocks.iter().map(|b| (b.kind, b.text.clone())).collect()
    };
    let (old_keys, new_keys) = (keys(old), keys(new));
    let line_at = |index: usize| new.get(index).or(new.last()).map_or(1, |block| block.line);
    let mut changes = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        let (tag, olds, news) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let (olds, news) = (olds.collect::<Vec<_>>(), news.collect::<Vec<_>>());
        // A new block replaces the next old block of its kind; old blocks passed over on the
        // way were removed.
        let mut next_old = 0;
        for &index in &news {
            let after = &new[index];
            let same_kind = olds[next_old..]
                .iter()
                .position(|&old_index| old[old_index].kind == after.kind);
            match same_kind {
                Some(skip) => {
                    for &gone in &olds[next_old..next_old + skip] {
                        changes.push(removed(&old[gone], after.line, Some(index)));
                    }
                    changes.push(changed(&old[olds[next_old + skip]], after, Some(index)));
                    next_old += skip + 1;
                }
                None => changes.push(added(after, after.line, Some(index))),
            }
        }
        for &gone in &olds[next_old..] {
            let at = removed_place(&op);
            changes.push(removed(&old[gone], line_at(at), Some(at)));
        }
    }
    changes
}

/// Where a removed block was, in the current file's blocks.
fn removed_place(op: &DiffOp) -> usize {
    match *op {
        DiffOp::Delete { new_index, .. } => new_index,
        DiffOp::Replace {
            new_index, new_len, ..
        } => new_index + new_len,
        _ => 0,
    }
}

fn added(after: &Block, line: usize, index: Option<usize>) -> BlockChange {
    BlockChange {
        change: Change::Added,
        kind: after.kind,
        field: after.field.clone(),
        line,
        old_line: None,
        index,
        before: None,
        after: Some(after.text.clone()),
        words: Vec::new(),
    }
}

fn removed(before: &Block, line: usize, index: Option<usize>) -> BlockChange {
    BlockChange {
        change: Change::Removed,
        kind: before.kind,
        field: before.field.clone(),
        line,
        old_line: Some(before.line),
        index,
        before: Some(before.text.clone()),
        after: None,
        words: Vec::new(),
    }
}

fn changed(before: &Block, after: &Block, index: Option<usize>) -> BlockChange {
    BlockChange {
        change: Change::Changed,
        kind: after.kind,
        field: after.field.clone(),
        line: after.line,
        old_line: Some(before.line),
        index,
        before: Some(before.text.clone()),
        after: Some(after.text.clone()),
        words: word_changes(&before.text, &after.text),
    }
}

/// The words of `before` → `after`, runs of the same change merged.
pub fn word_changes(before: &str, after: &str) -> Vec<Words> {
    let diff = TextDiff::from_words(before, after);
    let mut words: Vec<Words> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            similar::ChangeTag::Equal => None,
            similar::ChangeTag::Insert => Some(Change::Added),
            similar::ChangeTag::Delete => Some(Change::Removed),
        };
        match words.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => words.push(Words {
                change: kind,
                text: change.value().to_string(),
            }),
        }
    }
    words
}

/// The changed words of a block in one line, `[-removed-]{+added+}` as `git diff
/// --word-diff` writes them.
pub fn marked_words(words: &[Words]) -> String {
    words
        .iter()
        .map(|run| match run.change {
            None => run.text.clone(),
            Some(Change::Removed) => format!("[-{}-]", run.text),
            Some(Change::Added) => format!("{{+{}+}}", run.text),
            Some(Change::Changed) => run.text.clone(),
        })
        .collect()
}

/// The changes as lines for a terminal, each indented by `indent`.
pub fn describe(changes: &[BlockChange], indent: &str) -> String {
    let mut out = String::new();
    for change in changes {
        let what = match &change.field {
            Some(key) => format!("field {key}"),
            None => change.kind.label().to_string(),
        };
        let line = match change.change {
            Change::Added => format!(
                "added {what} (line {}): {}",
                change.line,
                text(&change.after)
            ),
            Change::Removed => format!(
                "removed {what} (was line {}): {}",
                change.old_line.unwrap_or(0),
                text(&change.before)
            ),
            Change::Changed => format!(
                "changed {what} (line {}): {}",
                change.line,
                marked_words(&change.words)
            ),
        };
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_paragraph_a_new_heading_and_a_removed_item_are_reported() {
        let old =
            "+++\ntitle = \"Titre\"\n+++\nPremier paragraphe.\n\n- un\n- deux\n\nFin ancienne.\n";
        let new = "+++\ntitle = \"Titre neuf\"\nsummary = \"Résumé\"\n+++\nPremier paragraphe.\n\n## Nouveau\n\n- un\n\nFin nouvelle.\n";
        let changes = diff_files(old, new);
        let summary: Vec<(Change, BlockKind, Option<&str>, usize)> = changes
            .iter()
            .map(|c| (c.change, c.kind, c.field.as_deref(), c.line))
            .collect();
        assert_eq!(
            summary,
            [
                (Change::Changed, BlockKind::Field, Some("title"), 2),
                (Change::Added, BlockKind::Field, Some("summary"), 3),
                (Change::Added, BlockKind::Heading, None, 7),
                (Change::Removed, BlockKind::ListItem, None, 11),
                (Change::Changed, BlockKind::Paragraph, None, 11),
            ]
        );
        assert_eq!(marked_words(&changes[0].words), "Titre{+ neuf+}");
        assert_eq!(
            marked_words(&changes[4].words),
            "Fin [-ancienne.-]{+nouvelle.+}"
        );
        assert_eq!(changes[3].before.as_deref(), Some("- deux"));
    }

    #[test]
    fn rewrapping_a_paragraph_is_no_change() {
        let old = "Une phrase\nsur deux lignes.\n";
        let new = "Une phrase sur deux lignes.\n";
        assert!(diff_files(old, new).is_empty());
    }
}
