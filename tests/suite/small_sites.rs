//! A site with nothing to put on a page does not get the page: without events no timeline,
//! without glossary terms no glossary, and no menu, sitemap or language switcher links to
//! them. And what a build says it did: HTML pages, files, files written.

use crate::common::{Project, SiteDir, attr, select};

/// The `basic` fixture without its events and glossary.
fn without_events_or_glossary() -> Project {
    let project = Project::fixture("basic");
    std::fs::remove_file(project.path("content/glossary.toml")).unwrap();
    for file in [
        "content/relations/index.fr.md",
        "content/relations/index.en.md",
        "content/cyber/index.fr.md",
        "content/cyber/index.en.md",
    ] {
        let text = project.read(file);
        let (front, body) = text[3..].split_once("+++").unwrap();
        let kept: String = front
            .split("[[events]]")
            .next()
            .unwrap()
            .trim_end()
            .to_string();
        project.write(file, &format!("+++{kept}\n+++{body}"));
    }
    project
}

fn hrefs(site: &SiteDir, file: &str) -> Vec<String> {
    let html = site.html(file);
    select(&html, "a")
        .iter()
        .map(|link| attr(link, "href"))
        .collect()
}

#[test]
fn no_events_means_no_timeline_and_no_terms_no_glossary() {
    let project = without_events_or_glossary();
    let site = project.build(&[]);
    for gone in [
        "fr/chronologie/index.html",
        "fr/glossaire/index.html",
        "en/timeline/index.html",
        "en/glossary/index.html",
    ] {
        assert!(!site.exists(gone), "{gone} should not be built");
    }
    for page in ["fr/index.html", "en/index.html", "404.html"] {
        let links = hrefs(&site, page);
        assert!(
            !links
                .iter()
                .any(|href| ["chronologie", "glossaire", "timeline", "glossary"]
                    .iter()
                    .any(|name| href.contains(name))),
            "{page} links a page that does not exist: {links:?}"
        );
        // The rest of the menu is still there.
        assert!(
            links
                .iter()
                .any(|href| href.contains("recherche") || href.contains("search"))
        );
    }
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("chronologie") && !sitemap.contains("glossary"));

    // Menus that name them in briefing.toml skip them too, in every language.
    let config = project.read("briefing.toml");
    project.write(
        "briefing.toml",
        &format!("{config}\n[menus]\nmain = [\"home\", \"timeline\", \"tags\", \"glossary\"]\n"),
    );
    let site = project.build(&[]);
    let home = site.html("en/index.html");
    let menu: Vec<String> = select(&home, ".site-nav a")
        .iter()
        .map(|link| attr(link, "href"))
        .collect();
    assert_eq!(menu.len(), 2, "home and tags only: {menu:?}");
}

#[test]
fn the_timeline_and_glossary_come_back_with_an_event_and_a_term() {
    let project = without_events_or_glossary();
    project.build(&[]);
    let topic = "content/cyber/index.fr.md";
    let text = project.read(topic);
    let (front, body) = text[3..].split_once("+++").unwrap();
    project.write(
        topic,
        &format!("+++{front}\n[[events]]\ndate = \"2021\"\ntext = \"Exercice\"\n+++{body}"),
    );
    let site = project.build(&[]);
    assert!(site.exists("fr/chronologie/index.html"));
    assert!(
        !site.exists("en/timeline/index.html"),
        "English has no event"
    );
    let french = hrefs(&site, "fr/index.html");
    assert!(french.iter().any(|href| href.contains("chronologie")));
    // The French timeline offers no English page that is not there.
    let timeline = site.html("fr/chronologie/index.html");
    let alternates = select(&timeline, "link[hreflang]");
    assert!(
        alternates
            .iter()
            .all(|link| !attr(link, "href").contains("/en/timeline")),
    );
}

#[test]
fn the_summary_counts_pages_files_and_what_was_written() {
    let project = Project::fixture("basic");
    let first = project.run(&["build"]);
    assert!(first.success, "{}", first.stderr);
    let summary = |stdout: &str| -> (usize, usize, usize) {
        let line = stdout.lines().find(|l| l.starts_with("Built ")).unwrap();
        let numbers: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        // Built site (P pages: fr F, en E; N files, W written) in …
        (numbers[0], numbers[3], numbers[4])
    };
    let (pages, files, written) = summary(&first.stdout);
    let site = SiteDir {
        root: project.path("site"),
    };
    let html = site
        .files()
        .iter()
        .filter(|file| file.ends_with(".html"))
        .count();
    assert_eq!(pages, html, "{}", first.stdout);
    // Every file of the folder but its marker and record.
    assert_eq!(files + 2, site.files().len(), "{}", first.stdout);
    assert_eq!(written, files);

    let again = project.run(&["build"]);
    let (_, files_again, written_again) = summary(&again.stdout);
    assert_eq!((files_again, written_again), (files, 0), "{}", again.stdout);
}
