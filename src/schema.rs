//! Parse stage helper for every TOML file we read (briefing.toml, front matter, glossary):
//! checks the keys of a document against the keys its kind allows, reporting every unknown
//! key at once with its position and the nearest known key, then deserializes with serde.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, nearest};

/// The keys a table may hold; some keys hold arrays of tables or tables with keys of their own.
pub struct TableSchema {
    pub what: &'static str,
    pub keys: &'static [&'static str],
    pub nested: &'static [(&'static str, &'static TableSchema)],
    /// Tables whose keys are free (for instance one entry per language) but whose values follow
    /// a schema.
    pub any_key: Option<&'static TableSchema>,
}

impl TableSchema {
    fn child(&self, key: &str) -> Option<&'static TableSchema> {
        self.nested
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, schema)| *schema)
            .or(self.any_key)
    }
}

/// Where a TOML text sits inside its file, so that positions point into the whole file.
pub struct Located<'a> {
    pub path: &'a Path,
    /// The whole file.
    pub file_text: &'a str,
    /// Byte offset of the TOML text in the file.
    pub offset: usize,
}

impl Located<'_> {
    fn error(&self, code: &'static str, span: Range<usize>, message: String) -> Diagnostic {
        Diagnostic::error(code, self.path, message).at_span(
            self.file_text,
            span.start + self.offset..span.end + self.offset,
        )
    }
}

/// Parses `toml_text`, checks its keys against `schema`, then deserializes it into `T`.
/// Returns every problem found; the value only when there is none.
pub fn parse_checked<T: DeserializeOwned>(
    toml_text: &str,
    schema: &'static TableSchema,
    at: &Located<'_>,
) -> Result<T, Vec<Diagnostic>> {
    let (table, errors) = DeTable::parse_recoverable(toml_text);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|error| toml_error(error, toml_text, at, "toml-syntax"))
            .collect());
    }
    let mut problems = Vec::new();
    check_table(table.get_ref(), schema, at, &mut problems);
    problems.sort_by_key(|problem| (problem.line, problem.column));
    if !problems.is_empty() {
        return Err(problems);
    }
    // Deserialized from the table already parsed (a front matter is parsed once, not twice).
    T::deserialize(toml::de::Deserializer::from(table))
        .map_err(|error| vec![toml_error(&error, toml_text, at, "toml-value")])
}

fn toml_error(
    error: &toml::de::Error,
    toml_text: &str,
    at: &Located<'_>,
    code: &'static str,
) -> Diagnostic {
    let span = error.span().unwrap_or(0..toml_text.len().min(1));
    let message = error.message().trim_end().to_string();
    let message = match code {
        "toml-syntax" => format!("invalid TOML: {message}"),
        _ => message,
    };
    at.error(code, span, message)
}

fn check_table(
    table: &DeTable<'_>,
    schema: &TableSchema,
    at: &Located<'_>,
    problems: &mut Vec<Diagnostic>,
) {
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let known = schema.keys.contains(&name) || schema.any_key.is_some();
        if !known {
            let mut diagnostic = at.error(
                "unknown-key",
                key.span(),
                format!("unknown {} key \"{name}\"", schema.what),
            );
            if let Some(candidate) = nearest(name, schema.keys) {
                diagnostic.message =
                    format!("{} (did you mean \"{candidate}\"?)", diagnostic.message);
            } else {
                diagnostic =
                    diagnostic.with_help(format!("known keys: {}", schema.keys.join(", ")));
            }
            problems.push(diagnostic);
            continue;
        }
        if let Some(child) = schema.child(name) {
            check_value(value.get_ref(), child, at, problems);
        }
    }
}

fn check_value(
    value: &DeValue<'_>,
    schema: &TableSchema,
    at: &Located<'_>,
    problems: &mut Vec<Diagnostic>,
) {
    match value {
        DeValue::Table(table) => check_table(table, schema, at, problems),
        DeValue::Array(items) => {
            for item in items.iter() {
                check_value(item.get_ref(), schema, at, problems);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static INNER: TableSchema = TableSchema {
        what: "source",
        keys: &["publisher", "title"],
        nested: &[],
        any_key: None,
    };
    static OUTER: TableSchema = TableSchema {
        what: "front-matter",
        keys: &["title", "sources"],
        nested: &[("sources", &INNER)],
        any_key: None,
    };

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        title: String,
    }

    #[test]
    fn every_unknown_key_is_reported_with_its_position() {
        let text =
            "titel = \"a\"\n[[sources]]\npublisher = \"x\"\ntitle = \"t\"\npublsher = \"y\"\n";
        let at = Located {
            path: Path::new("f.md"),
            file_text: text,
            offset: 0,
        };
        let problems = parse_checked::<Outer>(text, &OUTER, &at).unwrap_err();
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.message.as_str(), p.line, p.column))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "unknown front-matter key \"titel\" (did you mean \"title\"?)",
                    Some(1),
                    Some(1)
                ),
                (
                    "unknown source key \"publsher\" (did you mean \"publisher\"?)",
                    Some(5),
                    Some(1)
                ),
            ]
        );
    }

    /// A value of the wrong type is reported where it stands in the whole file, though it is
    /// deserialized from the table the schema check parsed rather than from the text.
    #[test]
    fn a_value_of_the_wrong_type_is_reported_at_its_position_in_the_file() {
        let front_matter = "title = [\"a\"]\n";
        let file_text = format!("+++\n{front_matter}+++\nCorps.\n");
        let at = Located {
            path: Path::new("f.md"),
            file_text: &file_text,
            offset: 4,
        };
        let problems = parse_checked::<Outer>(front_matter, &OUTER, &at).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "toml-value");
        assert!(
            problems[0].message.contains("string"),
            "{}",
            problems[0].message
        );
        assert_eq!((problems[0].line, problems[0].column), (Some(2), Some(9)));
    }
}
