//! The search index and page in the built site, and `build --archive`.

use std::fs;
use std::io::Read;

use crate::common::{Project, attr, select};
use base64::Engine;
use briefing::urls::LinkStyle;
use briefing::{BuildOptions, Pipeline};

/// The JSON of a built `search-index.js`: the entry naming the shards.
fn decode_entry(script: &str) -> serde_json::Value {
    let json = script
        .strip_prefix("window.briefingSearchIndex = ")
        .and_then(|rest| rest.trim_end().strip_suffix(';'))
        .expect("the entry script sets one object");
    serde_json::from_str(json).expect("JSON")
}

/// The JSON inside a built shard script named `file`.
fn decode_shard(file: &str, script: &str) -> serde_json::Value {
    let prefix = format!(
        "(window.briefingSearchShards = window.briefingSearchShards || {{}})[\"{file}\"] = \""
    );
    let encoded = script
        .strip_prefix(&prefix)
        .and_then(|rest| rest.trim_end().strip_suffix("\";"))
        .expect("the shard script sets one string under its own name");
    let compressed = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    let mut json = String::new();
    flate2::read::ZlibDecoder::new(&compressed[..])
        .read_to_string(&mut json)
        .expect("zlib");
    serde_json::from_str(&json).expect("JSON")
}

/// Every shard the entry of `folder` names, decoded: (term shards, document shards).
fn shards(
    site: &crate::common::SiteDir,
    folder: &str,
) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let entry = decode_entry(&site.read(&format!("{folder}search-index.js")));
    let load = |key: &str| -> Vec<serde_json::Value> {
        entry[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                let file = pair[1].as_str().unwrap();
                decode_shard(file, &site.read(&format!("{folder}{file}")))
            })
            .collect()
    };
    (load("terms"), load("docs"))
}

#[test]
fn every_page_links_to_the_search_page_of_its_language() {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    for page in site.html_files() {
        let lang = if page.starts_with("en/") {
            "en"
        } else if page.starts_with("fr/") {
            "fr"
        } else {
            continue;
        };
        let html = site.html(&page);
        let links: Vec<String> = select(&html, ".site-nav a")
            .iter()
            .filter_map(|a| site.resolve(&page, &attr(a, "href")))
            .collect();
        let search = if lang == "fr" {
            "fr/recherche/index.html"
        } else {
            "en/search/index.html"
        };
        assert!(
            links.iter().any(|l| l == search),
            "{page} has no link to {search}: {links:?}"
        );
    }
}

#[test]
fn the_search_page_loads_its_index_and_the_search_script() {
    let project = Project::fixture("basic");
    let site = project.build(&["--offline"]);
    let page = "fr/recherche/index.html";
    let html = site.html(page);
    let scripts: Vec<String> = select(&html, "script[src]")
        .iter()
        .map(|script| site.resolve(page, &attr(script, "src")).unwrap())
        .collect();
    assert_eq!(scripts, ["fr/recherche/search-index.js", "search.js"]);
    let entry = decode_entry(&site.read("fr/recherche/search-index.js"));
    assert_eq!(entry["lang"], "fr");
    assert_eq!(entry["stemmer"], "fr");
    let (term_shards, doc_shards) = shards(&site, "fr/recherche/");
    let docs: Vec<serde_json::Value> = doc_shards
        .iter()
        .flat_map(|shard| shard.as_array().unwrap().clone())
        .collect();
    assert_eq!(entry["count"], docs.len());
    let titles: Vec<&str> = docs.iter().map(|d| d["t"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Cyberdéfense"), "{titles:?}");
    assert!(
        !titles.contains(&"Sujet en préparation"),
        "drafts are not indexed"
    );
    for doc in &docs {
        let href = doc["u"].as_str().unwrap();
        assert!(
            href.ends_with("/index.html"),
            "offline links name their file: {href}"
        );
        assert!(site.exists(&site.resolve(page, href).unwrap()), "{href}");
    }
    let mut terms = Vec::new();
    for shard in &term_shards {
        let these = shard["terms"].as_array().unwrap();
        assert_eq!(these.len(), shard["postings"].as_array().unwrap().len());
        terms.extend(these.iter().map(|t| t.as_str().unwrap().to_string()));
    }
    assert!(
        terms.iter().any(|t| t == "cyberdefens"),
        "accents folded, stem taken"
    );
    let mut sorted = terms.clone();
    sorted.sort();
    assert_eq!(terms, sorted, "shards follow one another in term order");
}

#[test]
fn each_language_index_of_this_repository_is_smaller_than_its_plain_text() {
    let mut pipeline = Pipeline::new(crate::common::repo_root(), BuildOptions::default());
    let site = pipeline.run_full().expect("the repository's site builds");
    let model = pipeline.model.clone().unwrap();
    for language in &model.languages {
        let plain: usize = briefing::search::documents(language, LinkStyle::Server)
            .iter()
            .map(|doc| doc.plain_text_len())
            .sum();
        let folder = briefing::search::search_page_path(language);
        let scripts: Vec<_> = site
            .outputs
            .iter()
            .filter(|o| o.path.starts_with(folder.as_str()) && o.path.ends_with(".js"))
            .collect();
        assert!(scripts.len() >= 3, "an entry and its shards per language");
        let size: usize = scripts.iter().map(|o| o.bytes().unwrap().len()).sum();
        assert!(
            size < plain,
            "{}: index {size} bytes, plain text {plain} bytes",
            language.lang
        );
    }
}

#[test]
fn the_archive_holds_the_offline_site_with_the_chooser_at_its_root() {
    let project = Project::fixture("basic");
    let run = project.run(&["build", "--archive", "briefing.zip"]);
    assert!(run.success, "{}", run.stderr);
    assert!(run.stdout.contains("Packed"), "{}", run.stdout);
    let site = crate::common::SiteDir {
        root: project.path("site"),
    };
    assert!(
        site.read("fr/index.html")
            .contains("href=\"../index.html\""),
        "the site is the offline build"
    );
    let mut zip =
        zip::ZipArchive::new(fs::File::open(project.path("briefing.zip")).unwrap()).unwrap();
    let mut names: Vec<String> = zip
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();
    names.sort();
    // The output folder's marker and record are the folder's; the archive is recognised by
    // its comment.
    let published: Vec<String> = site
        .files()
        .into_iter()
        .filter(|file| file != ".briefing-output" && file != ".briefing-record")
        .collect();
    assert_eq!(names, published);
    assert_eq!(zip.comment(), b"briefing offline archive");
    for name in &names {
        let mut bytes = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, fs::read(site.file(name)).unwrap(), "{name}");
    }
    let mut chooser = String::new();
    zip.by_name("index.html")
        .unwrap()
        .read_to_string(&mut chooser)
        .unwrap();
    let chooser = scraper::Html::parse_document(&chooser);
    let entries: Vec<String> = select(&chooser, ".chooser a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(entries, ["fr/index.html", "en/index.html"]);
}

#[test]
fn a_failed_build_leaves_the_previous_archive_as_it_was() {
    let project = Project::fixture("basic");
    project.build(&["--archive", "briefing.zip"]);
    let before = fs::read(project.path("briefing.zip")).unwrap();
    project.edit("content/cyber/index.fr.md", "title = ", "titel = ");
    project.build_fails(&["--archive", "briefing.zip"]);
    assert_eq!(fs::read(project.path("briefing.zip")).unwrap(), before);
}
