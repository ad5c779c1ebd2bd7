//! The site's address: `base_url` is checked with its position, `--base-url` replaces it for one
//! build without touching briefing.toml, and a placeholder address is published with a warning.

use crate::common::Project;

#[test]
fn a_base_url_without_a_host_or_with_a_query_or_a_space_fails_with_its_position() {
    for bad in [
        "https://",
        "https://example.gc.ca/a b/",
        "https://example.gc.ca/?x=1",
    ] {
        let project = Project::fixture("basic");
        project.edit(
            "briefing.toml",
            "base_url = \"https://example.org/briefing/\"",
            &format!("base_url = \"{bad}\""),
        );
        let sources = project.sources();
        let stderr = project.build_fails(&[]);
        assert!(stderr.contains("error: base_url must"), "{bad}: {stderr}");
        assert!(stderr.contains("--> briefing.toml:1:1"), "{bad}: {stderr}");
        assert!(project.sources() == sources);
        assert!(!project.path("site").exists());
    }
}

#[test]
fn base_url_on_the_command_line_replaces_the_configured_one_for_that_build() {
    let project = Project::fixture("basic");
    let sources = project.sources();
    let run = project.run(&["build", "--base-url", "https://www.example.gc.ca/dossier"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        !run.stderr.contains("warning: the site's address"),
        "{}",
        run.stderr
    );
    let home = std::fs::read_to_string(project.path("site/fr/index.html")).unwrap();
    assert!(
        home.contains("<link rel=\"canonical\" href=\"https://www.example.gc.ca/dossier/fr/\">"),
        "{home}"
    );
    let sitemap = std::fs::read_to_string(project.path("site/sitemap.xml")).unwrap();
    assert!(!sitemap.contains("example.org"), "{sitemap}");
    assert!(
        project.sources() == sources,
        "briefing.toml is not rewritten"
    );

    let refused = project.run(&["build", "--base-url", "https://?x"]);
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(
        refused.stderr.starts_with("error: --base-url must"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_placeholder_address_is_published_with_a_warning() {
    let project = Project::fixture("basic");
    let run = project.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: the site's address is https://example.org/briefing/ (example.org)"),
        "{}",
        run.stderr
    );
    let local = project.run(&["build", "--base-url", "http://localhost:8000/"]);
    assert!(local.stderr.contains("(localhost)"), "{}", local.stderr);
}
