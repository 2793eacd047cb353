"""The database goes away under load: does the site come back by itself?

    .venv/bin/python benchmarks/fault_database_restart.py --host http://127.0.0.1:8100 \\
        --database postgres://postgres@127.0.0.1:5432/fv_load

Eight threads request the map page, a fiche list from the API and the map data for
`--seconds`; a third of the way in, every connection the site holds to its database is
closed from the server side (`pg_terminate_backend`, what a restart does to them; with
`--restart`, PostgreSQL itself is restarted with pg_ctlcluster, which disturbs every other
user of this server). Prints, before, in the 3 seconds after and after that, how many
answers were 2xx/3xx, 5xx and connection errors, by the time each request was sent (one
in flight at the fault counts as "before"). Recovered means: no error after.
Prints figures; asserts nothing.
"""

import argparse
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg

PATHS = [
    "/trouver/",
    "/trouver/?departement=42",
    "/futurs-voisins/api/v1/profiles/?region=84",
    "/futurs-voisins/api/v1/profiles/map/?zoom=6&bbox=0,44,6,47",
]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            return "ok" if response.status < 400 else f"{response.status}"
    except urllib.error.HTTPError as error:
        return "5xx" if error.code >= 500 else "4xx"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return "no answer"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="http://127.0.0.1:8100")
    parser.add_argument("--database", required=True, help="the site's DATABASE_URL")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--restart", action="store_true", help="restart PostgreSQL itself")
    args = parser.parse_args()

    start = time.monotonic()
    fault_at = start + args.seconds / 3
    phases = {"before": Counter(), "3 s after": Counter(), "after": Counter()}
    stop = threading.Event()

    def worker(offset):
        index = offset
        while not stop.is_set():
            sent = time.monotonic()
            outcome = fetch(args.host + PATHS[index % len(PATHS)])
            index += 1
            phase = "before" if sent < fault_at else "3 s after" if sent < fault_at + 3 else "after"
            phases[phase][outcome] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(max(0, fault_at - time.monotonic()))
    if args.restart:
        cluster = sorted(Path("/etc/postgresql").iterdir())[0].name
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"]
        subprocess.run(command, check=True)  # noqa: S603, S607 (Debian's, fixed arguments)
        what = f"PostgreSQL {cluster} restarted"
    else:
        name = args.database.rsplit("/", 1)[1]
        with psycopg.connect(args.database.rsplit("/", 1)[0] + "/postgres") as connection:
            killed = connection.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]
        what = f"{killed} connections of {name} closed by the server"
    time.sleep(max(0, start + args.seconds - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join()

    print(f"database fault under load: {what}, 8 threads, {args.seconds:.0f} s, {args.host}")
    for phase, counts in phases.items():
        total = sum(counts.values())
        detail = ", ".join(f"{key}: {value}" for key, value in sorted(counts.items()))
        print(f"  {phase:<10} {total:>5} requests  {detail}")
    recovered = not phases["after"]["5xx"] and not phases["after"]["no answer"]
    print("recovered by itself" if recovered else "NOT recovered: errors after the fault")


if __name__ == "__main__":
    main()
