//! `briefing xliff export` of an outdated translation, in a real git history made with the
//! `git` command line: only the units whose source changed since the version the translation
//! records need review; without that version, every unit does, and its note says why.

use crate::common::Project;

const SOURCE: &str = "content/alliance/index.fr.md";

fn commit_all(project: &Project, message: &str) {
    project.git(&["add", "-A"]);
    project.git(&["commit", "-q", "-m", message]);
}

/// The source's title and its last paragraph edited (the translation was made before).
fn edit_title_and_paragraph(project: &Project) {
    project.edit(
        SOURCE,
        "title = \"L’alliance\"",
        "title = \"L’Alliance atlantique\"",
    );
    project.edit(
        SOURCE,
        "découpe autrement.",
        "découpe autrement, puis reprise.",
    );
}

/// One exported unit.
#[derive(Debug)]
struct Unit {
    id: String,
    source: String,
    state: String,
    target: String,
    note: String,
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text
        .find(open)
        .unwrap_or_else(|| panic!("{open} in {text}"))
        + open.len();
    let end = start + text[start..].find(close).unwrap();
    &text[start..end]
}

/// What a `<target …>` holds.
fn target_text(unit: &str) -> &str {
    let target = between(unit, "<target", "</target>");
    &target[target.find('>').unwrap() + 1..]
}

fn units(xml: &str) -> Vec<Unit> {
    xml.split("<trans-unit id=\"")
        .skip(1)
        .map(|unit| Unit {
            id: unit[..unit.find('"').unwrap()].to_string(),
            source: between(unit, "<source>", "</source>").to_string(),
            state: between(unit, "<target state=\"", "\"").to_string(),
            target: target_text(unit).to_string(),
            note: between(unit, "<note>", "</note>").to_string(),
        })
        .collect()
}

fn export(project: &Project) -> Vec<Unit> {
    let run = project.run(&["xliff", "export", "--lang", "en"]);
    assert!(run.success, "export failed:\n{}", run.stderr);
    units(&project.read("xliff/alliance.en.xlf"))
}

#[test]
fn only_the_units_changed_since_the_translated_version_need_review() {
    let project = Project::fixture("xliff");
    project.git(&["init", "-q"]);
    commit_all(&project, "Translated");
    edit_title_and_paragraph(&project);
    commit_all(&project, "Title and a paragraph");
    let units = export(&project);
    // Title, summary, the source's publisher and title, the event, and the 11 body blocks.
    assert_eq!(units.len(), 16, "{units:#?}");
    let paragraph = units
        .iter()
        .find(|unit| unit.source.contains("puis reprise"))
        .expect("the edited paragraph's unit");
    let review: Vec<&str> = units
        .iter()
        .filter(|unit| unit.state == "needs-review-translation")
        .map(|unit| unit.id.as_str())
        .collect();
    assert_eq!(review, ["title", paragraph.id.as_str()], "{units:#?}");
    for unit in &units {
        assert!(!unit.target.is_empty(), "{unit:?}");
        if unit.state == "needs-review-translation" {
            assert!(
                unit.note
                    .contains("changed in the source since the version of commit"),
                "{unit:?}"
            );
        } else {
            assert_eq!(unit.state, "translated", "{unit:?}");
            assert!(
                unit.note.contains("translated; unchanged in the source"),
                "{unit:?}"
            );
        }
    }
    assert_eq!(units[0].target, "The alliance");
    assert!(
        paragraph.target.starts_with("A paragraph that the"),
        "{paragraph:?}"
    );
}

#[test]
fn without_git_every_aligned_unit_needs_review_and_its_note_says_why() {
    let project = Project::fixture("xliff");
    edit_title_and_paragraph(&project);
    let units = export(&project);
    assert_eq!(units.len(), 16);
    for unit in &units {
        assert_eq!(unit.state, "needs-review-translation", "{unit:?}");
        assert!(!unit.target.is_empty(), "{unit:?}");
        assert!(
            unit.note.contains(
                "the source changed since this translation was made; what changed is unknown: the project's git history cannot be read ("
            ),
            "{unit:?}"
        );
        assert!(!unit.note.contains('\n'), "{unit:?}");
    }
}

#[test]
fn a_digest_no_commit_has_keeps_every_unit_for_review() {
    let project = Project::fixture("xliff");
    project.git(&["init", "-q"]);
    commit_all(&project, "Translated");
    let run = project.run(&["xliff", "export", "--lang", "en"]);
    assert!(run.success, "{}", run.stderr);
    // `vieux` records a digest that no version of its source has.
    let units = units(&project.read("xliff/vieux.en.xlf"));
    assert_eq!(units.len(), 3);
    for unit in &units {
        assert_eq!(unit.state, "needs-review-translation", "{unit:?}");
        assert!(
            unit.note.contains(
                "no committed version of the source has the digest the translation records"
            ),
            "{unit:?}"
        );
    }
}

#[test]
fn a_change_no_unit_carries_keeps_every_unit_for_review_and_round_trips() {
    let project = Project::fixture("xliff");
    project.git(&["init", "-q"]);
    commit_all(&project, "Translated");
    // Re-wrapped and re-dated: the digest changes, no unit's text does.
    project.edit(
        SOURCE,
        "Un paragraphe que la traduction\ndécoupe autrement.",
        "Un paragraphe que la\ntraduction découpe autrement.",
    );
    project.edit(SOURCE, "date = 2024-05-14", "date = 2024-05-15");
    commit_all(&project, "Spacing and date");
    let before = project.sources();
    let units = export(&project);
    for unit in &units {
        assert_eq!(unit.state, "needs-review-translation", "{unit:?}");
        assert!(
            unit.note
                .contains("no translatable text changed since commit"),
            "{unit:?}"
        );
    }
    // Imported without edits, the translation stays outdated: nothing is written.
    let run = project.run(&["xliff", "import", "xliff/alliance.en.xlf"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(project.sources(), before);
}
