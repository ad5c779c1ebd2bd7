//! Property tests: generated and mutated input thrown at the front-matter parser, Markdown
//! with typography, the Fluent tables, the glossary and a whole build of the `basic` fixture.
//! None may panic, and every error must name its file with a line and column inside it.
//! Bounded: a few hundred cases in all, well under a minute in a debug build.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use briefing::content::glossary::Glossary;
use briefing::content::markdown::{BodySource, render_markdown};
use briefing::content::page::{PageInput, parse_home, parse_page};
use briefing::content::typography::Typography;
use briefing::diagnostic::{Diagnostic, LineIndex};
use briefing::i18n::Locales;
use briefing::source::{SourceFile, SourceKind, Sources, digest_bytes};
use briefing::{BuildOptions, Pipeline};
use proptest::prelude::*;
use proptest::sample::Index;

/// Pieces that mean something to one of the parsers, to be dropped anywhere.
const TOKENS: &[&str] = &[
    "+++",
    "+++\n",
    "\n",
    "\r\n",
    "\"",
    "'",
    "\"\"\"",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "=",
    " = ",
    "#",
    "## ",
    "@/",
    "@/cyber",
    "@/cyber#",
    "](@/x)",
    "](",
    "![",
    "\u{FEFF}",
    "é",
    "\u{202F}",
    "\u{00A0}",
    "\t",
    "\\",
    "<",
    ">",
    "&",
    "{ $",
    "-> ",
    "*",
    "*[",
    "`",
    "```\n",
    "\0",
    ":",
    ";",
    "!",
    "?",
    "«",
    "»",
    "date = ",
    "2024-13-40",
    "title",
    "tags = [",
    "[[sources]]",
    "[[events]]",
    "draft = true",
    "slug = \"../x\"",
    "short",
    "expansion",
    "fr = {",
    "-term",
    ".attr",
    "{ NUMBER($n) }",
    "[one] x",
    "*[other] y",
    "<script>",
    "|",
    "---",
    "> ",
    "1. ",
    "[^1]",
    "[^1]: n",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(Index, String),
    Delete(Index, usize),
    DuplicateLine(Index),
    Truncate(Index),
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<Index>(), token()).prop_map(|(at, text)| Edit::Insert(at, text)),
        2 => (any::<Index>(), 1usize..40).prop_map(|(at, len)| Edit::Delete(at, len)),
        1 => any::<Index>().prop_map(Edit::DuplicateLine),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

/// The nearest character boundary at or before `at`.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for edit in edits {
        match edit {
            Edit::Insert(at, piece) => {
                let at = boundary(&text, at.index(text.len() + 1));
                text.insert_str(at, piece);
            }
            Edit::Delete(at, len) => {
                let start = boundary(&text, at.index(text.len() + 1));
                let end = boundary(&text, start + len);
                text.replace_range(start..end, "");
            }
            Edit::DuplicateLine(at) => {
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let line = lines[at.index(lines.len())];
                    let start = boundary(&text, at.index(text.len() + 1));
                    let start = text[..start].rfind('\n').map_or(0, |p| p + 1);
                    let copy = line.to_string();
                    text.insert_str(start, &copy);
                }
            }
            Edit::Truncate(at) => {
                let at = boundary(&text, at.index(text.len() + 1));
                text.truncate(at);
            }
        }
    }
    text
}

/// A mutation of `original`: one to four edits.
fn mutated(original: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(edit(), 1..5).prop_map(move |edits| apply(original, &edits))
}

fn fixture(relative: &str) -> &'static str {
    let text = std::fs::read_to_string(crate::common::repo_root().join(relative))
        .unwrap_or_else(|error| panic!("{relative}: {error}"));
    Box::leak(text.into_boxed_str())
}

/// Every error names `path` (when given) and a line:column inside `text`.
fn assert_positioned(problems: &[Diagnostic], path: Option<&Path>, text: Option<&str>) {
    for problem in problems.iter().filter(|problem| problem.is_error()) {
        let shown = problem.render(false);
        assert!(!problem.path.as_os_str().is_empty(), "no path:\n{shown}");
        if let Some(path) = path {
            assert_eq!(problem.path, path, "{shown}");
        }
        let (Some(line), Some(column)) = (problem.line, problem.column) else {
            panic!("no line:column:\n{shown}");
        };
        assert!(line >= 1 && column >= 1, "{shown}");
        if let Some(text) = text {
            let lines = text.split('\n').count();
            assert!(line <= lines, "line {line} of {lines}:\n{shown}");
        }
    }
}

fn languages() -> Vec<String> {
    vec!["fr".to_string(), "en".to_string()]
}

const CASES: u32 = 96;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Failures are shrunk and printed; nothing is written into the repository.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(CASES))]

    #[test]
    fn front_matter_of_a_mutated_page_parses_or_is_positioned(
        text in mutated(fixture("tests/fixtures/basic/content/cyber/index.fr.md"))
    ) {
        let path = Path::new("content/cyber/index.fr.md");
        let input = PageInput { path, topic: "cyber", lang: "fr", text: &text, glossary: &[] };
        if let Err(problems) = parse_page(&input) {
            assert_positioned(&problems, Some(path), Some(&text));
        }
        let home = Path::new("content/_index.fr.md");
        if let Err(problems) = parse_home(home, "fr", &text, &[]) {
            assert_positioned(&problems, Some(home), Some(&text));
        }
    }

    #[test]
    fn generated_front_matter_parses_or_is_positioned(
        pieces in prop::collection::vec(token(), 0..40)
    ) {
        let text = format!("+++\n{}\n+++\nbody\n", pieces.concat());
        let path = Path::new("content/x/index.en.md");
        let input = PageInput { path, topic: "x", lang: "en", text: &text, glossary: &[] };
        if let Err(problems) = parse_page(&input) {
            assert_positioned(&problems, Some(path), Some(&text));
        }
    }

    #[test]
    fn markdown_and_typography_never_panic_and_links_point_into_the_text(
        markdown in prop_oneof![
            mutated(fixture("tests/fixtures/basic/content/markup/index.fr.md")),
            prop::collection::vec(token(), 0..60).prop_map(|pieces| pieces.concat()),
        ],
        lang in prop::sample::select(&["fr", "en"][..]),
    ) {
        let lines = LineIndex::new(&markdown);
        let source = BodySource { file_text: &markdown, offset: 0, lines: &lines };
        let glossary = Glossary::parse(
            fixture("tests/fixtures/basic/content/glossary.toml"),
            &languages(),
        ).expect("the fixture's glossary parses");
        let body = render_markdown(&markdown, &source, lang, glossary.terms(lang));
        let line_count = markdown.split('\n').count();
        for link in &body.topic_links {
            prop_assert!(link.spot.line >= 1 && link.spot.line <= line_count);
            prop_assert!(link.spot.column >= 1);
        }
        let _ = Typography::for_language(lang).apply(&markdown);
    }

    #[test]
    fn mutated_fluent_tables_load_or_are_positioned(
        text in mutated(fixture("locales/fr/main.ftl"))
    ) {
        let path = PathBuf::from("locales/fr/main.ftl");
        let mut sources = Sources::default();
        sources.files.insert(path.clone(), SourceFile {
            path: path.clone(),
            kind: SourceKind::Locale { lang: "fr".to_string() },
            digest: digest_bytes(text.as_bytes()),
            text: Some(Arc::from(text.as_str())),
        });
        let (_, problems) = Locales::load_all(&["fr".to_string()], &sources);
        assert_positioned(&problems, Some(&path), Some(&text));
    }

    #[test]
    fn a_mutated_glossary_parses_or_is_positioned(
        text in mutated(fixture("tests/fixtures/basic/content/glossary.toml"))
    ) {
        if let Err(problems) = Glossary::parse(&text, &languages()) {
            assert_positioned(&problems, Some(Path::new("content/glossary.toml")), Some(&text));
        }
    }
}

/// The files of `basic` a whole build is thrown at, one mutated per case.
const BUILD_TARGETS: &[&str] = &[
    "content/cyber/index.fr.md",
    "content/relations/index.en.md",
    "content/_index.fr.md",
    "content/glossary.toml",
    "locales/en/tags.ftl",
    "locales/fr/main.ftl",
    "themes/briefing/templates/base.html",
    "themes/briefing/templates/partials/card.html",
    "briefing.toml",
];

fn build_case() -> impl Strategy<Value = (usize, Vec<Edit>)> {
    (0..BUILD_TARGETS.len(), prop::collection::vec(edit(), 1..4))
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn a_build_of_a_mutated_project_succeeds_or_names_each_error(
        (target, edits) in build_case()
    ) {
        let project = crate::common::Project::fixture("basic");
        let relative = BUILD_TARGETS[target];
        let text = apply(&project.read(relative), &edits);
        project.write(relative, &text);
        let mut pipeline = Pipeline::new(project.root(), BuildOptions::default());
        if let Err(failure) = pipeline.run_full() {
            // Errors in the mutated file are inside it; others (a page the change made
            // unreachable, a link to a renamed anchor) name their own files.
            for problem in &failure.diagnostics {
                // A problem about a folder (a message missing from a language's tables) or
                // a file that does not exist (a template the theme lacks) has no line to
                // point at; one about a file must point inside it.
                if !project.path(&problem.path.to_string_lossy()).is_file() {
                    continue;
                }
                let in_target = problem.path == Path::new(relative);
                assert_positioned(
                    std::slice::from_ref(problem),
                    None,
                    in_target.then_some(text.as_str()),
                );
            }
        }
    }
}

#[test]
#[should_panic(expected = "no line:column")]
fn the_position_check_refuses_an_error_without_a_position() {
    let problem = Diagnostic::error("x", "content/glossary.toml", "unpositioned");
    assert_positioned(&[problem], None, None);
}
