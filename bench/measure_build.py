#!/usr/bin/env python3
"""Times `briefing build` (cold, warm with nothing changed, warm after one body edit) and,
if given, `hugo` on the same corpus: median wall time, CPU time / wall and peak resident
memory of the whole process over interleaved runs, measured with GNU time. Output folders of
earlier runs are renamed aside (and `sync`ed) rather than deleted between runs, as deleting
slows the runs that follow on this machine's ext4; they are removed at the end. On a file
system held in memory (a tmpfs BENCH_DIR) they are removed between runs instead, untimed,
as kept copies hold memory the later runs then lack (memory_fs.py).

usage: measure_build.py <briefing> <corpus> <runs> [<hugo> <hugo-site>]
Prints one JSON object per case.
"""
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

from memory_fs import in_memory


def timed(command):
    """(wall s, cpu s, peak RSS MiB) of one run of `command`."""
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run(
            ["/usr/bin/time", "-o", report.name, "-f", "%e %U %S %M"] + command,
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, user, system, rss_kb = report.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss_kb) / 1024


def aside(folder, graveyard):
    """Moves the output of the run before out of the way, untimed: renamed aside on a disk,
    removed on a file system held in memory (see memory_fs)."""
    if folder.exists():
        if in_memory(folder):
            shutil.rmtree(folder)
        else:
            folder.rename(graveyard / f"{folder.name}-{len(list(graveyard.iterdir()))}")
    subprocess.run(["sync"], check=True)


def summary(case, topics, samples):
    walls = [s[0] for s in samples]
    return {
        "case": case, "topics": topics, "runs": len(samples),
        "wall_s": round(statistics.median(walls), 3),
        "cpu_per_wall": round(statistics.median(s[1] / s[0] for s in samples), 2),
        "peak_rss_mib": round(max(s[2] for s in samples)),
        "load_average": round(os.getloadavg()[0], 1),
    }


def main():
    briefing, corpus, runs = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
    hugo = sys.argv[4:6] if len(sys.argv) >= 6 else None
    topics = sum(1 for _ in (corpus / "content").glob("*/index.fr.md"))
    graveyard = corpus.parent / f".graveyard-{corpus.name}"
    graveyard.mkdir(exist_ok=True)
    out = corpus / "site"
    edited = sorted((corpus / "content").glob("*/index.fr.md"))[topics // 2]
    original = edited.read_text()
    build = [briefing, "build", "--root", str(corpus), "--out", "site", "--base-url",
             "https://bench.example.gc.ca/"]
    cases = {"cold": [], "warm, nothing changed": [], "warm, one body edited": []}
    if hugo:
        cases["hugo, cold"] = []
    try:
        for run in range(runs):
            aside(out, graveyard)
            cases["cold"].append(timed(build + ["--fresh"]))
            cases["warm, nothing changed"].append(timed(build))
            edited.write_text(original + f"\nUne phrase de plus, essai {run}.\n")
            cases["warm, one body edited"].append(timed(build))
            if hugo:
                hugo_out = pathlib.Path(hugo[1]) / "public"
                aside(hugo_out, graveyard)
                cases["hugo, cold"].append(timed([hugo[0], "--source", hugo[1], "--quiet"]))
    finally:
        edited.write_text(original)
        shutil.rmtree(graveyard, ignore_errors=True)
    for case, samples in cases.items():
        print(json.dumps(summary(case, topics, samples)), flush=True)


if __name__ == "__main__":
    main()
