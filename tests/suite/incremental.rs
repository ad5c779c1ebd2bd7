//! Incremental runs (what `serve` does after each change) against full builds: after every
//! kind of edit, rerunning the pipeline over the changed paths must give exactly the outputs a
//! fresh build gives, and render only what the edit touched.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use crate::common::Project;
use briefing::serve::state::Live;
use briefing::{BuildOptions, Pipeline, Site};

fn options() -> BuildOptions {
    BuildOptions {
        drafts: true,
        base_url: Some("http://127.0.0.1:1111/".into()),
        ..BuildOptions::default()
    }
}

/// Every output's bytes, by path.
fn contents(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.outputs
        .iter()
        .map(|output| (output.path.clone(), output.bytes().unwrap().into_owned()))
        .collect()
}

fn fresh(project: &Project) -> Result<BTreeMap<String, Vec<u8>>, String> {
    Pipeline::new(project.root(), options())
        .run_full()
        .map(|site| contents(&site))
        .map_err(|failure| format!("{:?}", failure.diagnostics))
}

/// A long-lived pipeline whose sites are published as `serve` publishes them (from the
/// outputs each run says it revised, when it says so).
struct Session {
    pipeline: Pipeline,
    live: Live,
    _stop: tokio::sync::watch::Sender<bool>,
    /// How many runs were published from their delta alone.
    from_delta: usize,
}

impl Session {
    fn start(project: &Project) -> Session {
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let mut session = Session {
            pipeline: Pipeline::new(project.root(), options()),
            live: Live::new(project.root().to_path_buf(), stopping),
            _stop: stop,
            from_delta: 0,
        };
        let site = session.pipeline.run_full().unwrap();
        session.publish(&site);
        session
    }

    fn publish(&mut self, site: &Site) {
        let generation = self.live.read().outputs_generation;
        if site.delta.as_ref().is_some_and(|d| d.since == generation) {
            self.from_delta += 1;
        }
        self.live.publish_site(site, None, Vec::new());
    }

    /// The files served, by path.
    fn served(&self) -> BTreeMap<String, Vec<u8>> {
        let served = self.live.read();
        let files = served.files.iter();
        files
            .map(|(path, file)| (path.clone(), file.bytes.to_vec()))
            .collect()
    }
}

impl std::ops::Deref for Session {
    type Target = Pipeline;
    fn deref(&self) -> &Pipeline {
        &self.pipeline
    }
}

fn assert_same_outputs(
    got: &BTreeMap<String, Vec<u8>>,
    expected: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{what}: the same outputs"
    );
    for (path, bytes) in expected {
        assert!(
            got[path] == *bytes,
            "{what}: {path} differs from a full build"
        );
    }
}

/// Applies one edit, reruns the long-lived pipeline over the paths it touched, and checks
/// the result, and the site served from it, against a fresh build. Returns the paths
/// rendered.
fn step(
    project: &Project,
    session: &mut Session,
    edit: impl FnOnce(&Project),
    changed: &[&str],
) -> Vec<String> {
    edit(project);
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    let incremental = session.pipeline.run(Some(&changed));
    match (incremental, fresh(project)) {
        (Ok(site), Ok(expected)) => {
            let what = format!("after editing {changed:?}");
            assert_same_outputs(&contents(&site), &expected, &what);
            session.publish(&site);
            assert_same_outputs(&session.served(), &expected, &format!("{what}, served"));
            site.rendered_paths
        }
        (Err(failure), Err(_)) => {
            assert!(!failure.diagnostics.is_empty());
            Vec::new()
        }
        (Ok(_), Err(expected)) => panic!("after {changed:?} a full build fails: {expected}"),
        (Err(failure), Ok(_)) => panic!(
            "after {changed:?} only the incremental run fails: {:?}",
            failure.diagnostics
        ),
    }
}

#[test]
fn incremental_runs_give_what_a_full_build_gives_after_every_kind_of_edit() {
    let project = Project::fixture("basic");
    let mut session = Session::start(&project);
    let cyber = "content/cyber/index.fr.md";

    let rendered = step(
        &project,
        &mut session,
        |p| p.edit(cyber, "Depuis 2021", "Depuis l'an 2021"),
        &[cyber],
    );
    assert_eq!(rendered, ["fr/cyberdefense/index.html", "fr/atom.xml"]);
    // What lists show of it: the lists and the pages it is related to follow, no other.
    let rendered = step(
        &project,
        &mut session,
        |p| p.edit(cyber, "Exercices et plateformes", "Exercices, plateformes"),
        &[cyber],
    );
    assert!(
        rendered.contains(&"fr/index.html".to_string()),
        "{rendered:?}"
    );
    assert!(
        !rendered.iter().any(|path| path.starts_with("en/")),
        "{rendered:?}"
    );
    // A date the sitemap shows.
    let rendered = step(
        &project,
        &mut session,
        |p| {
            p.edit(
                cyber,
                "date = 2024-05-14\n",
                "date = 2024-05-14\nupdated = 2024-05-20\n",
            )
        },
        &[cyber],
    );
    assert!(
        rendered.contains(&"sitemap.xml".to_string()),
        "{rendered:?}"
    );
    // An image's size is written into the pages showing it.
    let map = "content/relations/carte.svg";
    let rendered = step(
        &project,
        &mut session,
        |p| {
            p.edit(
                map,
                "width=\"10\" height=\"10\"><rect",
                "width=\"40\" height=\"30\"><rect",
            )
        },
        &[map],
    );
    assert!(
        rendered.contains(&"fr/relations-coree/index.html".to_string()),
        "{rendered:?}"
    );
    // Shown by another topic's page too: the size a parse measured is that of a file of
    // another folder, which the page's own inputs do not include.
    step(
        &project,
        &mut session,
        |p| {
            p.edit(
                cyber,
                "Depuis l'an 2021",
                "![Carte](../relations/carte.svg)\n\nDepuis l'an 2021",
            )
        },
        &[cyber],
    );
    let rendered = step(
        &project,
        &mut session,
        |p| {
            p.edit(
                map,
                "width=\"40\" height=\"30\"><rect",
                "width=\"50\" height=\"20\"><rect",
            )
        },
        &[map],
    );
    assert!(
        rendered.contains(&"fr/cyberdefense/index.html".to_string()),
        "{rendered:?}"
    );
    // A change later than every other topic's: first in the feed, the site's newest date.
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "updated = 2024-05-20", "updated = 2024-07-01"),
        &[cyber],
    );
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "title = \"Cyberdéfense\"", "title = \"Cyber\""),
        &[cyber],
    );
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "date = 2024-05-14", "date = 2019-01-01"),
        &[cyber],
    );
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "tags = [\"cyber-defence\"]", "tags = [\"dialogue\"]"),
        &[cyber],
    );
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "slug = \"cyberdefense\"", "slug = \"cyber-fr\""),
        &[cyber],
    );
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "text = \"Première", "text = \"Toute première"),
        &[cyber],
    );
    // The heading another topic links to (@/cyber#locked-shields): the link breaks, then heals.
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "## Locked Shields", "## Bouclier"),
        &[cyber],
    );
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "## Bouclier", "## Locked Shields"),
        &[cyber],
    );
    step(
        &project,
        &mut session,
        |p| p.edit("content/markup/index.en.md", "+++\n", "+++\nweight = 1\n"),
        &["content/markup/index.en.md"],
    );
    step(
        &project,
        &mut session,
        |p| {
            p.edit(
                "content/glossary.toml",
                "Organisation du Traité",
                "L'Organisation du Traité",
            )
        },
        &["content/glossary.toml"],
    );
    step(
        &project,
        &mut session,
        |p| p.edit("locales/fr/tags.ftl", "Dialogue politique", "Dialogue"),
        &["locales/fr/tags.ftl"],
    );
    step(
        &project,
        &mut session,
        |p| p.edit("content/_index.fr.md", "trois sujets", "quatre sujets"),
        &["content/_index.fr.md"],
    );
    step(
        &project,
        &mut session,
        |p| {
            p.edit(
                "themes/briefing/templates/partials/card.html",
                "<",
                "<!-- card -->\n<",
            )
        },
        &["themes/briefing/templates/partials/card.html"],
    );
    step(
        &project,
        &mut session,
        |p| {
            p.write("content/extra/index.fr.md", "+++\ntitle = \"En plus\"\ndate = 2025-02-03\ntags = [\"cyber-defence\"]\n+++\nVoir [ceci](@/relations).\n");
            p.write(
                "content/extra/index.en.md",
                "+++\ntitle = \"Extra\"\ndate = 2025-02-03\n+++\nSee [this](@/relations).\n",
            );
        },
        &["content/extra"],
    );
    step(
        &project,
        &mut session,
        |p| {
            p.edit(
                "content/relations/index.fr.md",
                "slug = \"relations-coree\"",
                "slug = \"relations\"",
            )
        },
        &["content/relations/index.fr.md"],
    );
    step(
        &project,
        &mut session,
        |p| fs::remove_dir_all(p.path("content/extra")).unwrap(),
        &["content/extra"],
    );
    step(
        &project,
        &mut session,
        |p| {
            p.edit(
                "locales/en/main.ftl",
                "language-name =",
                "language-name-x =",
            )
        },
        &["locales/en/main.ftl"],
    );
    step(
        &project,
        &mut session,
        |p| {
            p.edit(
                "locales/en/main.ftl",
                "language-name-x =",
                "language-name =",
            )
        },
        &["locales/en/main.ftl"],
    );
    step(
        &project,
        &mut session,
        |p| p.edit("briefing.toml", "base_url", "# a comment\nbase_url"),
        &["briefing.toml"],
    );
    let rendered = step(
        &project,
        &mut session,
        |p| p.edit(cyber, "Depuis l'an 2021", "Depuis 2021"),
        &[cyber],
    );
    assert!(
        rendered.contains(&"fr/cyber-fr/index.html".to_string()),
        "{rendered:?}"
    );
}

#[test]
fn incremental_runs_hold_back_the_topics_a_full_build_holds_back() {
    let project = Project::fixture("publish-together");
    let config = project.read("briefing.toml");
    project.write(
        "briefing.toml",
        &format!("{config}\n[translations]\npublish = \"together\"\nrequire_current = true\n"),
    );
    let mut session = Session::start(&project);
    let source = "content/ensemble/index.fr.md";
    let held = |pipeline: &Pipeline| {
        let model = pipeline.model().unwrap();
        model.held_back.keys().cloned().collect::<Vec<_>>()
    };
    let reasons = |pipeline: &Pipeline, topic: &str| {
        let model = pipeline.model().unwrap();
        briefing::model::held_back::reasons(&model.held_back[topic])
    };
    assert!(!held(&session).contains(&"ensemble".to_string()));
    // The source changes: its translation is outdated, and the topic held back.
    step(
        &project,
        &mut session,
        |p| p.edit(source, "Les deux langues.", "Les deux langues, revues."),
        &[source],
    );
    assert!(held(&session).contains(&"ensemble".to_string()));
    step(
        &project,
        &mut session,
        |p| p.edit(source, "Les deux langues, revues.", "Les deux langues."),
        &[source],
    );
    assert!(!held(&session).contains(&"ensemble".to_string()));
    // A draft made ready, then a draft again.
    let draft = "content/brouillon-fr/index.fr.md";
    assert_eq!(reasons(&session, "brouillon-fr"), "fr is a draft");
    step(
        &project,
        &mut session,
        |p| p.edit(draft, "draft = true\n", ""),
        &[draft],
    );
    assert_eq!(reasons(&session, "brouillon-fr"), "en is outdated");
    step(
        &project,
        &mut session,
        |p| p.edit(draft, "+++\ntitle", "+++\ndraft = true\ntitle"),
        &[draft],
    );
    assert_eq!(
        reasons(&session, "brouillon-fr"),
        "fr is a draft, en is outdated"
    );
}

#[test]
fn a_run_that_fails_after_rendering_leaves_the_next_served_site_whole() {
    let project = Project::fixture("basic");
    let mut session = Session::start(&project);
    let cyber = "content/cyber/index.fr.md";
    let clash = "content/cyber/index.html";
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "Depuis 2021", "Depuis l'an 2021"),
        &[cyber],
    );
    assert_eq!(
        session.from_delta, 1,
        "a body edit is published from its delta"
    );
    // The page renders anew, then a topic file taking its address stops the run.
    step(
        &project,
        &mut session,
        |p| {
            p.edit(cyber, "Depuis l'an 2021", "Depuis 2021");
            p.write(clash, "<p>not a page</p>");
        },
        &[cyber, clash],
    );
    // Only the file goes: the page edited in the failed run must be served as it is now.
    step(
        &project,
        &mut session,
        |p| fs::remove_file(p.root().join(clash)).unwrap(),
        &[clash],
    );
    step(
        &project,
        &mut session,
        |p| p.edit(cyber, "Depuis 2021", "Depuis l'an 2021"),
        &[cyber],
    );
    assert_eq!(
        session.from_delta, 2,
        "{} runs from their delta",
        session.from_delta
    );
}
