#!/usr/bin/env python3
"""Markdown tables of an experiment's summary.csv (held-out metrics when run with --test-fraction):
mean [min, max] over seeds per method and n, and each method against uniform's mean at every n
(a loss inside uniform's min-max range counts as a tie; both are listed).
usage: heldout-table.py DIR/summary.csv > table.md"""
import csv, sys

rows = list(csv.DictReader(open(sys.argv[1])))
methods = list(dict.fromkeys(r["method"] for r in rows))
ns = sorted({int(r["n"]) for r in rows})
by = {(r["method"], int(r["n"])): r for r in rows}
metrics = (("max_logit_error", "held-out max logit error (lower is better)", -1),
           ("accuracy", "held-out accuracy (higher is better)", 1),
           ("nll", "held-out negative log-likelihood (lower is better)", -1))
for col, title, _ in metrics:
    print(f"\n### {title}\n")
    print("| method | " + " | ".join(f"n = {n}" for n in ns) + " |")
    print("|---" * (len(ns) + 1) + "|")
    for m in methods:
        cells = []
        for n in ns:
            r = by.get((m, n))
            cells.append("" if r is None else
                         f"{float(r[col + '_mean']):.4g} [{float(r[col + '_min']):.4g}, {float(r[col + '_max']):.4g}]")
        print(f"| {m} | " + " | ".join(cells) + " |")
print("\n### against uniform's mean (every n, the three metrics above)\n")
for m in methods:
    if m == "uniform":
        continue
    losses, ties = [], []
    for col, title, better in metrics:
        for n in ns:
            u, r = by.get(("uniform", n)), by.get((m, n))
            if u is None or r is None:
                continue
            v, mean = float(r[col + "_mean"]), float(u[col + "_mean"])
            if better * (v - mean) < 0:
                inside = float(u[col + "_min"]) <= v <= float(u[col + "_max"])
                (ties if inside else losses).append(f"{col} n={n} ({v:.4g} vs {mean:.4g})")
    print(f"- **{m}**: " + ("no loss outside uniform's range" if not losses else "loses at " + "; ".join(losses))
          + ("" if not ties else ". Ties (worse than uniform's mean, inside its min-max): " + "; ".join(ties)))
