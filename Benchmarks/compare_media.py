"""Times Media transform plans against the same chains through `darkroom image` and the vips
command-line tools, interleaved, in the same run; writes its section of RESULTS.md."""
import argparse
import os
import subprocess

import compare

HERE = os.path.dirname(os.path.abspath(__file__))
SECTION = "## Media transform plans"


BATCH = 4


def generated_batch(darkroom, inputs):
    """What a ComfyUI run of batch 4 at 1024² returns: four PNGs, made by darkroom itself."""
    paths = []
    for index in range(1, BATCH + 1):
        path = os.path.join(inputs, f"generated-{index}.png")
        if not os.path.exists(path):
            subprocess.run([darkroom, "image", "sample", path, "--width", "1024", "--height", "1024", "--seed", str(index), "--quiet"],
                           check=True)
        paths.append(path)
    return paths


def post_processing(args, inputs):
    """makeImage's post-processing (watermark 42 px from the corner's 21 px margin at 60 %, WebP
    q90, a 256 px WebP q70 preview of the watermarked image) three ways."""
    d, generated = args.darkroom, generated_batch(args.darkroom, inputs)
    darkroom = " && ".join(
        f"{d} image watermark {g} image-{n}.webp --text darkroom --font 'sans bold 42' --margin 21 --opacity 0.6 --quality 90 --quiet"
        f" && {d} image thumbnail image-{n}.webp preview-{n}.webp --width 256 --quality 70 --quiet"
        for n, g in enumerate(generated, 1))
    # The vips tools need the watermark as an RGBA image: made once for the batch.
    mark = ("vips text t.v darkroom --font 'sans bold 42' && vips linear t.v a.v 0.6 0 --uchar"
            " && vips linear t.v w.v 0 255 --uchar && vips bandjoin 'w.v w.v w.v a.v' b.v && vips copy b.v m.v --interpretation srgb"
            " && x=$((1024 - $(vipsheader -f width m.v) - 21)) && y=$((1024 - $(vipsheader -f height m.v) - 21))")
    vips = mark + "".join(
        f" && vips composite2 {g} m.v c{n}.v over --x $x --y $y && vips webpsave c{n}.v image-{n}.webp --Q 90"
        f" && vipsthumbnail image-{n}.webp -s 256 -o preview-{n}.webp[Q=70]"
        for n, g in enumerate(generated, 1))
    return (f"makeImage post-processing, {BATCH} × 1024² PNG → watermark, 256 px preview, WebP", "vips", {
        "plan": [args.make_post, "."] + generated,
        "darkroom image": ["sh", "-c", darkroom],
        "vips": ["sh", "-c", vips],
    })


def tasks(args, inputs):
    d, plan = args.darkroom, args.media_plan
    i = lambda name: os.path.join(inputs, name)
    sh = lambda command: ["sh", "-c", command]
    photo, sharp = i("photo-24mp.jpg"), i("sharp-2725x2225.jpg")
    run = lambda name: os.path.join(args.work, "run", name)  # vipsthumbnail's -o is relative to the input
    return [
        ("thumbnail 24 MP JPEG → 512 px WebP", "vipsthumbnail", {
            "plan": [plan, photo, "out.webp", "resize:512/format:webp:q80"],
            "darkroom image": [d, "image", "thumbnail", photo, "out.webp", "--width", "512", "--quality", "80"],
            "vipsthumbnail": ["vipsthumbnail", photo, "-s", "512", "-o", run("out.webp[Q=80]")],
        }),
        ("2725×2225 JPEG → 1024 px, rotate 90°, WebP", "vips", {
            "plan": [plan, sharp, "out.webp", "resize:1024/rotate:90/format:webp"],
            "darkroom image": sh(f"{d} image thumbnail {sharp} t.tif --width 1024 --quiet && {d} image rotate t.tif out.webp --angle 90 --quiet"),
            "vips": sh(f"vipsthumbnail {sharp} -s 1024 -o {run('t.tif')} && vips rot t.tif out.webp d90"),
        }),
        post_processing(args, inputs),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--darkroom", required=True)
    parser.add_argument("--media-plan", required=True)
    parser.add_argument("--make-post", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--work", default=os.path.join(HERE, "work"))
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    inputs = compare.make_inputs(args.darkroom, args.work)
    task_list = tasks(args, inputs)
    rows = compare.summarise(task_list, compare.measure(task_list, args.runs, args.work))
    wall = {(task, tool): w for task, tool, _, w, _, _, _ in rows}
    lines = [SECTION, "",
             f"`Benchmarks/compare-media.sh --runs {args.runs}`: a plan run by `media-plan` (one process, "
             "`TransformPlan.run`) against the same chain through `darkroom image` (one command per step, "
             "an uncompressed TIFF between them) and the vips tools, interleaved, medians of whole processes. "
             "The last row's `plan` is `make-post`: makeImage's `ImagePostProcessor` over the batch in one "
             "process, as the workflow runs it; `darkroom image` and vips need two and five commands per image.", "",
             "| chain | tool | wall s | peak MiB | time × vips | memory × vips |", "|---|---|---:|---:|---:|---:|"]
    for task, tool, reference, w, mib, tr, mr in rows:
        lines.append(f"| {task} | {tool}{' (ref)' if tool == reference else ''} | {w:.3f} | {mib:.0f} | {tr:.2f} | {mr:.2f} |")
    lines += ["", "| target | measured | met |", "|---|---:|---|"]
    for task, _, _ in task_list:
        throughput = wall[(task, "darkroom image")] / wall[(task, "plan")]
        lines.append(f"| {task}: plan ≥ 0.95× the throughput of darkroom image | {throughput:.2f}× | {'yes' if throughput >= 0.95 else '**no**'} |")
    section = "\n".join(lines) + "\n"
    print(section)
    compare.write_section(args.output, SECTION, section)

if __name__ == "__main__":
    main()
