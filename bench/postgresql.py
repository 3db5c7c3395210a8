"""PostgreSQL output benchmark (issue 11): `exec` of a one-row INSERT through bindery under wrk
(32 HTTP connections onto a pool of 8 database connections) versus pgbench running the same
INSERT over libpq with 8 connections (extended protocol, as the driver uses), against the same
PostgreSQL 15 in the same run.

    python3 bench/postgresql.py [--seconds 5] [--rounds 3] [--connections 8]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import build_release, free_port, start_bindery, wait_status, wrk

BIN = "/usr/lib/postgresql/15/bin"
AS_POSTGRES = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


def start_postgres(port, directory):
    """initdb (trust, fsync off: the disk is not what is measured) and a server on 127.0.0.1."""
    subprocess.run(["chown", "-R", "postgres:postgres", directory], check=True)
    subprocess.run(AS_POSTGRES + [f"{BIN}/initdb", "-D", f"{directory}/data", "-U", "postgres", "-A", "trust",
                                  "--no-sync", "-E", "UTF8", "--locale=C"], check=True, stdout=subprocess.DEVNULL)
    process = subprocess.Popen(AS_POSTGRES + [f"{BIN}/postgres", "-D", f"{directory}/data", "-p", str(port),
                                              "-k", directory, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                                              "-c", "synchronous_commit=off"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0:
            return process
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("postgres did not start")


def psql(port, sql):
    subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-c", sql], check=True)


def pgbench(port, directory, connections, seconds):
    script = os.path.join(directory, "insert.sql")
    with open(script, "w") as f:
        f.write("\\set v random(1, 1000000)\nINSERT INTO bench (v) VALUES (:v);\n")
    out = subprocess.run([f"{BIN}/pgbench", "-n", "-M", "extended", "-c", str(connections), "-j", "2",
                          "-T", str(seconds), "-f", script, "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                          "postgres"], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5, help="per round and side")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8, help="database connections on both sides")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (the machine has 2 cores)")
    args = parser.parse_args()
    if not os.path.exists(f"{BIN}/postgres") or not shutil.which("wrk"):
        sys.exit("postgresql-15 or wrk is missing: run scripts/install-deps")
    release = build_release()
    work = tempfile.mkdtemp(prefix="bindery-postgresql-bench-")
    pg_port = free_port()
    postgres = start_postgres(pg_port, work)
    psql(pg_port, "CREATE TABLE bench (id bigserial PRIMARY KEY, v int)")
    components = os.path.join(work, "components")
    os.makedirs(components)
    with open(os.path.join(components, "db.yaml"), "w") as f:
        f.write("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: db\nspec:\n"
                "  type: bindings.postgresql\n  version: v1\n  metadata:\n    - name: connectionString\n"
                f"      value: \"host=127.0.0.1 port={pg_port} user=postgres dbname=postgres\"\n"
                f"    - name: maxConns\n      value: \"{args.connections}\"\n")
    port = free_port()
    bindery = start_bindery(os.path.join(release, "bindery"), port, "--resources-path", components)
    try:
        if not wait_status(f"http://127.0.0.1:{port}/v1.0/healthz/outbound", 204):
            raise RuntimeError("bindery did not become ready")
        body = '{"operation":"exec","metadata":{"sql":"INSERT INTO bench (v) VALUES ($1)","params":"[42]"}}'
        # Alternating rounds, so that load from elsewhere on the machine falls on both sides alike.
        rounds = []
        for _ in range(args.rounds):
            ours = wrk(f"http://127.0.0.1:{port}/v1.0/bindings/db", body, seconds=args.seconds, threads=args.threads)
            baseline = pgbench(pg_port, work, args.connections, args.seconds)
            rounds.append((ours["rps"] / baseline, ours, baseline))
            print(f"round {len(rounds)}: bindery {ours['rps']:8.0f} req/s, pgbench {baseline:8.0f} tx/s, "
                  f"ratio {rounds[-1][0]:.2f}")
        ratio, ours, baseline = sorted(rounds, key=lambda r: r[0])[len(rounds) // 2]
    finally:
        bindery.terminate()
        bindery.wait()
        postgres.terminate()  # SIGTERM waits for clients; bindery is gone by now
        postgres.wait()
    print("median round:")
    print(f"pgbench -M extended -c {args.connections} INSERT:           {baseline:10.0f} tx/s")
    print(f"bindery exec, wrk -t{args.threads} -c32 -d{args.seconds}s, pool {args.connections}: {ours['rps']:10.0f} req/s  "
          f"(p50 {ours['p50']:.2f} ms, p99 {ours['p99']:.2f} ms, non-2xx {ours['non2xx']}, errors {ours['errors']})")
    print(f"ratio bindery/pgbench: {ratio:.2f}   (target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'})")


if __name__ == "__main__":
    main()
