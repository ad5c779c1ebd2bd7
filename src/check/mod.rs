//! `briefing check`: editorial findings, from the same stages as the build. Loads and parses
//! the project without stopping at problems (`Pipeline::inspect`), assembles the pages that
//! parsed as `build` and as `build --drafts` would, then adds what an editor needs to know
//! before publishing: the translation status, the locale tables against what uses them, links
//! to files and anchors, and the list of external links. Writes nothing.

pub mod fluent;
pub mod links;
pub mod report;
pub mod templates;
pub mod translations;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use crate::build::{BuildOptions, Pipeline};
use crate::diagnostic::{Diagnostic, Severity, sort_diagnostics};
use crate::model::held_back::{held_back, held_back_findings};
use crate::model::{AssembleInput, assemble_all};
use crate::since_translation::{Lookups, SinceTranslation};
use crate::source::{SourceKind, Sources};
use crate::translation::{HOME_TOPIC, page_path};
use crate::urls::LinkStyle;
use fluent::{FluentInput, fluent_findings};
use links::{LinksInput, link_findings};
use templates::scan_templates;
use translations::{
    SourceDigestMemo, StatusInput, TranslationState, TranslationStatus, status_findings,
    translation_status,
};

/// Everything `check` found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Sorted by file, line and column.
    pub findings: Vec<Diagnostic>,
    pub status: TranslationStatus,
    /// (topic, language) of each outdated translation → what changed in its source since.
    pub changes: BTreeMap<(String, String), SinceTranslation>,
}

impl CheckReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Checks the project at `root`. Fails only when the project cannot be read at all (no
/// briefing.toml, or an invalid one), since then nothing else can be checked.
pub fn check(root: &Path) -> Result<CheckReport, Vec<Diagnostic>> {
    let mut pipeline = Pipeline::new(root, BuildOptions::default());
    // Read, never written: `check` leaves the project as it found it.
    pipeline.keep_parses(true);
    let mut inspection = pipeline.inspect()?;
    let sources = pipeline.sources();
    let languages = &inspection.config.languages;
    let mut findings = std::mem::take(&mut inspection.problems);
    let status = translation_status(
        &StatusInput {
            languages,
            sources,
            pages: &inspection.pages,
            homes: &inspection.homes,
        },
        &mut SourceDigestMemo::default(),
    );
    let held = held_back(&status, &inspection.config.translations);
    // As `build` (a published page must not link to a draft), then as `build --drafts` (the
    // drafts' own links), keeping the second model: it places every page.
    let assemble_as = |drafts| {
        assemble_all(&AssembleInput {
            languages,
            pages: &inspection.pages,
            homes: &inspection.homes,
            locales: &inspection.locales,
            drafts,
            link_style: LinkStyle::Server,
            unparsed: &inspection.unparsed,
            held_back: &held,
        })
    };
    // A message the assembly misses (a URL segment) is reported by the Fluent checks below,
    // at a definition in another language or for every language: not twice.
    let not_fluent = |problem: &Diagnostic| problem.code != "fluent-missing";
    let (published, problems) = assemble_as(false);
    findings.extend(problems.into_iter().filter(not_fluent));
    if let Err(problems) = crate::menus::resolve(&inspection.config.menus, &published.translations)
    {
        findings.extend(problems);
    }
    let (site, problems) = assemble_as(true);
    findings.extend(problems.into_iter().filter(not_fluent));
    let templates = scan_templates(sources);
    let tags: BTreeSet<String> = inspection
        .pages
        .iter()
        .flat_map(|page| page.tags.iter().map(|tag| tag.id.clone()))
        .collect();
    findings.extend(fluent_findings(&FluentInput {
        languages,
        locales: &inspection.locales,
        templates: &templates,
        tags: &tags,
    }));
    findings.extend(link_findings(&LinksInput {
        sources,
        pages: &inspection.pages,
        homes: &inspection.homes,
        model: &site,
        template_ids: &templates.element_ids,
        list_external: true,
    }));
    findings.extend(status_findings(&status));
    findings.extend(held_back_findings(&held, &status));
    findings.extend(render_problems(root, &findings));
    for finding in &mut findings {
        complete(finding, sources, root);
    }
    sort_diagnostics(&mut findings);
    let changes = outdated_changes(root, &status, sources);
    Ok(CheckReport {
        findings,
        status,
        changes,
    })
}

/// What changed in the source of every outdated translation since the version it records.
/// The repository is opened only when a translation is outdated.
pub fn outdated_changes(
    root: &Path,
    status: &TranslationStatus,
    sources: &Sources,
) -> BTreeMap<(String, String), SinceTranslation> {
    let mut lookups = Lookups::new(root);
    let mut changes = BTreeMap::new();
    for topic in &status.topics {
        let source_path = page_path(&topic.topic, &status.source_language);
        let Some(current) = sources
            .files
            .get(&source_path)
            .and_then(|file| file.text.as_deref())
        else {
            continue;
        };
        for language in &topic.languages {
            if language.state != TranslationState::Outdated {
                continue;
            }
            let Some(recorded) = &language.recorded else {
                continue;
            };
            changes.insert(
                (topic.topic.clone(), language.lang.clone()),
                lookups.since(&source_path, current, &recorded.digest),
            );
        }
    }
    changes
}

/// Whether a finding is editorial (translation status, the list of external links): `check`
/// reports it, `build` does not fail on it.
pub fn is_editorial(finding: &Diagnostic) -> bool {
    finding.code.starts_with("translation-") || finding.code == "link-external"
}

fn same_problem(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.code == b.code && a.path == b.path && a.line == b.line && a.column == b.column
}

/// The problems to report for a failed build: every error `check` finds that is not
/// editorial, and those of the build's own stages it did not (the same rule set, whichever
/// command meets it first).
pub fn failed_build_problems(root: &Path, failure: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let Ok(report) = check(root) else {
        return failure;
    };
    let mut problems: Vec<Diagnostic> = report
        .findings
        .into_iter()
        .filter(|finding| finding.is_error() && !is_editorial(finding))
        .collect();
    let own: Vec<Diagnostic> = failure
        .into_iter()
        .filter(|problem| problem.code != "fluent-missing" || problems.is_empty())
        .filter(|problem| !problems.iter().any(|found| same_problem(found, problem)))
        .collect();
    problems.extend(own);
    sort_diagnostics(&mut problems);
    problems
}

/// What only rendering finds (a template using a variable no view has, a function it lacks),
/// by running the build's render stages: the problems of a failed build not already found.
fn render_problems(root: &Path, found: &[Diagnostic]) -> Vec<Diagnostic> {
    let Err(failure) = Pipeline::new(root, BuildOptions::default()).run_full() else {
        return Vec::new();
    };
    failure
        .diagnostics
        .into_iter()
        // Missing messages are reported by the Fluent checks, at their definitions.
        .filter(|problem| problem.code != "fluent-missing")
        .filter(|problem| !found.iter().any(|finding| same_problem(finding, problem)))
        .collect()
}

/// The problems a successful run of `pipeline` fails on beyond its own stages': the interface
/// strings against what uses them and the links of the pages it publishes, as `check` finds
/// them, so that `build` publishes nothing `check` rejects. Errors only.
pub fn publication_problems(pipeline: &Pipeline) -> Vec<Diagnostic> {
    let (Some(config), Some(model), Some(locales)) =
        (pipeline.config(), pipeline.model(), pipeline.locales())
    else {
        return Vec::new();
    };
    let sources = pipeline.sources();
    let (pages, homes) = pipeline.parsed_pages();
    let published: HashSet<(&str, &str)> = model
        .languages
        .iter()
        .flat_map(|language| {
            language
                .topics
                .iter()
                .chain(&language.pages)
                .map(|topic| (language.lang.as_str(), topic.page.topic.as_str()))
        })
        .collect();
    let pages: Vec<_> = pages
        .iter()
        .filter(|page| published.contains(&(page.lang.as_str(), page.topic.as_str())))
        .cloned()
        .collect();
    let templates = scan_templates(sources);
    let tags: HashSet<&str> = pages
        .iter()
        .flat_map(|page| page.tags.iter().map(|tag| tag.id.as_str()))
        .collect();
    let tags: BTreeSet<String> = tags.into_iter().map(String::from).collect();
    let mut problems = fluent_findings(&FluentInput {
        languages: &config.languages,
        locales: &locales,
        templates: &templates,
        tags: &tags,
    });
    problems.extend(link_findings(&LinksInput {
        sources,
        pages: &pages,
        homes: &homes,
        model: &model,
        template_ids: &templates.element_ids,
        list_external: false,
    }));
    problems.retain(|problem| problem.severity == Severity::Error);
    for problem in &mut problems {
        complete(problem, sources, pipeline.root());
    }
    sort_diagnostics(&mut problems);
    problems
}

/// The translation status after a run of `pipeline` (for the dev server's status page), or
/// `None` before its first run. `memo` spares hashing source files that did not change.
pub fn pipeline_status(
    pipeline: &Pipeline,
    memo: &mut SourceDigestMemo,
) -> Option<TranslationStatus> {
    let config = pipeline.config()?;
    let (pages, homes) = pipeline.parsed_pages();
    Some(translation_status(
        &StatusInput {
            languages: &config.languages,
            sources: pipeline.sources(),
            pages: &pages,
            homes: &homes,
        },
        memo,
    ))
}

/// A finding about a page names its topic and language, and one with a position quotes its
/// line, whichever stage found it.
fn complete(finding: &mut Diagnostic, sources: &Sources, root: &std::path::Path) {
    let Some(file) = sources.files.get(&finding.path) else {
        return;
    };
    match &file.kind {
        SourceKind::TopicPage { topic, lang } => {
            finding.topic.get_or_insert_with(|| topic.clone());
            finding.lang.get_or_insert_with(|| lang.clone());
        }
        SourceKind::HomePage { lang } => {
            finding.topic.get_or_insert_with(|| HOME_TOPIC.to_string());
            finding.lang.get_or_insert_with(|| lang.clone());
        }
        SourceKind::Locale { lang } => {
            finding.lang.get_or_insert_with(|| lang.clone());
        }
        _ => {}
    }
    if let (Some(line), Some(column), None) = (finding.line, finding.column, &finding.source_line) {
        // A build lets go of page texts once parsed (`Pipeline::run_once`), or never read
        // them (the parse store kept their parses): read it again.
        if let Ok(text) = file.text_or_read(root) {
            *finding = finding.clone().at_line_column(Some(&text), line, column);
        }
    }
}
