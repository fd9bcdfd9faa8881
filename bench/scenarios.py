#!/usr/bin/env python3
"""The load scenarios of bench/run against a running `aula serve` (see bench/run for
the data). Each wrk scenario is bounded in time; the enrolment storm is bounded in
requests. For each: requests/s, p50/p99, errors, the server's peak resident memory
during the scenario, and the ratio to the same run's GET /api/v1/health. Writes the
table as Markdown to the file named by BENCH_TABLE and prints it.

Environment: BENCH_URL, BENCH_PID, BENCH_BACKEND, BENCH_SECONDS, BENCH_TABLE,
BENCH_VERIFY_CODE, BENCH_GRADEBOOK_OFFERING, BENCH_ARGON2 (raw argon2id verifies per
second on every core), BENCH_PASSWORD.
"""

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

URL = os.environ["BENCH_URL"]
PID = os.environ["BENCH_PID"]
BACKEND = os.environ["BENCH_BACKEND"]
SECONDS = os.environ.get("BENCH_SECONDS", "10")
PASSWORD = os.environ.get("BENCH_PASSWORD", "aula-demo-2026")
HERE = os.path.dirname(os.path.abspath(__file__))


def call(method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(URL + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            raw = res.read()
            return res.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw


def token(email):
    status, body = call("POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD})
    if status != 200:
        sys.exit(f"bench: cannot sign in as {email}: {status} {body}")
    return body["access_token"]


def rss_reset():
    # Writing 5 to clear_refs resets the peak (VmHWM) to the current size.
    try:
        with open(f"/proc/{PID}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def rss_peak_mib():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def millis(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(path, token=None, connections=64, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", "--latency"]
    if token:
        cmd += ["-H", f"authorization: Bearer {token}"]
    if script:
        cmd += ["-s", script]
    rss_reset()
    out = subprocess.run(cmd + [URL + path], capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(g) for g in sockets.groups()) if sockets else 0
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": millis(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": millis(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": requests,
        "errors": errors,
        "rss": rss_peak_mib(),
    }


def storm(admin, applicants=500, seats=50, workers=64):
    """Many people apply at once to one open offering with `seats` seats."""
    status, course = call("GET", "/api/v1/courses/BEN-0002")
    now = time.time()
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    day = lambda t: time.strftime("%Y-%m-%d", time.gmtime(t))
    status, offering = call(
        "POST",
        "/api/v1/courses/BEN-0002/offerings",
        admin,
        {
            "start_date": day(now + 30 * 86400),
            "end_date": day(now + 60 * 86400),
            "enrolment_opens_at": iso(now - 86400),
            "enrolment_closes_at": iso(now + 20 * 86400),
            "time_zone": "America/Mexico_City",
            "capacity": seats,
            "admission_policy": "open",
            "fee_member": 0,
            "fee_non_member": 0,
            "currency": "USD",
        },
    )
    if status != 201:
        sys.exit(f"bench: cannot create the storm's offering: {status} {offering}")
    emails = [f"bench-{i:05}@bench.test" for i in range(5000, 5000 + applicants)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(token, emails))

    def apply(tok):
        started = time.perf_counter()
        status, body = call("POST", f"/api/v1/offerings/{offering['id']}/enrolments", tok, {})
        state = body.get("state") if isinstance(body, dict) else None
        return status, state, (time.perf_counter() - started) * 1000

    rss_reset()
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(apply, tokens))
    elapsed = time.perf_counter() - started
    latencies = sorted(r[2] for r in results)
    states = {}
    for _, state, _ in results:
        states[state] = states.get(state, 0) + 1
    status, after = call("GET", f"/api/v1/offerings/{offering['id']}", admin)
    taken = after.get("seats_taken")
    enrolled = states.get("enrolled", 0)
    return {
        "rps": len(results) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "requests": len(results),
        "errors": sum(1 for s, _, _ in results if s != 201),
        "rss": rss_peak_mib(),
        "note": f"{enrolled} enrolled, {states.get('waitlisted', 0)} waitlisted of {applicants}; "
        f"seats taken {taken}/{seats}; oversold {max(0, enrolled - seats)}",
        "ok": enrolled == seats and taken == seats,
    }


def first_lesson(student):
    status, modules = call("GET", "/api/v1/courses/PEN-201/modules", student)
    for module in modules if isinstance(modules, list) else []:
        for lesson in module.get("lessons", []):
            return lesson["id"]
    sys.exit(f"bench: no lesson found in PEN-201: {status} {modules}")


def main():
    admin = token("admin@demo.test")
    student = token("student@demo.test")
    learner = token("bench-00001@bench.test")
    gradebook = os.environ["BENCH_GRADEBOOK_OFFERING"]
    lesson = first_lesson(student)
    rows = []

    def run(name, targets, result):
        rows.append((name, targets, result))
        print(f"  {name}: {result['rps']:.0f} req/s, p50 {result['p50']:.2f} ms, "
              f"p99 {result['p99']:.2f} ms, errors {result['errors']}, peak RSS {result['rss']:.0f} MiB",
              flush=True)

    health = wrk("/api/v1/health")
    run("GET /api/v1/health (baseline)", "", health)
    run("catalog list `GET /courses?per_page=20`", "≥ 50 %, p99 < 20 ms", wrk("/api/v1/courses?per_page=20"))
    run("catalog search `GET /courses?q=pension`", "≥ 50 %, p99 < 20 ms", wrk("/api/v1/courses?q=pension&per_page=20"))
    run("course page `GET /courses/BEN-0001`", "≥ 50 %, p99 < 20 ms", wrk("/api/v1/courses/BEN-0001"))
    run("my enrolments (5 seats) `GET /me/enrolments`", "≥ 40 %", wrk("/api/v1/me/enrolments", learner))
    run(f"a lesson, enrolled learner `GET /lessons/{lesson}`", "≥ 40 %", wrk(f"/api/v1/lessons/{lesson}", student))
    run("gradebook 2,000 × 20, 100 rows `GET /offerings/…/gradebook`", "< 150 ms (one request)",
        wrk(f"/api/v1/offerings/{gradebook}/gradebook?per_page=100", admin, connections=4))
    run("certificate verification `GET /verify/{code}`", "",
        wrk("/api/v1/verify/" + os.environ["BENCH_VERIFY_CODE"]))
    login = wrk("/api/v1/auth/login", connections=8, script=os.path.join(HERE, "login.lua"))
    run("sign-in `POST /auth/login`", "≥ 90 % of raw argon2id", login)
    storm_result = storm(admin)
    run("enrolment storm: 500 apply at once for 50 seats", "0 oversold", storm_result)

    argon2 = float(os.environ.get("BENCH_ARGON2", "0") or 0)
    lines = [
        f"Backend: {BACKEND}; {SECONDS} s per wrk scenario (2 threads; 64 connections, "
        "8 for sign-in, 4 for the gradebook); server and load share the machine.",
        "",
        "| scenario | req/s | p50 ms | p99 ms | errors | peak RSS MiB | share of health | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, targets, r in rows:
        share = f"{100 * r['rps'] / health['rps']:.1f} %"
        if name.startswith("sign-in") and argon2:
            share += f" ({100 * r['rps'] / argon2:.0f} % of argon2id {argon2:.0f}/s)"
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | "
            f"{r['rss']:.0f} | {share} | {targets} |"
        )
    lines += ["", "Enrolment storm: " + storm_result["note"] + "."]
    table = "\n".join(lines) + "\n"
    with open(os.environ["BENCH_TABLE"], "w") as f:
        f.write(table)
    print()
    print(table)
    if not storm_result["ok"]:
        sys.exit("bench: the enrolment storm oversold or lost seats")


if __name__ == "__main__":
    main()
