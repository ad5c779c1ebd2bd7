//! Check stage output: the findings as text for people (grouped by file, the external links
//! listed, a table of translations, the counts) or as JSON for CI and editors' tools.
//! Styles are written always; the caller's stream drops them when not on a terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::check::CheckReport;
use crate::check::translations::{TranslationState, TranslationStatus};
use crate::diagnostic::{Diagnostic, Severity, display_path};
use crate::since_translation::SinceTranslation;
use crate::translation::HOME_TOPIC;

type Changes = BTreeMap<(String, String), SinceTranslation>;

/// The changes shown under a finding: those of an outdated translation.
fn changes_of<'a>(finding: &Diagnostic, changes: &'a Changes) -> Option<&'a SinceTranslation> {
    if finding.code != "translation-outdated" {
        return None;
    }
    let key = (finding.topic.clone()?, finding.lang.clone()?);
    changes.get(&key)
}

/// One finding in `check --format json`. Every key is always present (`null` when unknown),
/// so that tools can rely on the shape.
#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    code: &'a str,
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    help: Option<&'a str>,
    topic: Option<&'a str>,
    lang: Option<&'a str>,
    /// For an outdated translation: what changed in its source since the version it records.
    changes: Option<&'a SinceTranslation>,
}

/// The findings as a JSON array (of a project that could not be checked).
pub fn json(findings: &[Diagnostic]) -> String {
    json_with_changes(findings, &BTreeMap::new())
}

/// The report's findings as a JSON array, outdated translations with their `changes`.
pub fn json_report(report: &CheckReport) -> String {
    json_with_changes(&report.findings, &report.changes)
}

fn json_with_changes(findings: &[Diagnostic], changes: &Changes) -> String {
    let findings: Vec<JsonFinding<'_>> = findings
        .iter()
        .map(|finding| JsonFinding {
            severity: finding.severity,
            code: finding.code,
            path: display_path(&finding.path),
            line: finding.line,
            column: finding.column,
            message: &finding.message,
            help: finding.help.as_deref(),
            topic: finding.topic.as_deref(),
            lang: finding.lang.as_deref(),
            changes: changes_of(finding, changes),
        })
        .collect();
    serde_json::to_string_pretty(&findings).expect("findings serialize") + "\n"
}

/// The report for people.
pub fn human(report: &CheckReport) -> String {
    let mut out = String::new();
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    let mut external = Vec::new();
    for finding in &report.findings {
        match finding.severity {
            Severity::Info => external.push(finding),
            _ => by_file
                .entry(display_path(&finding.path))
                .or_default()
                .push(finding),
        }
    }
    let bold = Style::new().bold();
    for (path, findings) in &by_file {
        let errors = findings.iter().filter(|f| f.is_error()).count();
        let counts = plural_counts(errors, findings.len() - errors);
        let _ = writeln!(out, "{bold}{path}{bold:#}: {counts}\n");
        for finding in findings {
            let _ = writeln!(out, "{}", finding.render(true));
            if let Some(changes) = changes_of(finding, &report.changes) {
                out.push_str(&changes.describe("  "));
            }
            out.push('\n');
        }
    }
    if !external.is_empty() {
        let _ = writeln!(
            out,
            "{bold}External links{bold:#} ({}, not fetched)",
            external.len()
        );
        for finding in external {
            let _ = writeln!(out, "  {}  {}", finding.location(), finding.message);
        }
        out.push('\n');
    }
    out.push_str(&status_table(&report.status));
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if errors + warnings == 0 {
        let green = Style::new().fg_color(Some(AnsiColor::Green.into())).bold();
        let _ = writeln!(out, "\n{green}check: no problems found{green:#}");
    } else {
        let _ = writeln!(out, "\ncheck: {}", plural_counts(errors, warnings));
    }
    out
}

/// "2 errors, 1 warning", leaving out a count of zero (but not both).
fn plural_counts(errors: usize, warnings: usize) -> String {
    let plural =
        |count: usize, noun: &str| format!("{count} {noun}{}", if count == 1 { "" } else { "s" });
    match (errors, warnings) {
        (_, 0) => plural(errors, "error"),
        (0, _) => plural(warnings, "warning"),
        _ => format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ),
    }
}

fn state_style(state: TranslationState) -> Style {
    let color = match state {
        TranslationState::Source => return Style::new().dimmed(),
        TranslationState::Current => AnsiColor::Green,
        TranslationState::Outdated | TranslationState::Untranslated => AnsiColor::Yellow,
        TranslationState::Missing | TranslationState::Invalid | TranslationState::NoSource => {
            AnsiColor::Red
        }
    };
    Style::new().fg_color(Some(color.into()))
}

/// Topic × language, then the counts of each translation language.
fn status_table(status: &TranslationStatus) -> String {
    let mut out = String::new();
    let bold = Style::new().bold();
    let _ = writeln!(
        out,
        "{bold}Translations{bold:#} (source language: {})",
        status.source_language
    );
    let topic_width = status
        .topics
        .iter()
        .map(|topic| topic.topic.chars().count())
        .max()
        .unwrap_or(0)
        .max("topic".len());
    const CELL: usize = 10;
    let _ = write!(out, "  {:topic_width$}", "topic");
    for lang in &status.languages {
        let _ = write!(out, "  {lang:CELL$}");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    let mut any_draft = false;
    for topic in &status.topics {
        let _ = write!(out, "  {:topic_width$}", topic.topic);
        for (index, language) in topic.languages.iter().enumerate() {
            let mut label = language.state.label().to_string();
            if language.draft {
                label.push('*');
                any_draft = true;
            }
            let style = state_style(language.state);
            let _ = write!(out, "  {style}{label}{style:#}");
            if index + 1 < topic.languages.len() {
                let pad = CELL.saturating_sub(label.chars().count());
                out.push_str(&" ".repeat(pad));
            }
        }
        out.push('\n');
    }
    if any_draft {
        out.push_str("  * draft\n");
    }
    out.push_str(&status_counts(status));
    out
}

/// How many topics, and how many translations in each state per translation language.
fn status_counts(status: &TranslationStatus) -> String {
    let pages = status
        .topics
        .iter()
        .filter(|topic| crate::content::page::standalone_id(&topic.topic).is_some())
        .count();
    let topics = status
        .topics
        .iter()
        .filter(|topic| topic.topic != HOME_TOPIC)
        .count()
        - pages;
    let home = if topics + pages < status.topics.len() {
        " and the home page"
    } else {
        ""
    };
    let plural = |count: usize| if count == 1 { "" } else { "s" };
    let pages = match pages {
        0 => String::new(),
        count => format!(", {count} page{}", plural(count)),
    };
    let mut out = format!("  {topics} topic{}{pages}{home}\n", plural(topics));
    for lang in status.languages.iter().skip(1) {
        let counts: Vec<String> = TranslationState::ALL
            .iter()
            .map(|state| (state, status.count(lang, *state)))
            .filter(|(_, count)| *count > 0)
            .map(|(state, count)| format!("{count} {}", state.label()))
            .collect();
        let _ = writeln!(out, "  {lang}: {}", counts.join(", "));
    }
    out
}
