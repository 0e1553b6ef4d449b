#!/usr/bin/env bash
# Holds and settlements per second and a hold's p50/p99 latency on SQLite and on PostgreSQL with
# one and two instances. Starts a private PostgreSQL (as the test command does) unless
# DARKROOM_POSTGRES_URL names one. Writes its section of Benchmarks/RESULTS.md.
#   Benchmarks/compare-points.sh [--seconds N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup
source scripts/postgres
trap postgres_stop EXIT
postgres_start
(cd Benchmarks && swift build -c release --product points-bench 2>&1 | grep -E "error|Build of" || true)
bench="$(cd Benchmarks && swift build -c release --show-bin-path)/points-bench"
python3 Benchmarks/compare_points.py --bench "$bench" --url "$DARKROOM_POSTGRES_URL" "$@"
