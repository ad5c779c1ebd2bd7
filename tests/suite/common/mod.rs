//! Test harness: a fixture site copied into a temporary folder with the shipped theme and
//! interface strings, built by the real binary, and helpers to read the HTML that comes out.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

pub mod server;

pub const NNBSP: char = '\u{202F}';

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A project folder in a temporary directory, removed when dropped.
pub struct Project {
    dir: tempfile::TempDir,
}

pub struct Run {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Project {
    /// Copies `tests/fixtures/<name>`; adds the shipped theme, and the shipped interface
    /// strings for each language folder that has no `main.ftl` of its own.
    pub fn fixture(name: &str) -> Project {
        let dir = tempfile::tempdir().expect("temporary folder");
        let source = repo_root().join("tests/fixtures").join(name);
        copy_tree(&source, dir.path());
        if !dir.path().join("themes").exists() {
            copy_tree(&repo_root().join("themes"), &dir.path().join("themes"));
        }
        for lang in ["fr", "en"] {
            let locale = dir.path().join("locales").join(lang);
            if locale.is_dir() && !locale.join("main.ftl").exists() {
                fs::copy(
                    repo_root().join("locales").join(lang).join("main.ftl"),
                    locale.join("main.ftl"),
                )
                .expect("copy main.ftl");
            }
        }
        Project { dir }
    }

    /// The `basic` fixture with the files of `tests/fixtures/<overlay>` written over it.
    pub fn fixture_with(overlay: &str) -> Project {
        let project = Project::fixture("basic");
        copy_tree(
            &repo_root().join("tests/fixtures").join(overlay),
            project.root(),
        );
        project
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Every file of the project's sources (briefing.toml, content/, locales/, themes/), with
    /// its bytes: to assert that a command left them as they were.
    pub fn sources(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(self.root())
            .into_iter()
            .filter_map(Result::ok)
        {
            let relative = entry.path().strip_prefix(self.root()).unwrap();
            let top = relative
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            let is_source = matches!(
                top.as_deref(),
                Some("briefing.toml" | "content" | "locales" | "themes")
            );
            if is_source && entry.file_type().is_file() {
                files.insert(
                    relative.to_string_lossy().into_owned(),
                    fs::read(entry.path()).unwrap(),
                );
            }
        }
        files
    }

    /// The names in the project folder that a build left behind: staging folders, retired
    /// sites, temporary archives.
    pub fn debris(&self) -> Vec<String> {
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(self.root())
            .into_iter()
            .filter_map(Result::ok)
        {
            let name = entry.file_name().to_string_lossy();
            if name.contains(".new-")
                || name.contains(".old-")
                || name.contains(".failed-")
                || name.starts_with(".briefing-archive-")
            {
                found.push(entry.path().display().to_string());
            }
        }
        found
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Replaces `from` by `to` in a file, insisting that `from` is there.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// Runs `git <args>` in the project (as a throwaway identity, no signing) and insists it
    /// succeeds; returns what it printed, trimmed.
    pub fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run git");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            // Every reused output is checked against its view (see `render::verify_reuse`).
            .env("BRIEFING_VERIFY_REUSE", "1")
            .output()
            .expect("run briefing");
        Run {
            success: output.status.success(),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs `briefing build <args>` and insists it succeeds.
    pub fn build(&self, args: &[&str]) -> SiteDir {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert!(run.success, "build failed:\n{}", run.stderr);
        let out = args
            .iter()
            .position(|a| *a == "--out")
            .map_or("site", |at| args[at + 1]);
        SiteDir {
            root: self.path(out),
        }
    }

    /// Runs `briefing build <args>` and insists it fails; returns stderr.
    pub fn build_fails(&self, args: &[&str]) -> String {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert!(!run.success, "build should fail, printed:\n{}", run.stdout);
        assert_eq!(run.code, Some(1));
        run.stderr
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file of a site: its bytes and modification time (`SiteDir::snapshot`).
pub type Snapshot = BTreeMap<String, (Vec<u8>, std::time::SystemTime)>;

/// A built site on disk.
pub struct SiteDir {
    pub root: PathBuf,
}

impl SiteDir {
    pub fn file(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.file(relative)).unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    pub fn html(&self, relative: &str) -> Html {
        Html::parse_document(&self.read(relative))
    }

    /// Every HTML file, relative to the site root, with `/` separators.
    pub fn html_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }

    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(&self.root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&self.root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        files.sort();
        files
    }

    /// Every file's bytes and modification time, to compare two states of the site.
    pub fn snapshot(&self) -> Snapshot {
        self.files()
            .into_iter()
            .map(|f| {
                let path = self.file(&f);
                let bytes = fs::read(&path).unwrap();
                let modified = fs::metadata(&path).unwrap().modified().unwrap();
                (f, (bytes, modified))
            })
            .collect()
    }

    /// Resolves a link found in `from` (a file relative to the root) to a file relative to
    /// the root, or `None` for links leaving the site (absolute URLs, mailto:…).
    pub fn resolve(&self, from: &str, href: &str) -> Option<String> {
        if href.starts_with('#') || href.is_empty() {
            return Some(from.to_string());
        }
        let base = url::Url::parse("file:///site/")
            .unwrap()
            .join(from)
            .unwrap();
        let target = base.join(href).ok()?;
        if target.scheme() != "file" {
            return None;
        }
        let path = target.to_file_path().ok()?;
        let path = path
            .strip_prefix("/site")
            .ok()?
            .to_string_lossy()
            .replace('\\', "/");
        let path = if target.path().ends_with('/') && !path.is_empty() {
            format!("{path}/")
        } else {
            path
        };
        Some(if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        })
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.file(relative).is_file()
    }
}

pub fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector =
        Selector::parse(selector).unwrap_or_else(|e| panic!("selector {selector}: {e:?}"));
    html.select(&selector).collect()
}

pub fn text_of(element: &scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>()
}

pub fn attr(element: &scraper::ElementRef<'_>, name: &str) -> String {
    element.value().attr(name).unwrap_or_default().to_string()
}

/// Every (attribute value) of `href` and `src` in a document.
pub fn link_targets(html: &Html) -> Vec<String> {
    let mut targets = Vec::new();
    for element in select(html, "[href], [src]") {
        for name in ["href", "src"] {
            if let Some(value) = element.value().attr(name) {
                targets.push(value.to_string());
            }
        }
    }
    targets
}
