package org.adpo.spark;

import java.util.List;
import org.adpo.select.CandidateBlock;
import org.adpo.select.CertifiedGreedy;
import org.adpo.select.GatherPlan;
import org.adpo.select.PartitionTop;
import org.adpo.select.PickBatch;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * The exact lazy loop ({@code --strategy lazy}, the default): every candidate has a stored score, an
 * upper bound of its current v^T H^-1 v, kept by a {@link LazyRounds} (on the executors or in the
 * driver, {@link RoundsChoice}). Each round downdates the stored scores with the previous round's
 * picks and gathers each partition's best rows above one global threshold ({@link GatherPlan}: about G
 * rows in all, whatever the partition count); {@link CertifiedGreedy} then makes every pick it can
 * prove equal to the sequential one. G adapts to how many picks a round makes. A refresh recomputes
 * every stored score exactly (on drift, on a schedule, or when larger G cannot settle a tie); online,
 * each stretch of rounds stops at the next refit of theta.
 */
final class LazyGreedy {
  /**
   * Upper limit of G, the rows gathered per round in all partitions: their vectors stay within about
   * 16 MB (the driver scores each exactly, O(d t) apiece, O(d) per pick for a row it already held).
   */
  private static final long GATHER_BYTES = 16L << 20;

  private final SparkSession spark;
  private final GreedyState s;
  /** The refit state of the online algorithms; null offline. */
  private final OnlineLearner online;
  /** Test-only injected task failures; null (nothing checked) unless configured. */
  private final FaultInjection faults;
  private final long maxPicksPerRound;

  LazyGreedy(SparkSession spark, GreedyState s, OnlineLearner online, FaultInjection faults, long maxPicksPerRound) {
    this.spark = spark;
    this.s = s;
    this.online = online;
    this.faults = faults;
    this.maxPicksPerRound = maxPicksPerRound;
  }

  void run(JavaRDD<CandidateBlock> initial, long n, long candidateRows) {
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    boolean cpuTimed = cpu.isCurrentThreadCpuTimeSupported();
    long cpuStart = cpuTimed ? cpu.getCurrentThreadCpuTime() : 0;
    int roundsBefore = s.rounds;
    try (SparkJobs.ResultBytes received = new SparkJobs.ResultBytes(spark.sparkContext())) {
      loop(initial, n, candidateRows);
      int loopRounds = Math.max(1, s.rounds - roundsBefore);
      s.driverBytesPerRound = received.settled() / (double) loopRounds;
      s.driverCpuPerRound = cpuTimed ? (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9 / loopRounds : -1;
    }
  }

  private void loop(JavaRDD<CandidateBlock> initial, long n, long candidateRows) {
    // Picks are made up to the next refit of theta (online), else up to n.
    // Resumed picks (resume) count: the next refit is the schedule's next point after them.
    long boundary = online == null ? n : Math.min(n, online.nextRefit(s.picks.size()));
    double gamma = s.settings.gamma();
    long bytes = candidateRows * (4L * s.d + 40);
    long setupStart = System.nanoTime();
    // After a refresh nothing refers to earlier candidate generations any more (the executor rounds'
    // new state is computed from the newest only; the driver rounds hold only its blocks).
    Runnable retire = () -> {
      if (online != null) {
        online.retireOld();
      }
    };
    try (LazyRounds where = RoundsChoice.inDriver(spark, bytes)
        ? new DriverRounds(spark, initial, bytes, gamma, RoundsChoice.threads(spark), retire)
        : new ExecutorRounds(spark, initial, gamma, s.settings.checkpointEvery(), faults, retire)) {
      s.roundsRunOn = where.where();
      s.roundsSetupSeconds = (System.nanoTime() - setupStart) / 1e9;
      rounds(where, n, boundary);
      s.checkpoints += where.checkpoints();
    }
  }

  /** The driver's side of the lazy loop: what to gather, what to certify, when to refresh or refit. */
  private void rounds(LazyRounds where, long n, long boundary) {
    int partitions = where.partitions();
    // The rows gathered per round, in all partitions together (not per partition): the driver's
    // bytes and work per round do not grow with the partition count.
    int cap = (int) Math.max(1, Math.min(1 << 20, GATHER_BYTES / ((long) s.d * 8)));
    int gather = (int) Math.min(cap, (long) s.settings.topK() * Math.min(partitions, 8));
    GatherPlan plan = GatherPlan.uniform(gather, partitions);
    boolean fresh = false;
    // Resumed from earlier picks: the initial scores ignore H^-1, so the first round recomputes them.
    boolean refreshNext = !s.picks.isEmpty();
    CertifiedGreedy.Outcome last = null;
    CertifiedGreedy.Memo memo = new CertifiedGreedy.Memo();
    while (s.picks.size() < n) {
      s.rounds++;
      if (refreshNext) {
        s.refreshes++;
        long t0 = System.nanoTime();
        where.refresh("select round " + s.rounds + ": exact refresh (" + s.picks.size() + "/" + n + ")",
            s.design.vectors(), s.pickedArray());
        s.roundWorkSeconds += (System.nanoTime() - t0) / 1e9;
        fresh = true;
        refreshNext = false;
      } else if (last != null && last.picks() > 0) {
        long t0 = System.nanoTime();
        where.downdate(new PickBatch(last.downdates(), last.picked(), s.d));
        s.roundWorkSeconds += (System.nanoTime() - t0) / 1e9;
        fresh = false;
      }
      long gatherStart = System.nanoTime();
      List<PartitionTop> tops = where.gather("select round " + s.rounds + " (" + s.picks.size() + "/" + n
          + " picks, gathering about " + gather + " rows"
          + (online == null ? "" : ", next refit after " + boundary) + ")", plan);
      s.roundWorkSeconds += (System.nanoTime() - gatherStart) / 1e9;
      s.maxTopK = Math.max(s.maxTopK, plan.maxCap());
      s.maxGather = Math.max(s.maxGather, gather);
      long limit = boundary - s.picks.size();
      if (maxPicksPerRound > 0) {
        limit = Math.min(limit, maxPicksPerRound);
      }
      long certifyStart = System.nanoTime();
      last = CertifiedGreedy.round(tops, s.design, limit, fresh, s::record, memo);
      s.certifySeconds += (System.nanoTime() - certifyStart) / 1e9;
      for (PartitionTop t : tops) {
        s.gatheredRows += t.best().size();
      }
      if (last.exhausted() && last.picks() == 0) {
        break;
      }
      if (last.picks() == 0) {
        // Nothing certified: the best rows tie (or nearly) with rows behind the bounds. Gather more;
        // at the limit, recompute the stored scores exactly (then the first pick needs no bound).
        s.regathers++;
        if (plan.threshold > Double.NEGATIVE_INFINITY) {
          plan = GatherPlan.uniform(gather, partitions); // every partition's best, no threshold
        } else if (gather < cap) {
          gather = Math.min(cap, gather * 4);
          plan = GatherPlan.uniform(gather, partitions);
        } else {
          refreshNext = true;
        }
        continue;
      }
      // A round's picks are limited by the highest partition bound, which more gathered rows lower;
      // gather more while rounds use a good share of them (O(G d) bytes, O(G d t) driver work at most).
      if (last.picks() * 16 >= gather) {
        gather = Math.min(cap, gather * 2);
      } else if (last.picks() * 64 < gather && gather > 64) {
        gather = Math.max(64, gather / 2);
      }
      plan = GatherPlan.next(gather, partitions, tops, last.left());
      if (last.inflation() > s.settings.refreshTolerance()
          || (s.settings.refreshEvery() > 0 && s.rounds % s.settings.refreshEvery() == 0)) {
        refreshNext = true;
      }
      s.roundDone(n);
      if (online != null && s.picks.size() == boundary && s.picks.size() < n) {
        // Refit: theta changes, so every candidate's scale does. The stored scores are recomputed
        // exactly under the current H^-1 for the new scales (the refresh path); H keeps its terms.
        online.refit(s.picks);
        where.candidates(online.candidates());
        boundary = Math.min(n, online.nextRefit(s.picks.size()));
        refreshNext = true;
        plan = GatherPlan.uniform(gather, partitions); // new scales: the old scores say nothing
      }
    }
  }
}
