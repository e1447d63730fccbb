#!/usr/bin/env python3
"""Selection benchmark (not part of the test suite).

For each pool size it generates a seeded synthetic pool once (bin/adpo make-synthetic), then times the
selection phase of:
  * the exact engine (--strategy lazy, the default),
  * the naive one-job-per-pick loop (--strategy naive), on fewer picks (it is slow; its time per pick
    is what is compared),
  * a single-thread dense Java implementation of the same greedy (org.adpo.reference.DenseBenchmark, test
    code: it runs from target/test-classes, compiled first when missing or older than its sources).
and writes a Markdown table (bench/results.md unless --out) with N, d, n, the selection phase's wall
time, picks per Spark job, the process's peak RSS (driver and executors are one JVM in local mode)
and the cached size of the candidate blocks.

usage: bench/run.py [--sizes 1000000x256,...] [--budget 1000] [--naive-budget 20] [--skip-naive]
                    [--skip-dense] [--algorithm apo] [--heap 12g] [--out bench/results.md]
"""
import argparse, json, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.environ.get("ADPO_BENCH_DIR", "/tmp/adpo-bench")


def run(cmd, env=None):
    """Runs cmd, returns (exit code, wall seconds, peak RSS in MiB, stdout)."""
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=sys.stderr, env=env, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.time() - start, usage.ru_maxrss / 1024.0, out


def adpo(args, heap):
    env = dict(os.environ, ADPO_JAVA_OPTS=f"-Xmx{heap}")
    return run([os.path.join(ROOT, "bin/adpo")] + args, env)


def pool(rows, dim, heap):
    path = os.path.join(WORK, f"pool-{rows}-{dim}-f32")
    if not os.path.isdir(path):
        code, secs, _, _ = adpo(["make-synthetic", "--output", path, "--rows", str(rows), "--dim", str(dim),
                                 "--seed", "1", "--partitions", "8"], heap)
        if code != 0:
            sys.exit(f"make-synthetic failed ({code})")
        print(f"generated {path} in {secs:.1f} s", file=sys.stderr)
    return path


def engine(path, rows, dim, budget, strategy, algorithm, heap):
    out = os.path.join(WORK, f"out-{rows}-{dim}-{budget}-{strategy}")
    code, wall, rss, _ = adpo(["select", "--input", path, "--output", out, "--algorithm", algorithm,
                               "--budget", str(budget), "--strategy", strategy, "--overwrite"], heap)
    if code != 0:
        sys.exit(f"select failed ({code})")
    rep = json.load(open(os.path.join(out, "report.json")))
    sel = rep["selection"]
    return {"select_s": rep["timings_s"]["select"], "picks": sel["picks"], "rounds": sel["rounds"],
            "jobs_select": sel["rounds"] + sel.get("refreshes", 0), "rss": rss, "wall": wall,
            "cached": rep["pool"].get("cached_candidate_bytes", -1), "kernel": sel.get("kernel", "")}


def test_classes():
    """target/test-classes with the dense reference compiled from the current sources."""
    classes = os.path.join(ROOT, "target/test-classes")
    compiled = os.path.join(classes, "org/adpo/reference/DenseBenchmark.class")
    sources = os.path.join(ROOT, "src/test/java/org/adpo/reference")
    newest = max(os.path.getmtime(os.path.join(sources, f)) for f in os.listdir(sources))
    if not os.path.isfile(compiled) or os.path.getmtime(compiled) < newest:
        print("compiling the test classes (mvn test-compile) for the dense reference", file=sys.stderr)
        if subprocess.run(["mvn", "-B", "-q", "test-compile"], cwd=ROOT).returncode != 0:
            sys.exit("mvn test-compile failed")
    return classes


def dense(path, budget, heap):
    # The dense reference is test code (not in the jar): the test classes, then the jar and its libraries.
    cp = ":".join([test_classes(), os.path.join(ROOT, "target/adpo-spark.jar"), os.path.join(ROOT, "target/lib/*")])
    opens = subprocess.run(["sed", "-n", r"s:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p",
                            os.path.join(ROOT, "pom.xml")], capture_output=True, text=True).stdout.split()
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    code, wall, rss, out = run(["java", f"-Xmx{heap}"] + opens +
                               [f"-Dlog4j2.configurationFile={ROOT}/conf/log4j2.properties", "-cp", cp,
                                "org.adpo.reference.DenseBenchmark", path, str(budget)], env)
    if code != 0:
        sys.exit(f"dense reference failed ({code})")
    r = json.loads(out.strip().splitlines()[-1])
    return {"select_s": r["select_s"], "picks": r["picks"], "rss": rss}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000x256")
    ap.add_argument("--budget", type=int, default=1000)
    ap.add_argument("--naive-budget", type=int, default=20)
    ap.add_argument("--dense-budget", type=int, default=0, help="default: --budget")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--skip-dense", action="store_true")
    ap.add_argument("--algorithm", default="apo")
    ap.add_argument("--heap", default="12g")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results.md"))
    a = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    lines = ["| N | d | n | implementation | selection phase (s) | s per pick | picks per Spark job | peak RSS (MiB) | cached candidates (MiB) | 4 N d (MiB) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for size in a.sizes.split(","):
        rows, dim = (int(x) for x in size.split("x"))
        path = pool(rows, dim, a.heap)
        raw = 4 * rows * dim / 2**20
        e = engine(path, rows, dim, a.budget, "lazy", a.algorithm, a.heap)
        lines.append(f"| {rows} | {dim} | {e['picks']} | exact engine (lazy, {e['kernel']}) | {e['select_s']:.2f} | "
                     f"{e['select_s'] / e['picks']:.4f} | {e['picks'] / e['jobs_select']:.1f} | {e['rss']:.0f} | "
                     f"{e['cached'] / 2**20:.0f} | {raw:.0f} |")
        print(lines[-1], file=sys.stderr)
        if not a.skip_naive:
            nv = engine(path, rows, dim, a.naive_budget, "naive", a.algorithm, a.heap)
            lines.append(f"| {rows} | {dim} | {nv['picks']} | naive (one job per pick) | {nv['select_s']:.2f} | "
                         f"{nv['select_s'] / nv['picks']:.4f} | {nv['picks'] / nv['jobs_select']:.1f} | "
                         f"{nv['rss']:.0f} | {nv['cached'] / 2**20:.0f} | {raw:.0f} |")
            print(lines[-1], file=sys.stderr)
        if not a.skip_dense:
            db = a.dense_budget or a.budget
            dn = dense(path, db, a.heap)
            lines.append(f"| {rows} | {dim} | {dn['picks']} | single-thread dense Java (score downdate) | "
                         f"{dn['select_s']:.2f} | {dn['select_s'] / dn['picks']:.4f} | - | {dn['rss']:.0f} | - | {raw:.0f} |")
            print(lines[-1], file=sys.stderr)
    with open(a.out, "w") as f:
        f.write(f"Command: `bench/run.py {' '.join(sys.argv[1:])}`\n\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
