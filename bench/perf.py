#!/usr/bin/env python3
"""Engine against the numpy anchor, side by side (not part of the test suite).

For each case N:d:n[:P] it makes the pool once (`bin/adpo make-synthetic --raw-dump`, seed 1, phi ~ N(0, I/d)),
then runs, alternating so both see the same machine load (E A, then A E, ...):
  * the engine: `bin/adpo select --algorithm dopt` (exact lazy loop, local[*]), P partitions if given,
    the selection written as JSON Lines so that this script can read the picks;
  * the numpy anchor (bench/anchor.py): the same exact greedy with H^-1 kept as its pick vectors, one
    float32 pass q -= (V t)^2 per pick, on the same float32 features (the raw dump of the same rows).
It checks that the picks agree (same ids in the same order) and writes one Markdown table: the engine's
selection phase and whole process (JVM start to output written), its per-phase times from report.json,
where the rounds ran, rounds, picks per round, driver bytes received and driver CPU per round, the time to
set up the rounds, the time in their refresh/downdate/gather work and the driver's certification (all as
report.json gives them), the
engine process's peak RSS, the anchor's selection time and whole process, and the ratio anchor / engine of
the selection phases. With several repeats the median of each time is shown.

With --baseline DIR (a built checkout of another version, e.g. `git worktree add DIR <commit>` and
`mvn -DskipTests package` there) that version's engine runs in the same alternation and its times are added.

usage: bench/perf.py [--cases 20000:64:100,50000:1024:200:8] [--repeats 1] [--heap 6g]
                     [--out bench/perf.md] [--baseline DIR]
Pools go to $ADPO_BENCH_DIR (default /tmp/adpo-bench).
"""
import argparse, json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.environ.get("ADPO_BENCH_DIR", "/tmp/adpo-bench")


def run(cmd, env=None):
    """Runs cmd; returns (exit code, wall seconds, stdout)."""
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    out, err = proc.communicate()
    secs = time.time() - start
    if proc.returncode != 0:
        sys.stderr.write(err[-4000:])
    return proc.returncode, secs, out


def run_rss(cmd, env=None):
    """Like run, with the child's peak RSS (MiB) from wait4."""
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        sys.stderr.write(err[-4000:])
    return code, time.time() - start, usage.ru_maxrss / 1024.0, out


def parse_case(s):
    f = [int(float(x)) for x in s.split(":")]
    if len(f) not in (3, 4):
        sys.exit(f"bad case {s!r}: expected N:d:n or N:d:n:P")
    return tuple(f) if len(f) == 4 else (f[0], f[1], f[2], 0)


def pool(rows, dim, heap):
    path = os.path.join(WORK, f"perf-pool-{rows}-{dim}")
    if not os.path.isdir(os.path.join(path, "_phi_f32")):
        subprocess.run(["rm", "-rf", path])
        env = dict(os.environ, ADPO_JAVA_OPTS=f"-Xmx{heap}")
        code, secs, _ = run([os.path.join(ROOT, "bin/adpo"), "make-synthetic", "--output", path, "--rows", str(rows),
                             "--dim", str(dim), "--seed", "1", "--partitions", "8", "--raw-dump"], env)
        if code != 0:
            sys.exit(f"make-synthetic failed ({code})")
        print(f"generated {path} in {secs:.1f} s", file=sys.stderr)
    return path


def engine(path, rows, dim, budget, parts, heap, root=ROOT, tag="engine", opts=""):
    out = os.path.join(WORK, f"perf-out-{tag}-{rows}-{dim}-{budget}-{parts}")
    env = dict(os.environ, ADPO_JAVA_OPTS=f"-Xmx{heap} {opts}".strip())
    cmd = [os.path.join(root, "bin/adpo"), "select", "--input", path, "--output", out, "--algorithm", "dopt",
           "--budget", str(budget), "--output-format", "jsonl", "--overwrite"]
    if parts:
        cmd += ["--partitions", str(parts)]
    code, secs, rss, _ = run_rss(cmd, env)
    if code != 0:
        sys.exit(f"engine failed ({code}): {' '.join(cmd)}")
    report = json.load(open(os.path.join(out, "report.json")))
    rows_out = []
    sel = os.path.join(out, "selection")
    for name in sorted(os.listdir(sel)):
        if name.startswith(("_", ".")):
            continue
        with open(os.path.join(sel, name)) as f:
            for line in f:
                r = json.loads(line)
                rows_out.append((r["rank"], r["id"], r["gain"]))
    rows_out.sort()
    return {"wall": secs, "rss": rss, "report": report, "picks": [r[1] for r in rows_out],
            "gains": [r[2] for r in rows_out]}


def anchor(path, dim, budget):
    code, secs, rss, out = run_rss([sys.executable, os.path.join(ROOT, "bench/anchor.py"), path, str(budget),
                                    "--dim", str(dim)])
    if code != 0:
        sys.exit(f"anchor failed ({code})")
    r = json.loads(out)
    r["wall"] = secs
    r["rss"] = rss
    return r


def exact_at(path, dim, picks, k, other, gamma=1.0):
    """float64 scores v^T H^-1 v after picks[:k] (H = gamma I + sum v v^T) of picks[k] and of other[k]."""
    import numpy as np
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import anchor as anchor_mod
    V = anchor_mod.load(path).reshape(-1, dim)
    T = np.zeros((k, dim))
    for i in range(k):
        v = V[picks[i]].astype(np.float64)
        u = v / gamma - T[:i].T @ (T[:i] @ v)
        T[i] = u / np.sqrt(1.0 + v @ u)
    def score(j):
        v = V[j].astype(np.float64)
        z = T @ v
        return float(v @ v / gamma - z @ z)
    return score(picks[k]), score(other[k])


def med(xs):
    return statistics.median(xs)


def fmt_case(n_rows, dim, budget, parts):
    def big(x):
        for e in (6, 5, 4):
            if x >= 10 ** e and x % 10 ** e == 0:
                m = x // 10 ** e
                return f"{m}x10^{e}" if m != 1 else f"10^{e}"
        return str(x)
    return f"N = {big(n_rows)}, d = {dim}, n = {budget}" + (f", P = {parts}" if parts else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="20000:64:100,20000:1024:100:8")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--heap", default="6g")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/perf.md"))
    ap.add_argument("--baseline", help="checkout of another version of the engine (e.g. the previous release,"
                    " built): its bin/adpo runs too, in the same alternation, and the table adds its times;"
                    " 'executor-rounds' = this checkout with its rounds forced onto the executors"
                    " (-Dadpo.select.rounds=executors), one Spark job per round")
    a = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    cases = [parse_case(c) for c in a.cases.split(",") if c]
    lines = []
    # bin/adpo records its class-data sharing archive on its first run after a build (seconds longer): that run
    # is made here, on the first case's pool, and not timed, so that the first case's whole process is like the rest.
    first = cases[0]
    engine(pool(first[0], first[1], a.heap), first[0], first[1], 2, first[3], a.heap, tag="warm-up")
    if a.baseline and a.baseline != "executor-rounds":
        engine(pool(first[0], first[1], a.heap), first[0], first[1], 2, first[3], a.heap, root=a.baseline,
               tag="warm-up-baseline")
    for (n_rows, dim, budget, parts) in cases:
        path = pool(n_rows, dim, a.heap)
        es, ans, bs = [], [], []
        for r in range(a.repeats):
            order = ["E", "A"] + (["B"] if a.baseline else [])
            if r % 2 == 1:
                order.reverse()
            for who in order:
                if who == "E":
                    es.append(engine(path, n_rows, dim, budget, parts, a.heap))
                elif who == "B" and a.baseline == "executor-rounds":
                    bs.append(engine(path, n_rows, dim, budget, parts, a.heap, tag="baseline",
                                     opts="-Dadpo.select.rounds=executors"))
                elif who == "B":
                    bs.append(engine(path, n_rows, dim, budget, parts, a.heap, root=a.baseline, tag="baseline"))
                else:
                    ans.append(anchor(path, dim, budget))
                print(f"{fmt_case(n_rows, dim, budget, parts)}: {who} done", file=sys.stderr)
        e, an = es[-1], ans[-1]
        same = all(x["picks"] == an["picks"] for x in es) and all(y["picks"] == an["picks"] for y in ans)
        first_diff = next((i for i, (p, q) in enumerate(zip(e["picks"], an["picks"])) if p != q), None)
        agree = "yes" if same and len(e["picks"]) == budget else (
            f"no (first difference at rank {first_diff + 1})" if first_diff is not None else "no")
        if first_diff is not None:
            # Which of the two is the exact argmax there? float64 scores after the common prefix (the anchor
            # updates its scores in float32, so over thousands of picks its near-ties can go either way).
            es_, as_ = exact_at(path, dim, e["picks"], first_diff, an["picks"])
            agree += (f": in float64 the engine's pick scores {es_:.12g}, the anchor's {as_:.12g}")
        rep = e["report"]
        sel = rep["selection"]
        phases = {k: med([x["report"]["timings_s"].get(k, 0.0) for x in es]) for k in rep["timings_s"]}
        e_sel = phases.get("select", 0.0)
        e_wall = med([x["wall"] for x in es])
        a_sel = med([y["select_s"] for y in ans])
        a_wall = med([y["wall"] for y in ans])
        per_phase = ", ".join(f"{k} {v:.2f}" for k, v in phases.items() if k not in ("select", "total"))
        dbytes = sel.get("driver_bytes_per_round")
        dcpu = sel.get("driver_cpu_s_per_round")
        lines.append("| " + " | ".join([
            fmt_case(n_rows, dim, budget, parts),
            f"{e_sel:.2f}", f"{e_wall:.1f}", per_phase, sel.get("rounds_on", "executors"), str(sel["rounds"]),
            f"{sel['picks_per_round']:.1f}",
            "-" if dbytes is None else f"{dbytes / 1024:.0f} KiB",
            "-" if dcpu is None else f"{dcpu * 1000:.1f} ms",
            " / ".join("-" if sel.get(k) is None else f"{sel[k]:.2f}"
                       for k in ("rounds_setup_s", "round_work_s", "driver_certify_s")),
            f"{med([x['rss'] for x in es]):.0f}",
            f"{a_sel:.2f}", f"{a_wall:.1f}", f"{a_sel / e_sel:.2f}" if e_sel > 0 else "-", agree]
            + ([f"{med([b['report']['timings_s']['select'] for b in bs]):.2f}", f"{med([b['wall'] for b in bs]):.1f}",
                f"{med([b['report']['timings_s']['select'] for b in bs]) / e_sel:.2f}",
                "yes" if all(b["picks"] == e["picks"] for b in bs) else "no"] if bs else [])) + " |")
        print(lines[-1], file=sys.stderr)
    head = ["| case | engine selection (s) | engine whole process (s) | other phases (s) | rounds on | rounds"
            " | picks per round"
            " | driver bytes per round | driver CPU per round | rounds: setup / work / certify (s)"
            " | engine peak RSS (MiB) | numpy selection (s)"
            " | numpy whole process (s) | numpy / engine (selection) | same picks |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    if a.baseline:
        head[0] += " baseline selection (s) | baseline whole process (s) | baseline / engine (selection) | same picks as baseline |"
        head[1] += "---|---|---|---|"
    text = "\n".join(head + lines) + "\n"
    cmd = "bench/perf.py --cases " + ",".join(":".join(str(x) for x in (c if c[3] else c[:3])) for c in cases) + (
        f" --repeats {a.repeats}" if a.repeats != 1 else "") + (
        "" if not a.baseline else " --baseline executor-rounds" if a.baseline == "executor-rounds"
        else " --baseline BASELINE_CHECKOUT")
    with open(a.out, "w") as f:
        f.write(f"<!-- {cmd} ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores) -->\n")
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
