#!/usr/bin/env python3
"""Turns the Google Benchmark JSON files that scripts/bench writes (build/bench-results/*.json)
into the Markdown tables of docs/benchmarks.md.

Usage: scripts/bench_report.py [results directory]   (default: build/bench-results)
Prints to standard output; one table per benchmark program, with CPU time per iteration in a
readable unit and every user counter (items per second, proof bytes, ...).
"""
import json
import pathlib
import sys

UNITS = [(1e9, "s"), (1e6, "ms"), (1e3, "us"), (1.0, "ns")]
TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def readable_time(value, unit):
    ns = value * TO_NS[unit]
    for scale, name in UNITS:
        if ns >= scale or name == "ns":
            return f"{ns / scale:.3g} {name}"
    return f"{ns:.3g} ns"


def counter_text(name, value):
    if name.endswith("per_second"):
        return f"{value / 1e6:.3g} M/s"
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.4g}"


def main():
    directory = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build/bench-results")
    files = sorted(directory.glob("*.json"))
    if not files:
        sys.exit(f"no benchmark results in {directory}: run scripts/bench first")
    for path in files:
        data = json.loads(path.read_text())
        context = data.get("context", {})
        print(f"### {path.stem}\n")
        print(f"{context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz, "
              f"date {context.get('date', '?')}\n")
        skip = {"name", "run_name", "run_type", "repetitions", "repetition_index", "threads", "iterations",
                "real_time", "cpu_time", "time_unit", "family_index", "per_family_instance_index",
                "aggregate_name", "aggregate_unit", "error_occurred", "error_message"}
        rows = data.get("benchmarks", [])
        counters = sorted({k for row in rows for k in row if k not in skip and isinstance(row[k], (int, float))})
        print("| " + " | ".join(["benchmark", "CPU time"] + counters) + " |")
        print("|---|---|" + "---|" * len(counters))
        for row in rows:
            cells = [row["name"], readable_time(row["cpu_time"], row.get("time_unit", "ns"))]
            cells += [counter_text(k, row[k]) if k in row else "" for k in counters]
            print("| " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
