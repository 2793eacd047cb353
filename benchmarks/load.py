"""Load test: 50 visitors (by default) on a running site, and the figures per kind of request.

    .venv/bin/pip install -c constraints.txt -e '.[bench]'      # locust, once
    .venv/bin/python benchmarks/load.py --host http://127.0.0.1:8100 --users 50 --time 120

Runs benchmarks/load/locustfile.py headless (loopback only, bounded in time) and prints,
per kind of request and in all: requests, requests per second, p50/p95/p99 in ms, server
errors (5xx) and other failures. Serve the site the way production does first (`make prod`,
with 100,000 fiches: `manage.py setup_demo --profiles 100000`); the figures say nothing
about a development server. Prints figures; asserts nothing.
"""

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="http://127.0.0.1:8100")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--time", default="120s", help="e.g. 120s, 5m")
    args = parser.parse_args()
    if urlsplit(args.host).hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("The load test only runs against this machine (loopback).")
    duration = args.time if args.time[-1].isalpha() else f"{args.time}s"

    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "load")
        subprocess.run(  # noqa: S603 (this interpreter's locust, fixed arguments)
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "load" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                duration,
                "--host",
                args.host,
                "--csv",
                prefix,
                "--loglevel",
                "WARNING",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(prefix + "_stats.csv", newline="") as stats:
            rows = list(csv.DictReader(stats))
        with open(prefix + "_failures.csv", newline="") as failures:
            failed = list(csv.DictReader(failures))

    server_errors = {}
    for row in failed:
        if any(f"{code}" in row["Error"] for code in range(500, 600)):
            server_errors[row["Name"]] = server_errors.get(row["Name"], 0) + int(row["Occurrences"])
    print(
        f"load test: {args.users} users, 1-3 s think time, {duration}, {args.host}\n"
        f"{'request':<24}{'count':>8}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}"
        f"{'5xx':>6}{'failed':>8}"
    )
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        errors = sum(server_errors.values()) if name == "ALL" else server_errors.get(name, 0)
        print(
            f"{name:<24}{row['Request Count']:>8}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}{errors:>6}{row['Failure Count']:>8}"
        )
    print("(times in ms; 'failed' counts every failure, server errors included)")
    for row in sorted(failed, key=lambda row: -int(row["Occurrences"]))[:8]:
        print(f"  {row['Occurrences']:>6} × {row['Method']} {row['Name']}: {row['Error'][:90]}")


if __name__ == "__main__":
    main()
