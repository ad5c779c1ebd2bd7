//! The parse store (`.briefing-cache/parsed/` in the project): a build keeps every page's
//! parse there, and the next one parses only the pages whose inputs changed, reading no
//! other page's text; whatever happens to the store, the site is the one a cold build makes.

use std::fs;

use crate::common::{Project, SiteDir};

/// `briefing build -v` into `site`: (page files parsed, page files).
fn parsed(project: &Project, args: &[&str]) -> (usize, usize) {
    let mut all = vec!["build", "-v"];
    all.extend_from_slice(args);
    let run = project.run(&all);
    assert!(run.success, "{}", run.stderr);
    let line = run
        .stderr
        .lines()
        .find_map(|line| line.strip_prefix("parsed "))
        .unwrap_or_else(|| panic!("no count of parsed pages in {}", run.stderr));
    let mut numbers = line
        .split(' ')
        .filter_map(|word| word.parse::<usize>().ok());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

/// Every file of `folder` but the record, with its bytes.
fn files(folder: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let site = SiteDir {
        root: folder.to_path_buf(),
    };
    site.files()
        .into_iter()
        .filter(|file| file != ".briefing-record")
        .map(|file| {
            let bytes = fs::read(folder.join(&file)).unwrap();
            (file, bytes)
        })
        .collect()
}

/// The site in `site` is the one a cold build (`--fresh`, into `cold`) makes.
fn assert_as_cold(project: &Project, after: &str) {
    let cold = project.path("cold");
    if cold.exists() {
        fs::remove_dir_all(&cold).unwrap();
    }
    project.build(&["--out", "cold", "--fresh"]);
    assert!(
        files(&project.path("site")) == files(&cold),
        "after {after}: the site differs from a cold build's"
    );
}

fn shards(project: &Project) -> Vec<std::path::PathBuf> {
    let mut shards: Vec<_> = fs::read_dir(project.path(".briefing-cache/parsed"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    shards.sort();
    shards
}

/// The bytes of every shard of the store, in path order.
fn shard_bytes(project: &Project) -> Vec<Vec<u8>> {
    shards(project)
        .iter()
        .map(|shard| fs::read(shard).unwrap())
        .collect()
}

#[test]
fn after_one_edit_a_build_parses_that_page_only() {
    let project = Project::fixture("basic");
    let (parsed_cold, pages) = parsed(&project, &["--fresh"]);
    assert_eq!(parsed_cold, pages, "a fresh build parses every page");
    assert!(pages > 5, "{pages}");
    assert!(project.path(".briefing-cache/CACHEDIR.TAG").is_file());
    assert!(!shards(&project).is_empty());

    project.edit(
        "content/cyber/index.fr.md",
        "Depuis 2021",
        "Depuis le printemps 2021",
    );
    assert_eq!(parsed(&project, &[]), (1, pages));
    let site = SiteDir {
        root: project.path("site"),
    };
    assert!(
        site.read("fr/cyberdefense/index.html")
            .contains("Depuis le printemps 2021")
    );
    assert_as_cold(&project, "one body edited");

    // The site removed: the store still saves every parse.
    fs::remove_dir_all(project.path("site")).unwrap();
    project.edit(
        "content/cyber/index.en.md",
        "since 2021",
        "since spring 2021",
    );
    assert_eq!(parsed(&project, &[]), (1, pages));
    assert_as_cold(&project, "the site removed and a page edited");

    // A glossary term appears in every page of its language: all of them are parsed again.
    project.edit(
        "content/glossary.toml",
        "Organisation du Traité de l’Atlantique Nord",
        "Organisation du traité de l’Atlantique Nord",
    );
    let (again, _) = parsed(&project, &[]);
    assert!(again > 1, "{again}");
    assert_as_cold(&project, "a glossary term edited");
}

#[test]
fn fresh_reads_nothing_of_the_store_and_a_damaged_or_missing_store_costs_only_a_full_parse() {
    let project = Project::fixture("basic");
    let (_, pages) = parsed(&project, &[]);
    assert_eq!(parsed(&project, &["--fresh"]), (pages, pages));

    // Every shard damaged: cut short, or filled with other bytes.
    for (at, shard) in shards(&project).iter().enumerate() {
        let bytes = fs::read(shard).unwrap();
        if at % 2 == 0 {
            fs::write(shard, &bytes[..bytes.len() / 2]).unwrap();
        } else {
            let garbled: Vec<u8> = bytes.iter().map(|byte| byte.wrapping_add(1)).collect();
            fs::write(shard, garbled).unwrap();
        }
    }
    project.edit("content/cyber/index.fr.md", "Depuis 2021", "Depuis 2020");
    assert_eq!(parsed(&project, &[]), (pages, pages));
    assert_as_cold(&project, "the store damaged");

    fs::remove_dir_all(project.path(".briefing-cache")).unwrap();
    project.edit("content/cyber/index.fr.md", "Depuis 2020", "Depuis 2019");
    assert_eq!(parsed(&project, &[]), (pages, pages));
    assert_as_cold(&project, "the store removed");
    project.edit("content/cyber/index.fr.md", "Depuis 2019", "Depuis 2018");
    assert_eq!(parsed(&project, &[]), (1, pages), "kept again");
}

#[test]
fn a_page_that_stops_parsing_is_reported_and_parsed_again_once_fixed() {
    let project = Project::fixture("basic");
    project.build(&[]);
    let good = project.read("content/cyber/index.fr.md");
    project.write(
        "content/cyber/index.fr.md",
        &good.replacen("title = ", "title = = ", 1),
    );
    let error = project.build_fails(&[]);
    assert!(error.contains("content/cyber/index.fr.md:"), "{error}");
    // Fixed, with another edit (the text the last build had would leave nothing to do).
    project.write(
        "content/cyber/index.fr.md",
        &good.replacen("Depuis 2021", "Depuis 2022", 1),
    );
    assert_eq!(parsed(&project, &[]).0, 1);
    assert_as_cold(&project, "a page broken, then fixed");
}

#[test]
fn the_store_keeps_drafts_out_of_the_site_and_the_site_out_of_the_store() {
    let project = Project::fixture("basic");
    project.build(&[]);
    let site = SiteDir {
        root: project.path("site"),
    };
    assert!(
        site.files()
            .iter()
            .all(|file| !file.contains("briefing-cache")),
        "the store is not published"
    );
    for out in [
        ".briefing-cache",
        ".briefing-cache/site",
        "./.briefing-cache/parsed",
    ] {
        let run = project.run(&["build", "--out", out]);
        assert_eq!(run.code, Some(2), "{out}: {}", run.stderr);
        assert!(
            run.stderr.contains("inside the project's cache folder"),
            "{out}: {}",
            run.stderr
        );
    }
    let run = project.run(&["build", "--archive", ".briefing-cache/site.zip"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(!shards(&project).is_empty(), "the store is still there");
}

#[test]
fn check_reads_the_store_without_writing_it_and_reports_the_same() {
    let project = Project::fixture("basic");
    project.edit(
        "content/cyber/index.fr.md",
        "Depuis 2021",
        "Depuis 2021 ([voir](@/nulle-part))",
    );
    let report = |project: &Project| {
        let run = project.run(&["check", "--format", "json"]);
        (run.code, run.stdout)
    };
    let without_store = report(&project);
    assert!(
        without_store.1.contains("nulle-part"),
        "{}",
        without_store.1
    );
    assert!(
        !project.path(".briefing-cache").exists(),
        "check writes no store"
    );
    // The pages kept by a build that succeeded, then the broken link again.
    let text = project.read("content/cyber/index.fr.md");
    project.write(
        "content/cyber/index.fr.md",
        &text.replace(" ([voir](@/nulle-part))", ""),
    );
    project.build(&[]);
    let kept = shard_bytes(&project);
    assert!(!kept.is_empty());
    project.write("content/cyber/index.fr.md", &text);
    assert_eq!(report(&project), without_store);
    assert!(
        shard_bytes(&project) == kept,
        "check left the store as it was"
    );
}

#[test]
fn pages_known_from_their_stamps_are_read_after_all_when_their_parse_is_not_kept() {
    // Every translation current and required to be: the publication rule compares each
    // translation's recorded digest with its source's, which a build that reads no page
    // takes from the store.
    let project = Project::fixture("publish-together");
    for held_back in ["brouillon-fr", "sans-anglais", "perime"] {
        fs::remove_dir_all(project.path(&format!("content/{held_back}"))).unwrap();
    }
    let config = project.read("briefing.toml");
    project.write(
        "briefing.toml",
        &format!("{config}\n[translations]\npublish = \"together\"\nrequire_current = true\n"),
    );
    // Stamps are recorded only for files that had settled before they were read (100 ms).
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (_, pages) = parsed(&project, &[]);
    let record = project.read("site/.briefing-record");
    assert!(
        record.contains(" content/ensemble/index.fr.md\n"),
        "stamped"
    );
    let site = SiteDir {
        root: project.path("site"),
    };
    assert!(
        site.read("en/ensemble/index.html")
            .contains("Both languages.")
    );

    project.edit(
        "content/_index.en.md",
        "+++\n",
        "+++\nsummary = \"Edited.\"\n",
    );
    assert_eq!(parsed(&project, &[]), (1, pages));
    assert_as_cold(&project, "the English home text edited");

    // The store gone: the pages the load left unread (their stamps vouch for them) are read
    // when parsed, and the source digests worked out again from their text.
    std::thread::sleep(std::time::Duration::from_millis(300));
    project.build(&[]);
    fs::remove_dir_all(project.path(".briefing-cache")).unwrap();
    project.edit("content/_index.en.md", "Edited.", "Edited again.");
    assert_eq!(parsed(&project, &[]), (pages, pages));
    assert_as_cold(&project, "the store removed after the sources settled");
    assert!(
        site.read("en/ensemble/index.html")
            .contains("Both languages.")
    );
    assert!(site.read("fr/ensemble/index.html").contains("<html"));
}

#[test]
fn serve_with_a_store_serves_edits_and_drafts_and_leaves_the_store_as_it_was() {
    let project = Project::fixture("basic");
    project.build(&[]);
    let kept = shard_bytes(&project);
    project.edit(
        "content/cyber/index.fr.md",
        "Depuis 2021",
        "Depuis juin 2021",
    );
    let server = crate::common::server::Server::start(&project);
    let edited = server.get("fr/cyberdefense/");
    assert_eq!(edited.status, 200);
    assert!(edited.body.contains("Depuis juin 2021"), "{}", edited.body);
    // A draft, which `build` left out, was parsed and kept all the same.
    let draft = server.get("fr/draft-topic/");
    assert_eq!(draft.status, 200);
    assert!(draft.body.contains("Brouillon."), "{}", draft.body);
    server.interrupt();
    assert!(
        shard_bytes(&project) == kept,
        "serve left the store as it was"
    );
}

#[test]
fn a_cache_folder_briefing_did_not_make_or_a_link_is_never_written_into() {
    let project = Project::fixture("basic");
    // A folder of the user's by that name, with a file where a shard would go.
    project.write(".briefing-cache/parsed/00", "mine\n");
    let run = project.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: cannot keep the pages' parses")
            && run
                .stderr
                .contains(".briefing-cache: not a folder briefing made"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read(".briefing-cache/parsed/00"), "mine\n");
    assert!(!project.path(".briefing-cache/CACHEDIR.TAG").exists());
    fs::remove_dir_all(project.path(".briefing-cache")).unwrap();

    // A link to a folder of the sources: nothing is written through it.
    fs::create_dir(project.path("content/elsewhere")).unwrap();
    std::os::unix::fs::symlink(
        project.path("content/elsewhere"),
        project.path(".briefing-cache"),
    )
    .unwrap();
    project.edit("content/cyber/index.fr.md", "Depuis 2021", "Depuis 2020");
    let before = project.sources();
    let run = project.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a folder briefing made"),
        "{}",
        run.stderr
    );
    assert!(
        project.sources() == before,
        "nothing written into the sources"
    );
    assert_eq!(
        fs::read_dir(project.path("content/elsewhere"))
            .unwrap()
            .count(),
        0
    );
}
