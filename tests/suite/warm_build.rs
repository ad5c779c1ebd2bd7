//! `briefing build` into a folder it wrote before starts from the record it left there
//! (`.briefing-record`): after every kind of edit, the warm build's folder is byte for byte
//! the folder a cold build makes, and it renders only the outputs whose inputs changed.

use std::collections::BTreeMap;
use std::fs;
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{Project, SiteDir};

/// Every file under `root` (relative path → bytes). The record's lines of source and folder
/// stamps are left out: they are the metadata each source had when a build read it, and
/// whether a source had settled then (see `source::Stamp`) depends on when the build ran, not
/// on what it was made from.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let site = SiteDir {
        root: root.to_path_buf(),
    };
    site.files()
        .into_iter()
        .map(|file| {
            let bytes = fs::read(root.join(&file)).unwrap();
            if file == ".briefing-record" {
                let text = String::from_utf8(bytes).unwrap();
                let kept: Vec<&str> = text
                    .lines()
                    .filter(|l| !l.starts_with("m ") && !l.starts_with("d "))
                    .collect();
                return (file, kept.join("\n").into_bytes());
            }
            (file, bytes)
        })
        .collect()
}

/// Builds warm into `site` and cold into a new `cold` folder, and insists they are equal.
fn warm_equals_cold(project: &Project, edit: &str) {
    project.build(&[]);
    site_equals_cold(project, edit);
}

/// Builds cold into a new `cold` folder, and insists that `site` is equal to it.
fn site_equals_cold(project: &Project, edit: &str) {
    let cold = project.path("cold");
    if cold.exists() {
        fs::remove_dir_all(&cold).unwrap();
    }
    project.build(&["--out", "cold", "--fresh"]);
    let warm = tree(&project.path("site"));
    let cold = tree(&cold);
    let warm_files: Vec<&String> = warm.keys().collect();
    let cold_files: Vec<&String> = cold.keys().collect();
    assert_eq!(warm_files, cold_files, "after {edit}: the same files");
    for (file, bytes) in &warm {
        assert!(
            bytes == &cold[file],
            "after {edit}: {file} differs from a cold build's"
        );
    }
    assert!(warm.contains_key(".briefing-record"), "after {edit}");
}

/// What a build into `site` says it took from its last run: "reusing N of M outputs".
fn reused(project: &Project, args: &[&str]) -> Option<String> {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = project.run(&all);
    assert!(run.success, "{}", run.stderr);
    let (_, after) = run.stdout.split_once(", reusing ")?;
    // The line ends with the count of warnings.
    let reuse = after.lines().next()?.split(", ").next()?;
    Some(reuse.to_string())
}

/// One change to the project.
type Edit<'a> = Box<dyn Fn() + 'a>;

#[test]
fn after_every_kind_of_edit_a_warm_build_equals_a_cold_one() {
    let project = Project::fixture("basic");
    project.build(&[]);
    let cyber = "content/cyber/index.fr.md";
    let edits: Vec<(&str, Edit)> = vec![
        ("nothing", Box::new(|| {})),
        (
            "a body",
            Box::new(|| project.edit(cyber, "Depuis 2021", "Depuis le printemps 2021")),
        ),
        (
            "a title",
            Box::new(|| project.edit(cyber, "\"Cyberdéfense\"", "\"Cyberdéfense commune\"")),
        ),
        (
            "a tag",
            Box::new(|| {
                project.edit(
                    cyber,
                    "[\"cyber-defence\"]",
                    "[\"cyber-defence\", \"dialogue\"]",
                )
            }),
        ),
        (
            "a template",
            Box::new(|| {
                let topic = "themes/briefing/templates/topic.html";
                project.edit(
                    topic,
                    "{% endblock main %}",
                    "<!-- edited -->{% endblock main %}",
                );
            }),
        ),
        (
            "a locale table",
            Box::new(|| {
                let table = "locales/fr/tags.ftl";
                let text = project.read(table);
                project.write(
                    table,
                    &text.replace("Dialogue politique", "Dialogue stratégique"),
                );
            }),
        ),
        (
            "briefing.toml",
            Box::new(|| {
                project.edit(
                    "briefing.toml",
                    "example.org/briefing/",
                    "example.net/note/",
                )
            }),
        ),
        (
            "the glossary",
            Box::new(|| {
                project.edit(
                    "content/glossary.toml",
                    "Organisation du Traité de l’Atlantique Nord",
                    "Organisation du traité de l’Atlantique Nord",
                )
            }),
        ),
        (
            "an asset",
            Box::new(|| {
                let map = "content/relations/carte.svg";
                let text = project.read(map);
                project.write(map, &text.replace("</svg>", "<!-- v2 --></svg>"));
            }),
        ),
        (
            "a topic added",
            Box::new(|| {
                project.write(
                    "content/nouveau/index.fr.md",
                    "+++\ntitle = \"Nouveau sujet\"\ndate = 2025-01-02\nsummary = \"Neuf.\"\ntags = [\"dialogue\"]\n+++\nUn texte neuf.\n",
                );
            }),
        ),
        (
            "a topic renamed",
            Box::new(|| {
                fs::rename(
                    project.path("content/markup"),
                    project.path("content/balisage"),
                )
                .unwrap();
            }),
        ),
        (
            "a topic removed",
            Box::new(|| fs::remove_dir_all(project.path("content/balisage")).unwrap()),
        ),
    ];
    for (what, edit) in &edits {
        edit();
        warm_equals_cold(&project, what);
    }
}

#[test]
fn a_warm_build_renders_only_the_outputs_whose_inputs_changed() {
    let project = Project::fixture("basic");
    project.build(&[]);
    let outputs = 25;
    project.edit(
        "content/cyber/index.fr.md",
        "Depuis 2021",
        "Depuis le printemps 2021",
    );
    // The topic's page and the feed carrying its body; no list shows the body.
    let all_but_two = format!("{} of {outputs} outputs of the last build", outputs - 2);
    assert_eq!(reused(&project, &[]), Some(all_but_two));
}

#[test]
fn a_warm_build_updates_the_folder_where_it_is_and_fresh_stages_it_anew() {
    use std::os::unix::fs::MetadataExt;
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    let folder = |project: &Project| fs::metadata(project.path("site")).unwrap().ino();
    let before = folder(&project);
    let home = fs::metadata(site.file("fr/index.html")).unwrap();
    project.edit(
        "content/cyber/index.fr.md",
        "Depuis 2021",
        "Depuis le printemps 2021",
    );
    let line = summary(&project, &[]);
    // The topic's page, the feed, and the French search index's list, its shard of
    // documents and its shard of terms.
    assert!(line.contains("; 38 files, 5 written)"), "{line}");
    assert_eq!(
        folder(&project),
        before,
        "the same folder, updated in place"
    );
    let home_after = fs::metadata(site.file("fr/index.html")).unwrap();
    assert_eq!(
        (home.ino(), home.mtime_nsec()),
        (home_after.ino(), home_after.mtime_nsec())
    );
    assert!(
        site.read("fr/cyberdefense/index.html")
            .contains("Depuis le printemps 2021")
    );
    let beside: Vec<String> = fs::read_dir(project.root())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".site."))
        .collect();
    assert!(beside.is_empty(), "no staging folder beside it: {beside:?}");
    project.build(&["--fresh"]);
    assert_ne!(
        folder(&project),
        before,
        "--fresh stages a whole new folder"
    );
}

#[test]
fn fresh_and_a_damaged_record_render_everything_again() {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    assert_eq!(reused(&project, &["--fresh"]), None);
    // An output changed by hand is not taken from the folder: it is rendered again.
    let home = site.read("fr/index.html");
    fs::write(
        site.file("fr/index.html"),
        home.replace("<h1", "<h1 data-x"),
    )
    .unwrap();
    assert_eq!(
        reused(&project, &[]),
        Some("24 of 25 outputs of the last build".into())
    );
    assert_eq!(site.read("fr/index.html"), home);
    fs::write(
        project.path("site/.briefing-record"),
        "briefing-output-record 0\n",
    )
    .unwrap();
    assert_eq!(reused(&project, &[]), None);
}

/// The summary line of a build into `site`.
fn summary(project: &Project, args: &[&str]) -> String {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = project.run(&all);
    assert!(run.success, "{}", run.stderr);
    run.stdout
        .lines()
        .find(|line| line.starts_with("Built "))
        .unwrap_or_else(|| panic!("no summary in {}", run.stdout))
        .to_string()
}

const NOTHING_CHANGED: &str = "nothing changed since the last build";

#[test]
fn with_nothing_changed_a_build_leaves_the_folder_as_it_is() {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    let before = site.snapshot();
    let line = summary(&project, &[]);
    assert!(line.contains(NOTHING_CHANGED), "{line}");
    assert!(line.contains(" 0 written"), "{line}");
    assert_eq!(
        site.snapshot(),
        before,
        "not a file rewritten, not a time changed"
    );

    // A source saved again with the same bytes is no change either.
    let topic = project.read("content/cyber/index.fr.md");
    project.write("content/cyber/index.fr.md", &topic);
    assert!(summary(&project, &[]).contains(NOTHING_CHANGED));

    // An option is an input: another address makes other pages.
    let other = summary(&project, &["--base-url", "https://example.com/"]);
    assert!(!other.contains(NOTHING_CHANGED), "{other}");
    assert!(summary(&project, &["--base-url", "https://example.com/"]).contains(NOTHING_CHANGED));
}

#[test]
fn a_folder_changed_by_hand_is_made_again_as_a_cold_build_makes_it() {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    let cold = tree(&project.path("site"));
    let changes: Vec<(&str, Edit)> = vec![
        (
            "a file added",
            Box::new(|| fs::write(site.file("fr/extra.html"), "<p>extra</p>").unwrap()),
        ),
        (
            "a folder added",
            Box::new(|| fs::create_dir(site.file("fr/empty")).unwrap()),
        ),
        (
            "a file removed",
            Box::new(|| fs::remove_file(site.file("sitemap.xml")).unwrap()),
        ),
        (
            "a file's bytes",
            Box::new(|| fs::write(site.file("robots.txt"), "User-agent: *\n").unwrap()),
        ),
        (
            "a file's bytes, its size kept",
            Box::new(|| {
                let home = site.read("fr/index.html");
                fs::write(site.file("fr/index.html"), home.replacen("<h1", "<h6", 1)).unwrap()
            }),
        ),
        (
            "a search script's bytes, its size kept",
            Box::new(|| {
                let entry = site.read("fr/recherche/search-index.js");
                let changed = entry.replacen("window.", "WINDOW.", 1);
                fs::write(site.file("fr/recherche/search-index.js"), changed).unwrap()
            }),
        ),
    ];
    for (what, change) in &changes {
        change();
        let line = summary(&project, &[]);
        assert!(!line.contains(NOTHING_CHANGED), "after {what}: {line}");
        assert!(tree(&project.path("site")) == cold, "after {what}");
        assert!(
            summary(&project, &[]).contains(NOTHING_CHANGED),
            "after {what}"
        );
    }
}

#[test]
fn a_build_that_packs_an_archive_makes_it_even_with_nothing_changed() {
    let project = Project::fixture("basic");
    project.build(&["--offline"]);
    assert!(summary(&project, &["--offline"]).contains(NOTHING_CHANGED));
    let line = summary(&project, &["--archive", "briefing.zip"]);
    assert!(!line.contains(NOTHING_CHANGED), "{line}");
    assert!(project.path("briefing.zip").is_file());
}

/// `briefing build -v` into `site`: (summary line, the stage timings it printed).
/// Longer than a stamp takes to settle (100 ms): what was written before is then stamped by
/// the next build, and known from its stamp by the one after.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(250));
}

#[test]
fn a_folder_known_from_its_stamp_still_shows_every_file_added_renamed_or_removed_in_it() {
    let project = Project::fixture("basic");
    settle();
    project.build(&[]);
    let record = fs::read_to_string(project.path("site/.briefing-record")).unwrap();
    let stamped = |folder: &str| {
        record.lines().any(|line| {
            line.starts_with("d ") && !line.starts_with("d - ") && line.ends_with(folder)
        })
    };
    assert!(
        stamped(" content") && stamped(" content/relations"),
        "{record}"
    );
    let edits: Vec<(&str, Edit)> = vec![
        (
            "a topic added",
            Box::new(|| {
                project.write(
                    "content/nouveau/index.fr.md",
                    "+++\ntitle = \"Nouveau sujet\"\ndate = 2025-01-02\nsummary = \"Neuf.\"\ntags = [\"dialogue\"]\n+++\nUn texte neuf.\n",
                );
            }),
        ),
        (
            "an asset added in a folder of a topic",
            Box::new(|| project.write("content/cyber/figures/schema.svg", "<svg/>")),
        ),
        (
            "a second asset beside it",
            Box::new(|| project.write("content/cyber/figures/plan.svg", "<svg/>")),
        ),
        (
            "a topic renamed",
            Box::new(|| {
                fs::rename(
                    project.path("content/markup"),
                    project.path("content/balisage"),
                )
                .unwrap()
            }),
        ),
        (
            "an asset's folder removed",
            Box::new(|| fs::remove_dir_all(project.path("content/cyber/figures")).unwrap()),
        ),
        (
            "a template added",
            Box::new(|| project.write("themes/briefing/templates/extra.html", "<p>extra</p>")),
        ),
        (
            "a topic removed",
            Box::new(|| fs::remove_dir_all(project.path("content/balisage")).unwrap()),
        ),
    ];
    for (what, edit) in &edits {
        settle();
        edit();
        warm_equals_cold(&project, what);
    }
}

fn verbose_build(project: &Project) -> (String, String) {
    let run = project.run(&["build", "-v"]);
    assert!(run.success, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|line| line.starts_with("Built "))
        .unwrap_or_else(|| panic!("no summary in {}", run.stdout))
        .to_string();
    (line, run.stderr)
}

#[test]
fn settled_sources_are_known_unchanged_from_their_metadata_and_an_edit_is_seen_through_it() {
    let project = Project::fixture("basic");
    // Stamps are kept only for files that had settled before they were read (100 ms).
    std::thread::sleep(std::time::Duration::from_millis(300));
    project.build(&[]);
    let (line, stages) = verbose_build(&project);
    assert!(line.contains(NOTHING_CHANGED), "{line}");
    assert!(
        stages.contains("sources unchanged"),
        "not one read: {stages}"
    );
    assert!(!stages.contains("load"), "{stages}");

    // The same size and the modification time put back, as `touch -r` or `rsync -t` would:
    // the change time still tells.
    let cyber = project.path("content/cyber/index.fr.md");
    let modified = fs::metadata(&cyber).unwrap().modified().unwrap();
    project.edit("content/cyber/index.fr.md", "Depuis 2021", "Depuis 2022");
    fs::File::options()
        .write(true)
        .open(&cyber)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_eq!(fs::metadata(&cyber).unwrap().modified().unwrap(), modified);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (line, _) = verbose_build(&project);
    assert!(!line.contains(NOTHING_CHANGED), "{line}");
    let site = SiteDir {
        root: project.path("site"),
    };
    assert!(
        site.read("fr/cyberdefense/index.html")
            .contains("Depuis 2022")
    );

    // Saved again with the same bytes: another stamp than the one recorded (the rebuild
    // found the file settled), so read, and found the same.
    let record = fs::read_to_string(project.path("site/.briefing-record")).unwrap();
    assert!(record.contains(" content/cyber/index.fr.md\n"), "stamped");
    let text = project.read("content/cyber/index.fr.md");
    project.write("content/cyber/index.fr.md", &text);
    let (line, stages) = verbose_build(&project);
    assert!(line.contains(NOTHING_CHANGED), "{line}");
    assert!(
        stages.contains("load"),
        "read, as its stamp changed: {stages}"
    );
}

/// A build into a folder that another build holds waits for it before reading the folder's
/// record: what it then finds there (here, a page the other build removed) is what it brings
/// up to date, rather than what it would have read before waiting.
#[test]
fn a_build_waits_for_the_folder_before_reading_what_it_will_update() {
    let project = Project::fixture("basic");
    project.build(&[]);
    project.edit(
        "content/cyber/index.fr.md",
        "chaque année.",
        "chaque année, au printemps.",
    );
    // The lock a build into `site` takes: its parent folder's.
    let other_build = fs::File::open(project.root()).unwrap();
    other_build.lock().unwrap();
    let mut build = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("build")
        .current_dir(project.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(build.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("waiting for another build") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the build never waited"
        );
    }
    fs::remove_file(project.path("site/en/index.html")).unwrap();
    other_build.unlock().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(build.wait().unwrap().success(), "{rest}");
    site_equals_cold(&project, "a page removed while the build waited");
    assert!(project.path("site/en/index.html").is_file());
}
