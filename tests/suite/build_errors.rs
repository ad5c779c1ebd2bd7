//! Bad input: every problem named with its file, line and column, a non-zero exit, and the
//! previous site left exactly as it was.

use crate::common::{Project, SiteDir, Snapshot};

#[test]
fn unknown_front_matter_key_fails_with_path_line_and_column() {
    let project = Project::fixture("basic");
    project.edit(
        "content/cyber/index.fr.md",
        "date = 2024-05-14",
        "date = 2024-05-14\ntitel = \"Cyber\"",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("error: unknown front-matter key \"titel\" (did you mean \"title\"?)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/cyber/index.fr.md:4:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("titel = \"Cyber\""),
        "the source line is shown:\n{stderr}"
    );
}

#[test]
fn bad_date_fails_with_path_and_line() {
    let project = Project::fixture("basic");
    project.edit(
        "content/cyber/index.en.md",
        "date = 2024-05-14",
        "date = 2024-02-30",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("--> content/cyber/index.en.md:3:8"),
        "{stderr}"
    );
}

#[test]
fn link_to_a_missing_topic_fails_with_path_and_line() {
    let project = Project::fixture("basic");
    project.edit(
        "content/cyber/index.en.md",
        "Every year since 2021.",
        "Every year since 2021.\n\nSee [this](@/missing).",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("error: link to missing topic \"missing\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/cyber/index.en.md:17:5"),
        "{stderr}"
    );
}

#[test]
fn link_to_a_missing_anchor_fails_and_suggests_the_nearest() {
    let project = Project::fixture("basic");
    project.edit(
        "content/relations/index.en.md",
        "@/cyber#locked-shields",
        "@/cyber#locked-shield",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("link to missing anchor \"#locked-shield\" in topic \"cyber\" (en)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean \"#locked-shields\"?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/relations/index.en.md:35:5"),
        "{stderr}"
    );
}

#[test]
fn missing_fluent_message_names_message_language_and_template() {
    let project = Project::fixture("basic");
    project.edit("locales/en/main.ftl", "nav-timeline = Timeline\n", "");
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("missing Fluent message \"nav-timeline\" in language \"en\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("themes/briefing/templates/base.html"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("in language \"fr\""),
        "French has the message:\n{stderr}"
    );
}

#[test]
fn missing_tag_name_names_the_tag_language_and_line() {
    let project = Project::fixture("basic");
    project.edit(
        "locales/fr/tags.ftl",
        "tag-dialogue = Dialogue politique\n",
        "",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("tag \"dialogue\" has no name in language \"fr\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/markup/index.fr.md:5:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/relations/index.fr.md:6:"),
        "{stderr}"
    );
}

#[test]
fn every_problem_of_a_run_is_reported() {
    let project = Project::fixture("basic");
    project.edit(
        "content/cyber/index.fr.md",
        "date = 2024-05-14",
        "date = 2024-05-14\nsumary = \"x\"",
    );
    project.edit(
        "content/markup/index.en.md",
        "date = 2022-06-29",
        "date = 2022-06-29\nweigth = 2",
    );
    project.write("locales/fr/broken.ftl", "ok = oui\nbad = { $\n");
    let stderr = project.build_fails(&[]);
    assert!(stderr.contains("content/cyber/index.fr.md:4:1"), "{stderr}");
    assert!(
        stderr.contains("content/markup/index.en.md:4:1"),
        "{stderr}"
    );
    assert!(stderr.contains("locales/fr/broken.ftl:2:"), "{stderr}");
    // The rule `check` holds too: a message one language has and another lacks.
    assert!(
        stderr.contains("message \"ok\" has no \"en\" translation"),
        "{stderr}"
    );
    // And a page that does not parse holds its topic back: links to it say so.
    assert!(
        stderr.contains("link to topic \"cyber\", which is held back: fr is invalid"),
        "{stderr}"
    );
    assert!(stderr.contains("build failed with 5 errors"), "{stderr}");
}

#[test]
fn a_failed_build_leaves_the_previous_site_identical() {
    let (project, site, before) = built_then_link_made("@/nowhere");
    project.build_fails(&[]);
    assert_eq!(site.snapshot(), before, "the previous site changed");
    assert_eq!(staging_leftovers(&project), Vec::<String>::new());
}

/// The `basic` fixture built, and what its site then held, after the link to
/// `@/cyber#locked-shields` in `relations` was made `link` (a change the next build fails on).
fn built_then_link_made(link: &str) -> (Project, SiteDir, Snapshot) {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    let before = site.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(20));
    project.edit(
        "content/relations/index.fr.md",
        "@/cyber#locked-shields",
        link,
    );
    (project, site, before)
}

/// The names of the staging folders left beside the site.
fn staging_leftovers(project: &Project) -> Vec<String> {
    std::fs::read_dir(project.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".site"))
        .collect()
}

#[test]
fn a_build_failing_after_its_pages_were_written_through_leaves_no_trace() {
    // A site staged whole (here `--fresh`) has its pages written into the staging folder as
    // they are rendered; a problem found only after the render (a link to an anchor the
    // rendered page lacks) must still leave the previous site as it was, and nothing else.
    let (project, site, before) = built_then_link_made("#nulle-part");
    let stderr = project.build_fails(&["--fresh"]);
    assert!(
        stderr.contains("link to missing anchor \"#nulle-part\" in this page"),
        "{stderr}"
    );
    // The line is quoted though the build let go of the page's text once parsed.
    assert!(stderr.contains("#nulle-part)"), "{stderr}");
    assert_eq!(site.snapshot(), before, "the previous site changed");
    assert_eq!(staging_leftovers(&project), Vec::<String>::new());
}

#[test]
fn an_unknown_configuration_key_is_named() {
    let project = Project::fixture("basic");
    project.edit(
        "briefing.toml",
        "languages",
        "langauges = [\"fr\"]\nlanguages",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("unknown configuration key \"langauges\" (did you mean \"languages\"?)"),
        "{stderr}"
    );
    assert!(stderr.contains("--> briefing.toml:2:1"), "{stderr}");
}

#[test]
fn a_page_in_a_language_the_site_lacks_is_an_error() {
    let project = Project::fixture("basic");
    project.write(
        "content/cyber/index.de.md",
        "+++\ntitle = \"x\"\ndate = 2024-01-01\n+++\n",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("language \"de\" is not one of the site's languages (fr, en)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/cyber/index.de.md:1:1"),
        "{stderr}"
    );
}

#[test]
fn link_from_a_published_page_to_a_draft_says_it_is_a_draft() {
    let project = Project::fixture("basic");
    let french = project.read("content/cyber/index.fr.md");
    project.write(
        "content/cyber/index.fr.md",
        &format!("{french}\nVoir le [brouillon](@/draft-topic).\n"),
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("error: link to topic \"draft-topic\", which is a draft in \"fr\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: drafts are built only by `serve` and `build --drafts`"),
        "{stderr}"
    );
    project.build(&["--drafts"]);
}
