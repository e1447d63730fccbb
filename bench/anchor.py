#!/usr/bin/env python3
"""The numpy anchor of bench/perf.py: the plain single-machine form of the same exact greedy.

Reads the pool's features from the raw float32 dump that `bin/adpo make-synthetic --raw-dump` writes
into POOL/_phi_f32/ (row-major, id order; the same float32 values the engine reads from the Parquet
files), and runs D-optimal greedy with unit weights (dopt on a pool without a weight column):

  H^-1 = I/gamma - T^T T is never stored, only the pick vectors T (t x d, float64);
  a pick is j = argmax q (ties to the smallest id: numpy's argmax takes the first);
  u = v_j/gamma - T^T (T v_j); c = 1/(1 + v_j . u); t = sqrt(c) u;
  then one float32 pass q -= (V t)^2 (BLAS, all cores) and q_j = -inf.

Prints one JSON object: load and selection seconds, the picked ids in pick order and their gains
log(1 + v_j^T H^-1 v_j).

usage: bench/anchor.py POOL BUDGET [--gamma G]
"""
import argparse, glob, json, os, sys, time

import numpy as np


def load(pool, d=None):
    files = sorted(glob.glob(os.path.join(pool, "_phi_f32", "part-*.f32")))
    if not files:
        sys.exit(f"{pool}/_phi_f32/ holds no part-*.f32 files (make the pool with --raw-dump)")
    parts = [np.fromfile(f, dtype="<f4") for f in files]
    return np.concatenate(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pool")
    ap.add_argument("budget", type=int)
    ap.add_argument("--dim", type=int, required=True)
    ap.add_argument("--gamma", type=float, default=1.0)
    a = ap.parse_args()
    t0 = time.perf_counter()
    V = load(a.pool).reshape(-1, a.dim)
    n_rows, d = V.shape
    t1 = time.perf_counter()
    gamma = a.gamma
    q = np.einsum("ij,ij->i", V, V, dtype=np.float64) / gamma
    T = np.zeros((a.budget, d), dtype=np.float64)
    picks, gains = [], []
    for k in range(a.budget):
        j = int(np.argmax(q))
        v = V[j].astype(np.float64)
        u = v / gamma - T[:k].T @ (T[:k] @ v)
        qj = float(v @ u)
        t = u / np.sqrt(1.0 + qj)
        T[k] = t
        picks.append(j)
        gains.append(float(np.log1p(qj)))
        z = V @ t.astype(np.float32)
        q -= np.square(z, dtype=np.float32)
        q[j] = -np.inf
    t2 = time.perf_counter()
    print(json.dumps({"rows": n_rows, "d": d, "load_s": t1 - t0, "select_s": t2 - t1,
                      "picks": picks, "gains": gains}))


if __name__ == "__main__":
    main()
