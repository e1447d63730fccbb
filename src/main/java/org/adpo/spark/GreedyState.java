package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.adpo.config.SelectionSettings;
import org.adpo.design.InverseDesign;
import org.adpo.select.Candidate;
import org.adpo.select.Pick;

/**
 * What every greedy mode of {@link DistributedGreedy} shares: the picks so far with their scales, the
 * design H^-1 they have built, and the statistics the report gives. A mode appends picks only through
 * {@link #record} followed by its own rank-one update of {@link #design}.
 */
final class GreedyState {
  final SelectionSettings settings;
  final int d;
  final InverseDesign design;
  final List<Pick> picks = new ArrayList<>();
  final List<Double> scales = new ArrayList<>();
  final TreeSet<Long> picked = new TreeSet<>();
  private final ProgressLog progress;
  /** Told the picks and scales so far after every round that made picks; null = nobody listens. */
  BiConsumer<List<Pick>, List<Double>> roundListener;

  int rounds;
  int refreshes;
  int checkpoints;
  int regathers;
  int maxTopK;
  int maxGather;
  long subsetSize;
  /** Where the lazy loop's rounds ran ({@link LazyRounds#where}); null for the other modes. */
  String roundsRunOn;
  /** Lazy loop: task result bytes the driver received, and its selection thread's CPU, per round (-1: not measured). */
  double driverBytesPerRound = -1;
  double driverCpuPerRound = -1;
  double certifySeconds;
  /** Lazy loop: seconds to set up where the rounds run (the driver rounds: bringing the blocks in). */
  double roundsSetupSeconds;
  /** Lazy loop: seconds in the rounds' refresh, downdate and gather calls (executor rounds: their jobs). */
  double roundWorkSeconds;
  long gatheredRows;

  GreedyState(SelectionSettings settings, int d, ProgressLog progress) {
    this.settings = settings;
    this.d = d;
    this.progress = progress;
    this.design = new InverseDesign(d, settings.gamma());
  }

  /** Appends {@code c} as the next pick, with gain log(1 + score); the caller updates the design. */
  void record(Candidate c, double score) {
    picks.add(new Pick(c.ord, c.id, picks.size() + 1, Math.log1p(score), c.weight));
    scales.add(c.scale);
    picked.add(c.ord);
  }

  /** The picked ords, sorted. */
  long[] pickedArray() {
    long[] a = new long[picked.size()];
    int i = 0;
    for (long v : picked) {
      a[i++] = v;
    }
    return a;
  }

  /** After a round that made picks: progress line, and the listener. */
  void roundDone(long n) {
    progress.round(rounds, picks.size(), n, picks.get(picks.size() - 1).gain());
    if (roundListener != null) {
      roundListener.accept(picks, scales);
    }
  }
}
