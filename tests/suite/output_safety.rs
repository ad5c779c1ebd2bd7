//! The output never touches a source: `--out` and `--archive` destinations that would replace
//! the project, write inside its sources or over files briefing did not write are refused
//! before anything is written; builds leave no staging folder behind, interrupted or not, and
//! builds into one folder take turns.

use std::fs;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::Project;

fn refused(project: &Project, args: &[&str]) -> String {
    let before = project.sources();
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = project.run(&all);
    assert_eq!(
        run.code,
        Some(2),
        "{args:?} should be refused:\n{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("error:").count(),
        1,
        "one clear error for {args:?}:\n{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing built for {args:?}");
    assert!(
        project.sources() == before,
        "{args:?} changed a source file"
    );
    assert_eq!(
        project.debris(),
        Vec::<String>::new(),
        "{args:?} left debris"
    );
    run.stderr
}

#[test]
fn outputs_that_hold_or_sit_inside_the_sources_are_refused_and_nothing_is_written() {
    let project = Project::fixture("basic");
    let absolute = project.root().display().to_string();
    for out in [".", "..", absolute.as_str(), "./content/..", "site/../.."] {
        let error = refused(&project, &["--out", out]);
        assert!(error.contains("it holds the project"), "{out}: {error}");
    }
    for out in [
        "content",
        "locales",
        "themes/briefing",
        "content/cyber/out",
        "locales/fr/site",
        "site/../content",
        "briefing.toml",
    ] {
        let error = refused(&project, &["--out", out]);
        assert!(
            error.contains("inside the project's sources"),
            "{out}: {error}"
        );
    }
    assert!(!project.path("site").exists());
}

#[test]
fn a_symlink_into_the_sources_does_not_reach_around_the_rules() {
    let project = Project::fixture("basic");
    std::os::unix::fs::symlink(project.path("content"), project.path("published")).unwrap();
    let error = refused(&project, &["--out", "published/cyber"]);
    assert!(error.contains("inside the project's sources"), "{error}");
}

#[test]
fn an_existing_file_or_a_foreign_folder_is_not_replaced_without_force() {
    let project = Project::fixture("basic");
    project.write("notes.txt", "my notes\n");
    let error = refused(&project, &["--out", "notes.txt"]);
    assert!(error.contains("exists and is not a folder"), "{error}");
    refused(&project, &["--out", "notes.txt", "--force"]);
    assert_eq!(project.read("notes.txt"), "my notes\n");

    project.write("public/keep.txt", "precious\n");
    let error = refused(&project, &["--out", "public"]);
    assert!(error.contains("was not written by briefing"), "{error}");
    assert!(error.contains("--force"), "{error}");
    assert_eq!(project.read("public/keep.txt"), "precious\n");

    let site = project.build(&["--out", "public", "--force"]);
    assert!(site.exists("fr/index.html"));
    assert!(site.exists(".briefing-output"));
    assert!(!site.exists("keep.txt"));
    // Once written by briefing, the folder is its own: no --force needed.
    project.build(&["--out", "public"]);
}

#[test]
fn an_empty_folder_or_one_briefing_wrote_is_built_into() {
    let project = Project::fixture("basic");
    fs::create_dir(project.path("empty")).unwrap();
    project.build(&["--out", "empty"]);
    project.build(&[]);
    let site = project.build(&[]);
    assert!(site.exists(".briefing-output"));
    assert_eq!(project.debris(), Vec::<String>::new());
}

#[test]
fn archives_inside_the_sources_or_the_output_or_over_foreign_files_are_refused() {
    let project = Project::fixture("basic");
    project.build(&[]);
    let site_before = project.build(&[]).snapshot();
    for archive in ["content/cyber/site.zip", "themes/site.zip", "site/site.zip"] {
        refused(&project, &["--archive", archive]);
    }
    let error = refused(
        &project,
        &["--archive", "content/cyber/index.fr.md", "--force"],
    );
    assert!(error.contains("inside the project's sources"), "{error}");
    let error = refused(&project, &["--archive", "content"]);
    assert!(error.contains("inside the project's sources"), "{error}");
    fs::create_dir(project.path("folder.zip")).unwrap();
    let error = refused(&project, &["--archive", "folder.zip"]);
    assert!(error.contains("it is a folder"), "{error}");
    project.write("mine.zip", "not a zip of briefing's\n");
    let error = refused(&project, &["--archive", "mine.zip"]);
    assert!(error.contains("not an archive briefing wrote"), "{error}");
    assert_eq!(project.read("mine.zip"), "not a zip of briefing's\n");
    assert_eq!(project.build(&[]).snapshot().len(), site_before.len());

    project.build(&["--archive", "mine.zip", "--force"]);
    assert!(
        fs::read(project.path("mine.zip"))
            .unwrap()
            .starts_with(b"PK")
    );
    project.build(&["--archive", "mine.zip"]);
    assert_eq!(project.debris(), Vec::<String>::new());
}

#[test]
fn builds_into_one_folder_at_once_take_turns_and_leave_nothing_behind() {
    let project = Project::fixture("basic");
    let builds: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_briefing"))
                .args(["build", "--archive", "site.zip"])
                .current_dir(project.root())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut build in builds {
        assert!(build.wait().unwrap().success());
    }
    assert_eq!(project.debris(), Vec::<String>::new());
    assert!(project.path("site/fr/index.html").is_file());
}

/// Runs `briefing args` in the project, sends it Ctrl-C (SIGINT) after `delay` ms, and waits
/// for it to end, however it ends.
fn interrupted_build(project: &Project, args: &[&str], delay: u64) {
    let mut build = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .current_dir(project.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(delay));
    let _ = Command::new("kill")
        .args(["-INT", &build.id().to_string()])
        .status();
    build.wait().unwrap();
}

#[test]
fn an_interrupted_build_leaves_the_previous_site_and_no_staging_folder() {
    let project = Project::fixture("basic");
    project.build(&["--archive", "site.zip"]);
    let sources = project.sources();
    for delay in [0, 2, 5, 10, 20, 30, 50, 80, 120, 200] {
        interrupted_build(&project, &["build", "--archive", "site.zip"], delay);
        assert_eq!(project.debris(), Vec::<String>::new(), "after {delay} ms");
        assert!(
            project.path("site/.briefing-output").is_file(),
            "after {delay} ms"
        );
        assert!(
            project.path("site/fr/index.html").is_file(),
            "after {delay} ms"
        );
        assert!(project.path("site.zip").is_file(), "after {delay} ms");
        assert!(project.sources() == sources);
    }
}

/// Every HTML page of the site's languages: (path, whether it carries `marker`).
fn pages_marked(project: &Project, marker: &str) -> Vec<(String, bool)> {
    walkdir::WalkDir::new(project.path("site"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| {
            let path = entry.path().to_string_lossy().into_owned();
            path.ends_with(".html") && (path.contains("/site/fr/") || path.contains("/site/en/"))
        })
        .map(|entry| {
            let text = fs::read_to_string(entry.path()).unwrap();
            (entry.path().display().to_string(), text.contains(marker))
        })
        .collect()
}

#[test]
fn an_interrupted_update_in_place_leaves_one_whole_site_and_no_temporary_file() {
    let project = Project::fixture("basic");
    project.build(&[]);
    let base = "themes/briefing/templates/base.html";
    // Every millisecond through the build's run, so that some interruptions fall while the
    // files are being written and replaced.
    for (run, delay) in (0..=30).chain([50, 80]).enumerate() {
        // Every page changes: the update replaces them all, or none.
        let marker = format!("<!-- run {run} -->");
        project.edit(base, "</body>", &format!("{marker}</body>"));
        interrupted_build(&project, &["build"], delay);
        let marked = pages_marked(&project, &marker);
        let new = marked.iter().filter(|(_, has)| *has).count();
        assert!(
            new == 0 || new == marked.len(),
            "after {delay} ms, {new} of {} pages are new: {marked:?}",
            marked.len()
        );
        let temporaries: Vec<String> = walkdir::WalkDir::new(project.path("site"))
            .into_iter()
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| {
                name.contains(".briefing-")
                    && name != ".briefing-output"
                    && name != ".briefing-record"
            })
            .collect();
        assert_eq!(temporaries, Vec::<String>::new(), "after {delay} ms");
        assert_eq!(project.debris(), Vec::<String>::new(), "after {delay} ms");
        project.edit(base, &format!("{marker}</body>"), "</body>");
    }
    // Whatever was interrupted, the next build makes what a cold build makes.
    let warm = project.run(&["build"]);
    assert!(warm.success, "{}", warm.stderr);
    assert!(
        pages_marked(&project, "<!-- run")
            .iter()
            .all(|(_, has)| !has)
    );
}
