//! Lists cut into pages: home and tag pages of `page_size` topics from `briefing.toml`, their
//! further pages under the locale's `url-page` segment, linked by `rel="prev"`/`"next"`, on a
//! server and offline; the sitemap and search index that stay small.

use crate::common::{Project, SiteDir, attr, select, text_of};

/// The `basic` fixture (three published topics in each language) with one topic per page.
fn one_per_page() -> Project {
    let project = Project::fixture("basic");
    let config = project.read("briefing.toml");
    project.write(
        "briefing.toml",
        &format!("{config}\n[pagination]\npage_size = 1\n"),
    );
    project
}

/// The `href` of `<link rel=…>` in the head and of `<a rel=…>` in the page, if any.
fn rel_links(site: &SiteDir, file: &str, rel: &str) -> (Option<String>, Option<String>) {
    let html = site.html(file);
    let head = select(&html, &format!("head link[rel=\"{rel}\"]"));
    let body = select(&html, &format!("nav.pagination a[rel=\"{rel}\"]"));
    (
        head.first().map(|link| attr(link, "href")),
        body.first().map(|link| attr(link, "href")),
    )
}

fn card_titles(site: &SiteDir, file: &str) -> Vec<String> {
    let html = site.html(file);
    select(&html, ".cards h2, .cards h3")
        .iter()
        .map(|heading| text_of(heading).trim().to_string())
        .collect()
}

#[test]
fn home_pages_follow_one_another_by_prev_and_next() {
    let project = one_per_page();
    let site = project.build(&[]);
    let first = card_titles(&site, "fr/index.html");
    let second = card_titles(&site, "fr/page/2/index.html");
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(second.len(), 1, "{second:?}");
    let third = card_titles(&site, "fr/page/3/index.html");
    assert_eq!(third.len(), 1, "{third:?}");
    assert!(first != second && second != third && first != third);
    assert!(!site.exists("fr/page/4/index.html"));
    assert!(!site.exists("fr/page/1/index.html"));

    assert_eq!(rel_links(&site, "fr/index.html", "prev"), (None, None));
    let next = Some("page/2/".to_string());
    assert_eq!(
        rel_links(&site, "fr/index.html", "next"),
        (next.clone(), next)
    );
    let prev = Some("../../".to_string());
    assert_eq!(
        rel_links(&site, "fr/page/2/index.html", "prev"),
        (prev.clone(), prev)
    );
    let next = Some("../3/".to_string());
    assert_eq!(
        rel_links(&site, "fr/page/2/index.html", "next"),
        (next.clone(), next)
    );
    let prev = Some("../2/".to_string());
    assert_eq!(
        rel_links(&site, "fr/page/3/index.html", "prev"),
        (prev.clone(), prev)
    );
    assert_eq!(
        rel_links(&site, "fr/page/3/index.html", "next"),
        (None, None)
    );

    // The heading counts every topic of the language, not the page's.
    let heading = site.html("fr/page/2/index.html");
    let heading = text_of(&select(&heading, "#topics-heading")[0]);
    assert!(heading.contains('3'), "{heading}");
    let status = site.html("fr/page/2/index.html");
    let status = text_of(&select(&status, "nav.pagination [aria-current=page]")[0]);
    assert_eq!(status.trim(), "Page 2 sur 3");
    // Each further page is its own canonical address, listed in the sitemap.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/briefing/fr/page/2/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/briefing/en/page/2/</loc>"));
}

#[test]
fn tag_pages_are_cut_the_same_way_and_offline_links_name_their_files() {
    let project = one_per_page();
    let site = project.build(&["--offline", "--out", "offline"]);
    let tag = site
        .html_files()
        .into_iter()
        .find(|file| file.starts_with("fr/themes/") && file.ends_with("/page/2/index.html"))
        .expect("a second page of a French tag");
    let first = tag.replace("page/2/", "");
    assert_eq!(card_titles(&site, &first).len(), 1);
    assert_eq!(card_titles(&site, &tag).len(), 1);
    let next = Some("page/2/index.html".to_string());
    assert_eq!(rel_links(&site, &first, "next"), (next.clone(), next));
    let prev = Some("../../index.html".to_string());
    assert_eq!(rel_links(&site, &tag, "prev"), (prev.clone(), prev));
    // The same page in English is its alternate, when the English tag has as many pages.
    let html = site.html(&tag);
    let switcher = select(&html, ".language-switcher a");
    assert!(
        switcher
            .iter()
            .any(|a| attr(a, "href").ends_with("/page/2/index.html")),
        "{:?}",
        switcher.iter().map(|a| attr(a, "href")).collect::<Vec<_>>()
    );
}

#[test]
fn a_list_that_fits_on_one_page_has_no_pagination() {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    assert!(select(&site.html("fr/index.html"), "nav.pagination").is_empty());
    assert!(select(&site.html("fr/index.html"), "link[rel=next]").is_empty());
    assert!(!site.exists("fr/page/2/index.html"));
    // A small site keeps one sitemap (the index is for more than 50,000 pages).
    assert!(site.read("sitemap.xml").contains("<urlset"));
    assert!(!site.exists("sitemap-1.xml"));
}

#[test]
fn a_page_size_below_one_is_refused_with_its_line() {
    let project = Project::fixture("basic");
    let config = project.read("briefing.toml");
    project.write(
        "briefing.toml",
        &format!("{config}\n[pagination]\npage_size = 0\n"),
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("pagination.page_size must be at least 1 (found 0)"),
        "{stderr}"
    );
    assert!(stderr.contains("briefing.toml:5"), "{stderr}");
}

#[test]
fn the_timeline_is_cut_into_pages_whose_years_link_where_each_starts() {
    let project = one_per_page();
    let site = project.build(&[]);
    // The fixture's four French events, one per page, newest first.
    for page in [
        "fr/chronologie/index.html",
        "fr/chronologie/page/4/index.html",
    ] {
        assert!(site.exists(page), "{page}");
    }
    assert!(!site.exists("fr/chronologie/page/5/index.html"));
    let next = Some("page/2/".to_string());
    assert_eq!(
        rel_links(&site, "fr/chronologie/index.html", "next"),
        (next.clone(), next)
    );
    let html = site.html("fr/chronologie/page/2/index.html");
    let events = select(&html, ".timeline__event");
    assert_eq!(events.len(), 1);
    // Every page lists every year; a year on another page is linked there.
    let years: Vec<String> = select(&html, ".timeline__years a")
        .iter()
        .map(|link| attr(link, "href"))
        .collect();
    assert!(years.len() >= 3, "{years:?}");
    assert!(years.iter().any(|href| href.starts_with('#')), "{years:?}");
    assert!(
        years
            .iter()
            .any(|href| href.starts_with("../../") && href.contains("#year-")),
        "{years:?}"
    );
    // The count is the whole timeline's.
    let lead = text_of(&select(&html, ".lead")[0]);
    assert!(lead.contains('4'), "{lead}");
}
