//! Open Graph, Twitter cards, `Article` JSON-LD and robots.txt in the built site, by the
//! real binary on the `basic` fixture (with the `markdown` overlay for a page image).

use crate::common::{Project, attr, select};
use scraper::Html;

/// (property or name, content) of every `<meta>` with one.
fn meta_tags(html: &Html) -> Vec<(String, String)> {
    select(html, "meta[property], meta[name]")
        .iter()
        .map(|meta| {
            let key = meta
                .value()
                .attr("property")
                .or(meta.value().attr("name"))
                .unwrap_or_default();
            (key.to_string(), attr(meta, "content"))
        })
        .collect()
}

fn value<'a>(metas: &'a [(String, String)], key: &str) -> Vec<&'a str> {
    metas
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn json_ld(html: &Html) -> Vec<serde_json::Value> {
    select(html, "script[type='application/ld+json']")
        .iter()
        .map(|script| serde_json::from_str(&script.inner_html()).expect("valid JSON-LD"))
        .collect()
}

#[test]
fn topics_carry_open_graph_twitter_and_article_data() {
    let project = Project::fixture_with("markdown");
    let site = project.build(&[]);
    let page = site.html("fr/figures/index.html");
    let metas = meta_tags(&page);
    assert_eq!(value(&metas, "og:type"), ["article"]);
    assert_eq!(value(&metas, "og:title"), ["Figures et encadrés"]);
    assert_eq!(
        value(&metas, "og:description"),
        ["Cartes, schémas et mises en garde."]
    );
    assert_eq!(
        value(&metas, "og:url"),
        ["https://example.org/briefing/fr/figures/"]
    );
    assert_eq!(value(&metas, "og:locale"), ["fr_CA"]);
    assert_eq!(value(&metas, "og:locale:alternate"), ["en_CA"]);
    assert_eq!(
        value(&metas, "og:image"),
        ["https://example.org/briefing/fr/figures/carte.png"]
    );
    assert_eq!(value(&metas, "twitter:card"), ["summary"]);
    assert_eq!(value(&metas, "twitter:title"), ["Figures et encadrés"]);
    assert!(value(&metas, "og:image").len() == 1 && site.exists("fr/figures/carte.png"));

    let data = json_ld(&page);
    let article = data
        .iter()
        .find(|d| d["@type"] == "Article")
        .expect("an Article");
    assert_eq!(article["headline"], "Figures et encadrés");
    assert_eq!(article["inLanguage"], "fr");
    assert_eq!(article["datePublished"], "2024-06-01");
    assert_eq!(article["dateModified"], "2024-06-01");
    assert_eq!(article["publisher"]["name"], "Rédaction du dossier");
    assert_eq!(article["url"], "https://example.org/briefing/fr/figures/");

    let english = meta_tags(&site.html("en/figures/index.html"));
    assert_eq!(value(&english, "og:locale"), ["en_CA"]);
    assert!(
        value(&english, "og:image").is_empty(),
        "the English page has no image"
    );
}

#[test]
fn other_pages_are_websites_without_an_article() {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    let home = site.html("en/index.html");
    let metas = meta_tags(&home);
    assert_eq!(value(&metas, "og:type"), ["website"]);
    assert_eq!(
        value(&metas, "og:url"),
        ["https://example.org/briefing/en/"]
    );
    assert!(json_ld(&home).iter().all(|d| d["@type"] != "Article"));
}

#[test]
fn structured_data_cannot_close_its_script_element() {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    let raw = site.read("fr/markup/index.html");
    for script in raw.split("<script type=\"application/ld+json\">").skip(1) {
        let body = script.split("</script>").next().unwrap();
        assert!(!body.contains('<'), "raw < in JSON-LD: {body}");
    }
    let article = json_ld(&site.html("fr/markup/index.html"))
        .into_iter()
        .find(|d| d["@type"] == "Article")
        .unwrap();
    assert_eq!(article["headline"], "Poisson & <script>alert(1)</script>");
}

#[test]
fn robots_txt_names_the_sitemap() {
    let project = Project::fixture("basic");
    let site = project.build(&["--base-url", "https://briefing.example.gc.ca/notes/"]);
    let robots = site.read("robots.txt");
    assert!(robots.starts_with("User-agent: *\n"), "{robots}");
    assert!(
        robots
            .lines()
            .any(|line| line == "Sitemap: https://briefing.example.gc.ca/notes/sitemap.xml"),
        "{robots}"
    );
    assert!(site.exists("sitemap.xml"));
}

#[test]
fn a_page_image_that_is_not_published_is_reported() {
    let project = Project::fixture_with("markdown");
    project.edit(
        "content/figures/index.fr.md",
        "image = \"carte.png\"",
        "image = \"carte-absente.png\"",
    );
    let check = project.run(&["check"]);
    assert_eq!(check.code, Some(1), "{}", check.stdout);
    assert!(
        check.stdout.contains("content/figures/index.fr.md:5:9"),
        "{}",
        check.stdout
    );
}
