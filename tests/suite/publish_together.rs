//! `[translations] publish = "together"`: a topic goes out in every language or in none, and
//! `build`, `check` and `serve` say which language holds it back.

use crate::common::Project;
use crate::common::server::Server;
use serde_json::Value;

fn exists(project: &Project, relative: &str) -> bool {
    project.path(relative).exists()
}

fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.starts_with("warning"))
        // The fixture's placeholder address is warned about too; not the subject here.
        .filter(|line| !line.starts_with("warning: the site's address"))
        .collect()
}

#[test]
fn together_holds_back_a_topic_with_a_draft_or_a_missing_language_in_every_language() {
    let project = Project::fixture("publish-together");
    let run = project.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(exists(&project, "site/fr/ensemble/index.html"));
    assert!(exists(&project, "site/en/ensemble/index.html"));
    // The English of a topic whose French is a draft is not published alone.
    assert!(!exists(&project, "site/en/brouillon-fr/index.html"));
    assert!(!exists(&project, "site/fr/brouillon-fr/index.html"));
    // Nor the French of a topic without its English.
    assert!(!exists(&project, "site/fr/sans-anglais/index.html"));
    // An outdated translation does not hold a topic back unless require_current says so.
    assert!(exists(&project, "site/en/perime/index.html"));
    let home = project.read("site/en/index.html");
    assert!(!home.contains("Draft"), "{home}");
    assert_eq!(
        warnings(&run.stderr),
        [
            "warning: topic \"brouillon-fr\" is published in no language: fr is a draft",
            "warning: topic \"sans-anglais\" is published in no language: en is missing",
        ],
        "{}",
        run.stderr
    );
    // Built again with nothing changed, it says so again: such a build is never skipped.
    let again = project.run(&["build"]);
    assert_eq!(warnings(&again.stderr).len(), 2, "{}", again.stderr);
    assert!(
        !again.stdout.contains("nothing changed"),
        "{}",
        again.stdout
    );
}

#[test]
fn require_current_also_holds_back_an_outdated_translation() {
    let project = Project::fixture("publish-together");
    let config = project.read("briefing.toml");
    project.write(
        "briefing.toml",
        &format!("{config}\n[translations]\npublish = \"together\"\nrequire_current = true\n"),
    );
    let run = project.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(!exists(&project, "site/en/perime/index.html"));
    assert!(!exists(&project, "site/fr/perime/index.html"));
    assert!(exists(&project, "site/en/ensemble/index.html"));
    assert!(
        warnings(&run.stderr)
            .contains(&"warning: topic \"perime\" is published in no language: en is outdated"),
        "{}",
        run.stderr
    );
}

#[test]
fn each_publishes_every_language_that_is_ready() {
    let project = Project::fixture("publish-together");
    let config = project.read("briefing.toml");
    project.write(
        "briefing.toml",
        &format!("{config}\n[translations]\npublish = \"each\"\n"),
    );
    let run = project.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(exists(&project, "site/en/brouillon-fr/index.html"));
    assert!(!exists(&project, "site/fr/brouillon-fr/index.html"));
    assert!(exists(&project, "site/fr/sans-anglais/index.html"));
    assert!(warnings(&run.stderr).is_empty(), "{}", run.stderr);
}

#[test]
fn check_reports_a_held_back_topic_at_its_files_that_are_not_drafts() {
    let project = Project::fixture("publish-together");
    let run = project.run(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let findings: Value = serde_json::from_str(&run.stdout).unwrap();
    let held: Vec<(String, String, String)> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "translation-held-back")
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        held,
        [
            (
                "error".to_string(),
                "content/brouillon-fr/index.en.md".to_string(),
                "topic \"brouillon-fr\" is not published, in \"en\" either: fr is a draft"
                    .to_string()
            ),
            (
                "error".to_string(),
                "content/sans-anglais/index.fr.md".to_string(),
                "topic \"sans-anglais\" is not published, in \"fr\" either: en is missing"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn serve_shows_a_held_back_topic_under_a_banner_saying_why() {
    let project = Project::fixture("publish-together");
    let server = Server::start(&project);
    let held = server.get("en/brouillon-fr/");
    assert_eq!(held.status, 200);
    assert!(
        held.body.contains("class=\"briefing-held-back\"") && held.body.contains("fr is a draft"),
        "{}",
        held.body
    );
    // A French page's banner is in French.
    let french = server.get("fr/sans-anglais/");
    assert!(
        french
            .body
            .contains("Non publié par «\u{202F}briefing build\u{202F}» (publish = &quot;together&quot;)\u{202F}: en manque."),
        "{}",
        french.body
    );
    let published = server.get("en/ensemble/");
    assert_eq!(published.status, 200);
    assert!(!published.body.contains("briefing-held-back"));
}

#[test]
fn a_link_to_a_held_back_topic_fails_the_build_and_says_why() {
    let project = Project::fixture("publish-together");
    project.edit(
        "content/ensemble/index.fr.md",
        "Les deux langues.",
        "Les deux langues ; voir [le sujet seul](@/sans-anglais).",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("link to topic \"sans-anglais\", which is held back: en is missing"),
        "{stderr}"
    );
}

#[test]
fn a_new_topic_is_untranslated_not_outdated_until_translated() {
    let project = Project::fixture("publish-together");
    let run = project.run(&["new", "nouveau"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        !project
            .read("content/nouveau/index.en.md")
            .contains("source_digest")
    );
    let check = project.run(&["check", "--format", "json"]);
    let findings: Value = serde_json::from_str(&check.stdout).unwrap();
    let about_new: Vec<&Value> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["topic"] == "nouveau")
        .collect();
    assert_eq!(about_new.len(), 1, "{findings:#}");
    assert_eq!(about_new[0]["code"], "translation-untranslated");
    assert_eq!(about_new[0]["severity"], "warning");
    let human = project.run(&["check"]);
    assert!(
        human
            .stdout
            .contains("  nouveau       source*     untranslated*"),
        "{}",
        human.stdout
    );
    let translated = project.run(&["translated", "nouveau"]);
    assert!(translated.success, "{}", translated.stderr);
    let after = project.run(&["check", "--format", "json"]);
    assert!(
        !after.stdout.contains("\"topic\": \"nouveau\""),
        "{}",
        after.stdout
    );
}
