//! One rule set: every error fixture goes through `build` and `check`, and both report the
//! same errors at the same file:line:col (`check` adds only what is editorial: translation
//! status and the list of external links).

use std::collections::BTreeSet;

use crate::common::Project;
use serde_json::Value;

/// An error fixture: the basic project with one edit.
struct Case {
    name: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "unknown front-matter key",
        file: "content/cyber/index.fr.md",
        from: "date = 2024-05-14",
        to: "date = 2024-05-14\nsumary = \"x\"",
    },
    Case {
        name: "bad date",
        file: "content/cyber/index.en.md",
        from: "date = 2024-05-14",
        to: "date = 2024-13-14",
    },
    Case {
        name: "link to a missing topic",
        file: "content/cyber/index.en.md",
        from: "Every year since 2021.",
        to: "Every year since 2021.\n\nSee [this](@/missing).",
    },
    Case {
        name: "link to a missing anchor",
        file: "content/relations/index.en.md",
        from: "@/cyber#locked-shields",
        to: "@/cyber#locked-shield",
    },
    Case {
        name: "image that does not exist",
        file: "content/cyber/index.en.md",
        from: "Every year since 2021.",
        to: "Every year since 2021.\n\n![A map](no-such-map.svg)",
    },
    Case {
        name: "link from the root",
        file: "content/cyber/index.en.md",
        from: "Every year since 2021.",
        to: "Every year since 2021. See [the home](/en/).",
    },
    Case {
        name: "Fluent message referring to itself",
        file: "locales/en/main.ftl",
        from: "language-name = English",
        to: "language-name = English { language-name }",
    },
    Case {
        name: "two Fluent messages referring to each other",
        file: "locales/fr/main.ftl",
        from: "language-name = Français",
        to: "language-name = Français { cycle-other }\ncycle-other = { language-name }",
    },
    Case {
        name: "undefined template variable",
        file: "themes/briefing/templates/topic.html",
        from: "{% block main %}",
        to: "{% block main %}{{ no_such_variable.field }}",
    },
    Case {
        name: "unknown template function",
        file: "themes/briefing/templates/base.html",
        from: "<body",
        to: "{{ no_such_function() }}<body",
    },
    Case {
        name: "unknown configuration key",
        file: "briefing.toml",
        from: "languages",
        to: "language = \"fr\"\nlanguages",
    },
];

/// `error: <first line>` with the `-->` location that follows it, for each error.
fn build_errors(stderr: &str) -> BTreeSet<(String, String)> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut errors = BTreeSet::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        if message.starts_with("build failed with") {
            continue;
        }
        let location = lines
            .get(index + 1)
            .and_then(|next| next.trim_start().strip_prefix("--> "))
            .unwrap_or("")
            .to_string();
        errors.insert((message.to_string(), location));
    }
    errors
}

fn check_errors(stdout: &str) -> BTreeSet<(String, String)> {
    let findings: Vec<Value> = serde_json::from_str(stdout).expect("check prints JSON");
    findings
        .iter()
        .filter(|finding| finding["severity"] == "error")
        .filter(|finding| {
            let code = finding["code"].as_str().unwrap_or_default();
            !code.starts_with("translation-") && code != "link-external"
        })
        .map(|finding| {
            let path = finding["path"].as_str().unwrap_or_default();
            let location = match (finding["line"].as_u64(), finding["column"].as_u64()) {
                (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
                (Some(line), None) => format!("{path}:{line}"),
                _ => path.to_string(),
            };
            let message = finding["message"].as_str().unwrap_or_default();
            let first_line = message.lines().next().unwrap_or_default().to_string();
            (first_line, location)
        })
        .collect()
}

#[test]
fn build_and_check_report_the_same_errors_at_the_same_places() {
    for case in CASES {
        let project = Project::fixture("basic");
        project.edit(case.file, case.from, case.to);
        let build = project.run(&["build"]);
        assert_eq!(
            build.code,
            Some(1),
            "{}: build should fail\n{}",
            case.name,
            build.stdout
        );
        let check = project.run(&["check", "--format", "json"]);
        // An invalid briefing.toml stops check from checking anything else: exit 2.
        let could_not_run = case.file == "briefing.toml";
        let expected = Some(if could_not_run { 2 } else { 1 });
        assert_eq!(
            check.code, expected,
            "{}: check should fail\n{}",
            case.name, check.stdout
        );
        let built = build_errors(&build.stderr);
        let checked = check_errors(&check.stdout);
        assert!(
            !built.is_empty(),
            "{}: no error named\n{}",
            case.name,
            build.stderr
        );
        assert_eq!(
            built, checked,
            "{}: build (left) and check (right) disagree\n{}",
            case.name, build.stderr
        );
        assert!(
            !project.path("site").exists(),
            "{}: nothing published",
            case.name
        );
    }
}

#[test]
fn the_clean_fixture_builds_and_checks_without_errors() {
    let project = Project::fixture("basic");
    project.build(&[]);
    let check = project.run(&["check", "--format", "json"]);
    assert!(check_errors(&check.stdout).is_empty(), "{}", check.stdout);
}
