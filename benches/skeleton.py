#!/usr/bin/env python3
"""Benchmarks of the walking skeleton, against the release build.

    .ci/build-site release && python3 benches/skeleton.py [--seconds 20] [--clients 4]

Measures, on loopback only:
  * cold start: process start -> first 200 on /login, on a new SQLite database
    (migrations + first admin) and on an existing one;
  * idle RSS of the server after start-up and a few page loads;
  * size of the release browser bundle (wasm raw and gzip -9, JS glue);
  * login requests per second with the server's default argon2id parameters
    (each login: fresh client, GET /login for the CSRF token, POST the login).
Prints a Markdown table for docs/benchmarks.md.
"""
import argparse
import gzip
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BIN = os.path.join(TARGET, "release", "hourbridge")
SITE = os.environ.get("HOURBRIDGE_SITE_ROOT", os.path.join(ROOT, "target", "site"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(db_dir):
    port = free_port()
    env = dict(os.environ,
               HOURBRIDGE_DATABASE_URL=f"sqlite://{db_dir}/hb.db",
               HOURBRIDGE_SITE_ROOT=SITE,
               HOURBRIDGE_BIND=f"127.0.0.1:{port}",
               HOURBRIDGE_LOG="warn")
    t0 = time.perf_counter()
    proc = subprocess.Popen([BIN], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = t0 + 60
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(url + "/login", headers={"Accept": "text/html"}), timeout=2) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError):
            pass
        if time.perf_counter() > deadline or proc.poll() is not None:
            raise SystemExit("server did not start")
        time.sleep(0.002)
    return proc, url, time.perf_counter() - t0


def read_password(proc):
    for line in proc.stdout:
        m = re.search(r"Password: (\S+)", line)
        if m:
            return m.group(1)
    raise SystemExit("no admin password printed")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def client():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def login_once(url, username, password):
    opener, jar = client()
    opener.open(urllib.request.Request(url + "/login", headers={"Accept": "text/html"}), timeout=10).read()
    token = next(c.value for c in jar if c.name == "hb_csrf")
    body = urllib.parse.urlencode({"username": username, "password": password}).encode()
    req = urllib.request.Request(url + "/api/account/login", data=body,
                                 headers={"X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded"})
    with opener.open(req, timeout=30) as r:
        return r.status == 200


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit(f"{BIN} missing: run .ci/build-site release first")

    rows = []
    tmp = tempfile.mkdtemp(prefix="hb-bench-")
    try:
        # Cold start on a new database, then on the same (existing) database, 5 times each.
        fresh, existing = [], []
        for i in range(5):
            d = os.path.join(tmp, f"fresh{i}")
            os.makedirs(d)
            proc, url, secs = start(d)
            fresh.append(secs)
            proc.terminate(); proc.wait()
            proc, url, secs = start(d)
            existing.append(secs)
            proc.terminate(); proc.wait()
        rows.append(("cold start → first page, new database (migrations + first admin), median of 5", f"{statistics.median(fresh) * 1000:.0f} ms"))
        rows.append(("cold start → first page, existing database, median of 5", f"{statistics.median(existing) * 1000:.0f} ms"))

        d = os.path.join(tmp, "main")
        os.makedirs(d)
        proc, url, _ = start(d)
        password = read_password(proc)
        for _ in range(5):
            urllib.request.urlopen(urllib.request.Request(url + "/login", headers={"Accept": "text/html"})).read()
        rows.append(("idle RSS after start-up and 5 page loads", f"{rss_kib(proc.pid) / 1024:.1f} MiB"))

        # Login throughput: correct password, so no throttling; each login is a new session.
        done, failed, stop = [0], [0], time.perf_counter() + args.seconds
        lock = threading.Lock()

        def worker():
            while time.perf_counter() < stop:
                ok = login_once(url, "admin", password)
                with lock:
                    if ok:
                        done[0] += 1
                    else:
                        failed[0] += 1

        t0 = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.clients)]
        for t in threads: t.start()
        for t in threads: t.join()
        elapsed = time.perf_counter() - t0
        rows.append((f"logins per second (argon2id m=19456 KiB, t=2, p=1; {args.clients} clients, {args.seconds:.0f} s; each = GET /login + POST login)",
                     f"{done[0] / elapsed:.1f}/s ({done[0]} ok, {failed[0]} failed)"))
        rows.append(("RSS after the login run", f"{rss_kib(proc.pid) / 1024:.1f} MiB"))
        proc.terminate(); proc.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    pkg = os.path.join(SITE, "pkg")
    wasm = open(os.path.join(pkg, "hourbridge_bg.wasm"), "rb").read()
    js = open(os.path.join(pkg, "hourbridge.js"), "rb").read()
    rows.append(("hydrate wasm, release + wasm-opt -Oz, raw", f"{len(wasm) / 1024:.0f} KiB"))
    rows.append(("hydrate wasm, gzip -9", f"{len(gzip.compress(wasm, 9)) / 1024:.0f} KiB"))
    rows.append(("JS glue, raw / gzip -9", f"{len(js) / 1024:.0f} KiB / {len(gzip.compress(js, 9)) / 1024:.0f} KiB"))

    print("| measure | result |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    sys.exit(main())
