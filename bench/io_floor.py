#!/usr/bin/env python3
"""The I/O floor of a build: the time to read every source file of a project (content/,
locales/, themes/, briefing.toml) and to write the files of its built site again, the same
paths and bytes, into a new folder beside it. The site's bytes are read into memory before the
clock starts, so only what any generator must do (read the inputs, create the folders and
files, write the bytes) is timed. The new folder is renamed aside and removed at the end (on
a file system held in memory, removed after each run: see memory_fs.py).

usage: io_floor.py <project> <built-site> [runs]
Prints one JSON object: the median wall time over the runs.
"""
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

from memory_fs import in_memory


def files_under(root):
    for folder, _, names in os.walk(root):
        for name in names:
            yield pathlib.Path(folder) / name


def main():
    project, site = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    sources = [project / "briefing.toml"]
    for part in ("content", "locales", "themes"):
        sources.extend(files_under(project / part))
    outputs = [(path.relative_to(site), path.read_bytes()) for path in files_under(site)]
    graveyard = site.parent / f".graveyard-floor-{site.name}"
    graveyard.mkdir(exist_ok=True)
    walls = []
    try:
        for run in range(runs):
            target = site.parent / f".floor-{site.name}"
            subprocess.run(["sync"], check=True)
            started = time.perf_counter()
            for source in sources:
                source.read_bytes()
            made = set()
            for relative, data in outputs:
                folder = (target / relative).parent
                if folder not in made:
                    folder.mkdir(parents=True, exist_ok=True)
                    made.add(folder)
                (target / relative).write_bytes(data)
            walls.append(time.perf_counter() - started)
            if in_memory(target):
                shutil.rmtree(target)
            else:
                target.rename(graveyard / f"run-{run}")
    finally:
        shutil.rmtree(graveyard, ignore_errors=True)
    print(json.dumps({
        "case": "io floor", "files_read": len(sources), "files_written": len(outputs),
        "bytes_written": sum(len(data) for _, data in outputs),
        "runs": runs, "wall_s": round(statistics.median(walls), 3),
        "load_average": round(os.getloadavg()[0], 1),
    }), flush=True)


if __name__ == "__main__":
    main()
