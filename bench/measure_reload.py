#!/usr/bin/env python3
"""Edit-to-reload latency of a dev server: saves an edit of one topic's body and times how
long until the server tells the open page to reload. For bench/serve-reload.

usage: measure_reload.py briefing <binary> <project> <runs>
       measure_reload.py hugo <binary> <site> <runs>
"""
import asyncio
import http.client
import json
import os
import pathlib
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

SETTLE = 1.5  # seconds between edits: each is its own save, and background work (the search index) is done


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def save(path, text):
    """Writes in place as most editors do; returns the moment the save is done."""
    with open(path, "w") as f:
        f.write(text)
    return time.perf_counter()


def edited(original, run):
    return original.rstrip("\n") + f"\n\nEdit number {run}, saved by the benchmark.\n"


def summary(name, times):
    times = [t * 1000 for t in times]
    return {
        "server": name,
        "runs": len(times),
        "median_ms": round(statistics.median(times), 1),
        "p90_ms": round(sorted(times)[int(len(times) * 0.9) - 1], 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
    }


def briefing(binary, project, runs):
    project = pathlib.Path(project)
    server = subprocess.Popen(
        [binary, "--root", str(project), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        for line in server.stdout:
            if line.startswith("Serving") and "http://" in line:
                url = line[line.index("http://"):].strip()
                break
        host, port = url[len("http://"):].rstrip("/").split(":")
        topic = sorted(p for p in (project / "content").iterdir() if p.is_dir())[len(list((project / "content").iterdir())) // 2]
        page = f"fr/{topic.name}/index.html"
        urllib.request.urlopen(f"{url}fr/{topic.name}/").read()
        events = queue.Queue()

        def listen():
            connection = http.client.HTTPConnection(host, int(port))
            connection.request("GET", f"/__briefing/events?path={page}")
            response = connection.getresponse()
            name = None
            while True:
                line = response.fp.readline().decode()
                if not line:
                    return
                if line.startswith("event: "):
                    name = line[7:].strip()
                elif line.startswith("data: "):
                    events.put((time.perf_counter(), name, json.loads(line[6:])))

        threading.Thread(target=listen, daemon=True).start()
        assert events.get(timeout=60)[1] == "hello"
        source = topic / "index.fr.md"
        original = source.read_text()
        times = []
        try:
            for run in range(runs + 2):
                saved = save(source, edited(original, run))
                while True:
                    at, name, data = events.get(timeout=60)
                    if name == "build" and data["ok"] and data["reload"]:
                        break
                if run >= 2:  # the first edits warm the caches
                    times.append(at - saved)
                time.sleep(SETTLE)
        finally:
            source.write_text(original)
        return summary("briefing serve", times)
    finally:
        server.terminate()
        server.wait()


async def hugo_async(binary, site, runs):
    import websockets

    site = pathlib.Path(site)
    port = free_port()
    server = subprocess.Popen(
        [binary, "server", "--source", str(site), "--port", str(port), "--bind", "127.0.0.1",
         "--logLevel", "error"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 180
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/").read()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                await asyncio.sleep(0.2)
        topics = sorted((site / "content" / "fr").glob("*.md"))
        source = topics[len(topics) // 2]
        urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/{source.stem}/").read()
        original = source.read_text()
        times = []
        async with websockets.connect(f"ws://127.0.0.1:{port}/livereload") as socket_:
            # Hugo matches the hello by its exact bytes: no spaces.
            await socket_.send(json.dumps(
                {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]},
                separators=(",", ":")))
            await socket_.recv()
            try:
                for run in range(runs + 2):
                    saved = save(source, edited(original, run))
                    while True:
                        message = json.loads(await asyncio.wait_for(socket_.recv(), 60))
                        if message.get("command") == "reload":
                            at = time.perf_counter()
                            break
                    if run >= 2:
                        times.append(at - saved)
                    await asyncio.sleep(SETTLE)
                    # Drop any further reloads of the same save.
                    while True:
                        try:
                            await asyncio.wait_for(socket_.recv(), 0.05)
                        except asyncio.TimeoutError:
                            break
            finally:
                source.write_text(original)
        return summary("hugo server", times)
    finally:
        server.terminate()
        server.wait()


def main():
    kind, binary, root, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if kind == "briefing":
        result = briefing(binary, root, runs)
    else:
        result = asyncio.run(hugo_async(binary, root, runs))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
