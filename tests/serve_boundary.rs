//! `briefing serve`'s trust boundary, through real HTTP requests to the real binary on a copy
//! of the `basic` fixture: only requests naming the server's own host are answered, and only
//! files whose real path is inside the project are served.

mod common;

use common::Project;
use common::server::Server;

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
