#!/usr/bin/env bash
# Side-by-side comparison of darkroom with the tools people use today: the vips command-line
# tools, pyvips, Pillow and ImageMagick. Same machine, same run, interleaved; medians of wall
# time and peak memory. Writes Benchmarks/RESULTS.md.
#   Benchmarks/compare.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup

need=()
[[ -x /usr/bin/time ]] || need+=(time)
ls /usr/bin/convert-im6.q16 /usr/bin/magick >/dev/null 2>&1 || need+=(imagemagick)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need+=(python3-venv)
if (( ${#need[@]} )); then
  echo "compare: installing ${need[*]}"
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

venv=Benchmarks/.venv
[[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check pyvips Pillow

echo "compare: building release binaries"
swift build -c release --static-swift-stdlib --product darkroom 2>&1 | grep -E "error|Compiling|Build" | tail -1
(cd Benchmarks && swift build -c release --static-swift-stdlib --product vips-bench 2>&1 | grep -E "error|Build" | tail -1)
darkroom="$(swift build -c release --static-swift-stdlib --show-bin-path)/darkroom"
vips_bench="$(cd Benchmarks && swift build -c release --static-swift-stdlib --show-bin-path)/vips-bench"

exec "$venv/bin/python" Benchmarks/compare.py --darkroom "$darkroom" --vips-bench "$vips_bench" "$@"
