//! `briefing serve` on a copy of the `basic` fixture: the real binary on an ephemeral port,
//! edited the ways editors save, observed through the live-reload stream and the pages served.

use std::collections::BTreeSet;
use std::fs;

use crate::common::Project;
use crate::common::server::Server;
use serde_json::Value;

const CYBER_FR: &str = "content/cyber/index.fr.md";

fn started() -> (Project, Server) {
    let project = Project::fixture("basic");
    let server = Server::start(&project);
    (project, server)
}

fn paths(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .expect("a list of paths")
        .iter()
        .map(|path| path.as_str().unwrap().to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| item.to_string()).collect()
}

/// The last run's report, insisting it is the run that sent `event`.
fn report_of(server: &Server, event: &Value) -> Value {
    let status = server.status();
    assert_eq!(
        status["last"]["generation"], event["generation"],
        "{status}"
    );
    status["last"].clone()
}

#[test]
fn editing_a_body_reloads_its_page_and_renders_only_that_topics_outputs() {
    let (project, server) = started();
    let page = server.events("fr/cyberdefense/index.html");
    let other = server.events("en/cyber/index.html");
    project.edit(
        CYBER_FR,
        "Depuis 2021, chaque année.",
        "Un paragraphe tout neuf.",
    );

    let event = page.build();
    assert_eq!(event["ok"], true, "{event}");
    assert_eq!(event["reload"], true, "{event}");
    assert_eq!(other.build()["reload"], false);
    let served = server.get("fr/cyberdefense/");
    assert_eq!(served.status, 200);
    assert!(served.body.contains("Un paragraphe tout neuf."));
    assert!(!served.body.contains("Depuis 2021, chaque année."));
    // The page and the French feed (which carries the bodies); nothing else.
    let report = report_of(&server, &event);
    assert_eq!(
        paths(&report["rendered_paths"]),
        set(&["fr/cyberdefense/index.html", "fr/atom.xml"])
    );
    assert_eq!(report["trigger"], serde_json::json!([CYBER_FR]));
}

#[test]
fn the_search_index_follows_a_body_edit_after_the_page_reload() {
    let (project, server) = started();
    let index = "fr/recherche/search-index.js";
    let before = server.get(index);
    assert_eq!(before.status, 200);
    let search_page = server.events("fr/recherche/index.html");
    project.edit(CYBER_FR, "Depuis 2021", "Depuis le printemps 2021");
    // First the run that reloads the edited page, then the index.
    let run = search_page.build();
    assert_eq!(run["reload"], false, "{run}");
    let update = search_page.build();
    // The entry, which names the shards, and the shards whose content changed.
    let resources: Vec<&str> = update["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(resources.contains(&index), "{update}");
    assert!(
        resources
            .iter()
            .all(|r| r.starts_with("fr/recherche/search-") && r.ends_with(".js")),
        "{update}"
    );
    let after = server.get(index);
    assert_ne!(before.body, after.body);
    assert!(
        after.content_type.starts_with("text/javascript")
            || after.content_type.starts_with("application/javascript"),
        "{}",
        after.content_type
    );
}

#[test]
fn a_save_through_a_temporary_file_renamed_over_is_seen() {
    let (project, server) = started();
    let page = server.events("fr/cyberdefense/index.html");
    let text = project
        .read(CYBER_FR)
        .replace("Depuis 2021", "Écrit par renommage depuis 2021");
    // As vim, VS Code and JetBrains do: write elsewhere in the folder, rename over.
    let temporary = project.path("content/cyber/.index.fr.md.swx");
    fs::write(&temporary, text).unwrap();
    fs::rename(&temporary, project.path(CYBER_FR)).unwrap();

    let event = page.build();
    assert_eq!(event["reload"], true, "{event}");
    assert!(
        server
            .get("fr/cyberdefense/")
            .body
            .contains("Écrit par renommage depuis 2021")
    );
}

#[test]
fn a_delete_then_create_save_is_seen() {
    let (project, server) = started();
    let page = server.events("en/cyber/index.html");
    let text = project
        .read("content/cyber/index.en.md")
        .replace("Every year", "Each and every year");
    fs::remove_file(project.path("content/cyber/index.en.md")).unwrap();
    fs::write(project.path("content/cyber/index.en.md"), text).unwrap();

    // The debouncer may report the delete on its own first: wait for the page to come back.
    loop {
        let event = page.build();
        if event["ok"] == true && event["reload"] == true {
            let served = server.get("en/cyber/");
            if served.status == 200 {
                assert!(served.body.contains("Each and every year"));
                break;
            }
        }
    }
}

#[test]
fn a_broken_front_matter_keeps_the_last_good_page_and_shows_the_error_until_fixed() {
    let (project, server) = started();
    let page = server.events("fr/cyberdefense/index.html");
    project.edit(CYBER_FR, "title = ", "titel = ");

    let event = page.build();
    assert_eq!(event["ok"], false, "{event}");
    assert_eq!(event["reload"], false);
    let diagnostic = &event["diagnostics"][0];
    assert_eq!(diagnostic["location"], "content/cyber/index.fr.md:2:1");
    assert!(
        diagnostic["text"]
            .as_str()
            .unwrap()
            .contains("--> content/cyber/index.fr.md:2:1")
    );
    // The last good page is still served, with the script that shows the overlay.
    let served = server.get("fr/cyberdefense/");
    assert_eq!(served.status, 200);
    assert!(served.body.contains("<h1>Cyberdéfense</h1>"));
    assert!(served.body.contains("/__briefing/live.js"));
    let script = server.get("__briefing/live.js");
    assert!(script.content_type.starts_with("application/javascript"));
    assert!(script.body.contains("briefing-error-overlay"));
    // A page opened now learns of the error as it connects.
    let late = server.events("fr/index.html");
    drop(late);
    assert_eq!(
        server.status()["errors"][0]["location"],
        diagnostic["location"]
    );
    assert!(
        server
            .stderr()
            .contains("--> content/cyber/index.fr.md:2:1")
    );

    project.edit(
        CYBER_FR,
        "titel = \"Cyberdéfense\"",
        "title = \"Cyberdéfense réparée\"",
    );
    let event = page.build();
    assert_eq!(event["ok"], true, "{event}");
    assert_eq!(event["reload"], true);
    assert!(server.status()["errors"].is_null());
    assert!(
        server
            .get("fr/cyberdefense/")
            .body
            .contains("<h1>Cyberdéfense réparée</h1>")
    );
}

#[test]
fn a_project_that_does_not_build_at_start_shows_its_errors_until_fixed() {
    let project = Project::fixture("basic");
    project.edit(CYBER_FR, "title = ", "titre = ");
    let server = Server::start(&project);
    let page = server.get("fr/");
    assert_eq!(page.status, 503);
    assert!(
        page.body.contains("content/cyber/index.fr.md:2:1"),
        "{}",
        page.body
    );
    assert!(page.body.contains("/__briefing/live.js"));
    let events = server.events("fr/index.html");
    project.edit(CYBER_FR, "titre = ", "title = ");
    loop {
        let event = events.build();
        if event["ok"] == true && event["reload"] == true {
            break;
        }
    }
    assert_eq!(server.get("fr/").status, 200);
}

#[test]
fn a_page_opened_during_a_failed_build_is_told_the_errors_on_connect() {
    let (project, server) = started();
    let page = server.events("fr/index.html");
    project.edit(CYBER_FR, "[[events]]", "[[evenements]]");
    assert_eq!(page.build()["ok"], false);
    let events_url = format!("{}__briefing/events?path=fr/index.html", server.url);
    let mut response = ureq::get(&events_url).call().unwrap();
    let mut reader = std::io::BufReader::new(response.body_mut().as_reader());
    let mut hello = String::new();
    while !hello.starts_with("data:") {
        hello.clear();
        std::io::BufRead::read_line(&mut reader, &mut hello).unwrap();
    }
    assert!(hello.contains("content/cyber/index.fr.md:"), "{hello}");
}

#[test]
fn adding_and_deleting_a_topic_adds_and_removes_its_pages() {
    let (project, server) = started();
    let home = server.events("fr/index.html");
    let missing = server.events("fr/nouveau/index.html");
    assert_eq!(server.get("fr/nouveau/").status, 404);
    // A new folder with its files, as `briefing new` or a file manager makes it.
    project.write(
        "content/nouveau/index.fr.md",
        "+++\ntitle = \"Un sujet nouveau\"\ndate = 2025-01-02\ntags = [\"dialogue\"]\n+++\nTexte du nouveau sujet.\n",
    );
    project.write(
        "content/nouveau/index.en.md",
        "+++\ntitle = \"A new topic\"\ndate = 2025-01-02\n+++\nText of the new topic.\n",
    );
    loop {
        let event = missing.build();
        if event["reload"] == true && server.get("en/nouveau/").status == 200 {
            break;
        }
    }
    assert_eq!(home.build()["reload"], true);
    let page = server.get("fr/nouveau/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Texte du nouveau sujet."));
    assert!(server.get("fr/").body.contains("Un sujet nouveau"));

    fs::remove_dir_all(project.path("content/nouveau")).unwrap();
    loop {
        let event = missing.build();
        if event["reload"] == true {
            break;
        }
    }
    let gone = server.get("fr/nouveau/");
    assert_eq!(gone.status, 404);
    assert!(
        gone.body
            .contains("<link rel=\"stylesheet\" href=\"/style.css\">"),
        "the site's 404 page, its links from the site's root"
    );
    assert!(!server.get("fr/").body.contains("Un sujet nouveau"));
}

#[test]
fn a_topic_folder_renamed_moves_its_pages() {
    let (project, server) = started();
    let old = server.events("en/markup/index.html");
    fs::rename(
        project.path("content/markup"),
        project.path("content/balisage"),
    )
    .unwrap();
    loop {
        if old.build()["reload"] == true && server.get("en/balisage/").status == 200 {
            break;
        }
    }
    assert_eq!(server.get("en/markup/").status, 404);
}

#[test]
fn requests_outside_the_site_are_refused() {
    let (_project, server) = started();
    let refused = [
        "/../briefing.toml",
        "/fr/../../briefing.toml",
        "/%2e%2e/briefing.toml",
        "/fr/%2E%2E/%2e%2e/briefing.toml",
        "/fr%2f..%2f..%2fbriefing.toml",
        "/..%5cbriefing.toml",
        "/fr\\..\\..\\briefing.toml",
        "//etc/passwd",
        "/./index.html",
    ];
    for target in refused {
        let (status, body) = server.raw_get(target);
        assert_eq!(status, 400, "{target}");
        assert!(
            !body.contains("base_url"),
            "{target} leaked the configuration"
        );
    }
    // Files of the project that are not part of the site do not exist for the server.
    for target in [
        "/briefing.toml",
        "/content/cyber/index.fr.md",
        "/locales/fr/main.ftl",
    ] {
        let (status, body) = server.raw_get(target);
        assert_eq!(status, 404, "{target}");
        assert!(!body.contains("+++"), "{target}");
    }
    let (status, _) = server.raw_get("http://example.org/../briefing.toml");
    // It names another host: refused before its path is looked at.
    assert_eq!(status, 403, "absolute-form target");
}

#[test]
fn files_are_served_with_their_content_types_and_folders_get_their_slash() {
    let (_project, server) = started();
    let cases = [
        ("", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("fr/atom.xml", "charset=utf-8"),
        ("sitemap.xml", "xml"),
        ("fr/relations-coree/carte.svg", "image/svg+xml"),
    ];
    for (path, expected) in cases {
        let fetched = server.get(path);
        assert_eq!(fetched.status, 200, "{path}");
        assert!(
            fetched.content_type.contains(expected),
            "{path}: {}",
            fetched.content_type
        );
    }
    let folder = server.get("fr/cyberdefense");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.location.as_deref(), Some("/fr/cyberdefense/"));
    let missing = server.get("fr/nothing-here/");
    assert_eq!(missing.status, 404);
    assert!(missing.content_type.starts_with("text/html"));
    assert!(missing.body.contains("/__briefing/live.js"));
}

#[test]
fn built_sites_never_carry_the_live_reload_script() {
    let project = Project::fixture("basic");
    let site = project.build(&["--drafts"]);
    for page in site.html_files() {
        assert!(!site.read(&page).contains("__briefing"), "{page}");
    }
}

#[test]
fn a_template_change_rerenders_only_the_pages_using_it() {
    let (project, server) = started();
    let tags = server.events("fr/themes/index.html");
    project.edit(
        "themes/briefing/templates/tags.html",
        "{% block main %}",
        "{% block main %}<p class=\"changed-template\"></p>",
    );
    let event = tags.build();
    assert_eq!(event["reload"], true, "{event}");
    let report = report_of(&server, &event);
    assert_eq!(
        paths(&report["rendered_paths"]),
        set(&["fr/themes/index.html", "en/themes/index.html"])
    );
    assert!(server.get("en/themes/").body.contains("changed-template"));
}

#[test]
fn a_stylesheet_change_is_announced_without_reloading_pages() {
    let (project, server) = started();
    let page = server.events("fr/index.html");
    project.edit(
        "themes/briefing/static/style.css",
        "body",
        "body { outline: 0 }\nbody",
    );
    let event = page.build();
    assert_eq!(event["reload"], false, "{event}");
    assert_eq!(event["resources"], serde_json::json!(["style.css"]));
    assert_eq!(event["rendered"], 0);
    assert!(
        server
            .get("style.css")
            .body
            .contains("body { outline: 0 }\nbody")
    );
}

#[test]
fn editing_a_title_rerenders_the_pages_that_show_it() {
    let (project, server) = started();
    let page = server.events("fr/index.html");
    project.edit(
        CYBER_FR,
        "title = \"Cyberdéfense\"",
        "title = \"Cyberdéfense commune\"",
    );
    let event = page.build();
    assert_eq!(event["reload"], true, "{event}");
    let rendered = paths(&report_of(&server, &event)["rendered_paths"]);
    for shown in [
        "fr/cyberdefense/index.html",
        "fr/index.html",
        "fr/themes/cyberdefense/index.html",
        "fr/chronologie/index.html",
        "fr/atom.xml",
    ] {
        assert!(rendered.contains(shown), "{shown} not in {rendered:?}");
    }
    let english: Vec<_> = rendered.iter().filter(|p| p.starts_with("en/")).collect();
    assert!(
        english.is_empty(),
        "English pages do not show it: {english:?}"
    );
}

#[test]
fn a_configuration_change_rebuilds_everything() {
    let (project, server) = started();
    let page = server.events("index.html");
    // The first run is a full build: it renders every output.
    let full = server.status()["last"]["rendered"].as_u64().unwrap();
    assert!(full >= 20, "{full}");
    project.edit(
        "briefing.toml",
        "base_url",
        "# edited while serving\nbase_url",
    );
    let event = page.build();
    assert_eq!(event["ok"], true, "{event}");
    let report = report_of(&server, &event);
    assert_eq!(report["rendered"].as_u64().unwrap(), full, "{report}");
}

#[test]
fn the_side_by_side_preview_shows_a_topic_in_both_languages() {
    let (_project, server) = started();
    let preview = server.get("__briefing/side-by-side/cyber");
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<iframe src=\"/fr/cyberdefense/\""));
    assert!(preview.body.contains("<iframe src=\"/en/cyber/\""));
    assert!(preview.body.contains("/__briefing/live.js"));
    assert_eq!(
        server.get("__briefing/side-by-side/no-such-topic").status,
        404
    );
    // A draft in one language only: the other column says what is missing.
    let draft = server.get("__briefing/side-by-side/draft-topic");
    assert!(draft.body.contains("content/draft-topic/index.en.md"));
}

#[test]
fn the_translation_status_page_links_outdated_topics_to_their_preview_and_follows_translated() {
    let (project, server) = started();
    let page = server.get("__briefing/translations/");
    assert_eq!(page.status, 200);
    // The fixture's English files record no digest: every translation is untranslated.
    // In the words of the source language (French).
    let outdated_cyber = "<td class=\"untranslated\" title=\"content/cyber/index.en.md\"><a href=\"/__briefing/side-by-side/cyber\">non traduite</a></td>";
    assert!(page.body.contains(outdated_cyber), "{}", page.body);
    assert!(page.body.contains("/__briefing/live.js"));
    assert_eq!(server.get("__briefing/translations").status, 308);
    assert!(
        server
            .stdout_once("Translations: http://")
            .contains("Translations: http://")
    );

    let events = server.events("__briefing/translations/index.html");
    let run = project.run(&["translated", "cyber"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(events.next_named("translations")["reload"], true);
    let page = server.get("__briefing/translations/");
    assert!(!page.body.contains(outdated_cyber));
    assert!(
        page.body
            .contains("<td class=\"ok\" title=\"content/cyber/index.en.md\">à jour</td>"),
        "{}",
        page.body
    );
}

#[test]
fn ctrl_c_stops_the_server_and_ends_the_event_streams() {
    let (_project, server) = started();
    let page = server.events("fr/index.html");
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
    assert!(page.ends());
}

#[test]
fn the_default_port_moves_to_the_next_free_one_and_says_so() {
    let project = Project::fixture("basic");
    // Hold port 1111, or find it held already: taken either way.
    let _holder = std::net::TcpListener::bind("127.0.0.1:1111");
    let server = Server::start_with(&project, &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert!(!server.url.contains(":1111/"), "{}", server.url);
    assert!(
        server.stdout().contains("Port 1111 is taken; using port"),
        "{}",
        server.stdout()
    );
}
