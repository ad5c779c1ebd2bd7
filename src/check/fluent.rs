//! Check stage: the locale tables against each other and against what uses them. Messages
//! missing in a language, references to entries a language lacks, messages the templates or
//! the code ask for that do not exist, variables passed but unused or used but not passed,
//! and entries nothing uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::check::templates::{TemplateCall, TemplateUses};
use crate::diagnostic::Diagnostic;
use crate::i18n::{Locales, MessageDefinition};
use crate::messages::{CODE_MESSAGES, CodeMessage, tag_message};

pub struct FluentInput<'a> {
    pub languages: &'a [String],
    pub locales: &'a Locales,
    pub templates: &'a TemplateUses,
    /// Tag ids used in front matter: their names, `tag-<id>`, are used.
    pub tags: &'a BTreeSet<String>,
}

pub fn fluent_findings(input: &FluentInput<'_>) -> Vec<Diagnostic> {
    let tables = Tables {
        languages: input.languages,
        locales: input.locales,
    };
    let mut findings = Vec::new();
    missing_translations(&tables, &mut findings);
    broken_references(&tables, &mut findings);
    for call in &input.templates.calls {
        if let Some(key) = &call.key {
            template_call(&tables, call, key, &mut findings);
        }
    }
    for message in CODE_MESSAGES {
        code_message(&tables, message, &mut findings);
    }
    unused_entries(&tables, input, &mut findings);
    findings
}

/// The definitions of every language, with the lookups the checks share.
struct Tables<'a> {
    languages: &'a [String],
    locales: &'a Locales,
}

impl Tables<'_> {
    fn definitions(&self, lang: &str) -> impl Iterator<Item = (&String, &MessageDefinition)> {
        self.locales.definitions(lang).into_iter().flatten()
    }

    fn definition(&self, lang: &str, id: &str) -> Option<&MessageDefinition> {
        self.locales.definitions(lang)?.get(id)
    }

    /// The languages that define `id`, in the order of the configuration.
    fn defining(&self, id: &str) -> Vec<&str> {
        self.languages
            .iter()
            .map(String::as_str)
            .filter(|lang| self.definition(lang, id).is_some())
            .collect()
    }

    /// The variables the pattern `key` needs from its caller in `lang`, through the messages
    /// it refers to (which Fluent formats with the same arguments); `None` when `lang` has no
    /// such pattern.
    fn variables(&self, lang: &str, key: &str) -> Option<BTreeSet<String>> {
        let pattern_of = |key: &str| {
            let (id, attribute) = split_key(key);
            self.definition(lang, id)?.pattern(attribute)
        };
        pattern_of(key)?;
        let mut variables = BTreeSet::new();
        let mut pending = vec![key.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(key) = pending.pop() {
            let Some(pattern) = pattern_of(&key) else {
                continue;
            };
            if !seen.insert(key) {
                continue;
            }
            variables.extend(pattern.variables.iter().cloned());
            pending.extend(
                pattern
                    .references
                    .iter()
                    .filter(|reference| !MessageDefinition::is_term(reference))
                    .cloned(),
            );
        }
        Some(variables)
    }
}

/// `id.attribute` → (`id`, `Some("attribute")`).
fn split_key(key: &str) -> (&str, Option<&str>) {
    match key.split_once('.') {
        Some((id, attribute)) => (id, Some(attribute)),
        None => (key, None),
    }
}

/// Points a finding about `definition` (made with its path) at where it is written.
fn at_definition(
    definition: &MessageDefinition,
    finding: Diagnostic,
    lang: Option<&str>,
) -> Diagnostic {
    let finding = finding.at_line_column(None, definition.line, definition.column);
    match lang {
        Some(lang) => finding.for_language(lang),
        None => finding,
    }
}

fn entry_name(id: &str) -> String {
    if MessageDefinition::is_term(id) {
        format!("term \"{id}\"")
    } else {
        format!("message \"{id}\"")
    }
}

/// Messages (and their attributes) some language has and another lacks. Terms belong to one
/// language's way of writing and are not compared.
fn missing_translations(tables: &Tables<'_>, findings: &mut Vec<Diagnostic>) {
    let mut first_definition: BTreeMap<&str, (&str, &MessageDefinition)> = BTreeMap::new();
    for lang in tables.languages {
        for (id, definition) in tables.definitions(lang) {
            if !MessageDefinition::is_term(id) {
                first_definition.entry(id).or_insert((lang, definition));
            }
        }
    }
    for (id, (defined_in, definition)) in first_definition {
        for lang in tables.languages.iter().filter(|lang| *lang != defined_in) {
            let Some(other) = tables.definition(lang, id) else {
                let finding = Diagnostic::error(
                    "fluent-missing-translation",
                    &definition.path,
                    format!("message \"{id}\" has no \"{lang}\" translation"),
                )
                .with_help(format!("add `{id} = …` to a file in locales/{lang}/"));
                findings.push(at_definition(definition, finding, Some(lang)));
                continue;
            };
            for attribute in definition.attributes.keys() {
                if !other.attributes.contains_key(attribute) {
                    let finding = Diagnostic::error(
                        "fluent-missing-translation",
                        &other.path,
                        format!("attribute \"{id}.{attribute}\" has no \"{lang}\" translation"),
                    );
                    findings.push(at_definition(other, finding, Some(lang)));
                }
            }
        }
    }
}

/// References to messages or terms the same language does not define: formatting fails.
fn broken_references(tables: &Tables<'_>, findings: &mut Vec<Diagnostic>) {
    for lang in tables.languages {
        for (id, definition) in tables.definitions(lang) {
            let patterns = definition
                .value
                .iter()
                .chain(definition.attributes.values());
            let references: BTreeSet<&String> =
                patterns.flat_map(|pattern| &pattern.references).collect();
            for reference in references {
                let (target, attribute) = split_key(reference);
                let exists = tables
                    .definition(lang, target)
                    .is_some_and(|target| target.pattern(attribute).is_some());
                if !exists {
                    let finding = Diagnostic::error(
                        "fluent-reference",
                        &definition.path,
                        format!(
                            "{} refers to \"{reference}\", which \"{lang}\" does not define",
                            entry_name(id)
                        ),
                    );
                    findings.push(at_definition(definition, finding, Some(lang)));
                }
            }
        }
    }
}

fn template_call(
    tables: &Tables<'_>,
    call: &TemplateCall,
    key: &str,
    findings: &mut Vec<Diagnostic>,
) {
    let (id, attribute) = split_key(key);
    let defining = tables.defining(id);
    let with_pattern: Vec<&str> = defining
        .iter()
        .copied()
        .filter(|lang| tables.variables(lang, key).is_some())
        .collect();
    if with_pattern.is_empty() {
        let message = match (defining.is_empty(), attribute) {
            (true, _) => format!("no language defines message \"{id}\""),
            (false, Some(attribute)) => {
                format!("message \"{id}\" has no attribute \"{attribute}\" in any language")
            }
            (false, None) => format!("message \"{id}\" has only attributes, no value"),
        };
        findings.push(call.diagnostic(Diagnostic::error("fluent-undefined", &call.path, message)));
        return;
    }
    let passed: BTreeSet<String> = call.variables.iter().cloned().collect();
    for lang in with_pattern {
        let used = tables.variables(lang, key).unwrap_or_default();
        for variable in passed.difference(&used) {
            let finding = Diagnostic::warning(
                "fluent-variable-unused",
                &call.path,
                format!(
                    "t() passes ${variable}, which message \"{key}\" does not use in \"{lang}\""
                ),
            );
            findings.push(call.diagnostic(finding).for_language(lang));
        }
        for variable in used.difference(&passed) {
            let finding = Diagnostic::error(
                "fluent-variable-missing",
                &call.path,
                format!(
                    "message \"{key}\" uses ${variable} in \"{lang}\", which this t() call does not pass"
                ),
            );
            findings.push(call.diagnostic(finding).for_language(lang));
        }
    }
}

/// A message the code formats: it must exist, and use only the variables the code passes.
fn code_message(tables: &Tables<'_>, message: &CodeMessage, findings: &mut Vec<Diagnostic>) {
    let id = message.id;
    if tables.defining(id).is_empty() {
        for lang in tables.languages {
            findings.push(
                Diagnostic::error(
                    "fluent-undefined",
                    Path::new("locales").join(lang),
                    format!("message \"{id}\", which briefing itself formats, is missing"),
                )
                .for_language(lang)
                .with_help(format!("add `{id} = …` to a file in locales/{lang}/")),
            );
        }
        return;
    }
    let passed: BTreeSet<String> = message.variables.iter().map(|v| v.to_string()).collect();
    for lang in tables.languages {
        let (Some(definition), Some(used)) =
            (tables.definition(lang, id), tables.variables(lang, id))
        else {
            continue;
        };
        let passes = if passed.is_empty() {
            "no variable".to_string()
        } else {
            format!("only ${}", message.variables.join(", $"))
        };
        for variable in used.difference(&passed) {
            let finding = Diagnostic::error(
                "fluent-variable-missing",
                &definition.path,
                format!("message \"{id}\" uses ${variable}, but briefing passes it {passes}"),
            );
            findings.push(at_definition(definition, finding, Some(lang)));
        }
        for variable in passed.difference(&used) {
            let finding = Diagnostic::warning(
                "fluent-variable-unused",
                &definition.path,
                format!("briefing passes ${variable} to message \"{id}\", which does not use it"),
            );
            findings.push(at_definition(definition, finding, Some(lang)));
        }
    }
}

/// Entries no template, no code and no used message refers to. A computed key hides what
/// a template uses: then each such call is reported instead of guessing.
fn unused_entries(tables: &Tables<'_>, input: &FluentInput<'_>, findings: &mut Vec<Diagnostic>) {
    let computed: Vec<&TemplateCall> = input
        .templates
        .calls
        .iter()
        .filter(|call| call.key.is_none())
        .collect();
    if !computed.is_empty() {
        for call in computed {
            findings.push(call.diagnostic(Diagnostic::warning(
                "fluent-computed-key",
                &call.path,
                "t() is called with a computed key: check cannot tell which messages are unused",
            )));
        }
        return;
    }
    let mut roots: BTreeSet<String> = CODE_MESSAGES.iter().map(|m| m.id.to_string()).collect();
    roots.extend(input.tags.iter().map(|tag| tag_message(tag)));
    // The tag index shows `tag-<id>-description` where it exists.
    roots.extend(
        input
            .tags
            .iter()
            .map(|tag| format!("{}-description", tag_message(tag))),
    );
    roots.extend(input.templates.calls.iter().filter_map(|call| {
        let key = call.key.as_deref()?;
        Some(split_key(key).0.to_string())
    }));
    for lang in tables.languages {
        let used = reachable(tables, lang, &roots);
        for (id, definition) in tables.definitions(lang) {
            if used.contains(id.as_str()) {
                continue;
            }
            let message = if MessageDefinition::is_term(id) {
                format!("term \"{id}\" is not used by any message")
            } else {
                format!("message \"{id}\" is not used by the theme's templates or by briefing")
            };
            let finding = Diagnostic::warning("fluent-unused", &definition.path, message);
            findings.push(at_definition(definition, finding, Some(lang)));
        }
    }
}

/// The entries of `lang` reached from `roots` through references.
fn reachable(tables: &Tables<'_>, lang: &str, roots: &BTreeSet<String>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut pending: Vec<String> = roots.iter().cloned().collect();
    while let Some(id) = pending.pop() {
        let Some(definition) = tables.definition(lang, &id) else {
            continue;
        };
        if !used.insert(id) {
            continue;
        }
        let patterns = definition
            .value
            .iter()
            .chain(definition.attributes.values());
        for pattern in patterns {
            pending.extend(
                pattern
                    .references
                    .iter()
                    .map(|reference| split_key(reference).0.to_string()),
            );
        }
    }
    used
}
