//! Part of the load stage for interface strings: what each `.ftl` entry is, where it is
//! written, and what its patterns use (variables, other messages, terms), read from Fluent's
//! syntax tree. `check` compares these across languages and with what templates and code pass.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fluent_bundle::FluentResource;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use crate::diagnostic::LineIndex;

/// Where a message (or a term, whose id starts with `-` as in Fluent) is written, and what its
/// value and attributes use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDefinition {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// `None` for a message that holds only attributes.
    pub value: Option<PatternUses>,
    /// Attribute name → what its pattern uses.
    pub attributes: BTreeMap<String, PatternUses>,
}

/// What one pattern uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatternUses {
    /// Variables given by the caller (`{ $count }`), sorted, without `$`.
    pub variables: Vec<String>,
    /// Messages (`other`, `other.attribute`) and terms (`-term`, `-term.attribute`) it
    /// refers to, sorted.
    pub references: Vec<String>,
}

impl MessageDefinition {
    pub fn is_term(id: &str) -> bool {
        id.starts_with('-')
    }

    /// The pattern `key` names: the value for `id`, an attribute for `id.attribute`.
    pub fn pattern(&self, attribute: Option<&str>) -> Option<&PatternUses> {
        match attribute {
            Some(attribute) => self.attributes.get(attribute),
            None => self.value.as_ref(),
        }
    }
}

/// Byte offset of `id =` at the start of a line.
pub fn find_definition(text: &str, id: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(id)
            && rest.trim_start().starts_with('=')
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Records every message and term of one file.
pub fn record_definitions(
    path: &Path,
    text: &str,
    resource: &FluentResource,
    definitions: &mut BTreeMap<String, MessageDefinition>,
) {
    let lines = LineIndex::new(text);
    for entry in resource.entries() {
        let (id, value, attributes) = match entry {
            Entry::Message(message) => (
                message.id.name.to_string(),
                message.value.as_ref(),
                &message.attributes,
            ),
            Entry::Term(term) => (
                format!("-{}", term.id.name),
                Some(&term.value),
                &term.attributes,
            ),
            _ => continue,
        };
        let at = find_definition(text, &id).unwrap_or(0);
        let position = lines.position_in(text, at);
        definitions.insert(
            id,
            MessageDefinition {
                path: path.to_path_buf(),
                line: position.line,
                column: position.column,
                value: value.map(pattern_uses),
                attributes: attributes
                    .iter()
                    .map(|attribute| {
                        (
                            attribute.id.name.to_string(),
                            pattern_uses(&attribute.value),
                        )
                    })
                    .collect(),
            },
        );
    }
}

fn pattern_uses(pattern: &Pattern<&str>) -> PatternUses {
    let mut uses = PatternUses::default();
    collect_pattern(pattern, &mut uses);
    uses.variables.sort();
    uses.variables.dedup();
    uses.references.sort();
    uses.references.dedup();
    uses
}

fn collect_pattern(pattern: &Pattern<&str>, uses: &mut PatternUses) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            collect_expression(expression, uses);
        }
    }
}

fn collect_expression(expression: &Expression<&str>, uses: &mut PatternUses) {
    match expression {
        Expression::Inline(expression) => collect_inline(expression, uses),
        Expression::Select { selector, variants } => {
            collect_inline(selector, uses);
            for variant in variants {
                collect_pattern(&variant.value, uses);
            }
        }
    }
}

fn collect_inline(expression: &InlineExpression<&str>, uses: &mut PatternUses) {
    let with_attribute =
        |id: String, attribute: &Option<fluent_syntax::ast::Identifier<&str>>| match attribute {
            Some(attribute) => format!("{id}.{}", attribute.name),
            None => id,
        };
    match expression {
        InlineExpression::VariableReference { id } => uses.variables.push(id.name.to_string()),
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                collect_inline(argument, uses);
            }
            for argument in &arguments.named {
                collect_inline(&argument.value, uses);
            }
        }
        InlineExpression::MessageReference { id, attribute } => uses
            .references
            .push(with_attribute(id.name.to_string(), attribute)),
        InlineExpression::TermReference {
            id,
            attribute,
            arguments,
        } => {
            uses.references
                .push(with_attribute(format!("-{}", id.name), attribute));
            // A term sees only the arguments written here; the caller's variables reach it
            // only through them.
            if let Some(arguments) = arguments {
                for argument in &arguments.positional {
                    collect_inline(argument, uses);
                }
                for argument in &arguments.named {
                    collect_inline(&argument.value, uses);
                }
            }
        }
        InlineExpression::Placeable { expression } => collect_expression(expression, uses),
        InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
    }
}

/// Every cycle of references among the patterns of one language (a message that refers to
/// itself, directly or through others), each once, as the ids along it starting from the
/// smallest: Fluent would fail to format any of them at render time.
pub fn reference_cycles(definitions: &BTreeMap<String, MessageDefinition>) -> Vec<Vec<String>> {
    let references = |key: &str| -> &[String] {
        let (id, attribute) = match key.split_once('.') {
            Some((id, attribute)) => (id, Some(attribute)),
            None => (key, None),
        };
        definitions
            .get(id)
            .and_then(|definition| definition.pattern(attribute))
            .map_or(&[], |uses| uses.references.as_slice())
    };
    let mut keys: Vec<String> = Vec::new();
    for (id, definition) in definitions {
        keys.push(id.clone());
        keys.extend(definition.attributes.keys().map(|a| format!("{id}.{a}")));
    }
    // Depth-first, three colours: a reference to a pattern on the current path closes a cycle.
    let mut finished = std::collections::HashSet::new();
    let mut cycles = Vec::new();
    for start in &keys {
        if finished.contains(start.as_str()) {
            continue;
        }
        let mut path: Vec<(String, usize)> = vec![(start.clone(), 0)];
        while let Some((key, next)) = path.last().cloned() {
            let out = references(&key);
            if next == out.len() {
                finished.insert(key);
                path.pop();
                continue;
            }
            path.last_mut().expect("a pattern on the path").1 += 1;
            let target = &out[next];
            if let Some(at) = path.iter().position(|(on_path, _)| on_path == target) {
                let mut cycle: Vec<String> = path[at..].iter().map(|(k, _)| k.clone()).collect();
                let smallest = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
                cycle.rotate_left(smallest);
                cycles.push(cycle);
            } else if !finished.contains(target.as_str()) {
                path.push((target.clone(), 0));
            }
        }
    }
    cycles.sort();
    cycles.dedup();
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_references_and_longer_cycles_are_found_once_each() {
        let found = definitions(
            "a = { a }\nb = { c }\nc = x { b.title }\n    .other = fine\nd = { b }\nb-holder = y\n",
        );
        assert_eq!(reference_cycles(&found), [vec!["a".to_string()]]);
        let found =
            definitions("b = { c }\n    .title = { c }\nc = { b.title }\nok = { c.missing }\n");
        assert_eq!(
            reference_cycles(&found),
            [vec!["b.title".to_string(), "c".to_string()]]
        );
    }

    fn definitions(text: &str) -> BTreeMap<String, MessageDefinition> {
        let resource = FluentResource::try_new(text.to_string()).unwrap();
        let mut found = BTreeMap::new();
        record_definitions(Path::new("main.ftl"), text, &resource, &mut found);
        found
    }

    #[test]
    fn values_attributes_and_terms_record_what_they_use() {
        let found = definitions(
            "-brand = Briefing\n\
             count = { $count ->\n    [one] one { -brand }\n   *[other] { NUMBER($count) } { other }\n}\n\
             link = Link\n    .title = Open { $name } ({ -brand($case, form: \"short\") })\n",
        );
        let count = found["count"].value.as_ref().unwrap();
        assert_eq!(count.variables, ["count"]);
        assert_eq!(count.references, ["-brand", "other"]);
        assert_eq!(found["count"].line, 2);
        let title = &found["link"].attributes["title"];
        assert_eq!(title.variables, ["case", "name"]);
        assert!(found["link"].value.as_ref().unwrap().variables.is_empty());
        assert!(found.contains_key("-brand"));
        assert!(MessageDefinition::is_term("-brand"));
    }
}
