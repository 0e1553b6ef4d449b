"""The on-the-fly image endpoint (`darkroom serve`, GET /v1/img/…) against thumbor doing the same
fit-in 512×512 of the same images, side by side in one run: requests per second and p99 latency
from wrk at 2, 8 and 32 connections, and the servers' peak resident memory. `vipsthumbnail` on
each image is the reference the rest of RESULTS.md uses. Writes its section of RESULTS.md."""
import argparse
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

import compare

HERE = os.path.dirname(os.path.abspath(__file__))
SECTION = "## On-the-fly images against thumbor"
IMAGES = [  # name, width, height, format
    ("photo-6mp.jpg", 3000, 2000, "jpeg"),
    ("photo-24mp.jpg", 6000, 4000, "jpeg"),
    ("photo-4mp.png", 2448, 1632, "png"),
    ("photo-6mp.webp", 3000, 2000, "webp"),
]
CONCURRENCY = [2, 8, 32]


def wait_for(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"compare-onthefly: {url} did not answer")


def tree_rss_mib(pid):
    """Resident memory of a process and its children, in MiB."""
    pids = [str(pid)]
    try:
        pids += subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    except FileNotFoundError:
        pass
    out = subprocess.run(["ps", "-o", "rss=", "-p", ",".join(pids)], capture_output=True, text=True).stdout
    return sum(int(x) for x in out.split()) / 1024


def cpu_seconds(pid):
    """CPU time used so far by a process and its children, in seconds."""
    pids = [str(pid)]
    try:
        pids += subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    except FileNotFoundError:
        pass
    total = 0
    for one in pids:
        try:
            with open(f"/proc/{one}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def wait_idle(pids, limit=120):
    """Waits until none of the servers uses CPU (under 5 % of a core over half a second): a
    server still working through the requests a finished wrk run left queued would otherwise take
    its CPU from the next measurement, whichever server that is."""
    deadline = time.time() + limit
    while time.time() < deadline:
        before = sum(cpu_seconds(pid) for pid in pids)
        time.sleep(0.5)
        if sum(cpu_seconds(pid) for pid in pids) - before < 0.025:
            return
    print(f"compare-onthefly: the servers were still busy after {limit} s", flush=True)


class PeakSampler:
    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, 0.0, True
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while self.running:
            self.peak = max(self.peak, tree_rss_mib(self.pid))
            time.sleep(0.1)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak


def wrk(url, connections, seconds):
    # wrk's own timeout is 2 s: past it a request is dropped from the latencies (capping p99 near
    # 2 s) while the server still does its work. 60 s keeps every answer in the figures; a
    # request that still times out counts as an error, as a refused one does.
    out = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s",
                          "--latency", url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    completed = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    return rps, float(p99.group(1)) * scale, (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0), completed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--darkroom", required=True)
    parser.add_argument("--thumbor", required=True)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="onthefly-")
    images = os.path.join(work, "images")
    os.makedirs(images)
    for name, width, height, _ in IMAGES:
        subprocess.run([args.darkroom, "image", "sample", os.path.join(images, name), "--width", str(width), "--height", str(height),
                        "--seed", "11", "--quiet"], check=True)

    # The reference: vipsthumbnail once per image, median of 5.
    reference = {}
    for name, *_ in IMAGES:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(["vipsthumbnail", os.path.join(images, name), "-s", "512x512", "-o",
                            os.path.join(work, "ref-%s." + name.rsplit(".", 1)[1] + "[Q=80]")], check=True)
            times.append(time.perf_counter() - start)
        reference[name] = sorted(times)[2]

    # thumbor 7.8: two processes, the file loader, no storage, no result storage.
    config = os.path.join(work, "thumbor.conf")
    with open(config, "w") as out:
        out.write(f"LOADER = 'thumbor.loaders.file_loader'\nFILE_LOADER_ROOT_PATH = '{images}'\nSTORAGE = 'thumbor.storages.no_storage'\n"
                  "RESULT_STORAGE = None\nALLOW_UNSAFE_URL = True\nQUALITY = 80\nMAX_AGE = 0\n")
    thumbor = subprocess.Popen([args.thumbor, "--port", "8890", "--processes", "2", "-c", config, "-l", "error"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # darkroom serve on its own data folder, the images stored as media.
    data = os.path.join(work, "data")
    serve = subprocess.Popen([args.darkroom, "serve", "--port", "8891", "--data", data, "--server", "http://127.0.0.1:9"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env=dict(os.environ, MALLOC_ARENA_MAX="2"))  # as scripts/run starts it
    key = None
    for line in serve.stdout:
        if "made an admin key" in line:
            key = line.split()[-1]
        if "Authorization: Bearer" in line:
            break
    wait_for("http://127.0.0.1:8891/health")
    wait_for(f"http://127.0.0.1:8890/unsafe/fit-in/512x512/{IMAGES[0][0]}")
    paths = {}
    for name, *_ in IMAGES:
        with open(os.path.join(images, name), "rb") as f:
            body = f.read()
        request = urllib.request.Request(f"http://127.0.0.1:8891/v1/media?user=web:bench", data=body, method="POST",
                                         headers={"Authorization": f"Bearer {key}", "Content-Type": "application/octet-stream"})
        media = re.search(r'"id":"(m_[0-9a-f]+)"', urllib.request.urlopen(request).read().decode()).group(1)
        paths[name] = subprocess.run([args.darkroom, "sign", "resize:512x512", media, "--data", data],
                                     capture_output=True, text=True, check=True).stdout.strip()
        urllib.request.urlopen("http://127.0.0.1:8891" + paths[name]).read()  # warm up

    rows, peaks = [], {"darkroom": 0.0, "thumbor": 0.0}
    for name, width, height, _ in IMAGES:
        for connections in CONCURRENCY:
            row = {"image": f"{width * height / 1e6:.0f} MP {name.rsplit('.', 1)[1].upper()}", "c": connections}
            for server, url, pid in (("thumbor", f"http://127.0.0.1:8890/unsafe/fit-in/512x512/{name}", thumbor.pid),
                                     ("darkroom", "http://127.0.0.1:8891" + paths[name], serve.pid)):
                wait_idle([thumbor.pid, serve.pid])
                sampler = PeakSampler(pid)
                before = cpu_seconds(pid)
                rps, p99, errors, completed = wrk(url, connections, args.seconds)
                # CPU per answered request: the server's CPU time while wrk ran, over the answers
                # wrk counted. Unlike requests a second, it hardly moves with the load other
                # tenants put on this shared machine. Taken when wrk stops, not when the server is
                # idle again: the requests still queued then (up to one a connection) are answered
                # to nobody, and their CPU would be charged to the counted ones.
                during = cpu_seconds(pid) - before
                peaks[server] = max(peaks[server], sampler.stop())
                row[server] = (rps, p99, errors, 1000 * during / max(1, completed))
            rows.append(row)
            print(row, flush=True)
    os.killpg(thumbor.pid, signal.SIGTERM)
    serve.send_signal(signal.SIGTERM)
    serve.wait(timeout=30)

    lines = [SECTION, "",
             f"`Benchmarks/compare-onthefly.sh --seconds {args.seconds}` ({time.strftime('%Y-%m-%d')}): GET of a fit-in 512×512 "
             "(same format out as in, quality 80) of the same generated images, side by side in one run on this 2-core machine: "
             "thumbor 7.8 (`--processes 2`, the file loader, no storage, no result storage) against `darkroom serve`'s "
             "`/v1/img/{signature}/resize:512x512/{media id}`, with wrk (`-t min(2, c) -c c --timeout 60s --latency`). Peak memory is the "
             "resident size of the server's processes while loaded. Before each measurement both servers are left to finish what the previous one queued (no CPU used over half a second). Reference: one `vipsthumbnail -s 512x512` of the image.", "",
             "CPU ms/request is each server's CPU time (all its processes) while wrk ran, over the answers wrk counted: on this shared "
             "machine requests a second swing with other tenants' load, CPU per request hardly does. × CPU is thumbor's CPU per request over darkroom's.", "",
             "| image | connections | thumbor req/s | darkroom req/s | × thumbor | thumbor CPU ms/req | darkroom CPU ms/req | × CPU | thumbor p99 ms | darkroom p99 ms | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        (trps, tp99, terr, tcpu), (drps, dp99, derr, dcpu) = row["thumbor"], row["darkroom"]
        lines.append(f"| {row['image']} | {row['c']} | {trps:.1f} | {drps:.1f} | {drps / trps:.2f} | {tcpu:.0f} | {dcpu:.0f} | {tcpu / dcpu:.2f} | "
                     f"{tp99:.0f} | {dp99:.0f} | {terr}/{derr} |")
    lines += ["", f"Peak resident memory: thumbor {peaks['thumbor']:.0f} MiB (three processes), darkroom {peaks['darkroom']:.0f} MiB "
              f"(× {peaks['darkroom'] / peaks['thumbor']:.2f}).", "",
              "| image | vipsthumbnail s (ref) | darkroom req/s at 2 × ref |", "|---|---:|---:|"]
    for name, width, height, _ in IMAGES:
        at2 = next(r for r in rows if r["image"].endswith(name.rsplit('.', 1)[1].upper()) and r["image"].startswith(f"{width * height / 1e6:.0f}") and r["c"] == 2)
        lines.append(f"| {width * height / 1e6:.0f} MP {name.rsplit('.', 1)[1].upper()} | {reference[name]:.3f} | "
                     f"{at2['darkroom'][0] * reference[name]:.2f} |")
    def met(ok):
        return "yes" if ok else "**no**"

    def times(rows, at_least):  # by requests a second, and by CPU per request
        return (met(all(r["darkroom"][0] >= at_least * r["thumbor"][0] for r in rows)),
                met(all(r["thumbor"][3] >= at_least * r["darkroom"][3] for r in rows)))

    still = [r for r in rows if "PNG" in r["image"] or "WEBP" in r["image"]]
    jpeg = [r for r in rows if "JPG" in r["image"]]
    lines += ["", "| target | met (requests a second) | met (CPU per request) |", "|---|---|---|",
              "| PNG and WebP: ≥ 2× thumbor's throughput | %s | %s |" % times(still, 2),
              "| JPEG: ≥ 1.1× thumbor's throughput | %s | %s |" % times(jpeg, 1.1),
              f"| memory ≤ 0.5× thumbor's | {met(peaks['darkroom'] <= 0.5 * peaks['thumbor'])} | |",
              f"| p99 no worse than thumbor's | {met(all(r['darkroom'][1] <= r['thumbor'][1] for r in rows))} | |"]
    section = "\n".join(lines) + "\n"
    print(section)
    compare.write_section(args.output, SECTION, section)

if __name__ == "__main__":
    main()
