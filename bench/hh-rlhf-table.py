#!/usr/bin/env python3
"""Markdown tables from bin/adpo evaluate's metrics.csv (and metrics.json) for bench/hh-rlhf.sh:
per metric, one row per n, adpo-plus and apo as measured, uniform as the mean over its seeds with
the min-max in brackets."""
import csv
import json
import sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1])))
report = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
val = defaultdict(dict)  # (metric, n) -> method -> value
methods = []
for r in rows:
    if r["method"] not in methods:
        methods.append(r["method"])
    for m in ("accuracy", "nll", "max_logit_error", "error_rate", "margin", "mean_logit_error"):
        val[(m, int(r["n"]))][r["method"]] = float(r[m])
plain = [m for m in methods if not m.startswith("uniform")]
uniform = [m for m in methods if m.startswith("uniform")]
ns = sorted({int(r["n"]) for r in rows})
if report:
    star = report["theta_star"]
    pool = report["pool"]
    print(f"Pool: {pool['rows']} pairs, d = {pool['dimension']}; theta* (fit on all labels): accuracy "
          f"{star['accuracy']:.4f}, nll {star['nll']:.4f}.\n")
for metric, title in (("accuracy", "accuracy (higher is better)"),
                      ("nll", "mean negative log-likelihood (lower is better)"),
                      ("max_logit_error", "max logit error vs theta* (lower is better)"),
                      ("error_rate", "error rate vs theta* (lower is better)")):
    print(f"**{title}**\n")
    head = plain + ([f"uniform (mean of {len(uniform)} seeds, min-max)"] if uniform else [])
    print("| n | " + " | ".join(head) + " |")
    print("|---" * (len(head) + 1) + "|")
    for n in ns:
        cells = [f"{val[(metric, n)][m]:.4f}" for m in plain]
        if uniform:
            u = [val[(metric, n)][m] for m in uniform]
            cells.append(f"{sum(u) / len(u):.4f} ({min(u):.4f}-{max(u):.4f})")
        print(f"| {n} | " + " | ".join(cells) + " |")
    print()
