//! Standalone pages (`content/_pages/`), menus, breadcrumbs and the organisation's identity,
//! on the `basic` fixture with the `pages` overlay, built by the real binary.

use std::io::Read;

use crate::common::{Project, attr, select, text_of};
use base64::Engine;

fn pages_project() -> Project {
    Project::fixture_with("pages")
}

/// The JSON text of a search shard script (`(…)["name"] = "<base64 of zlib>";`).
fn decode_shard(script: &str) -> String {
    let encoded = script
        .split_once("] = \"")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix("\";"))
        .expect("the shard script sets one string");
    let compressed = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    let mut json = String::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .read_to_string(&mut json)
        .expect("zlib");
    json
}

/// The text inside `<main>` of a page: what lists it shows, without the menus.
fn main_text(site: &crate::common::SiteDir, page: &str) -> String {
    let html = site.html(page);
    select(&html, "main").iter().map(|m| m.html()).collect()
}

#[test]
fn pages_are_published_with_their_slugs_but_never_listed_with_topics() {
    let project = pages_project();
    let site = project.build(&[]);
    let about = site.html("fr/a-propos/index.html");
    assert_eq!(text_of(&select(&about, "main h1")[0]), "À propos");
    assert!(site.exists("en/about/index.html"));
    assert!(site.exists("fr/nous-joindre/index.html"));
    assert!(!site.exists("en/contact/index.html"));
    let switcher = select(&about, ".language-switcher a");
    assert_eq!(attr(&switcher[0], "href"), "../../en/about/");

    for page in [
        "fr/index.html",
        "fr/themes/index.html",
        "fr/chronologie/index.html",
        "fr/atom.xml",
        "en/index.html",
        "en/atom.xml",
    ] {
        let shown = if page.ends_with(".xml") {
            site.read(page)
        } else {
            main_text(&site, page)
        };
        assert!(
            !shown.contains("a-propos")
                && !shown.contains("/about/")
                && !shown.contains("À propos"),
            "{page} lists a standalone page"
        );
    }
    for tag_page in site.html_files() {
        if tag_page.starts_with("fr/themes/") || tag_page.starts_with("en/themes/") {
            assert!(!main_text(&site, &tag_page).contains("a-propos"));
        }
    }
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/briefing/fr/a-propos/</loc>"));
    assert!(sitemap.contains("https://example.org/briefing/en/about/"));
    let search_dir = std::fs::read_dir(site.file("fr"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.join("search-index.js").is_file())
        .expect("a search index");
    // The documents and terms are in the shards the entry names.
    let json: String = std::fs::read_dir(&search_dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".js") && name != "search-index.js" && name != "search.js"
        })
        .map(|path| decode_shard(&std::fs::read_to_string(path).unwrap()))
        .collect();
    assert!(json.contains("méthodologie"), "the page is searchable");
}

#[test]
fn menus_carry_labels_per_language_and_mark_the_current_page() {
    let project = pages_project();
    let site = project.build(&[]);
    let labels = |page: &str, selector: &str| -> Vec<(String, String, bool)> {
        let html = site.html(page);
        select(&html, selector)
            .iter()
            .map(|a| {
                (
                    text_of(a),
                    attr(a, "href"),
                    a.value().attr("aria-current").is_some(),
                )
            })
            .collect()
    };
    assert_eq!(
        labels("fr/a-propos/index.html", ".site-nav a"),
        [
            ("Accueil".to_string(), "../".to_string(), false),
            ("Chronologie".into(), "../chronologie/".into(), false),
            ("Thèmes".into(), "../themes/".into(), false),
            ("Cyberdéfense".into(), "../cyberdefense/".into(), false),
            ("Recherche".into(), "../recherche/".into(), false),
        ]
    );
    let footer = labels("fr/a-propos/index.html", ".site-footer__menu a");
    assert_eq!(footer[0], ("À propos".into(), "./".into(), true));
    assert_eq!(footer[1].0, "Nous joindre");
    // The English site has no contact page: the entry is left out there.
    let english: Vec<String> = labels("en/about/index.html", ".site-footer__menu a")
        .into_iter()
        .map(|(label, _, _)| label)
        .collect();
    assert_eq!(english, ["About", "Glossary"]);
    let home = labels("en/index.html", ".site-nav a");
    assert_eq!(home[0], ("Home".into(), "./".into(), true));
}

#[test]
fn a_menu_entry_that_names_nothing_is_an_error_at_its_place() {
    let project = pages_project();
    project.edit(
        "briefing.toml",
        "footer = [\"about\", \"contact\", \"glossary\"]",
        "footer = [\"about\", \"contcat\", \"glossary\"]",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("briefing.toml:7:20"),
        "the error names the entry's place:\n{stderr}"
    );
    assert!(
        stderr.contains("menu \"footer\" names \"contcat\""),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean \"contact\"?"), "{stderr}");
    let check = project.run(&["check"]);
    assert_eq!(check.code, Some(1));
    assert!(
        check.stdout.contains("briefing.toml:7:20"),
        "{}",
        check.stdout
    );
}

#[test]
fn breadcrumbs_lead_from_home_with_their_structured_data() {
    let project = pages_project();
    let site = project.build(&[]);
    let page = site.html("en/about/index.html");
    let crumbs: Vec<(String, String)> = select(&page, ".breadcrumbs a")
        .iter()
        .map(|a| (text_of(a), attr(a, "href")))
        .collect();
    assert_eq!(
        crumbs,
        [("Home".into(), "../".into()), ("About".into(), "./".into())]
    );
    let data: Vec<serde_json::Value> = select(&page, "script[type='application/ld+json']")
        .iter()
        .map(|script| serde_json::from_str(&script.inner_html()).expect("valid JSON"))
        .collect();
    let list = data
        .iter()
        .find(|d| d["@type"] == "BreadcrumbList")
        .expect("a BreadcrumbList");
    assert_eq!(
        list["itemListElement"][1]["item"],
        "https://example.org/briefing/en/about/"
    );
    assert!(select(&site.html("en/index.html"), ".breadcrumbs").is_empty());
    let tag = site
        .html_files()
        .into_iter()
        .find(|p| p.starts_with("fr/themes/") && p != "fr/themes/index.html")
        .unwrap();
    let tag_page = site.html(&tag);
    assert_eq!(select(&tag_page, ".breadcrumbs li").len(), 3);
}

#[test]
fn the_logo_is_copied_and_shown_with_its_size_and_text_per_language() {
    let project = pages_project();
    let site = project.build(&[]);
    assert_eq!(
        site.read("logo.svg"),
        project.read("logo.svg"),
        "the logo is copied to the site root"
    );
    for (page, alt, organisation) in [
        (
            "fr/index.html",
            "Logo de la rédaction du dossier",
            "Rédaction du dossier",
        ),
        (
            "en/about/index.html",
            "Logo of the briefing editors",
            "Briefing editors",
        ),
    ] {
        let html = site.html(page);
        let logo = &select(&html, ".site-identity img")[0];
        assert_eq!(attr(logo, "alt"), alt);
        assert_eq!(
            (attr(logo, "width"), attr(logo, "height")),
            ("96".into(), "32".into())
        );
        assert_eq!(
            site.resolve(page, &attr(logo, "src")).as_deref(),
            Some("logo.svg")
        );
        assert_eq!(
            text_of(&select(&html, ".site-identity__organisation")[0]),
            organisation
        );
    }
    project.write(
        "briefing.toml",
        &project
            .read("briefing.toml")
            .replace("logo.svg", "logo.gif"),
    );
    let stderr = project.build_fails(&[]);
    assert!(stderr.contains("briefing.toml:3:8"), "{stderr}");
    assert!(stderr.contains("must be an .svg or .png file"), "{stderr}");
}

#[test]
fn translated_and_check_follow_pages_like_topics() {
    let project = pages_project();
    let check = project.run(&["check"]);
    assert!(
        check.stdout.contains("_pages/about"),
        "the page is in the translation table:\n{}",
        check.stdout
    );
    let run = project.run(&["translated", "about"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Recorded the current source digest in content/_pages/about/index.en.md\n"
    );
    let json = project.run(&["check", "--format", "json"]);
    assert!(
        !json.stdout.contains("content/_pages/about/index.en.md"),
        "the translation is current:\n{}",
        json.stdout
    );
}

#[test]
fn a_page_with_tags_is_refused() {
    let project = pages_project();
    project.edit(
        "content/_pages/about/index.fr.md",
        "slug = \"a-propos\"",
        "slug = \"a-propos\"\ntags = [\"cyber-defence\"]",
    );
    let stderr = project.build_fails(&[]);
    assert!(stderr.contains("has no tags"), "{stderr}");
}

#[test]
fn pages_go_to_translators_and_come_back_like_topics() {
    let project = pages_project();
    let export = project.run(&["xliff", "export", "--out", "xliff"]);
    assert!(export.success, "{}", export.stderr);
    assert!(
        export.stdout.contains("Wrote xliff/_pages.about.en.xlf"),
        "{}",
        export.stdout
    );
    let xlf = project.read("xliff/_pages.about.en.xlf");
    assert!(xlf.contains("content/_pages/about/index.fr.md"), "{xlf}");
    let translated = xlf.replace(
        "<target state=\"needs-review-translation\">About</target>",
        "<target state=\"translated\">About us</target>",
    );
    assert_ne!(translated, xlf, "the title is a unit with its target");
    project.write("xliff/_pages.about.en.xlf", &translated);
    let import = project.run(&["xliff", "import", "xliff/_pages.about.en.xlf"]);
    assert!(import.success, "{}{}", import.stdout, import.stderr);
    assert!(
        project
            .read("content/_pages/about/index.en.md")
            .contains("title = \"About us\""),
        "{}",
        import.stdout
    );
}

/// Every output's bytes, by path.
fn outputs(site: &briefing::Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    site.outputs
        .iter()
        .map(|output| (output.path.clone(), output.bytes().unwrap().into_owned()))
        .collect()
}

#[test]
fn serve_reruns_follow_edits_of_pages_and_of_the_titles_menus_show() {
    use briefing::{BuildOptions, Pipeline};
    let project = pages_project();
    let options = BuildOptions {
        drafts: true,
        ..BuildOptions::default()
    };
    let mut pipeline = Pipeline::new(project.root(), options.clone());
    pipeline.run_full().unwrap();
    let about = "content/_pages/about/index.fr.md";
    for (from, to) in [
        ("Cinq documents.", "Six documents."),
        ("title = \"À propos\"", "title = \"Qui sommes-nous\""),
    ] {
        project.edit(about, from, to);
        let rerun = pipeline
            .run(Some(&[std::path::PathBuf::from(about)]))
            .unwrap();
        let fresh = Pipeline::new(project.root(), options.clone())
            .run_full()
            .unwrap();
        let (rerun, fresh) = (outputs(&rerun), outputs(&fresh));
        assert_eq!(
            rerun.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &fresh {
            assert!(
                rerun[path] == *bytes,
                "after {to}: {path} differs from a full build"
            );
        }
    }
    let home =
        String::from_utf8(outputs(&pipeline.run(None).unwrap())["fr/index.html"].clone()).unwrap();
    assert!(
        home.contains("Qui sommes-nous"),
        "the footer menu shows the new title"
    );
}

#[test]
fn a_page_and_a_topic_cannot_share_an_address() {
    let project = pages_project();
    project.edit(
        "content/_pages/about/index.fr.md",
        "slug = \"a-propos\"",
        "slug = \"cyberdefense\"",
    );
    let stderr = project.build_fails(&[]);
    assert!(stderr.contains("slug \"cyberdefense\""), "{stderr}");
    assert!(
        stderr.contains("is also the address of content/_pages/about/index.fr.md"),
        "{stderr}"
    );
}
