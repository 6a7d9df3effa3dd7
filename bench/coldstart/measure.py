#!/usr/bin/env python3
"""Cold start of the unzipped Functions package, started the way the Functions host starts it.

For each run: a free loopback port, the executable from host.json (customHandler.description)
with its arguments, working directory = the app root, FUNCTIONS_CUSTOMHANDLER_PORT and the other
variables the host sets; then /xrpc/_health is polled until it answers 200 and describeServer is
asked once. Times are from just before the process is spawned. Prints one line per run and
min/median/p90 of each.
"""
import argparse
import http.client
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

DEADLINE_S = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    """Status of GET path, or None while nothing listens (a refused connect costs ~0.1 ms)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    except (ConnectionRefusedError, ConnectionResetError):
        return None, b""
    finally:
        conn.close()


def cpu_ms(pid):
    """CPU time (user + system) of the process's live threads so far, from the scheduler's ns counters.

    Less disturbed than wall time when other work shares the cores."""
    total = 0
    task_dir = f"/proc/{pid}/task"
    for tid in os.listdir(task_dir):
        try:
            with open(f"{task_dir}/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # the thread ended meanwhile
    return total / 1e6


def handler_command(app_root):
    """What the host runs: defaultExecutablePath (relative to the app root when the file exists) + arguments."""
    with open(os.path.join(app_root, "host.json")) as f:
        description = json.load(f)["customHandler"]["description"]
    exe = description["defaultExecutablePath"]
    candidate = os.path.join(app_root, exe)
    return [candidate if os.path.isfile(candidate) else exe, *description.get("arguments", [])]


def one_run(app_root, data_dir, extra_env, log_path):
    port = free_port()
    env = dict(os.environ)
    env.update({
        "FUNCTIONS_CUSTOMHANDLER_PORT": str(port),
        "FUNCTIONS_HTTPWORKER_PORT": str(port),
        "FUNCTIONS_CUSTOMHANDLER_WORKER_ID": "coldstart-bench",
        "FUNCTIONS_APP_ROOT_PATH": app_root,
        "PDS_DATA_DIRECTORY": data_dir,
        # Nothing listens here: startup must not need the PLC directory.
        "PDS_DID_PLC_URL": "http://127.0.0.1:9",
    })
    env.update(extra_env)
    with open(log_path, "ab") as log:
        start = time.perf_counter_ns()
        process = subprocess.Popen(handler_command(app_root), cwd=app_root, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            health = describe = None
            while time.perf_counter_ns() - start < DEADLINE_S * 1e9:
                status, _ = get(port, "/xrpc/_health")
                if status == 200:
                    health = (time.perf_counter_ns() - start) / 1e6
                    break
                if process.poll() is not None:
                    raise SystemExit(f"the handler exited with {process.returncode}; see {log_path}")
                time.sleep(0.001)
            if health is None:
                raise SystemExit(f"no /xrpc/_health answer within {DEADLINE_S} s; see {log_path}")
            status, body = get(port, "/xrpc/com.atproto.server.describeServer")
            if status != 200 or b'"did"' not in body:
                raise SystemExit(f"describeServer answered {status}: {body[:200]!r}")
            describe = (time.perf_counter_ns() - start) / 1e6
            return health, describe, cpu_ms(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def summary(name, values):
    ordered = sorted(values)
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]  # nearest rank
    return f"{name:<16} min {ordered[0]:7.1f}  median {statistics.median(ordered):7.1f}  p90 {p90:7.1f}  ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app_root")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--fresh-data", action="store_true", help="a new data directory for every run")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the handler")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    extra = {}
    for kv in args.env:
        name, sep, value = kv.partition("=")
        if not sep or not name:
            parser.error(f"--env wants NAME=VALUE, got {kv}")
        extra[name] = value
    work = tempfile.mkdtemp(prefix="pds-coldstart-")
    log_path = os.path.join(work, "handler.log")
    try:
        shared = os.path.join(work, "data")
        if not args.fresh_data:
            # One unmeasured start creates the database and secrets, like an instance whose storage exists.
            one_run(args.app_root, shared, extra, log_path)
        healths, describes, cpus = [], [], []
        for i in range(args.runs):
            data = os.path.join(work, f"data{i}") if args.fresh_data else shared
            health, describe, cpu = one_run(args.app_root, data, extra, log_path)
            healths.append(health)
            describes.append(describe)
            cpus.append(cpu)
            print(f"run {i + 1:>2}: _health {health:7.1f} ms   describeServer {describe:7.1f} ms   cpu {cpu:7.1f} ms", flush=True)
        print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(summary("_health", healths))
        print(summary("describeServer", describes))
        print(summary("cpu until then", cpus))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
