//! Times incremental pipeline runs after a one-topic body edit (a profiling aid for serve).
//!
//! cargo run --release --example serve_probe -- <project> [runs]
//!
//! With `PROBE_PAUSE_MS=500`, it waits that long after each run, as an editor does between
//! saves: the runs then start with cold caches, as they do in `serve`.

use std::path::PathBuf;
use std::time::Instant;

use briefing::{BuildOptions, Pipeline};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: serve_probe <project> [runs]"));
    let runs: usize = args
        .next()
        .map_or(20, |n| n.parse().expect("a number of runs"));
    let options = BuildOptions {
        drafts: true,
        base_url: Some("http://127.0.0.1:1111/".into()),
        ..BuildOptions::default()
    };
    let mut pipeline = Pipeline::new(&root, options);
    // As `serve` does: the reload goes out before the search index is brought up to date.
    pipeline.defer_search_index();
    let started = Instant::now();
    let site = pipeline.run_full().expect("the project builds");
    eprintln!(
        "full build: {:.0} ms, {} outputs",
        started.elapsed().as_secs_f64() * 1e3,
        site.outputs.len()
    );
    let topic = std::fs::read_dir(root.join("content"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join(format!("index.{}.md", "fr")).is_file())
        .min()
        .expect("a topic");
    let file = topic.join("index.fr.md");
    let relative = file.strip_prefix(&root).unwrap().to_path_buf();
    let original = std::fs::read_to_string(&file).unwrap();
    let mut times = Vec::new();
    for run in 0..runs {
        let edited = format!("{}\nEdit number {run}.\n", original.trim_end());
        std::fs::write(&file, edited).unwrap();
        let started = Instant::now();
        let site = pipeline
            .run(Some(std::slice::from_ref(&relative)))
            .expect("the edit builds");
        times.push(started.elapsed().as_secs_f64() * 1e3);
        if std::env::var_os("PROBE_STAGES").is_some() {
            let stages: Vec<String> = site
                .timings
                .iter()
                .map(|(stage, time)| format!("{stage} {:.1}", time.as_secs_f64() * 1e3))
                .collect();
            eprintln!("{:.1} ms: {}", times[times.len() - 1], stages.join(", "));
        }
        if let Ok(pause) = std::env::var("PROBE_PAUSE_MS") {
            std::thread::sleep(std::time::Duration::from_millis(pause.parse().unwrap()));
        }
        assert!(site.rendered >= 1);
    }
    std::fs::write(&file, original).unwrap();
    times.sort_by(f64::total_cmp);
    eprintln!(
        "incremental runs: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
