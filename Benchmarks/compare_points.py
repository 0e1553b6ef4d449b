"""Holds and settlements per second, and a hold's latency, on SQLite and on PostgreSQL with one
and two instances (two connection pools over one database, as two `darkroom serve` would have),
at 1, 8 and 32 concurrent clients, each looping hold 1 point / settle it over 100 users. Writes
its section of RESULTS.md. There is no `vips` reference here: nothing in it is an image."""
import argparse
import datetime
import json
import os
import subprocess

import compare

HERE = os.path.dirname(os.path.abspath(__file__))
SECTION = "## Points: holds and settlements per second"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"))
    args = parser.parse_args()
    rows = []
    for engine, instances in [("sqlite", 1), ("sqlite", 2), ("postgres", 1), ("postgres", 2)]:
        for clients in [1, 8, 32]:
            out = subprocess.run([args.bench, "--engine", engine, "--url", args.url, "--instances", str(instances),
                                  "--clients", str(clients), "--seconds", str(args.seconds)],
                                 capture_output=True, text=True, check=True).stdout.strip().splitlines()
            print(out[0], flush=True)
            rows.append(json.loads(out[-1]))
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    lines = [SECTION + f" ({datetime.date.today().isoformat()})", "",
             f"`Benchmarks/compare-points.sh --seconds {args.seconds}` on this {cpu}-core machine, PostgreSQL 15 on loopback (the",
             "test command's private server: fsync off) sharing the cores with the clients. Each client loops: hold 1 point",
             "for a new job, settle it at 1; 100 users, so some holds wait for the same account's lock. \"2 instances\" is",
             "two connection pools over one database (for SQLite, two pools on one file).", "",
             "| engine | instances | clients | hold+settle pairs/s | hold p50 | hold p99 | failures |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        name = "SQLite" if row["engine"] == "sqlite" else "PostgreSQL"
        lines.append(f"| {name} | {row['instances']} | {row['clients']} | {row['pairs_per_second']:.0f} | "
                     f"{row['hold_p50_ms']:.2f} ms | {row['hold_p99_ms']:.2f} ms | {row['failures']} |")
    lines.append("")
    compare.write_section(args.output, SECTION, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
