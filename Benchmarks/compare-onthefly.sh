#!/usr/bin/env bash
# The on-the-fly image endpoint of `darkroom serve` against thumbor 7.8 doing the same fit-in
# 512×512, side by side in one run (wrk at 2, 8 and 32 connections). Installs wrk (apt) and
# thumbor (PyPI, into .build-thumbor/) when missing. Writes its section of Benchmarks/RESULTS.md.
#   Benchmarks/compare-onthefly.sh [--seconds N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup
command -v wrk >/dev/null || { sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"; DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null; }
if [[ ! -x .build-thumbor/bin/thumbor ]]; then
  echo "compare-onthefly: installing thumbor 7.8 into .build-thumbor/"
  python3 -m venv .build-thumbor && .build-thumbor/bin/pip install -q thumbor==7.8.0
fi
source scripts/build
exec python3 Benchmarks/compare_onthefly.py --darkroom "$bin" --thumbor .build-thumbor/bin/thumbor "$@"
