//! What changed in a source since its translation: the version the translation's digest names,
//! found in a real git history (made with the `git` command line), compared block by block,
//! shown by `briefing diff`, `briefing check` (human and JSON) and the dev server.

use crate::common::Project;
use crate::common::server::Server;
use serde_json::Value;

const SOURCE: &str = "content/ensemble/index.fr.md";

fn commit_all(project: &Project, message: &str) -> String {
    project.git(&["add", "-A"]);
    project.git(&["commit", "-q", "-m", message]);
    project.git(&["rev-parse", "HEAD"])
}

/// The fixture committed as translated, another file changed in a second commit, the source
/// edited in a third and again in the work tree. Returns the project and the commit the translation records.
fn edited_after_translation() -> (Project, String) {
    let project = Project::fixture("publish-together");
    project.git(&["init", "-q"]);
    let translated = commit_all(&project, "Translated");
    project.edit(
        SOURCE,
        "title = \"Ensemble\"",
        "title = \"Ensemble, enfin\"",
    );
    commit_all(&project, "Title");
    project.edit(
        SOURCE,
        "Les deux langues.\n",
        "Les deux langues officielles.\n\n## Calendrier\n\nEn même temps.\n",
    );
    (project, translated)
}

#[test]
fn diff_names_the_translated_version_and_each_changed_block() {
    let (project, translated) = edited_after_translation();
    let before = project.read(SOURCE);
    let run = project.run(&["diff", "ensemble"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "content/ensemble/index.en.md is outdated: content/ensemble/index.fr.md changed\n\
             \x20 since the version of commit {} (Translated):\n\
             \x20   changed field title (line 2): [-Ensemble-]{{+Ensemble, enfin+}}\n\
             \x20   changed paragraph (line 5): Les deux [-langues.-]{{+langues officielles.+}}\n\
             \x20   added heading (line 7): ## Calendrier\n\
             \x20   added paragraph (line 9): En même temps.\n",
            &translated[..10]
        )
    );
    assert_eq!(project.read(SOURCE), before, "diff writes nothing");
    let current = project.run(&["diff", "perime", "--lang", "en"]);
    assert!(
        current
            .stdout
            .contains("what changed is unknown: no committed version"),
        "{}",
        current.stdout
    );
}

#[test]
fn check_shows_the_changes_under_the_finding_and_in_its_json() {
    let (project, translated) = edited_after_translation();
    let human = project.run(&["check"]);
    assert!(
        human.stdout.contains(&format!(
            "  since the version of commit {} (Translated):\n    changed field title (line 2): [-Ensemble-]{{+Ensemble, enfin+}}\n",
            &translated[..10]
        )),
        "{}",
        human.stdout
    );
    let json = project.run(&["check", "--format", "json"]);
    let findings: Value = serde_json::from_str(&json.stdout).unwrap();
    let outdated = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "translation-outdated" && f["topic"] == "ensemble")
        .expect("the outdated finding");
    let changes = &outdated["changes"];
    assert_eq!(changes["commit"], translated.as_str());
    assert_eq!(changes["unknown"], Value::Null);
    let blocks = changes["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 4, "{changes:#}");
    assert_eq!(blocks[0]["change"], "changed");
    assert_eq!(blocks[0]["kind"], "field");
    assert_eq!(blocks[0]["field"], "title");
    assert_eq!(blocks[0]["before"], "Ensemble");
    assert_eq!(blocks[0]["after"], "Ensemble, enfin");
    assert_eq!(blocks[0]["line"], 2);
    assert_eq!(blocks[2]["change"], "added");
    assert_eq!(blocks[2]["kind"], "heading");
    assert_eq!(blocks[2]["after"], "## Calendrier");
    assert_eq!(blocks[2]["before"], Value::Null);
    assert_eq!(blocks[2]["line"], 7);
    // Findings of another kind carry the key too, as null.
    let other = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] != "translation-outdated")
        .unwrap();
    assert_eq!(other["changes"], Value::Null);
}

#[test]
fn without_git_the_changes_are_unknown_in_one_line() {
    let project = Project::fixture("publish-together");
    project.edit(SOURCE, "Les deux langues.", "Les deux langues officielles.");
    let run = project.run(&["diff", "ensemble", "--lang", "en"]);
    assert!(run.success, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[1].starts_with("  what changed is unknown: the project's git history cannot be read"),
        "{}",
        run.stdout
    );
    let server = Server::start(&project);
    let page = server.get("__briefing/side-by-side/ensemble").body;
    assert!(
        page.contains(
            "<p class=\"unknown\">What changed is unknown: the project is not in a git repository whose history can be read.</p>"
        ),
        "{page}"
    );
}

#[test]
fn a_digest_no_commit_has_is_reported_not_guessed() {
    let project = Project::fixture("publish-together");
    project.git(&["init", "-q"]);
    commit_all(&project, "First");
    project.edit(SOURCE, "Les deux langues.", "Les deux langues officielles.");
    commit_all(&project, "Second");
    // The translation records a version that was never committed.
    project.edit(SOURCE, "officielles", "officielles du Canada");
    let english = project.read("content/ensemble/index.en.md");
    let recorded = english
        .lines()
        .find(|line| line.starts_with("source_digest"))
        .unwrap();
    project.write(
        "content/ensemble/index.en.md",
        &english.replace(
            recorded,
            &format!("source_digest = \"{}\"", "ab".repeat(32)),
        ),
    );
    let run = project.run(&["diff", "ensemble"]);
    assert_eq!(
        run.stdout,
        "content/ensemble/index.en.md is outdated: content/ensemble/index.fr.md changed\n\
         \x20 what changed is unknown: no committed version of the source has the digest the translation records\n"
    );
}

#[test]
fn the_side_by_side_view_marks_the_changed_source_blocks_next_to_the_translation() {
    let (project, _) = edited_after_translation();
    let server = Server::start(&project);
    let page = server.get("__briefing/side-by-side/ensemble");
    assert_eq!(page.status, 200);
    let html = scraper::Html::parse_document(&page.body);
    let rows = scraper::Selector::parse("table.changes tbody tr").unwrap();
    let rows: Vec<Vec<String>> = html
        .select(&rows)
        .map(|row| {
            row.children()
                .filter_map(scraper::ElementRef::wrap)
                .map(|cell| cell.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect();
    assert!(
        rows.iter().any(|row| row.len() == 3
            && row[0].contains("changed")
            && row[1].contains("officielles")
            && row[2] == "Both languages."),
        "{rows:?}"
    );
    assert!(page.body.contains("<ins>"), "{}", page.body);
}
