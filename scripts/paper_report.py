#!/usr/bin/env python3
"""Turns bench/paper_table's Google Benchmark JSON into docs/benchmarks.md's paper table, its
prover-time breakdown, and two PNG plots.

Usage: scripts/paper_report.py [results.json] [image directory]
       (defaults: build/bench-results/paper_table.json, docs/img)
Prints the Markdown tables to standard output and writes
  <image directory>/prover_time.png       prover time against the model's parameter count,
                                          prediction proofs, 1 and 2 threads;
  <image directory>/prover_breakdown.png  VGG-16's prover time by kind of work, 1 and 2 threads.
Needs matplotlib (Debian: python3-matplotlib; run with /usr/bin/python3).
"""
import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

# zkcnn::ProverPhase, in order, with the names the tables and plots use.
PHASES = [
    ("witness", "witness"),
    ("commitments", "commitments"),
    ("convolution", "convolution"),
    ("fft", "FFT"),
    ("dense", "dense"),
    ("relu", "ReLU"),
    ("pooling", "pooling"),
    ("wiring", "bias, merging, input"),
    ("range_check", "range check"),
    ("openings", "openings"),
]
MODELS = {
    "lenet5": "LeNet-5",
    "vgg11": "VGG-11",
    "vgg16": "VGG-16",
    "vgg16_accuracy20": "VGG-16, accuracy on 20",
    "resnet20": "ResNet-20",
    "resnet18": "ResNet-18",
}


# The configurations, as the table names them.
CONFIGS = {"bn254_hyrax": "BN254 Hyrax", "goldilocks_hash": "Goldilocks Ligero"}


def load_rows(path):
    """One dict per benchmark row: model, threads and the counters."""
    data = json.loads(path.read_text())
    rows = []
    for bench in data.get("benchmarks", []):
        if bench.get("run_type", "iteration") != "iteration" or bench.get("error_occurred"):
            continue
        parts = bench["name"].split("/")
        threads = next(int(p.split(":")[1]) for p in parts if p.startswith("threads:"))
        config = parts[2] if not parts[2].startswith("threads:") else "bn254_hyrax"
        rows.append(dict(bench, model=parts[1], config=config, threads=threads))
    if not rows:
        sys.exit(f"no paper_table rows in {path}: run scripts/paper-table first")
    return data.get("context", {}), rows


def seconds_text(s):
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def size_text(n):
    if n >= 2**30:
        return f"{n / 2**30:.2f} GiB"
    if n >= 2**20:
        return f"{n / 2**20:.0f} MiB"
    return f"{n / 1024:.1f} KiB"


def print_table(rows):
    print("| model | configuration | parameters | threads | commit | prove | verify | proof | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {MODELS.get(r['model'], r['model'])} | {CONFIGS.get(r['config'], r['config'])} "
              f"| {r['parameters'] / 1e6:.2f} M | {r['threads']} "
              f"| {seconds_text(r['commit_s'])} | {seconds_text(r['prove_s'])} | {seconds_text(r['verify_s'])} "
              f"| {size_text(r['proof_bytes'])} | {size_text(r['peak_memory'])} |")
    print()
    print("| model | configuration | prover speed-up, 2 threads over 1 | commitment speed-up |")
    print("|---|---|---|---|")
    for model, config in dict.fromkeys((r["model"], r["config"]) for r in rows):
        by_threads = {r["threads"]: r for r in rows if r["model"] == model and r["config"] == config}
        if 1 in by_threads and 2 in by_threads:
            one, two = by_threads[1], by_threads[2]
            print(f"| {MODELS.get(model, model)} | {CONFIGS.get(config, config)} "
                  f"| {one['prove_s'] / two['prove_s']:.2f}x | {one['commit_s'] / two['commit_s']:.2f}x |")
    print()


def breakdown_rows(rows, model, config):
    return sorted((r for r in rows if r["model"] == model and r["config"] == config), key=lambda r: r["threads"])


def print_breakdown(rows, model, config):
    selected = breakdown_rows(rows, model, config)
    if not selected:
        return
    header = " | ".join(f"{r['threads']} thread{'s' if r['threads'] > 1 else ''}" for r in selected)
    print(f"| {MODELS.get(model, model)}, {CONFIGS.get(config, config)}: prover phase | {header} |")
    print("|---|" + "---|" * len(selected))
    for key, label in PHASES:
        cells = []
        for r in selected:
            ms = r.get(f"{key}_ms", 0.0)
            total = sum(r.get(f"{k}_ms", 0.0) for k, _ in PHASES)
            cells.append(f"{ms:.0f} ms ({100 * ms / total:.0f}%)" if total else "")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()


def plot_prover_time(rows, out):
    fig, ax = plt.subplots(figsize=(6, 4))
    for threads, marker in ((1, "o"), (2, "s")):
        points = sorted((r["parameters"], r["prove_s"], r["model"]) for r in rows
                        if r["threads"] == threads and "accuracy" not in r["model"] and r["config"] == "bn254_hyrax")
        if not points:
            continue
        ax.plot([p[0] for p in points], [p[1] for p in points], marker=marker,
                label=f"{threads} thread{'s' if threads > 1 else ''}")
        if threads == 1:
            for params, seconds, model in points:
                ax.annotate(MODELS.get(model, model), (params, seconds), textcoords="offset points",
                            xytext=(5, -12))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("parameters")
    ax.set_ylabel("prover time (s)")
    ax.set_title("Prediction proofs, zero knowledge, BN254")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def plot_breakdown(rows, model, out):
    selected = breakdown_rows(rows, model, "bn254_hyrax")
    if not selected:
        return
    fig, ax = plt.subplots(figsize=(7, 4))
    labels = [label for _, label in PHASES]
    height = 0.8 / len(selected)
    for i, r in enumerate(selected):
        values = [r.get(f"{key}_ms", 0.0) / 1e3 for key, _ in PHASES]
        offsets = [y + i * height for y in range(len(PHASES))]
        ax.barh(offsets, values, height=height, label=f"{r['threads']} thread{'s' if r['threads'] > 1 else ''}")
    ax.set_yticks([y + height * (len(selected) - 1) / 2 for y in range(len(PHASES))])
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlabel("seconds")
    ax.set_title(f"{MODELS.get(model, model)} prediction: prover time by kind of work")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main():
    path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build/bench-results/paper_table.json")
    images = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "docs/img")
    context, rows = load_rows(path)
    print(f"{context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz, "
          f"date {context.get('date', '?')}\n")
    print_table(rows)
    for config in CONFIGS:
        print_breakdown(rows, "vgg16", config)
    images.mkdir(parents=True, exist_ok=True)
    plot_prover_time(rows, images / "prover_time.png")
    plot_breakdown(rows, "vgg16", images / "prover_breakdown.png")
    print(f"plots: {images / 'prover_time.png'}, {images / 'prover_breakdown.png'}", file=sys.stderr)


if __name__ == "__main__":
    main()
