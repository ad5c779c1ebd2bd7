//! Diagnostics name real files: template and configuration errors, from error fixtures laid
//! over a copy of `basic`, built by the real binary; each names
//! `themes/<theme>/templates/<file>:line:col` (or `briefing.toml:line:col`), says `error:`
//! once, exits 1, and leaves every source file as it was.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::Project;

/// Every file of the project but the site, with its bytes.
fn sources(project: &Project) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(project.root())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| !entry.path().starts_with(project.path("site")))
        .map(|entry| {
            let relative = entry.path().strip_prefix(project.root()).unwrap();
            (
                relative.display().to_string(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

/// Runs a build that must fail; returns its stderr, having checked the exit code, that
/// `error:` opens each problem once, and that no source file changed.
fn failing_build(project: &Project) -> String {
    let before = sources(project);
    let run = project.run(&["build"]);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("error: error:"), "{}", run.stderr);
    assert!(!run.stderr.contains("--> themes\n"), "{}", run.stderr);
    assert_eq!(sources(project), before, "a source file changed");
    assert!(!project.path("site").exists());
    run.stderr
}

#[test]
fn an_unknown_function_names_its_template_file_line_and_column() {
    let project = Project::fixture_with("errors/template-unknown-function");
    let stderr = failing_build(&project);
    assert!(
        stderr.starts_with(
            "error: Unknown function `nope`\n --> themes/briefing/templates/partials/switcher.html:2:6\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("2 |   {{ nope() }}"), "{stderr}");
    assert!(
        stderr.ends_with("error: build failed with 1 error\n"),
        "{stderr}"
    );
}

#[test]
fn a_template_including_itself_is_caught_at_its_include() {
    let project = Project::fixture_with("errors/template-self-include");
    let stderr = failing_build(&project);
    assert!(
        stderr.starts_with(
            "error: template \"partials/card.html\" includes itself\n --> themes/briefing/templates/partials/card.html:2:6\n"
        ),
        "{stderr}"
    );
}

#[test]
fn two_templates_including_each_other_are_caught_with_their_cycle() {
    let project = Project::fixture_with("errors/template-include-cycle");
    let stderr = failing_build(&project);
    assert!(
        stderr.starts_with(
            "error: templates include each other in a cycle: partials/card.html → partials/card-tags.html → partials/card.html\n \
             --> themes/briefing/templates/partials/card-tags.html:2:10\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_missing_template_is_named_by_its_real_path() {
    let project = Project::fixture("basic");
    std::fs::remove_file(project.path("themes/briefing/templates/sitemap.xml")).unwrap();
    let stderr = failing_build(&project);
    assert!(
        stderr.starts_with(
            "error: the theme has no template \"sitemap.xml\"\n--> themes/briefing/templates/sitemap.xml\n"
        ),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_in_the_configuration_is_positioned_at_its_first_bad_byte() {
    let project = Project::fixture_with("errors/config-not-utf8");
    assert!(Path::new(&project.path("briefing.toml")).exists());
    let stderr = failing_build(&project);
    assert!(
        stderr.starts_with("error: file is not valid UTF-8\n --> briefing.toml:3:6\n"),
        "{stderr}"
    );
}
