//! `briefing check` and `briefing translated`, through the real binary: a fixture per kind of
//! finding with the exact JSON findings and exit code, the human report, and the round trip
//! of a translator (source changed → outdated → `translated` → clean).

use crate::common::Project;
use serde_json::Value;

/// The keys of every JSON finding, always all present.
const FINDING_KEYS: [&str; 10] = [
    "changes", "code", "column", "help", "lang", "line", "message", "path", "severity", "topic",
];

/// Runs `check --format json`; returns the exit code and each finding on one line:
/// `severity code path:line:col [topic/lang] message (help: …)`.
fn check_json(project: &Project) -> (Option<i32>, Vec<String>) {
    let run = project.run(&["check", "--format", "json"]);
    let findings: Vec<Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}):\n{}\n{}", run.stdout, run.stderr));
    let lines = findings.iter().map(finding_line).collect();
    (run.code, lines)
}

fn finding_line(finding: &Value) -> String {
    let object = finding.as_object().expect("a finding is an object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, FINDING_KEYS, "{finding}");
    let text = |key: &str| finding[key].as_str().map(str::to_string);
    let mut location = text("path").expect("path");
    if let (Some(line), Some(column)) = (finding["line"].as_u64(), finding["column"].as_u64()) {
        location = format!("{location}:{line}:{column}");
    }
    let mut line = format!(
        "{} {} {location} [{}/{}] {}",
        text("severity").expect("severity"),
        text("code").expect("code"),
        text("topic").unwrap_or("-".into()),
        text("lang").unwrap_or("-".into()),
        text("message").expect("message"),
    );
    if let Some(help) = text("help") {
        line.push_str(&format!(" (help: {help})"));
    }
    line
}

fn problems(lines: &[String]) -> Vec<&String> {
    lines
        .iter()
        .filter(|line| !line.starts_with("info "))
        .collect()
}

#[test]
fn a_clean_project_exits_0_and_lists_its_external_links() {
    let project = Project::fixture("check-clean");
    let (code, findings) = check_json(&project);
    assert_eq!(
        findings,
        [
            "info link-external content/otan/index.en.md:10:7 [otan/en] source link https://www.nato.int/cps/en/natohq/topics_50098.htm",
            "info link-external content/otan/index.en.md:15:9 [otan/en] external link https://www.nato.int/",
            "info link-external content/otan/index.fr.md:9:7 [otan/fr] source link https://www.nato.int/cps/fr/natohq/topics_50098.htm",
            "info link-external content/otan/index.fr.md:14:7 [otan/fr] external link https://www.nato.int/",
        ]
    );
    assert_eq!(code, Some(0));
}

#[test]
fn missing_outdated_and_sourceless_translations_are_found_with_their_digest_line() {
    let project = Project::fixture("check-translations");
    let (code, findings) = check_json(&project);
    assert_eq!(
        findings,
        [
            "error translation-outdated content/_index.en.md:3:17 [_index/en] the \"en\" translation of the home page is outdated: content/_index.fr.md changed since (help: once it follows content/_index.fr.md, run `briefing translated _index --lang en`)",
            "error translation-no-source content/anglais-seul/index.en.md [anglais-seul/en] topic \"anglais-seul\" has no source-language (\"fr\") file",
            "error translation-held-back content/anglais-seul/index.en.md [anglais-seul/en] topic \"anglais-seul\" is not published, in \"en\" either: fr is missing (help: with [translations] publish = \"together\", every language goes out at once)",
            "warning translation-missing content/brouillon/index.en.md [brouillon/en] topic \"brouillon\" has no \"en\" translation",
            "error unknown-key content/casse/index.en.md:4:1 [casse/en] unknown front-matter key \"sumary\" (did you mean \"summary\"?)",
            "error translation-held-back content/casse/index.fr.md [casse/fr] topic \"casse\" is not published, in \"fr\" either: en is invalid (help: with [translations] publish = \"together\", every language goes out at once)",
            "error translation-missing content/non-traduit/index.en.md [non-traduit/en] topic \"non-traduit\" has no \"en\" translation",
            "error translation-held-back content/non-traduit/index.fr.md [non-traduit/fr] topic \"non-traduit\" is not published, in \"fr\" either: en is missing (help: with [translations] publish = \"together\", every language goes out at once)",
            "error translation-outdated content/perime/index.en.md:4:17 [perime/en] the \"en\" translation of topic \"perime\" is outdated: content/perime/index.fr.md changed since (help: once it follows content/perime/index.fr.md, run `briefing translated perime --lang en`)",
            "error translation-untranslated content/sans-empreinte/index.en.md:1:1 [sans-empreinte/en] the \"en\" file of topic \"sans-empreinte\" is not translated yet: it records no source_digest (help: once it follows content/sans-empreinte/index.fr.md, run `briefing translated sans-empreinte --lang en`)",
        ]
    );
    assert_eq!(code, Some(1));
}

#[test]
fn broken_topic_anchor_and_file_links_are_found_in_every_page_that_parsed() {
    let project = Project::fixture("check-links");
    let (code, findings) = check_json(&project);
    assert_eq!(
        findings,
        [
            "error link-file content/_index.fr.md:4:4 [_index/fr] link \"liens/schema.svg\": on the site it leads to fr/liens/schema.svg, but the file is published at fr/liens-utiles/schema.svg",
            "error link-file content/_index.fr.md:4:37 [_index/fr] link to content/glossary.toml, which is not published: only the files of topic folders are",
            "error toml-syntax content/casse/index.fr.md:3:8 [casse/fr] invalid TOML: invalid date, expected day between 01 and 29",
            "error link-broken content/liens/index.fr.md:8:3 [liens/fr] link to missing topic \"cibel\" (help: did you mean \"@/cible\"?)",
            "error link-broken content/liens/index.fr.md:9:3 [liens/fr] link to missing anchor \"#sectoin\" in topic \"cible\" (fr) (help: did you mean \"#section\"?)",
            "error link-broken content/liens/index.fr.md:10:3 [liens/fr] link to topic \"brouillon\", which is a draft in \"fr\" (help: drafts are built only by `serve` and `build --drafts`)",
            "error link-anchor content/liens/index.fr.md:15:3 [liens/fr] link to missing anchor \"#nulle-part\" in this page",
            "error link-anchor content/liens/index.fr.md:15:30 [liens/fr] link to missing anchor \"#vers-dautres-sujets\" in this page (help: did you mean \"#vers-d-autres-sujets\"?)",
            "error link-file content/liens/index.fr.md:19:3 [liens/fr] image to content/liens/image-absente.png, which does not exist",
            "error link-file content/liens/index.fr.md:19:34 [liens/fr] link to content/liens/schema.sgv, which does not exist (help: did you mean \"schema.svg\"?)",
            "error link-absolute content/liens/index.fr.md:20:3 [liens/fr] link \"/fr/la-cible/\" starts with / (help: the site must work from any sub-path: write the path relative to this file)",
            "error link-file content/liens/index.fr.md:20:28 [liens/fr] link to the Markdown file content/cible/index.fr.md (help: link to the topic with \"@/cible\")",
            "error link-file content/liens/index.fr.md:20:62 [liens/fr] link to briefing.toml, outside content/: only the files of topic folders are published",
            "error link-file content/liens/index.fr.md:21:3 [liens/fr] image \"../cible/plan.svg\": on the site it leads to fr/cible/plan.svg, but the file is published at fr/la-cible/plan.svg",
            "error link-file content/liens/index.fr.md:21:48 [liens/fr] link to content/la-cible/plan.svg, which does not exist",
            "info link-external content/liens/index.fr.md:22:3 [liens/fr] external link https://www.nato.int/",
            "info link-external content/liens/index.fr.md:22:46 [liens/fr] external link https://example.org/",
        ]
    );
    assert_eq!(code, Some(1));
}

#[test]
fn every_front_matter_and_glossary_problem_is_reported_at_once() {
    let project = Project::fixture("check-front-matter");
    let (code, findings) = check_json(&project);
    assert_eq!(
        findings,
        [
            "error page-unknown-language content/autre/index.de.md:1:1 [-/-] language \"de\" is not one of the site's languages (fr) (help: add it to `languages` in briefing.toml, or rename the file)",
            "error unknown-key content/cles/index.fr.md:2:1 [cles/fr] unknown front-matter key \"titel\" (did you mean \"title\"?)",
            "error unknown-key content/cles/index.fr.md:4:1 [cles/fr] unknown front-matter key \"weigth\" (did you mean \"weight\"?)",
            "error unknown-key content/cles/index.fr.md:8:1 [cles/fr] unknown source key \"titre\" (did you mean \"title\"?)",
            "error front-matter-value content/dates/index.fr.md:6:8 [dates/fr] 2024 has no month 13",
            "error front-matter-value content/dates/index.fr.md:11:7 [dates/fr] event ends (2024-05-13) before it starts (2024-05-14)",
            "error glossary-missing-language content/glossary.toml:4:1 [-/-] glossary entry has no \"fr\" form (help: add fr = { short = \"...\", expansion = \"...\" })",
            "error glossary-unknown-language content/glossary.toml:4:1 [-/-] glossary entry in language \"en\", which the site does not have",
            "error glossary-duplicate content/glossary.toml:7:1 [-/-] short form \"OTAN\" appears twice in language \"fr\"",
            "error link-broken content/liens/index.fr.md:5:37 [liens/fr] link to missing topic \"absent\"",
            "error front-matter-missing content/nu/index.fr.md:1:1 [nu/fr] a topic page starts with front matter between +++ lines (help: add +++, title = \"...\", date = 2024-01-31, +++ at the top)",
            "error front-matter-unclosed content/ouvert/index.fr.md:1:1 [ouvert/fr] front matter opened with +++ is never closed (help: end the front matter with a line holding only +++)",
            "error toml-syntax content/syntaxe/index.fr.md:2:28 [syntaxe/fr] invalid TOML: invalid basic string, expected `\"`",
            "error slug-collision content/un/index.fr.md:4:8 [un/fr] slug \"meme-adresse\" is also the address of content/deux/index.fr.md in \"fr\"",
        ]
    );
    assert_eq!(code, Some(1));
}

#[test]
fn locale_tables_are_checked_against_each_other_the_templates_and_the_code() {
    let project = Project::fixture("check-fluent");
    let (code, findings) = check_json(&project);
    assert_eq!(
        findings,
        [
            "error tag-without-name content/sujet/index.en.md:4:17 [sujet/en] tag \"sans-nom\" has no name in language \"en\" (help: add `tag-sans-nom = ...` to a file in locales/en/)",
            "error tag-without-name content/sujet/index.fr.md:4:17 [sujet/fr] tag \"sans-nom\" has no name in language \"fr\" (help: add `tag-sans-nom = ...` to a file in locales/fr/)",
            "warning fluent-variable-unused locales/en/main.ftl:10:1 [-/en] briefing passes $count to message \"tag-page-description\", which does not use it",
            "error fluent-variable-missing locales/en/main.ftl:20:1 [-/en] message \"date-full\" uses $weekday, but briefing passes it only $day, $month, $year",
            "error fluent-missing-translation locales/en/main.ftl:42:1 [-/en] attribute \"tag-link.title\" has no \"en\" translation",
            "error fluent-reference locales/en/main.ftl:44:1 [-/en] message \"glossary-heading\" refers to \"-brand\", which \"en\" does not define",
            "warning fluent-unused locales/en/main.ftl:46:1 [-/en] message \"tag-inutile\" is not used by the theme's templates or by briefing",
            "warning fluent-unused locales/fr/main.ftl:48:1 [-/fr] message \"tag-inutile\" is not used by the theme's templates or by briefing",
            "error fluent-missing-translation locales/fr/main.ftl:49:1 [-/en] message \"ancien-message\" has no \"en\" translation (help: add `ancien-message = …` to a file in locales/en/)",
            "warning fluent-unused locales/fr/main.ftl:49:1 [-/fr] message \"ancien-message\" is not used by the theme's templates or by briefing",
            "error fluent-syntax locales/fr/main.ftl:50:12 [-/fr] Fluent syntax error: Expected one of \"a-zA-Z\"",
            "warning fluent-variable-unused themes/check/templates/home.html:1:8 [-/en] t() passes $count, which message \"home-heading\" does not use in \"en\"",
            "error fluent-undefined themes/check/templates/tags.html:1:8 [-/-] no language defines message \"tags-heading\"",
            "error fluent-variable-missing themes/check/templates/topic.html:1:7 [-/en] message \"reading-time\" uses $words in \"en\", which this t() call does not pass",
            "warning fluent-variable-unused themes/check/templates/topic.html:1:7 [-/en] t() passes $minutes, which message \"reading-time\" does not use in \"en\"",
        ]
    );
    assert_eq!(code, Some(1));
}

#[test]
fn a_translator_round_trip_changes_only_the_digest_line() {
    let project = Project::fixture("check-clean");
    project.edit(
        "content/otan/index.fr.md",
        "Le dialogue a commencé en 2005",
        "Le dialogue a commencé dès 2005",
    );
    let (code, findings) = check_json(&project);
    assert_eq!(
        problems(&findings),
        [
            "error translation-outdated content/otan/index.en.md:5:17 [otan/en] the \"en\" translation of topic \"otan\" is outdated: content/otan/index.fr.md changed since (help: once it follows content/otan/index.fr.md, run `briefing translated otan --lang en`)"
        ]
    );
    assert_eq!(code, Some(1));

    let before = project.read("content/otan/index.en.md");
    let run = project.run(&["translated", "otan"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Recorded the current source digest in content/otan/index.en.md\n"
    );
    let (code, findings) = check_json(&project);
    assert!(problems(&findings).is_empty(), "{findings:#?}");
    assert_eq!(code, Some(0));

    let after = project.read("content/otan/index.en.md");
    let digest = briefing::translation::source_digest(&project.read("content/otan/index.fr.md"));
    let changed: Vec<(usize, &str, &str)> = before
        .split_inclusive('\n')
        .zip(after.split_inclusive('\n'))
        .enumerate()
        .filter(|(_, (old, new))| old != new)
        .map(|(index, (old, new))| (index + 1, old, new))
        .collect();
    assert_eq!(before.len(), after.len());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].0, 5);
    assert_eq!(changed[0].2, format!("source_digest = \"{digest}\"\n"));

    let again = project.run(&["translated", "otan", "--lang", "en"]);
    assert!(again.success, "{}", again.stderr);
    assert_eq!(
        again.stdout,
        "content/otan/index.en.md already records the current source digest\n"
    );
    assert_eq!(project.read("content/otan/index.en.md"), after);
}

#[test]
fn translated_adds_a_missing_digest_after_the_top_level_keys_keeping_crlf() {
    let project = Project::fixture("check-translations");
    let path = "content/sans-empreinte/index.en.md";
    let crlf = project.read(path).replace('\n', "\r\n");
    project.write(path, &crlf);
    let run = project.run(&["translated", "sans-empreinte", "--lang", "en"]);
    assert!(run.success, "{}", run.stderr);
    let digest =
        briefing::translation::source_digest(&project.read("content/sans-empreinte/index.fr.md"));
    assert_eq!(
        project.read(path),
        format!(
            "+++\r\ntitle = \"No digest\"\r\ndate = 2024-05-14\r\nsource_digest = \"{digest}\"\r\n+++\r\nText.\r\n"
        )
    );
    let (_, findings) = check_json(&project);
    assert!(
        !findings.iter().any(|f| f.contains("sans-empreinte")),
        "{findings:#?}"
    );
}

#[test]
fn translated_records_the_home_page_texts_under_index() {
    let project = Project::fixture("check-translations");
    let run = project.run(&["translated", "_index"]);
    assert!(run.success, "{}", run.stderr);
    let digest = briefing::translation::source_digest(&project.read("content/_index.fr.md"));
    assert_eq!(
        project.read("content/_index.en.md"),
        format!("+++\ntitle = \"Home\"\nsource_digest = \"{digest}\"\n+++\nWelcome.\n")
    );
}

#[test]
fn translated_refuses_what_it_cannot_record_and_leaves_files_alone() {
    let project = Project::fixture("check-translations");
    let broken = project.read("content/casse/index.en.md");
    let cases: [(&[&str], &str); 5] = [
        (
            &["translated", "perim"],
            "content/perim/index.fr.md does not exist",
        ),
        (
            &["translated", "perime", "--lang", "fr"],
            "\"fr\" is the source language: its files are not translations",
        ),
        (
            &["translated", "perime", "--lang", "de"],
            "\"de\" is not one of the site's languages (fr, en)",
        ),
        (
            &["translated", "non-traduit"],
            "topic \"non-traduit\" has no translation yet",
        ),
        (
            &["translated", "casse"],
            "unknown front-matter key \"sumary\" (did you mean \"summary\"?)",
        ),
    ];
    for (args, expected) in cases {
        let run = project.run(args);
        assert_eq!(run.code, Some(1), "{args:?}");
        assert!(run.stderr.contains(expected), "{args:?}:\n{}", run.stderr);
    }
    let run = project.run(&["translated", "perim"]);
    assert!(
        run.stderr.contains("help: did you mean \"perime\"?"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read("content/casse/index.en.md"), broken);
}

#[test]
fn warnings_alone_exit_0() {
    let project = Project::fixture("check-clean");
    project.write(
        "content/brouillon/index.fr.md",
        "+++\ntitle = \"Brouillon\"\ndate = 2024-05-14\ndraft = true\n+++\nTexte.\n",
    );
    let (code, findings) = check_json(&project);
    assert_eq!(
        problems(&findings),
        [
            "warning translation-missing content/brouillon/index.en.md [brouillon/en] topic \"brouillon\" has no \"en\" translation"
        ]
    );
    assert_eq!(code, Some(0));
}

#[test]
fn a_computed_message_key_is_reported_instead_of_unused_messages() {
    let project = Project::fixture("check-fluent");
    project.write(
        "themes/check/templates/timeline.html",
        "<h1>{{ t(key=\"timeline-\" ~ \"heading\") }}</h1>\n",
    );
    let (_, findings) = check_json(&project);
    assert!(
        findings.contains(&"warning fluent-computed-key themes/check/templates/timeline.html:1:8 [-/-] t() is called with a computed key: check cannot tell which messages are unused".to_string()),
        "{findings:#?}"
    );
    assert!(
        !findings.iter().any(|f| f.contains("fluent-unused")),
        "{findings:#?}"
    );
}

#[test]
fn the_human_report_groups_by_file_ends_with_the_table_and_has_no_colour_when_piped() {
    let project = Project::fixture("check-translations");
    let run = project.run(&["check"]);
    assert_eq!(run.code, Some(1));
    let out = &run.stdout;
    assert!(
        !out.contains('\u{1b}'),
        "escape codes in piped output:\n{out}"
    );
    assert!(
        out.contains(
            "content/perime/index.en.md: 1 error\n\nerror: the \"en\" translation of topic \"perime\" is outdated"
        ),
        "{out}"
    );
    assert!(
        out.contains(" --> content/perime/index.en.md:4:17"),
        "{out}"
    );
    let table = out
        .split("Translations (source language: fr)\n")
        .nth(1)
        .expect("the table");
    assert_eq!(
        table,
        "  topic           fr          en\n\
         \x20 _index          source      outdated\n\
         \x20 a-jour          source      ok\n\
         \x20 anglais-seul    missing     no source\n\
         \x20 brouillon       source*     missing*\n\
         \x20 casse           source      invalid\n\
         \x20 non-traduit     source      missing\n\
         \x20 perime          source      outdated\n\
         \x20 sans-empreinte  source      untranslated\n\
         \x20 * draft\n\
         \x20 7 topics and the home page\n\
         \x20 en: 1 ok, 2 outdated, 1 untranslated, 2 missing, 1 invalid, 1 no source\n\
         \ncheck: 9 errors, 1 warning\n"
    );
}

#[test]
fn a_clean_human_report_says_so_and_no_site_is_written() {
    let project = Project::fixture("check-clean");
    let run = project.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "External links (4, not fetched)\n  content/otan/index.en.md:10:7  source link https://www.nato.int/cps/en/natohq/topics_50098.htm\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("\ncheck: no problems found\n"),
        "{}",
        run.stdout
    );
    assert!(!project.path("site").exists());
}

#[test]
fn check_exits_2_without_a_readable_project() {
    let empty = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["check"])
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("cannot read briefing.toml"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let project = Project::fixture("check-clean");
    project.edit(
        "briefing.toml",
        "languages",
        "langauges = [\"fr\"]\nlanguages",
    );
    let (code, findings) = check_json(&project);
    assert_eq!(
        findings,
        [
            "error unknown-key briefing.toml:2:1 [-/-] unknown configuration key \"langauges\" (did you mean \"languages\"?)"
        ]
    );
    assert_eq!(code, Some(2));
}

#[test]
fn the_status_for_the_dev_server_is_the_one_check_reports() {
    use briefing::check::translations::TranslationState;
    use briefing::{BuildOptions, Pipeline};
    let project = Project::fixture("check-translations");
    let options = BuildOptions {
        drafts: true,
        ..BuildOptions::default()
    };
    let mut pipeline = Pipeline::new(project.root(), options);
    let mut memo = briefing::check::translations::SourceDigestMemo::default();
    assert!(briefing::check::pipeline_status(&pipeline, &mut memo).is_none());
    assert!(pipeline.run_full().is_err(), "the fixture has errors");
    let status =
        briefing::check::pipeline_status(&pipeline, &mut memo).expect("a status after a run");
    let report = briefing::check::check(project.root()).unwrap();
    assert_eq!(status, report.status);

    let perime = status.topics.iter().find(|t| t.topic == "perime").unwrap();
    assert_eq!(perime.title.as_deref(), Some("Périmé"));
    let english = &perime.languages[1];
    assert_eq!(english.state, TranslationState::Outdated);
    assert_eq!(
        english.current.as_deref(),
        Some(
            briefing::translation::source_digest(&project.read("content/perime/index.fr.md"))
                .as_str()
        )
    );
    assert_ne!(
        english.recorded.as_ref().map(|r| &r.digest),
        english.current.as_ref()
    );
    assert_eq!(status.count("en", TranslationState::Outdated), 2);
    assert_eq!(status.count("en", TranslationState::Untranslated), 1);

    // The dev server keeps its memo of digests across runs: an edited source is hashed anew.
    let state_of = |status: &briefing::check::translations::TranslationStatus, topic: &str| {
        let row = status.topics.iter().find(|t| t.topic == topic).unwrap();
        row.languages[1].state
    };
    assert_eq!(state_of(&status, "a-jour"), TranslationState::Current);
    let french = project.read("content/a-jour/index.fr.md");
    project.write(
        "content/a-jour/index.fr.md",
        &format!("{french}\nUne phrase de plus.\n"),
    );
    let changed = [std::path::PathBuf::from("content/a-jour/index.fr.md")];
    let _ = pipeline.run(Some(&changed));
    let after = briefing::check::pipeline_status(&pipeline, &mut memo).unwrap();
    assert_eq!(state_of(&after, "a-jour"), TranslationState::Outdated);
    assert_eq!(after.count("en", TranslationState::Outdated), 3);
}

#[test]
fn a_missing_url_segment_is_reported_once_at_its_other_definition() {
    let project = Project::fixture("check-fluent");
    project.edit("locales/en/main.ftl", "url-search = search\n", "");
    let (_, findings) = check_json(&project);
    let about_search: Vec<&String> = findings
        .iter()
        .filter(|f| f.contains("url-search"))
        .collect();
    assert_eq!(
        about_search,
        [
            "error fluent-missing-translation locales/fr/main.ftl:18:1 [-/en] message \"url-search\" has no \"en\" translation (help: add `url-search = …` to a file in locales/en/)"
        ]
    );
}
