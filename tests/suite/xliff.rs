//! `briefing xliff export` and `import`, run by the real binary on copies of the xliff
//! fixture and of the repository's own site.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{Project, copy_tree, repo_root};

fn fixture() -> Project {
    Project::fixture("xliff")
}

fn export(project: &Project, args: &[&str]) -> String {
    let mut all = vec!["xliff", "export"];
    all.extend_from_slice(args);
    let run = project.run(&all);
    assert!(run.success, "export failed:\n{}", run.stderr);
    run.stdout
}

fn import(project: &Project, files: &[&str]) -> crate::common::Run {
    let mut all = vec!["xliff", "import"];
    all.extend_from_slice(files);
    project.run(&all)
}

/// Every file under `content/` and `locales/`, with its bytes.
fn site_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    ["content", "locales"]
        .iter()
        .flat_map(|folder| walkdir::WalkDir::new(root.join(folder)))
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(root).unwrap();
            (
                relative.to_string_lossy().replace('\\', "/"),
                fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

fn xlf_files(project: &Project) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(project.path("xliff"))
        .unwrap()
        .map(|entry| format!("xliff/{}", entry.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    files
}

/// The targets of a file, by unit id, as raw XML.
fn targets(xml: &str) -> BTreeMap<String, (String, String)> {
    let mut found = BTreeMap::new();
    for unit in xml.split("<trans-unit id=\"").skip(1) {
        let id = unit[..unit.find('"').unwrap()].to_string();
        let start = unit.find("<target").unwrap();
        let open_end = start + unit[start..].find('>').unwrap();
        let state = unit[start..open_end].to_string();
        let end = unit.find("</target>").unwrap();
        found.insert(id, (state, unit[open_end + 1..end].to_string()));
    }
    found
}

#[test]
fn export_then_import_leaves_the_repository_site_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "locales", "themes"] {
        copy_tree(&repo_root().join(part), &dir.path().join(part));
    }
    fs::copy(
        repo_root().join("briefing.toml"),
        dir.path().join("briefing.toml"),
    )
    .unwrap();
    let before = site_files(dir.path());
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let exported = run(&["xliff", "export"]);
    // One file per topic and the home texts, one for the Fluent tables, one for the glossary.
    let topics = fs::read_dir(dir.path().join("content"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir() && !e.file_name().to_string_lossy().starts_with('_'))
        .count();
    // And one per standalone page of content/_pages/.
    let pages = fs::read_dir(dir.path().join("content/_pages"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .count()
        })
        .unwrap_or(0);
    let expected = format!("Exported {} XLIFF files", topics + pages + 3);
    assert!(exported.contains(&expected), "{exported}");
    let mut files: Vec<String> = fs::read_dir(dir.path().join("xliff"))
        .unwrap()
        .map(|e| format!("xliff/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    let mut args = vec!["xliff", "import"];
    args.extend(files.iter().map(String::as_str));
    let imported = run(&args);
    assert_eq!(
        imported.matches("nothing changed").count(),
        files.len(),
        "{imported}"
    );
    assert_eq!(site_files(dir.path()), before);
}

#[test]
fn export_then_import_leaves_every_fixture_file_as_it_was() {
    // The fixture has a translation that lines up with its source but differs in layout,
    // one that does not line up, an outdated one and a missing one.
    let project = fixture();
    let before = site_files(project.root());
    export(&project, &[]);
    let files = xlf_files(&project);
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let run = import(&project, &args);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("xliff/nouveau.en.xlf: 5 units still without a target; left as it is"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("xliff/decale.en.xlf: 2 units still without a target"),
        "{}",
        run.stderr
    );
    assert_eq!(site_files(project.root()), before);
}

#[test]
fn export_writes_units_with_inline_markup_targets_states_and_notes() {
    let project = fixture();
    let stdout = export(&project, &["--lang", "en"]);
    assert_eq!(
        xlf_files(&project),
        [
            "xliff/_glossary.en.xlf",
            "xliff/_index.en.xlf",
            "xliff/_locales.en.xlf",
            "xliff/alliance.en.xlf",
            "xliff/decale.en.xlf",
            "xliff/nouveau.en.xlf",
            "xliff/vieux.en.xlf"
        ],
        "{stdout}"
    );
    let alliance = project.read("xliff/alliance.en.xlf");
    let digest =
        briefing::translation::source_digest(&project.read("content/alliance/index.fr.md"));
    assert!(alliance.contains(&format!("briefing:source-digest=\"{digest}\"")));
    assert!(alliance.contains("<source>Voir aussi <g id=\"1\" ctype=\"x-topic-link\">le sujet modifié</g> et le code <ph id=\"2\" ctype=\"x-code\">`MISP`</ph>.</source>"));
    assert!(alliance.contains("<target state=\"translated\">The partnership covers <g id=\"1\" ctype=\"italic\">cyber defence</g> and non-proliferation.</target>"));
    assert!(alliance.contains("la sécurité<x id=\"3\" ctype=\"x-footnote-ref\"/>.</source>"));
    assert!(
        alliance.contains("<ph id=\"1\" ctype=\"x-html\">&lt;abbr title=\"chaque année\"&gt;</ph>")
    );
    assert!(alliance.contains("<note>L’alliance — table cell, block 8 of 11, content/alliance/index.fr.md:29: translated, and the translation is current</note>"), "{alliance}");
    assert!(alliance.contains("<trans-unit id=\"source-title-"));
    assert!(alliance.contains("resname=\"events.text\""));
    let units = targets(&alliance);
    assert_eq!(units.len(), 16);
    let fresh = targets(&project.read("xliff/nouveau.en.xlf"));
    assert!(
        fresh
            .values()
            .all(|(state, text)| state.contains("state=\"new\"") && text.is_empty())
    );
    let offset = targets(&project.read("xliff/decale.en.xlf"));
    assert_eq!(
        offset["title"],
        (
            "<target state=\"translated\"".into(),
            "An offset topic".into()
        )
    );
    let body: Vec<_> = offset
        .iter()
        .filter(|(id, _)| id.starts_with("p-"))
        .collect();
    assert!(
        body.iter()
            .all(|(_, (state, text))| state.contains("\"new\"") && text.is_empty())
    );
    let outdated = targets(&project.read("xliff/vieux.en.xlf"));
    assert!(
        outdated
            .values()
            .all(|(state, text)| state.contains("needs-review-translation") && !text.is_empty())
    );
}

#[test]
fn fluent_units_protect_placeables_and_follow_the_target_plural_categories() {
    let project = fixture();
    export(&project, &[]);
    let locales = project.read("xliff/_locales.en.xlf");
    assert!(locales.contains("<trans-unit id=\"reading-time[one]\" resname=\"reading-time\""));
    assert!(locales.contains("<trans-unit id=\"reading-time[other]\" resname=\"reading-time\""));
    assert!(!locales.contains("reading-time[few]"));
    assert!(locales.contains("<source><ph id=\"1\" ctype=\"x-fluent-placeable\">{ $minutes }</ph> minute de lecture</source>"), "{locales}");
    assert!(locales.contains("<trans-unit id=\"tag-nato\" resname=\"tag-nato\""));
}

#[test]
fn unit_ids_stay_while_their_block_is_unchanged() {
    let project = fixture();
    export(&project, &["--only", "all"]);
    let before: Vec<String> = targets(&project.read("xliff/alliance.en.xlf"))
        .into_keys()
        .collect();
    project.edit(
        "content/alliance/index.fr.md",
        "Le dialogue politique",
        "Le dialogue",
    );
    export(&project, &[]);
    let after: Vec<String> = targets(&project.read("xliff/alliance.en.xlf"))
        .into_keys()
        .collect();
    let gone: Vec<&String> = before.iter().filter(|id| !after.contains(id)).collect();
    assert_eq!(gone.len(), 1, "{gone:?}");
    assert!(gone[0].starts_with("h-"));
}

#[test]
fn only_picks_untranslated_or_outdated_translations() {
    let project = fixture();
    export(
        &project,
        &["--only", "untranslated", "--out", "untranslated"],
    );
    export(&project, &["--only", "outdated", "--out", "outdated"]);
    let names = |folder: &str| {
        let mut names: Vec<String> = fs::read_dir(project.path(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("untranslated"), ["nouveau.en.xlf"]);
    assert_eq!(names("outdated"), ["vieux.en.xlf"]);
    for lang in ["de", "fr"] {
        let run = project.run(&["xliff", "export", "--lang", lang]);
        assert_eq!(run.code, Some(1));
        assert!(
            run.stderr.contains(&format!(
                "\"{lang}\" is not one of the site's target languages (en)"
            )),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_filled_new_translation_is_written_on_the_source_structure_and_builds() {
    let project = fixture();
    export(&project, &["--only", "untranslated"]);
    let xml = project.read("xliff/nouveau.en.xlf");
    let filled = xml
        .replace("<source>Un nouveau sujet</source>\n<target state=\"new\"></target>", "<source>Un nouveau sujet</source>\n<target state=\"translated\">A new topic</target>")
        .replace("<target state=\"new\"></target>", "<target state=\"translated\">Still <g id=\"1\" ctype=\"bold\">untranslated</g>, see <g id=\"2\" ctype=\"x-topic-link\">the alliance</g>.</target>");
    // Only the body's first paragraph has two tags; give the other units plain text.
    let filled = filled.replacen("<source>Une section</source>\n<target state=\"translated\">Still <g id=\"1\" ctype=\"bold\">untranslated</g>, see <g id=\"2\" ctype=\"x-topic-link\">the alliance</g>.</target>", "<source>Une section</source>\n<target state=\"translated\">A section</target>", 1)
        .replacen("<source>un point ;</source>\n<target state=\"translated\">Still <g id=\"1\" ctype=\"bold\">untranslated</g>, see <g id=\"2\" ctype=\"x-topic-link\">the alliance</g>.</target>", "<source>un point ;</source>\n<target state=\"translated\">one point;</target>", 1)
        .replacen("<source>un autre point.</source>\n<target state=\"translated\">Still <g id=\"1\" ctype=\"bold\">untranslated</g>, see <g id=\"2\" ctype=\"x-topic-link\">the alliance</g>.</target>", "<source>un autre point.</source>\n<target state=\"translated\">another point.</target>", 1);
    project.write("xliff/nouveau.en.xlf", &filled);
    let run = import(&project, &["xliff/nouveau.en.xlf"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stdout.contains("Wrote content/nouveau/index.en.md"),
        "{}",
        run.stdout
    );
    let digest = briefing::translation::source_digest(&project.read("content/nouveau/index.fr.md"));
    assert_eq!(
        project.read("content/nouveau/index.en.md"),
        format!(
            "+++\ntitle = \"A new topic\"\ndate = 2024-06-01\ntags = [\"cyber\"]\nsource_digest = \"{digest}\"\n+++\nStill **untranslated**, see [the alliance](@/alliance).\n\n## A section\n\n- one point;\n- another point.\n"
        )
    );
    let site = project.build(&[]);
    let page = site.read("en/nouveau/index.html");
    assert!(
        page.contains("Still <strong>untranslated</strong>"),
        "{page}"
    );
}

#[test]
fn import_changes_only_the_units_whose_target_changed() {
    let project = fixture();
    export(&project, &[]);
    let before = project.read("content/alliance/index.en.md");
    project.edit(
        "xliff/alliance.en.xlf",
        "<target state=\"translated\">Political dialogue</target>",
        "<target state=\"translated\">Political &amp; strategic dialogue</target>",
    );
    let run = import(&project, &["xliff/alliance.en.xlf"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        project.read("content/alliance/index.en.md"),
        before.replace("## Political dialogue", "## Political & strategic dialogue")
    );
}

#[test]
fn an_outdated_translation_gets_the_new_digest_once_its_units_are_confirmed() {
    let project = fixture();
    export(&project, &["--only", "outdated"]);
    let run = import(&project, &["xliff/vieux.en.xlf"]);
    assert!(run.stdout.contains("nothing changed"), "{}", run.stdout);
    let xml = project
        .read("xliff/vieux.en.xlf")
        .replace("needs-review-translation", "translated");
    let xml = xml.replace(
        "The second paragraph, as it was.",
        "The second paragraph, changed since.",
    );
    project.write("xliff/vieux.en.xlf", &xml);
    let run = import(&project, &["xliff/vieux.en.xlf"]);
    assert!(run.success, "{}", run.stderr);
    let digest = briefing::translation::source_digest(&project.read("content/vieux/index.fr.md"));
    assert_eq!(
        project.read("content/vieux/index.en.md"),
        format!(
            "+++\ntitle = \"A changed topic\"\ndate = 2024-01-01\nsource_digest = \"{digest}\"\n+++\nThe first paragraph, unchanged.\n\nThe second paragraph, changed since.\n"
        )
    );
}

#[test]
fn fluent_and_glossary_targets_are_written_back_entry_by_entry() {
    let project = fixture();
    project.edit(
        "content/glossary.toml",
        "en = { short = \"UN\", expansion = \"United Nations\" }\n",
        "",
    );
    export(&project, &[]);
    let locales = project.read("xliff/_locales.en.xlf").replacen(
        "<target state=\"translated\"><ph id=\"1\" ctype=\"x-fluent-placeable\">{ $minutes }</ph>-minute read</target>",
        "<target state=\"translated\"><ph id=\"1\" ctype=\"x-fluent-placeable\">{ $minutes }</ph> short minute</target>",
        1,
    );
    project.write("xliff/_locales.en.xlf", &locales);
    let glossary = project.read("xliff/_glossary.en.xlf");
    let glossary = glossary
        .replacen(
            "<source>ONU</source>\n<target state=\"new\"></target>",
            "<source>ONU</source>\n<target state=\"translated\">UN</target>",
            1,
        )
        .replacen(
            "<target state=\"new\"></target>",
            "<target state=\"translated\">United Nations</target>",
            1,
        );
    project.write("xliff/_glossary.en.xlf", &glossary);
    let main_before = project.read("locales/en/main.ftl");
    let run = import(
        &project,
        &["xliff/_locales.en.xlf", "xliff/_glossary.en.xlf"],
    );
    assert!(run.success, "{}", run.stderr);
    let main = project.read("locales/en/main.ftl");
    assert!(main.contains("reading-time =\n    { $minutes ->\n        [one] { $minutes } short minute\n       *[other] { $minutes }-minute read\n    }\n"), "{main}");
    let untouched = |text: &str| {
        text.lines()
            .filter(|l| {
                !l.contains("minute")
                    && !l.starts_with("reading-time")
                    && !l.trim().starts_with('{')
                    && !l.trim().starts_with('}')
            })
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(untouched(&main), untouched(&main_before));
    assert!(project.read("content/glossary.toml").ends_with("fr = { short = \"ONU\", expansion = \"Organisation des Nations Unies\" }\nen = { short = \"UN\", expansion = \"United Nations\" }\n"));
    project.build(&[]);
}

#[test]
fn imports_that_would_break_something_are_refused_and_write_nothing() {
    let project = fixture();
    export(&project, &[]);
    let original = project.read("xliff/alliance.en.xlf");
    let before = site_files(project.root());
    let cases = [
        (
            original.replacen("<body>", "<body><oops>", 1),
            "malformed XML",
        ),
        (
            original.replacen(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<?xml version=\"1.0\"?>\n<!DOCTYPE xliff [<!ENTITY x \"y\">]>",
                1,
            ),
            "DOCTYPE",
        ),
        (
            original.replacen(
                "<g id=\"1\" ctype=\"italic\">cyber defence</g>",
                "cyber defence",
                1,
            ),
            "the target lost the source's <g id=\"1\">",
        ),
        (
            original.replacen(
                "and non-proliferation.</target>",
                "and <x id=\"7\" ctype=\"lb\"/>non-proliferation.</target>",
                1,
            ),
            "the target has a <x id=\"7\"> the source has not",
        ),
        (
            original.replace("target-language=\"en\"", "target-language=\"de\""),
            "target language \"de\"",
        ),
    ];
    for (xml, expected) in cases {
        project.write("xliff/broken.xlf", &xml);
        let run = import(&project, &["xliff/broken.xlf"]);
        assert_eq!(run.code, Some(1), "{expected}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
        assert!(run.stderr.contains("xliff/broken.xlf"), "{}", run.stderr);
        assert_eq!(site_files(project.root()), before);
    }
}

#[test]
fn a_source_edited_since_the_export_is_refused_unless_forced() {
    let project = fixture();
    export(&project, &[]);
    project.edit(
        "content/alliance/index.fr.md",
        "Le dialogue politique",
        "Le dialogue",
    );
    let xml = project
        .read("xliff/alliance.en.xlf")
        .replace("Staff talks in Brussels.", "Staff talks held in Brussels.");
    project.write("xliff/alliance.en.xlf", &xml);
    let run = import(&project, &["xliff/alliance.en.xlf"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("content/alliance/index.fr.md changed since this file was exported"),
        "{}",
        run.stderr
    );
    let run = project.run(&["xliff", "import", "--force", "xliff/alliance.en.xlf"]);
    assert!(run.success, "{}", run.stderr);
    let text = project.read("content/alliance/index.en.md");
    assert!(text.contains("text = \"Staff talks held in Brussels.\""));
    assert!(
        text.contains("## Political dialogue"),
        "the heading the file has no unit for keeps its translation"
    );
}

#[test]
fn a_translation_that_does_not_line_up_is_rebuilt_on_the_source_blocks() {
    let project = fixture();
    export(&project, &[]);
    let xml = project
        .read("xliff/decale.en.xlf")
        .replacen(
            "<target state=\"new\"></target>",
            "<target state=\"translated\">A first paragraph.</target>",
            1,
        )
        .replacen(
            "<target state=\"new\"></target>",
            "<target state=\"translated\">A second paragraph.</target>",
            1,
        );
    project.write("xliff/decale.en.xlf", &xml);
    let run = import(&project, &["xliff/decale.en.xlf"]);
    assert!(run.success, "{}", run.stderr);
    let digest = briefing::translation::source_digest(&project.read("content/decale/index.fr.md"));
    assert_eq!(
        project.read("content/decale/index.en.md"),
        format!(
            "+++\ntitle = \"An offset topic\"\ndate = 2024-02-01\nsource_digest = \"{digest}\"\n+++\nA first paragraph.\n\nA second paragraph.\n"
        )
    );
}

#[test]
fn a_file_naming_a_source_outside_the_project_is_refused() {
    let project = fixture();
    export(&project, &[]);
    let topic = project.read("xliff/alliance.en.xlf").replace(
        "original=\"content/alliance/index.fr.md\"",
        "original=\"content/../../alliance/index.fr.md\"",
    );
    project.write("xliff/escape.xlf", &topic);
    let run = import(&project, &["xliff/escape.xlf"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("is not a source file of this site"),
        "{}",
        run.stderr
    );
    let table = project.read("xliff/_locales.en.xlf").replace(
        "original=\"locales/fr/main.ftl\"",
        "original=\"locales/fr/../../../main.ftl\"",
    );
    project.write("xliff/escape.xlf", &table);
    let run = import(&project, &["xliff/escape.xlf"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("is not a table of this site"),
        "{}",
        run.stderr
    );
}
