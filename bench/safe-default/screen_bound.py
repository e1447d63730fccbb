#!/usr/bin/env python3
"""Screening of warm-start rules with the budget-dependent UCB bound (numpy, single machine; not the engine).

Reads, per seed, the training and test pools that `bin/adpo split` wrote as JSON Lines (so the split is the
engine's), fits theta* and Sigma_hat on all training labels (ridge DPO fit as `bin/adpo evaluate` does it:
beta = 1, lambda = 1, offset -b), and for each rule picks greedily on log det (gamma = 1, lazy greedy: exact,
since the scores only fall), then fits on the first n picks and reports held-out max logit error against
theta*, accuracy and nll, with the comparison against uniform that claims.md makes.

Rules (m = warm picks; a warm pick's term enters the design with the weights of the phase after it, as the
engine does for uniform warm picks, or unweighted for apo warm picks):
  uniform              a seeded permutation
  adpo-plus-A          ADPO+ with the UCB bound alpha = A (A = 0: the plain Fisher weight)
  apo4d-safe           the engine's adpo-safe: 4d apo picks, then ADPO+ with alpha 2 sqrt(N / n)
  uniK-safe            K*d uniform picks (the uniform rule's first ones), then ADPO+ with alpha 2 sqrt(N / n)
  uniK-A               K*d uniform picks, then ADPO+ with the fixed alpha A (prefix-consistent)
  uni1-apo4d-safe      d uniform picks, apo's greedy on to 4d (unweighted terms), then ADPO+ with 2 sqrt(N / n)
usage: screen_bound.py DIR [seeds] [--grid=...] [--rules=a,b,...] [--full] > table.md
  --full: a full downdate of every score per pick instead of the lazy greedy (the same picks; for large pools)
  DIR holds seed{S}-train and seed{S}-test (JSON Lines directories of `bin/adpo split --output-format jsonl`),
  e.g. for s in 1 2 3; do bin/adpo split --input data/fashion-mnist-pairs --train DIR/seed$s-train \
       --test DIR/seed$s-test --test-fraction 0.2 --seed $s --output-format jsonl; done
The lazy greedy is a Python loop: minutes on pools of 10^4 rows; with --full, budgets of a few thousand on the
paper's 2^16 pairs take seconds per rule (larger budgets there are measured with the engine: `bin/adpo experiment`).
The uniform rule here is a numpy permutation, not the engine's seeded keys, so its numbers differ from the
engine's uniform by sampling only.
"""
import heapq
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screen import fit, metrics, mu, report  # noqa: E402


def load(path):
    """A JSON Lines pool directory (its part files), rows sorted by id."""
    import glob
    import json
    ids, phi, b, s = [], [], [], []
    for f in sorted(glob.glob(path + "/part-*.json")):
        for line in open(f):
            r = json.loads(line)
            ids.append(r["id"]); phi.append(r["phi"]); b.append(r.get("b", 0.0)); s.append(r["s"])
    o = np.argsort(ids)
    return (np.array(ids)[o], np.array(phi, dtype=np.float32).astype(np.float64)[o], np.array(b)[o],
            np.array(s, dtype=float)[o])


def lazy_greedy(V, n, start=(), fixed_terms=None, gamma=1.0):
    """Greedy log det picks of rows of V up to n, after the rows `start` (their terms: fixed_terms rows, or V's)."""
    N, d = V.shape
    Hinv = np.eye(d) / gamma
    picked = []
    taken = np.zeros(N, bool)
    for k, i in enumerate(start):
        v = fixed_terms[k] if fixed_terms is not None else V[i]
        u = Hinv @ v
        Hinv -= np.outer(u, u) / (1 + v @ u)
        picked.append(int(i))
        taken[i] = True
    if len(picked) >= n:
        return picked[:n]
    q0 = np.einsum('ij,jk,ik->i', V, Hinv, V)
    heap = [(-q0[i], int(i)) for i in np.flatnonzero(~taken)]
    heapq.heapify(heap)
    stamp = np.full(N, len(picked))
    while len(picked) < n and heap:
        negq, i = heapq.heappop(heap)
        if stamp[i] == len(picked):
            v = V[i]
            u = Hinv @ v
            Hinv -= np.outer(u, u) / (1 + v @ u)
            picked.append(i)
            continue
        v = V[i]
        stamp[i] = len(picked)
        heapq.heappush(heap, (-(v @ Hinv @ v), i))
    return picked


def full_greedy(V, n, start=(), fixed_terms=None, gamma=1.0):
    """The same picks as lazy_greedy by a full float64 downdate of every score per pick (fast on large pools)."""
    N, d = V.shape
    Hinv = np.eye(d) / gamma
    picked = []
    for k, i in enumerate(start):
        v = fixed_terms[k] if fixed_terms is not None else V[i]
        u = Hinv @ v
        Hinv -= np.outer(u, u) / (1 + v @ u)
        picked.append(int(i))
    if len(picked) >= n:
        return picked[:n]
    q = np.einsum('ij,jk,ik->i', V, Hinv, V)
    q[picked] = -np.inf
    while len(picked) < n:
        i = int(np.argmax(q))
        v = V[i]
        u = Hinv @ v
        c = 1 + v @ u
        Hinv -= np.outer(u, u) / c
        p = V @ u
        q -= p * p / c
        q[i] = -np.inf
        picked.append(i)
    return picked


if "--full" in sys.argv:
    lazy_greedy = full_greedy  # noqa: F811


def weights(P, B, star, Sigma, alpha):
    z = np.abs(P @ star - B)
    if alpha > 0:
        z = np.maximum(z - alpha * np.sqrt(np.einsum('ij,jk,ik->i', P, Sigma, P)), 0)
    m = mu(z)
    return m * (1 - m)


def main():
    root = sys.argv[1]
    seeds = [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else "1,2,3").split(",")]
    grid = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768]
    wanted = None
    for a in sys.argv:
        if a.startswith("--grid="):
            grid = [int(x) for x in a[len("--grid="):].split(",")]
        if a.startswith("--rules="):
            wanted = a[len("--rules="):].split(",")
    res = {}
    for seed in seeds:
        _, P, B, S = load(f"{root}/seed{seed}-train")
        _, TP, TB, TS = load(f"{root}/seed{seed}-test")
        N, d = P.shape
        star = fit(P, B, S)
        w0 = weights(P, B, star, None, 0)
        Sigma = np.linalg.inv(np.eye(d) + (P.T * w0) @ P)
        rng = np.random.default_rng(1000 + seed)
        uni = [int(i) for i in rng.permutation(N)[:max(grid)]]
        picks = {}  # rule -> {n: picks}

        def prefix(name, p):
            picks[name] = {n: p[:n] for n in grid}

        def per_budget(name, fn):
            picks[name] = {n: fn(n) for n in grid}

        def want(name):
            return wanted is None or name in wanted

        prefix("uniform", uni)
        for A in (0, 2):
            if want(f"adpo-plus-{A}"):
                prefix(f"adpo-plus-{A}", lazy_greedy(np.sqrt(weights(P, B, star, Sigma, A))[:, None] * P, max(grid)))

        def safe_v(n):
            return np.sqrt(weights(P, B, star, Sigma, 2 * np.sqrt(N / n)))[:, None] * P

        if want("apo4d-safe"):
            apo = lazy_greedy(P, min(4 * d, max(grid)))

            def apo4d(n):
                m = min(n, 4 * d)
                if n <= m:
                    return apo[:n]
                return lazy_greedy(safe_v(n), n, start=apo[:m], fixed_terms=P[apo[:m]])
            per_budget("apo4d-safe", apo4d)
        if want("uni1-apo4d-safe"):
            # d uniform picks, then apo's greedy (unweighted terms) up to 4d, then ADPO+ with alpha 2 sqrt(N / n)
            m4 = min(4 * d, max(grid))
            mixed = lazy_greedy(P, m4, start=uni[:d])

            def uni_apo(n):
                if n <= m4:
                    return mixed[:n]
                return lazy_greedy(safe_v(n), n, start=mixed, fixed_terms=P[mixed])
            per_budget("uni1-apo4d-safe", uni_apo)
        for K in (1, 2):
            m = K * d
            if want(f"uni{K}-safe"):
                def uni_safe(n, m=m):
                    return uni[:n] if n <= m else lazy_greedy(safe_v(n), n, start=uni[:m])
                per_budget(f"uni{K}-safe", uni_safe)
            for A in (0, 2):
                if want(f"uni{K}-{A}"):
                    V = np.sqrt(weights(P, B, star, Sigma, A))[:, None] * P
                    prefix(f"uni{K}-{A}", lazy_greedy(V, max(grid), start=uni[:m]))
        for name, by_n in picks.items():
            for n in grid:
                pk = by_n[n]
                th = fit(P[pk], B[pk], S[pk])
                res.setdefault((name, n), []).append(metrics(th, star, TP, TB, TS))
        print(f"seed {seed} done", file=sys.stderr, flush=True)
    names = report(res, grid, f"pools {root}: seeds {seeds}; held-out metrics, mean over seeds")
    ref = "adpo-plus-2" if ("adpo-plus-2", grid[-1]) in res else None
    if ref:
        print(f"\n### max logit error / {ref}'s (n >= 8192)\n")
        for name in names:
            print(f"- {name}: " + ", ".join(
                f"n={n}: {np.mean([r[0] for r in res[(name, n)]]) / np.mean([r[0] for r in res[(ref, n)]]):.2f}"
                for n in grid if n >= 8192))


if __name__ == "__main__":
    main()
