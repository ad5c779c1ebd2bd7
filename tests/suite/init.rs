//! `briefing init`: a new project that builds and checks at once, from the binary alone;
//! and what `build` prints (`--quiet`, `--verbose`, the count of warnings).

use std::path::Path;
use std::process::Command;

use crate::common::{Project, repo_root, select, text_of};

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn briefing(args: &[&str], dir: &Path) -> Ran {
    let output = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run briefing");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn a_new_project_builds_and_checks_clean_at_once() {
    let temp = tempfile::tempdir().unwrap();
    let init = briefing(&["init", "notes"], temp.path());
    assert_eq!(init.code, Some(0), "{}", init.stderr);
    let root = temp.path().join("notes");
    let check = briefing(&["check"], &root);
    assert_eq!(check.code, Some(0), "{}{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("check: no problems found"),
        "{}",
        check.stdout
    );
    let build = briefing(&["build"], &root);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    for page in [
        "site/fr/premier-sujet/index.html",
        "site/en/first-topic/index.html",
        "site/fr/a-propos/index.html",
        "site/en/about/index.html",
        "site/robots.txt",
    ] {
        assert!(root.join(page).is_file(), "{page}");
    }
    let home = scraper::Html::parse_document(
        &std::fs::read_to_string(root.join("site/en/index.html")).unwrap(),
    );
    let footer: Vec<String> = select(&home, ".site-footer__menu a")
        .iter()
        .map(text_of)
        .collect();
    // The footer names the glossary, but a new site has no terms yet: no empty page, no link.
    assert_eq!(footer, ["About"]);
    assert!(!root.join("site/en/glossary/index.html").exists());
    assert_eq!(text_of(&select(&home, ".site-title")[0]), "New briefing");
    let topic = std::fs::read_to_string(root.join("site/en/first-topic/index.html")).unwrap();
    assert!(topic.contains("class=\"callout callout--note\""));
}

#[test]
fn the_theme_comes_from_the_binary_as_shipped() {
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(briefing(&["init", "."], temp.path()).code, Some(0));
    let shipped = repo_root().join("themes/briefing");
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(&shipped) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&shipped).unwrap();
            let written = temp.path().join("themes/briefing").join(relative);
            assert_eq!(
                std::fs::read(&written).unwrap(),
                std::fs::read(entry.path()).unwrap(),
                "{}",
                relative.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 10);
    let toml = std::fs::read_to_string(temp.path().join("briefing.toml")).unwrap();
    assert!(toml.contains("languages = [\"fr\", \"en\"]"), "{toml}");
}

#[test]
fn languages_are_asked_for_and_the_first_is_the_source() {
    let temp = tempfile::tempdir().unwrap();
    let init = briefing(&["init", "site-en", "--languages", "en,fr"], temp.path());
    assert_eq!(init.code, Some(0), "{}", init.stderr);
    let root = temp.path().join("site-en");
    let toml = std::fs::read_to_string(root.join("briefing.toml")).unwrap();
    assert!(toml.contains("languages = [\"en\", \"fr\"]"), "{toml}");
    let french = std::fs::read_to_string(root.join("content/first-topic/index.fr.md")).unwrap();
    assert!(
        french.contains("source_digest = "),
        "the French file is the translation"
    );
    assert_eq!(briefing(&["check"], &root).code, Some(0));

    let only = briefing(&["init", "english", "--languages", "en"], temp.path());
    assert_eq!(only.code, Some(0), "{}", only.stderr);
    let root = temp.path().join("english");
    assert!(!root.join("locales/fr").exists());
    assert_eq!(briefing(&["build"], &root).code, Some(0));
    assert_eq!(briefing(&["check"], &root).code, Some(0));

    let unknown = briefing(&["init", "german", "--languages", "fr,de"], temp.path());
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown.stderr.contains("no interface strings for \"de\""),
        "{}",
        unknown.stderr
    );
    assert!(!temp.path().join("german").exists(), "nothing is written");
}

#[test]
fn init_never_overwrites_a_file() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("briefing.toml"), "# mine\n").unwrap();
    let init = briefing(&["init", "."], temp.path());
    assert_eq!(init.code, Some(1));
    assert!(init.stderr.contains("briefing.toml"), "{}", init.stderr);
    assert!(init.stderr.contains("never overwrites"), "{}", init.stderr);
    assert_eq!(
        std::fs::read_to_string(temp.path().join("briefing.toml")).unwrap(),
        "# mine\n"
    );
    assert!(!temp.path().join("content").exists());
}

#[test]
fn build_counts_its_warnings_and_can_be_quiet_or_verbose() {
    let project = Project::fixture("basic");
    let normal = project.run(&["build"]);
    assert!(normal.success, "{}", normal.stderr);
    assert!(
        normal.stdout.trim_end().ends_with(", 1 warning"),
        "{}",
        normal.stdout
    );
    assert!(normal.stderr.contains("warning: the site's address"));

    let quiet = project.run(&["build", "--quiet"]);
    assert!(quiet.success);
    assert_eq!((quiet.stdout.as_str(), quiet.stderr.as_str()), ("", ""));

    let clean = project.run(&["build", "--base-url", "https://briefing.example.gc.ca/"]);
    assert!(
        clean.stdout.trim_end().ends_with(", 0 warnings"),
        "{}",
        clean.stdout
    );

    let verbose = project.run(&["build", "--verbose"]);
    assert!(verbose.success);
    let stages: Vec<&str> = verbose
        .stderr
        .lines()
        .filter_map(|line| line.split(':').next())
        .map(str::trim)
        .filter(|stage| {
            [
                "load",
                "parse",
                "assemble",
                "render",
                "search index",
                "write",
            ]
            .contains(stage)
        })
        .collect();
    assert_eq!(
        stages,
        [
            "load",
            "parse",
            "assemble",
            "render",
            "search index",
            "write"
        ],
        "{}",
        verbose.stderr
    );
    assert!(verbose.stderr.contains(" ms"));
}
