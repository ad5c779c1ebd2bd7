//! `briefing build` on the `basic` fixture: the HTML, feeds and sitemap that come out.

use std::collections::{BTreeSet, VecDeque};

use crate::common::{NNBSP, Project, SiteDir, Snapshot, attr, link_targets, select, text_of};

fn built() -> (Project, SiteDir) {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    (project, site)
}

#[test]
fn every_page_is_reachable_from_the_root() {
    let (_project, site) = built();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        if !seen.insert(page.clone()) || !page.ends_with(".html") {
            continue;
        }
        let html = site.html(&page);
        for target in link_targets(&html) {
            if let Some(file) = site.resolve(&page, &target) {
                assert!(
                    site.exists(&file),
                    "{page} links to {target}, which does not exist"
                );
                queue.push_back(file);
            }
        }
    }
    let unreachable: Vec<_> = site
        .html_files()
        .into_iter()
        .filter(|file| file != "404.html" && !seen.contains(file))
        .collect();
    assert!(unreachable.is_empty(), "unreachable pages: {unreachable:?}");
    assert!(seen.len() >= 18, "only {} pages reached", seen.len());
}

/// The file an absolute URL of the site names.
fn file_of(url: &str) -> String {
    let path = url
        .strip_prefix("https://example.org/briefing/")
        .expect("a URL of the site");
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[test]
fn hreflang_is_reciprocal_on_every_page() {
    let (_project, site) = built();
    for page in site.html_files().into_iter().filter(|f| f != "404.html") {
        let html = site.html(&page);
        let canonical = attr(&select(&html, "link[rel=canonical]")[0], "href");
        assert_eq!(file_of(&canonical), page, "canonical of {page}");
        let alternates: Vec<(String, String)> = select(&html, "link[rel=alternate][hreflang]")
            .iter()
            .map(|link| (attr(link, "hreflang"), attr(link, "href")))
            .collect();
        let lang = attr(&select(&html, "html")[0], "lang");
        assert!(
            alternates.iter().any(|(l, _)| l == "x-default"),
            "{page} has no x-default"
        );
        if page != "index.html" {
            assert!(
                alternates.contains(&(lang.clone(), canonical.clone())),
                "{page} lists itself"
            );
        }
        for (other_lang, href) in alternates.iter().filter(|(l, _)| l != "x-default") {
            let other = file_of(href);
            let other_html = site.html(&other);
            // The language chooser is every home page's x-default.
            let back: Vec<String> = select(&other_html, "link[rel=alternate][hreflang]")
                .iter()
                .map(|link| attr(link, "href"))
                .collect();
            assert!(
                back.contains(&canonical),
                "{other} ({other_lang}) does not link back to {page}"
            );
        }
    }
}

#[test]
fn switcher_leads_to_same_topic() {
    let (_project, site) = built();
    let french = site.html("fr/relations-coree/index.html");
    let link = &select(&french, ".language-switcher a")[0];
    assert_eq!(attr(link, "lang"), "en");
    assert_eq!(attr(link, "hreflang"), "en");
    assert_eq!(text_of(link), "English");
    let target = site
        .resolve("fr/relations-coree/index.html", &attr(link, "href"))
        .unwrap();
    assert_eq!(target, "en/relations-korea/index.html");
    let english = site.html(&target);
    assert_eq!(
        text_of(&select(&english, "h1")[0]),
        "Relations with Korea: the essentials"
    );
    let back = &select(&english, ".language-switcher a")[0];
    assert_eq!(
        site.resolve(&target, &attr(back, "href")).unwrap(),
        "fr/relations-coree/index.html"
    );
}

#[test]
fn no_link_starts_with_a_slash() {
    let (project, site) = built();
    let base_path = project
        .read("briefing.toml")
        .lines()
        .find_map(|line| line.strip_prefix("base_url = \""))
        .and_then(|url| url.split('/').nth(3).map(|path| format!("/{path}/")))
        .unwrap();
    for page in site.html_files() {
        for target in link_targets(&site.html(&page)) {
            // A server shows the 404 page at any depth: its links start from the site's
            // path. Every other page links relatively, to work under any sub-path.
            if page == "404.html" {
                let rooted = target.starts_with(&base_path) || target.starts_with('#');
                assert!(rooted, "404.html: {target}");
            } else {
                assert!(
                    !target.starts_with('/'),
                    "{page} has a link from the root: {target}"
                );
            }
        }
    }
    for css in ["style.css", "print.css"] {
        assert!(
            !site.read(css).contains("url(/"),
            "{css} refers to the root"
        );
    }
}

#[test]
fn offline_links_name_files_that_exist() {
    let project = Project::fixture("basic");
    let site = project.build(&["--offline"]);
    let mut checked = 0;
    for page in site.html_files() {
        for target in link_targets(&site.html(&page)) {
            let Some(file) = site.resolve(&page, &target) else {
                continue;
            };
            let without_fragment = target.split('#').next().unwrap();
            if !without_fragment.is_empty() {
                assert!(
                    !without_fragment.ends_with('/'),
                    "{page}: {target} does not name a file"
                );
            }
            assert!(
                site.exists(&file),
                "{page}: {target} leads to {file}, which does not exist"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    let topic = site.read("fr/relations-coree/index.html");
    assert!(topic.contains("href=\"../cyberdefense/index.html#locked-shields\""));
}

#[test]
fn french_text_has_narrow_spaces_where_french_needs_them() {
    let (_project, site) = built();
    let page = site.read("fr/relations-coree/index.html");
    let html = site.html("fr/relations-coree/index.html");
    let title = text_of(&select(&html, "h1")[0]);
    assert_eq!(
        title,
        format!("Relations avec la Corée{NNBSP}: l’essentiel")
    );
    assert!(text_of(&select(&html, "title")[0]).contains(&format!("Corée{NNBSP}:")));
    let description = attr(&select(&html, "meta[name=description]")[0], "content");
    assert!(
        description.contains(&format!("elles{NNBSP}?")),
        "{description}"
    );
    assert!(page.contains(&format!("depuis 2005{NNBSP};")));
    assert!(page.contains(&format!(
        "«{NNBSP}Un partenariat utile{NNBSP}»{NNBSP}: voilà le résumé{NNBSP}!"
    )));
    assert!(
        page.contains("<code>a ? b : c</code>"),
        "code is left alone"
    );
    assert!(
        page.contains("https://example.org/?q=1"),
        "URLs are left alone"
    );
    // Interface strings from the French tables get the same treatment.
    let home = site.html("fr/index.html");
    assert!(text_of(&select(&home, ".site-title")[0]).contains(&format!("Canada{NNBSP}:")));
    // Machine-read attributes never do.
    for target in link_targets(&html) {
        assert!(!target.contains(NNBSP), "{target}");
    }
    let english = site.read("en/relations-korea/index.html");
    assert!(
        !english.contains(NNBSP),
        "English pages get no French spaces"
    );
}

#[test]
fn dates_are_written_the_way_each_language_writes_them() {
    let (_project, site) = built();
    let french = site.read("fr/relations-coree/index.html");
    // Displayed dates do not wrap (no-break spaces) and raise the ordinal of the first.
    assert!(french.contains("<time datetime=\"2023-08-16\">16&nbsp;août&nbsp;2023</time>"));
    assert!(
        french.contains(
            "<time datetime=\"2024-11-01\">1<sup>er</sup>&nbsp;novembre&nbsp;2024</time>"
        )
    );
    assert!(french.contains("13–14&nbsp;février&nbsp;2023"));
    let english = site.read("en/relations-korea/index.html");
    assert!(english.contains("<time datetime=\"2023-08-16\">16&nbsp;August&nbsp;2023</time>"));
    assert!(english.contains("<time datetime=\"2024-11-01\">1&nbsp;November&nbsp;2024</time>"));
    assert!(english.contains("13–14&nbsp;February&nbsp;2023"));
}

#[test]
fn drafts_are_excluded_unless_asked_for() {
    let (project, site) = built();
    assert!(!site.exists("fr/draft-topic/index.html"));
    assert!(!site.read("fr/index.html").contains("Sujet en préparation"));
    let with_drafts = project.build(&["--drafts", "--out", "preview"]);
    assert!(
        with_drafts
            .read("fr/draft-topic/index.html")
            .contains("Sujet en préparation")
    );
}

#[test]
fn html_in_a_title_is_escaped() {
    let (_project, site) = built();
    let raw = site.read("fr/markup/index.html");
    assert!(
        !raw.contains("<script>alert"),
        "a title's markup reaches the page"
    );
    assert!(raw.contains("Poisson &amp; &lt;script&gt;alert(1)&lt;/script&gt;"));
    let html = site.html("fr/markup/index.html");
    assert_eq!(
        text_of(&select(&html, "h1")[0]),
        "Poisson & <script>alert(1)</script>"
    );
    assert!(select(&html, "script:not([type='application/ld+json'])").is_empty());
    // The structured data holds the title as text, escaped so that it cannot close its
    // script element.
    let data = select(&html, "script[type='application/ld+json']");
    assert!(!data.is_empty());
    for script in data {
        let json: serde_json::Value = serde_json::from_str(&script.inner_html()).unwrap();
        assert!(
            json.to_string()
                .contains("Poisson & <script>alert(1)</script>")
        );
    }
}

#[test]
fn feeds_and_sitemap_parse_as_xml() {
    let (_project, site) = built();
    for file in ["fr/atom.xml", "en/atom.xml", "sitemap.xml"] {
        let text = site.read(file);
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut elements = 0;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) => {
                    elements += 1
                }
                Ok(_) => {}
                Err(error) => panic!("{file} is not XML: {error}"),
            }
        }
        assert!(elements > 10, "{file} has only {elements} elements");
    }
    let feed = site.read("en/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 3);
    assert!(feed.contains("<id>https://example.org/briefing/en/relations-korea/</id>"));
    assert!(
        feed.contains("Fish &amp; &lt;script&gt;"),
        "titles are escaped in the feed"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/briefing/fr/relations-coree/</loc>"));
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/briefing/en/relations-korea/\"/>"
    ));
    assert!(sitemap.contains("hreflang=\"x-default\""));
}

#[test]
fn first_use_of_each_short_form_is_marked_as_an_abbreviation() {
    let (_project, site) = built();
    let html = site.html("fr/relations-coree/index.html");
    let abbrs: Vec<(String, String)> = select(&html, ".prose abbr")
        .iter()
        .map(|a| (text_of(a), attr(a, "title")))
        .collect();
    assert_eq!(
        abbrs,
        vec![
            (
                "OTAN".to_string(),
                "Organisation du Traité de l’Atlantique Nord".to_string()
            ),
            (
                "RPDC".to_string(),
                "République populaire démocratique de Corée".to_string()
            ),
        ]
    );
    let glossary = site.html("en/glossary/index.html");
    let terms: Vec<String> = select(&glossary, ".glossary dt")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(terms, ["DPRK", "NATO"]);
}

#[test]
fn topic_pages_show_sources_events_tags_and_related_topics() {
    let (_project, site) = built();
    let html = site.html("en/relations-korea/index.html");
    let sources: Vec<String> = select(&html, ".source-list li")
        .iter()
        .map(|s| text_of(s).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        sources,
        ["NATO, Relations with the Republic of Korea, 16 August 2023"]
    );
    let events: Vec<String> = select(&html, ".event-list time")
        .iter()
        .map(|time| text_of(time).replace('\u{a0}', " "))
        .collect();
    assert_eq!(events, ["2005", "13–14 February 2023", "1 November 2024"]);
    let tags: Vec<String> = select(&html, ".topic__header .tag-list a")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(tags, ["Cyber defence", "Political dialogue"]);
    let related: Vec<String> = select(&html, ".topic__related .card__title")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(related.len(), 2);
    let link = site.resolve(
        "en/relations-korea/index.html",
        &attr(&select(&html, ".topic__header .tag-list a")[0], "href"),
    );
    assert_eq!(link.as_deref(), Some("en/themes/cyber-defence/index.html"));
    assert!(
        site.exists("en/relations-korea/carte.svg"),
        "assets sit next to the page"
    );
    assert!(site.exists("fr/relations-coree/carte.svg"));
}

#[test]
fn topic_links_become_relative_links_in_the_same_language() {
    let (_project, site) = built();
    assert!(
        site.read("fr/relations-coree/index.html")
            .contains("href=\"../cyberdefense/#locked-shields\"")
    );
    assert!(
        site.read("en/relations-korea/index.html")
            .contains("href=\"../cyber/#locked-shields\"")
    );
    assert!(
        site.read("en/index.html")
            .contains("href=\"relations-korea/\"")
    );
}

#[test]
fn section_addresses_come_from_the_locale_tables() {
    let (_project, site) = built();
    for page in [
        "fr/themes/index.html",
        "fr/themes/cyberdefense/index.html",
        "fr/chronologie/index.html",
        "fr/glossaire/index.html",
        "en/themes/index.html",
        "en/themes/political-dialogue/index.html",
        "en/timeline/index.html",
        "en/glossary/index.html",
    ] {
        assert!(site.exists(page), "{page} is missing");
    }
}

#[test]
fn timeline_groups_every_event_by_year_newest_first() {
    let (_project, site) = built();
    let html = site.html("fr/chronologie/index.html");
    let years: Vec<String> = select(&html, ".timeline__year h2")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(years, ["2024", "2023", "2021", "2005"]);
    let first = &select(&html, ".timeline__event")[0];
    // Under its year's heading a date leaves the year out.
    assert!(
        text_of(first).contains("1er\u{a0}novembre\n"),
        "{}",
        text_of(first)
    );
    let topic = &select(&html, ".timeline__topic a")[0];
    assert_eq!(attr(topic, "href"), "../relations-coree/");
}

#[test]
fn a_build_ends_with_one_summary_line() {
    let project = Project::fixture("basic");
    let run = project.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(lines[0].contains("fr 10, en 10"), "{}", lines[0]);
}

/// The built fixture, and what its site then held, after one English body was edited.
fn built_then_english_body_edited() -> (Project, SiteDir, Snapshot) {
    let (project, site) = built();
    let before = site.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(50));
    project.edit(
        "content/cyber/index.en.md",
        "Every year since 2021.",
        "Every single year since 2021.",
    );
    (project, site, before)
}

#[test]
fn unchanged_files_keep_their_modification_time_across_builds() {
    let (project, site, before) = built_then_english_body_edited();
    project.build(&[]);
    let after = site.snapshot();
    assert_eq!(before.len(), after.len());
    // Search shards are named by their content: an edited one is a new file.
    let (changed, new): (Vec<&String>, Vec<&String>) = after
        .keys()
        .filter(|file| before.get(*file).is_none_or(|old| old.1 != after[*file].1))
        .partition(|file| before.contains_key(*file));
    assert!(!new.is_empty());
    assert!(
        new.iter().all(|file| file.starts_with("en/search/search-")),
        "{new:?}"
    );
    assert!(changed.contains(&&"en/cyber/index.html".to_string()));
    assert!(!changed.contains(&&"fr/cyberdefense/index.html".to_string()));
    assert!(!changed.contains(&&"style.css".to_string()));
    for file in &changed {
        assert_ne!(
            before[*file].0, after[*file].0,
            "{file} was rewritten with the same bytes"
        );
    }
}

#[test]
fn a_fresh_build_writing_pages_as_rendered_keeps_the_unchanged_files() {
    // `--fresh` stages the whole site, each page written as soon as it is rendered: a page
    // whose bytes are those of the previous site is still a link to its file, untouched.
    let (project, site, before) = built_then_english_body_edited();
    project.build(&["--fresh"]);
    let after = site.snapshot();
    assert_eq!(before.len(), after.len());
    let kept: Vec<&String> = after
        .keys()
        .filter(|file| before.get(*file).is_some_and(|old| old.0 == after[*file].0))
        .collect();
    assert!(kept.contains(&&"fr/cyberdefense/index.html".to_string()));
    for file in &kept {
        assert_eq!(before[*file].1, after[*file].1, "{file} was rewritten");
    }
    assert_ne!(
        before["en/cyber/index.html"].0, after["en/cyber/index.html"].0,
        "the edited page"
    );
}
