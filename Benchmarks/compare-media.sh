#!/usr/bin/env bash
# Media transform plans against the same chains through `darkroom image` and the vips tools, in
# the same run (interleaved, medians). Writes its section of Benchmarks/RESULTS.md.
#   Benchmarks/compare-media.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup
[[ -x /usr/bin/time ]] || { sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"; DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null; }

echo "compare-media: building release binaries"
swift build -c release --static-swift-stdlib --product darkroom 2>&1 | grep -E "error|Build" | tail -1
for product in media-plan make-post; do
  (cd Benchmarks && swift build -c release --static-swift-stdlib --product "$product" 2>&1 | grep -E "error|Build" | tail -1)
done
darkroom="$(swift build -c release --static-swift-stdlib --show-bin-path)/darkroom"
bench_bin="$(cd Benchmarks && swift build -c release --static-swift-stdlib --show-bin-path)"

exec python3 Benchmarks/compare_media.py --darkroom "$darkroom" --media-plan "$bench_bin/media-plan" --make-post "$bench_bin/make-post" "$@"
