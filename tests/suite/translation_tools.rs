//! The exported XLIFF read and written by the tools translators use: OmegaT (Debian's
//! `omegat`, run headless) and translate-toolkit's XLIFF reader. `.ci/run` installs both and
//! runs these tests with `--ignored`; run that way, a missing tool fails the test.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Project, repo_root};
use quick_xml::Reader;
use quick_xml::events::Event;

/// The command for a tool, from an environment variable `.ci/run` sets, or its usual name.
fn tool(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_string())
}

fn run_tool(command: &mut Command, what: &str) -> String {
    let output = command.output().unwrap_or_else(|error| {
        panic!("{what} is expected (run by .ci/run) but cannot run: {error}")
    });
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn exported(project: &Project, out: &str) -> Vec<PathBuf> {
    let run = project.run(&["xliff", "export", "--out", out]);
    assert!(run.success, "{}", run.stderr);
    let mut files: Vec<PathBuf> = fs::read_dir(project.path(out))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

const OMEGAT_PROJECT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>source</source_dir>
        <source_dir_excludes/>
        <target_dir>target</target_dir>
        <tm_dir>tm</tm_dir>
        <glossary_dir>glossary</glossary_dir>
        <glossary_file>glossary/glossary.txt</glossary_file>
        <dictionary_dir>dictionary</dictionary_dir>
        <source_lang>fr</source_lang>
        <target_lang>en</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneFrenchTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"#;

/// OmegaT 3.6 translates the text of a unit's `<target>` (it takes the existing target as
/// the text to translate, and skips units whose target is empty), showing `<g>` as
/// `<g0>`…`</g0>` and a `<ph>` by the first letter of its code (`<m1/>` for `` `MISP` ``). The memory maps the targets as exported to the new translations.
const MEMORY: &[(&str, &str)] = &[
    (
        "The partnership covers <g0>cyber defence</g0> and non-proliferation.",
        "The partnership now spans <g0>cyber defence</g0>, arms control and non-proliferation.",
    ),
    ("Political dialogue", "Political and strategic dialogue"),
    (
        "See also <g0>the changed topic</g0> and the code <m1/>.",
        "See also <g0>the topic that changed</g0> and the code <m1/>.",
    ),
];

fn tmx(memory: &[(&str, &str)]) -> String {
    let escape = |text: &str| quick_xml::escape::escape(text).into_owned();
    let mut tmx = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header creationtool=\"briefing-tests\" creationtoolversion=\"1\" segtype=\"paragraph\" o-tmf=\"OmegaT TMX\" adminlang=\"EN-US\" srclang=\"fr\" datatype=\"plaintext\"/>\n<body>\n",
    );
    for (source, target) in memory {
        tmx.push_str(&format!(
            "<tu><tuv lang=\"fr\"><seg>{}</seg></tuv><tuv lang=\"en\"><seg>{}</seg></tuv></tu>\n",
            escape(source),
            escape(target)
        ));
    }
    tmx.push_str("</body>\n</tmx>\n");
    tmx
}

#[test]
#[ignore = "needs OmegaT: run by .ci/run, which installs it"]
fn omegat_translates_an_export_from_its_memory_and_the_import_keeps_the_markup() {
    let project = Project::fixture("xliff");
    let omegat = tempfile::tempdir().unwrap();
    let dir = omegat.path();
    for folder in [
        "source",
        "target",
        "tm/auto",
        "glossary",
        "dictionary",
        "omegat",
    ] {
        fs::create_dir_all(dir.join(folder)).unwrap();
    }
    fs::write(dir.join("omegat.project"), OMEGAT_PROJECT).unwrap();
    fs::write(dir.join("tm/auto/memory.tmx"), tmx(MEMORY)).unwrap();
    let before = project_files(&project);
    for file in exported(&project, "xliff") {
        fs::copy(&file, dir.join("source").join(file.file_name().unwrap())).unwrap();
    }
    run_tool(
        Command::new(tool("BRIEFING_OMEGAT", "omegat"))
            .arg(dir)
            .arg("--mode=console-translate")
            .env("HOME", dir),
        "OmegaT",
    );
    let mut translated: Vec<PathBuf> = fs::read_dir(dir.join("target"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    translated.sort();
    assert_eq!(translated.len(), 7, "OmegaT wrote {translated:?}");
    let mut args = vec!["xliff".to_string(), "import".to_string()];
    args.extend(translated.iter().map(|p| p.to_string_lossy().into_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = project.run(&args);
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("Wrote content/alliance/index.en.md"),
        "{}",
        run.stdout
    );
    let after = project_files(&project);
    let changed: Vec<&String> = after
        .keys()
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert_eq!(
        changed,
        ["content/alliance/index.en.md"],
        "OmegaT's rewriting changes nothing else"
    );

    let site = project.build(&[]);
    let page = site.read("en/alliance/index.html");
    assert!(
        page.contains(
            "The partnership now spans <em>cyber defence</em>, arms control and non-proliferation."
        ),
        "{page}"
    );
    assert!(
        page.contains(">Political and strategic dialogue</h2>"),
        "{page}"
    );
    let link = regex_free_find(&page, "See also <a href=\"", "</a>");
    assert!(link.ends_with(">the topic that changed"), "{link}");
    assert!(link.contains("vieux"), "{link}");
    assert!(page.contains("the code <code>MISP</code>."), "{page}");
    // Only the memory's units changed in the file: emphasis style and wrapping are kept.
    let text = project.read("content/alliance/index.en.md");
    assert!(text.contains(
        "* The partnership now spans _cyber defence_, arms control and non-proliferation.\n"
    ));
    assert!(text.contains("__Key points__\n"));
    assert!(text.contains("A paragraph that the\ntranslation wraps\ndifferently.\n"));
}

/// Every file under content/ and locales/, with its bytes.
fn project_files(project: &Project) -> BTreeMap<String, Vec<u8>> {
    ["content", "locales"]
        .iter()
        .flat_map(|folder| walkdir::WalkDir::new(project.path(folder)))
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(project.root()).unwrap();
            (
                relative.to_string_lossy().replace('\\', "/"),
                fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

/// The text between `start` and the next `end` after it.
fn regex_free_find<'t>(text: &'t str, start: &str, end: &str) -> &'t str {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {text}"))
        + start.len();
    let stop = text[at..].find(end).unwrap() + at;
    &text[at..stop]
}

/// Units as translate-toolkit flattens them: text, `<g>` content and `<ph>` code kept,
/// `<x/>` dropped. By `<file original>` + U+0004 + unit id, as it names them.
fn units_of(path: &Path) -> BTreeMap<String, (String, String)> {
    let text = fs::read_to_string(path).unwrap();
    let mut reader = Reader::from_str(&text);
    let mut units = BTreeMap::new();
    let (mut original, mut id) = (String::new(), String::new());
    let (mut source, mut target) = (String::new(), String::new());
    let mut inside: Option<&str> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(start) | Event::Empty(start) => {
                let attribute = |name: &str| {
                    start.try_get_attribute(name).unwrap().map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                };
                match start.local_name().as_ref() {
                    "file" => original = attribute("original").unwrap(),
                    "trans-unit" => {
                        id = attribute("id").unwrap();
                        source.clear();
                        target.clear();
                    }
                    "source" => inside = Some("source"),
                    "target" => inside = Some("target"),
                    "note" => inside = None,
                    _ => {}
                }
            }
            Event::End(end) => match end.local_name().as_ref() {
                "source" | "target" => inside = None,
                "trans-unit" => {
                    units.insert(
                        format!("{original}\u{4}{id}"),
                        (source.clone(), target.clone()),
                    );
                }
                _ => {}
            },
            Event::Text(content) => {
                let content = content.xml10_content();
                match inside {
                    Some("source") => source.push_str(&content),
                    Some("target") => target.push_str(&content),
                    _ => {}
                }
            }
            Event::GeneralRef(reference) => {
                let name = reference.xml10_content();
                let resolved = quick_xml::escape::resolve_predefined_entity(&name).unwrap_or("");
                match inside {
                    Some("source") => source.push_str(resolved),
                    Some("target") => target.push_str(resolved),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    units
}

#[test]
#[ignore = "needs translate-toolkit: run by .ci/run, which installs it"]
fn translate_toolkit_reads_every_exported_file_with_the_same_units_and_targets() {
    for project in [Project::fixture("xliff"), repository_copy()] {
        let files = exported(&project, "xliff");
        let script = repo_root().join("tests/translation-tools/read_xliff.py");
        let stdout = run_tool(
            Command::new(tool("BRIEFING_PYTHON", "python3"))
                .arg(script)
                .args(&files),
            "translate-toolkit (python3 with translate.storage)",
        );
        let mut found: BTreeMap<String, BTreeMap<String, (String, String)>> = BTreeMap::new();
        for line in stdout.lines() {
            let unit: serde_json::Value = serde_json::from_str(line).unwrap();
            let field = |name: &str| unit[name].as_str().unwrap().to_string();
            found
                .entry(field("file"))
                .or_default()
                .insert(field("id"), (field("source"), field("target")));
        }
        assert_eq!(found.len(), files.len());
        for file in &files {
            let theirs = &found[&file.to_string_lossy().into_owned()];
            let ours = units_of(file);
            assert!(!ours.is_empty());
            assert_eq!(theirs, &ours, "{}", file.display());
        }
    }
}

fn repository_copy() -> Project {
    let project = Project::fixture("xliff");
    for part in ["content", "locales"] {
        fs::remove_dir_all(project.path(part)).unwrap();
        crate::common::copy_tree(&repo_root().join(part), &project.path(part));
    }
    project
}
