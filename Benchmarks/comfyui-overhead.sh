#!/usr/bin/env bash
# What darkroom's ComfyUI client adds to a job beyond the server's own time, beside a minimal
# Python client (ComfyUI's own websocket example) doing the same jobs, and what the makeImage
# workflow adds on top of the client (make-overhead), in the same run:
# trivial graphs one after the other, medians per job. Against the ComfyUI test server it starts
# (release build), or against the server in COMFYUI_URL.
#   Benchmarks/comfyui-overhead.sh [--jobs N] [--rounds R]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup
jobs=50 rounds=3
while (( $# )); do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "usage: $0 [--jobs N] [--rounds R]" >&2; exit 64 ;;
  esac
done

venv=Benchmarks/.venv
[[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check websocket-client

echo "comfyui-overhead: building release binaries" >&2
for product in comfyui-overhead make-overhead; do
  (cd Benchmarks && swift build -c release --static-swift-stdlib --product "$product" 2>&1 | grep -E "error" || true)
done
bench_bin="$(cd Benchmarks && swift build -c release --static-swift-stdlib --show-bin-path)"
overhead="$bench_bin/comfyui-overhead"

server_pid=""
if [[ -z "${COMFYUI_URL:-}" ]]; then
  swift build -c release --product comfyui-test-server 2>&1 | grep -E "error" || true
  port=$(( 20000 + RANDOM % 20000 ))
  "$(swift build -c release --show-bin-path)/comfyui-test-server" "$port" >/dev/null &
  server_pid=$!
  trap '[[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null' EXIT
  url="http://127.0.0.1:$port"
  for _ in $(seq 50); do curl -fsS "$url/system_stats" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "comfyui-overhead: test server at $url" >&2
else
  url="$COMFYUI_URL"
fi

for round in $(seq "$rounds"); do
  echo "darkroom $( "$overhead" "$url" "$jobs" )"
  echo "python   $( "$venv/bin/python" Benchmarks/comfyui_minimal_client.py "$url" "$jobs" )"
  # makeImage against ComfyUIRunner alone; a real server needs COMFYUI_CHECKPOINT and COMFYUI_LORA.
  if [[ -z "${COMFYUI_URL:-}" || ( -n "${COMFYUI_CHECKPOINT:-}" && -n "${COMFYUI_LORA:-}" ) ]]; then
    echo "make     $( "$bench_bin/make-overhead" "$url" "$jobs" templates ${COMFYUI_CHECKPOINT:-} ${COMFYUI_LORA:-} )"
  fi
done
