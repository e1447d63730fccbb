#!/usr/bin/env python3
"""Screening of selection rules on held-out pairs (numpy, single machine; not the engine).

Reads a pool exported as JSON Lines (id, phi, b, s), splits it by the same rule as `bin/adpo split`
is *not* reproduced here: the split is a seeded numpy permutation (20 % held out). For each seed and
rule, picks the largest budget greedily (log det of gamma I + sum v v^T, gamma = 1), then fits
theta_hat_n on the first n picks exactly as `bin/adpo evaluate` does (ridge DPO logistic fit, beta = 1,
lambda = 1, offset -b) and reports held-out accuracy, nll and max logit error against theta*
(the fit on all training labels).
usage: screen.py POOL.jsonl [seeds] [--mechanism] [--grid=16,32,...] > table.md
"""
import json, sys, glob, gzip
import numpy as np

def load(path):
    files = sorted(glob.glob(path + "/*.json")) if not path.endswith(".jsonl") else [path]
    ids, phi, b, s = [], [], [], []
    for f in files:
        for line in open(f):
            r = json.loads(line)
            ids.append(r["id"]); phi.append(r["phi"]); b.append(r.get("b", 0.0)); s.append(r["s"])
    o = np.argsort(ids)
    return (np.array(ids)[o], np.array(phi, dtype=np.float32).astype(np.float64)[o],
            np.array(b)[o], np.array(s, dtype=float)[o])

def mu(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))

def loss(phi, b, s, th, lam, beta):
    z = beta * (phi @ th - b)
    return np.sum(np.logaddexp(0, z) - s * z) + 0.5 * lam * th @ th

def fit(phi, b, s, lam=1.0, beta=1.0, iters=200):
    """Penalised DPO fit by Newton steps with backtracking (Armijo), from theta = 0."""
    d = phi.shape[1]
    th = np.zeros(d)
    f = loss(phi, b, s, th, lam, beta)
    for _ in range(iters):
        z = beta * (phi @ th - b)
        m = mu(z)
        g = beta * phi.T @ (m - s) + lam * th
        if np.linalg.norm(g) < 1e-8 * max(1.0, len(b)):
            break
        w = m * (1 - m)
        H = beta * beta * (phi.T * w) @ phi + lam * np.eye(d)
        step = np.linalg.solve(H, g)
        t = 1.0
        while True:
            cand = th - t * step
            fc = loss(phi, b, s, cand, lam, beta)
            if fc <= f - 1e-4 * t * (g @ step) or t < 1e-10:
                break
            t *= 0.5
        th, f = cand, fc
    return th

def greedy(V, n, gamma=1.0, start=None):
    """Greedy log det picks of rows of V; start: list of rows already picked (their V rows in the design)."""
    N, d = V.shape
    Hinv = np.eye(d) / gamma
    picked = []
    taken = np.zeros(N, bool)
    for i in (start or []):
        v = V[i]; u = Hinv @ v; Hinv -= np.outer(u, u) / (1 + v @ u); picked.append(i); taken[i] = True
    # scores q_i = v_i^T Hinv v_i maintained by downdates
    q = np.einsum('ij,jk,ik->i', V, Hinv, V)
    while len(picked) < n:
        q2 = np.where(taken, -np.inf, q)
        i = int(np.argmax(q2))
        v = V[i]; u = Hinv @ v; c = 1 + v @ u
        Hinv -= np.outer(u, u) / c
        proj = V @ u
        q -= proj * proj / c
        picked.append(i); taken[i] = True
    return picked

def metrics(th, star, phi, b, s):
    z = phi @ th - b
    err = np.abs(phi @ (th - star))
    acc = np.mean(np.where(s == 1, z > 0, z < 0))
    nll = np.mean(np.logaddexp(0, -z) * s + np.logaddexp(0, z) * (1 - s))
    return err.max(), acc, nll

def rules(phi, b, s, th_star, seed, nmax, d):
    N = len(b)
    z = phi @ th_star - b
    w = mu(z) * (1 - mu(z))
    rng = np.random.default_rng(1000 + seed)
    uni = list(rng.permutation(N)[:nmax])
    norms = np.linalg.norm(phi, axis=1)
    clip = np.minimum(1, np.median(norms) / norms)
    V = np.sqrt(w)[:, None] * phi
    out = {}
    out["uniform"] = uni
    out["apo"] = greedy(phi, nmax)
    out["adpo-plus"] = greedy(V, nmax)
    for f in (0.05, 0.2):
        out[f"floor-{f}"] = greedy(np.sqrt(np.maximum(w, f))[:, None] * phi, nmax)
    out["mix-0.5"] = greedy(np.sqrt(0.5 * w / 0.25 + 0.5)[:, None] * phi, nmax)
    out["clip-apo"] = greedy(clip[:, None] * phi, nmax)
    for m in (d // 2, d, 2 * d, 4 * d):
        out[f"warm-apo-{m}"] = greedy_warm(phi, V, m, nmax)
    out[f"warm-clip-apo-{2 * d}"] = greedy_warm(clip[:, None] * phi, V, 2 * d, nmax)
    out[f"warm-uniform-{2 * d}"] = greedy_warm_from(uni[:2 * d], V, nmax)
    return out

def greedy_warm(W, V, m, nmax):
    """First m picks greedy on the rows of W (their terms enter the design as W rows), then greedy on V."""
    first = greedy(W, min(m, nmax))
    Vm = V.copy(); Vm[first] = W[first]  # a design term keeps the scale it was picked with
    return greedy(Vm, nmax, start=first)

def greedy_warm_from(first, V, nmax):
    """Given first picks (their terms enter as V rows: only used for uniform warm starts), then greedy on V."""
    return greedy(V, nmax, start=list(first))

def mechanism(phi, b, s, seed):
    """Why ADPO+ loses at small n: its fits stay near 0 and so predict sign(-b)."""
    N, d = phi.shape
    rng = np.random.default_rng(seed)
    test = rng.random(N) < 0.2
    P, B, S = phi[~test], b[~test], s[~test]
    star = fit(P, B, S)
    z = P @ star - B
    w = mu(z) * (1 - mu(z))
    lines = [f"share of labels that agree with sign(b) (a fit at theta = 0 predicts sign(-b)): "
             f"{np.mean((B > 0) == (S == 1)):.4f}; |theta*| = {np.linalg.norm(star):.3f}"]
    for name, picks in (("adpo-plus", greedy(np.sqrt(w)[:, None] * P, 256)), ("apo", greedy(P, 256)),
                        ("uniform", list(np.random.default_rng(1000 + seed).permutation(len(B))[:256]))):
        for n in (64, 128, 256):
            pk = picks[:n]
            th = fit(P[pk], B[pk], S[pk])
            zt = phi[test] @ th - b[test]
            lines.append(f"{name} n={n}: |theta_n| = {np.linalg.norm(th):.3f}, cos(theta_n, theta*) = "
                         f"{th @ star / (np.linalg.norm(th) * np.linalg.norm(star) + 1e-300):.3f}, held-out share predicted"
                         f" sign(-b) = {np.mean(np.sign(zt) == np.sign(-b[test])):.4f}, mean |phi.theta* - b| of picks ="
                         f" {np.mean(np.abs(z[pk])):.3f} (pool {np.mean(np.abs(z)):.3f}), mean |phi| of picks ="
                         f" {np.mean(np.linalg.norm(P[pk], axis=1)):.3f} (pool {np.mean(np.linalg.norm(P, axis=1)):.3f})")
    return lines

def main():
    path = sys.argv[1]
    seeds = [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else "1,2,3").split(",")]
    ids, phi, b, s = load(path)
    N, d = phi.shape
    grid = [n for n in (64, 128, 256, 512, 1024, 2048) if n <= 0.8 * N]
    for a in sys.argv:
        if a.startswith("--grid="):
            grid = [int(x) for x in a[len("--grid="):].split(",")]
    if "--mechanism" in sys.argv:
        print("\n".join(mechanism(phi, b, s, seeds[0])))
        return
    res = {}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        test = rng.random(N) < 0.2
        tr, te = ~test, test
        P, B, S = phi[tr], b[tr], s[tr]
        star = fit(P, B, S)
        for name, picks in rules(P, B, S, star, seed, grid[-1], d).items():
            for n in grid:
                pk = picks[:n]
                th = fit(P[pk], B[pk], S[pk])
                res.setdefault((name, n), []).append(metrics(th, star, phi[te], b[te], s[te]))
        print(f"seed {seed} done", file=sys.stderr)
    report(res, grid, f"pool {path}: N = {N}, d = {d}; 20 % held out per seed (seeds {seeds}); mean over seeds")

def report(res, grid, header):
    """Prints the three held-out tables and each rule's losses and ties against uniform's mean (a loss inside
    uniform's min-max over the seeds counts as a tie). res: (rule, n) -> per-seed (max logit error, accuracy, nll)."""
    names = list(dict.fromkeys(k[0] for k in res))
    print(header)
    for mi, mname in enumerate(("held-out max logit error", "held-out accuracy", "held-out nll")):
        print(f"\n### {mname}\n")
        print("| rule | " + " | ".join(f"n={n}" for n in grid) + " |")
        print("|---" * (len(grid) + 1) + "|")
        for name in names:
            print(f"| {name} | " + " | ".join(f"{np.mean([r[mi] for r in res[(name, n)]]):.4g}" for n in grid) + " |")
    print("\n### against uniform (every n, all three metrics; a loss inside uniform's min-max is a tie)\n")
    for name in names:
        losses, ties = [], []
        for mi, mname, better in ((0, "max logit error", -1), (1, "accuracy", 1), (2, "nll", -1)):
            for n in grid:
                u = [r[mi] for r in res[("uniform", n)]]
                v = np.mean([r[mi] for r in res[(name, n)]])
                if better * (v - np.mean(u)) < 0:
                    (ties if min(u) <= v <= max(u) else losses).append(f"{mname} n={n}")
        print(f"- {name}: " + ("no loss" if not losses else "loses at " + ", ".join(losses))
              + ("" if not ties else "; ties at " + ", ".join(ties)))
    return names

if __name__ == "__main__":
    main()
