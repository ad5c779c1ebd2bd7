//! `briefing new <topic-id>`: one file per language, front matter filled.

use crate::common::Project;

#[test]
fn new_creates_one_draft_file_per_language() {
    let project = Project::fixture("basic");
    let run = project.run(&["new", "maritime-security"]);
    assert!(run.success, "{}", run.stderr);
    let french = project.read("content/maritime-security/index.fr.md");
    let english = project.read("content/maritime-security/index.en.md");
    let today = jiff::ZonedDateTime::now().date().to_string();
    assert!(
        french.starts_with("+++\ntitle = \"Nouveau sujet\"\n"),
        "{french}"
    );
    assert!(french.contains(&format!("date = {today}\n")));
    assert!(french.contains("draft = true\n"));
    assert!(!french.contains("source_digest"));
    assert!(english.contains("title = \"New topic\""));
    // Not translated yet: no digest, so `check` says untranslated, not current.
    assert!(!english.contains("source_digest"), "{english}");
    // The new topic builds (as a draft) straight away.
    let site = project.build(&["--drafts"]);
    assert!(site.exists("fr/maritime-security/index.html"));
}

#[test]
fn new_refuses_an_existing_topic() {
    let project = Project::fixture("basic");
    let run = project.run(&["new", "cyber"]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("topic \"cyber\" already exists"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_refuses_an_unsafe_folder_name() {
    let project = Project::fixture("basic");
    for id in ["../escape", "Has Spaces", "UPPER", "", "a/b"] {
        let run = project.run(&["new", id]);
        assert!(!run.success, "{id:?} was accepted");
        assert!(
            run.stderr.contains("is not a safe topic id"),
            "{id:?}: {}",
            run.stderr
        );
    }
    assert!(!project.path("escape").exists());
}
