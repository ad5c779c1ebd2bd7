//! `briefing serve`'s trust boundary, through real HTTP requests to the real binary on a copy
//! of the `basic` fixture: only requests naming the server's own host are answered, and only
//! files whose real path is inside the project are served.

use crate::common::Project;
use crate::common::server::Server;

/// Every way a page could reach the server: a site page, the dev pages, the event stream.
const TARGETS: [&str; 5] = [
    "/fr/",
    "/__briefing/status",
    "/__briefing/translations/",
    "/__briefing/live.js",
    "/__briefing/events?path=fr/index.html",
];

fn host(name: &str) -> Vec<String> {
    vec![format!("Host: {name}")]
}

#[test]
fn requests_for_another_host_are_refused_everywhere() {
    let project = Project::fixture("basic");
    let server = Server::start(&project);
    let long = format!("{}.example", "a".repeat(10_000));
    let refused: [(&str, Vec<String>); 5] = [
        ("evil.example", host("evil.example")),
        (
            "evil.example with the port",
            host(&format!("evil.example:{}", server.port())),
        ),
        ("no Host", Vec::new()),
        ("a 10 KB Host", host(&long)),
        ("localhost on another port", host("localhost:1")),
    ];
    for target in TARGETS {
        for (what, headers) in &refused {
            let (status, body) = server.get_with_headers(target, headers);
            assert_eq!(status, 403, "{what}, {target}");
            assert!(!body.contains("<html"), "{what}, {target}: {body}");
        }
    }
    // An absolute-form target names its host itself.
    let (status, _) = server.get_with_headers("http://evil.example/fr/", &host(&server.address()));
    assert_eq!(status, 403);
}

#[test]
fn requests_for_its_own_address_are_answered() {
    let project = Project::fixture("basic");
    let server = Server::start(&project);
    let port = server.port();
    for name in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("LocalHost:{port}"),
    ] {
        let (status, body) = server.get_with_headers("/fr/", &host(&name));
        assert_eq!(status, 200, "{name}");
        assert!(body.contains("<html"), "{name}");
        let (status, _) = server.get_with_headers("/__briefing/status", &host(&name));
        assert_eq!(status, 200, "{name}");
    }
}

#[test]
fn an_allowed_host_is_answered_with_any_port_and_others_still_refused() {
    let project = Project::fixture("basic");
    let server = Server::start_with(
        &project,
        &[
            "--port",
            "0",
            "--allowed-host",
            "preview.example.org",
            "--allowed-host",
            "proxy.internal",
        ],
    );
    for name in [
        "preview.example.org",
        "preview.example.org:443",
        "proxy.internal",
    ] {
        let (status, _) = server.get_with_headers("/fr/", &host(name));
        assert_eq!(status, 200, "{name}");
    }
    let (status, _) = server.get_with_headers("/fr/", &host("evil.example"));
    assert_eq!(status, 403);
}

#[test]
fn an_allowed_host_that_is_not_a_name_is_refused_at_start() {
    let project = Project::fixture("basic");
    let run = project.run(&["serve", "--port", "0", "--allowed-host", "http://x/"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("is not a host name"), "{}", run.stderr);
}

/// A symbolic link named `relative` in the project, pointing at `target`.
#[cfg(unix)]
fn link(project: &Project, target: &std::path::Path, relative: &str) {
    std::os::unix::fs::symlink(target, project.path(relative)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_symlink_to_etc_passwd_created_while_serving_is_not_served_and_is_named() {
    let project = Project::fixture("basic");
    let server = Server::start(&project);
    let page = server.events("fr/relations-coree/index.html");
    link(
        &project,
        std::path::Path::new("/etc/passwd"),
        "content/relations/passwd.txt",
    );
    let event = page.build();
    assert_eq!(event["ok"], true, "{event}");
    let warning = &event["diagnostics"][0];
    assert_eq!(warning["severity"], "warning", "{event}");
    assert_eq!(warning["location"], "content/relations/passwd.txt");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("is a symbolic link"),
        "{event}"
    );
    for address in [
        "fr/relations-coree/passwd.txt",
        "en/relations-korea/passwd.txt",
    ] {
        let served = server.get(address);
        assert_eq!(served.status, 404, "{address}");
        assert!(!served.body.contains("root:"), "{address}");
    }
    assert!(
        server
            .stderr()
            .contains("content/relations/passwd.txt is a symbolic link"),
        "{}",
        server.stderr()
    );
    // A regular file added the same way is served: the watcher saw the folder.
    project.write("content/relations/note.txt", "a note");
    page.build();
    assert_eq!(server.get("fr/relations-coree/note.txt").body, "a note");
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_created_while_serving_is_not_served() {
    let project = Project::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let server = Server::start(&project);
    let page = server.events("fr/relations-coree/index.html");
    link(&project, outside.path(), "content/relations/elsewhere");
    let event = page.build();
    assert_eq!(event["ok"], true, "{event}");
    let warning = &event["diagnostics"][0];
    assert_eq!(
        warning["location"], "content/relations/elsewhere",
        "{event}"
    );
    assert_eq!(warning["severity"], "warning", "{event}");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("is a symbolic link")
    );
    // Written through the link after the folder was seen.
    std::fs::write(outside.path().join("later.txt"), "later").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    for name in ["secret.txt", "later.txt"] {
        let served = server.get(&format!("fr/relations-coree/elsewhere/{name}"));
        assert_eq!(served.status, 404, "{name}");
    }
}

#[cfg(unix)]
#[test]
fn build_and_check_name_symlinks_and_leave_them_out_alike() {
    let project = Project::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    link(
        &project,
        &outside.path().join("secret.txt"),
        "content/relations/secret.txt",
    );
    // A link that stays inside the project is left out too: one rule, wherever it points.
    link(
        &project,
        &project.path("content/relations/carte.svg"),
        "content/relations/carte-bis.svg",
    );
    let run = project.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    for name in ["secret.txt", "carte-bis.svg"] {
        assert!(
            run.stderr.contains(&format!(
                "warning: content/relations/{name} is a symbolic link: it is left out of the site"
            )),
            "{}",
            run.stderr
        );
        assert!(
            !project
                .path(&format!("site/fr/relations-coree/{name}"))
                .exists()
        );
    }
    assert!(project.path("site/fr/relations-coree/carte.svg").exists());

    let check = project.run(&["check", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let symlinks: Vec<&serde_json::Value> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["code"] == "symlink-skipped")
        .collect();
    assert_eq!(symlinks.len(), 2, "{findings}");
    assert!(
        symlinks
            .iter()
            .all(|finding| finding["severity"] == "warning")
    );
}

#[cfg(unix)]
#[test]
fn the_warning_about_a_link_goes_with_its_folder() {
    let project = Project::fixture("basic");
    std::fs::create_dir(project.path("content/relations/extra")).unwrap();
    link(
        &project,
        std::path::Path::new("/etc/passwd"),
        "content/relations/extra/passwd.txt",
    );
    let server = Server::start(&project);
    assert!(
        server
            .stderr()
            .contains("content/relations/extra/passwd.txt is a symbolic link"),
        "{}",
        server.stderr()
    );
    let page = server.events("fr/relations-coree/index.html");
    std::fs::remove_dir_all(project.path("content/relations/extra")).unwrap();
    let event = page.build();
    assert_eq!(event["ok"], true, "{event}");
    assert_eq!(event["diagnostics"], serde_json::json!([]), "{event}");
}
