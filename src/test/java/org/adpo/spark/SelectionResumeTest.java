package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.adpo.api.AdpoSelector;
import org.adpo.config.SelectionSettings;
import org.adpo.io.ResumeStore;
import org.adpo.select.Pick;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A selection interrupted mid-rounds and run again on its progress record continues from it, and its
 * picks (ids, ranks, gains and weights, bit for bit) are those of an uninterrupted run; a record of
 * another selection (other settings, other labels) is discarded and the run starts over. The
 * interruption is a store whose write fails after a given number of writes (a kill between two
 * records: the rounds after the last one are lost), with a record after every round and at most 3
 * picks per round, so a run has many rounds.
 */
@ExtendWith(SparkSessionExtension.class)
class SelectionResumeTest {
  /** An in-memory record that can fail its writes from the {@code failAt}-th on, like a killed run. */
  static final class MemoryStore implements ResumeStore {
    byte[] bytes;
    int writes;
    int failAt = Integer.MAX_VALUE;

    @Override
    public byte[] read() {
      return bytes;
    }

    @Override
    public void write(byte[] b) {
      if (++writes >= failAt) {
        throw new Interrupted();
      }
      bytes = b.clone();
    }

    @Override
    public void delete() {
      bytes = null;
    }

    @Override
    public String where() {
      return "memory";
    }

    @Override
    public long intervalNanos() {
      return 0; // after every round
    }
  }

  static final class Interrupted extends RuntimeException {
    Interrupted() {
      super("interrupted (test)");
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // algorithm, extra (strategy / schedule / candidates), interrupt at write
        Arguments.of("adpo-plus", "lazy", 4),
        Arguments.of("adpo-plus", "naive", 9),
        Arguments.of("dopt", "candidates", 7),
        Arguments.of("adpo", "doubling", 5),
        Arguments.of("pmc", "every:5", 3),
        Arguments.of("adpo-warm", "lazy", 3), // inside the warm phase (4d = 24 picks)
        Arguments.of("adpo-warm", "lazy", 11), // after it
        Arguments.of("adpo-safe", "lazy", 3)); // after its warm phase (uniform's 4d = 24 picks, one round)
  }

  private static AdpoSelector selector(String algorithm, String extra) {
    AdpoSelector s = new AdpoSelector().setAlgorithm(algorithm).setBudget(40).setPartitions(3).setBeta(1.5)
        .setGamma(0.5);
    switch (extra) {
      case "naive" -> s.setStrategy("naive");
      case "candidates" -> s.setCandidates(15).setSeed(3);
      case "doubling", "every:5" -> s.setOracle("logged").setSchedule(extra);
      default -> s.setStrategy("lazy");
    }
    return s;
  }

  private static SelectionResult run(SparkSession spark, Dataset<Row> frame, SelectionSettings settings,
      ResumeStore store) {
    String key = DistributedGreedy.MAX_PICKS_KEY.substring("spark.".length());
    System.setProperty(key, "3");
    try {
      return SelectionJob.run(spark, frame, "test pool", settings, null, store);
    } finally {
      System.clearProperty(key);
    }
  }

  @ParameterizedTest(name = "{0} {1}, interrupted at record {2}")
  @MethodSource("cases")
  void anInterruptedSelectionResumesToTheUninterruptedPicks(String algorithm, String extra, int failAt,
      SparkSession spark) {
    Pools pool = Pools.random(240, 6, 30, 17);
    Dataset<Row> frame = pool.frame(spark);
    SelectionSettings settings = selector(algorithm, extra).settings();
    List<Pick> clean = run(spark, frame, settings, null).picks();

    MemoryStore store = new MemoryStore();
    store.failAt = failAt;
    assertThrows(Interrupted.class, () -> run(spark, frame, settings, store));
    assertNotNull(store.bytes, "the interrupted run recorded its progress");
    int k = SelectionProgress.decode(store.bytes).picks().size();
    assertTrue(k > 0 && k < 40, "interrupted mid-rounds, after " + k + " picks");

    store.failAt = Integer.MAX_VALUE;
    SelectionResult resumed = run(spark, frame, settings, store);
    assertEquals((long) k, progress(resumed).resumedFromPick(), "resumed from the recorded picks");
    assertSamePicks(clean, resumed.picks());
    assertEquals(40, SelectionProgress.decode(store.bytes).picks().size(), "the end of the rounds is recorded");
  }

  @Test
  void aRecordOfAnotherSelectionIsDiscardedAndTheRunStartsOver(SparkSession spark) {
    Pools pool = Pools.random(240, 6, 30, 17);
    Dataset<Row> frame = pool.frame(spark);
    SelectionSettings settings = selector("adpo-plus", "lazy").settings();
    List<Pick> clean = run(spark, frame, settings, null).picks();

    // Recorded by a run with another gamma: its picks are not this selection's.
    MemoryStore store = new MemoryStore();
    store.failAt = 4;
    SelectionSettings other = selector("adpo-plus", "lazy").setGamma(2.0).settings();
    assertThrows(Interrupted.class, () -> run(spark, frame, other, store));
    String why = SelectionProgress.difference(SelectionProgress.decode(store.bytes).key(), key(spark, frame, settings));
    assertEquals("its settings differ (gamma: 2.0 then, 0.5 now)", why);
    store.failAt = Integer.MAX_VALUE;
    SelectionResult r = run(spark, frame, settings, store);
    assertEquals(0L, progress(r).resumedFromPick());
    assertSamePicks(clean, r.picks());

    // Same settings and features, other labels: ADPO+'s theta fit reads them, so the record is stale.
    store.failAt = 4;
    store.writes = 0;
    store.bytes = null;
    assertThrows(Interrupted.class, () -> run(spark, frame, settings, store));
    Dataset<Row> relabelled = frame.withColumn("s", functions.lit(1.0).minus(functions.col("s")));
    store.failAt = Integer.MAX_VALUE;
    assertTrue(SelectionProgress.difference(SelectionProgress.decode(store.bytes).key(),
        key(spark, relabelled, settings)).startsWith("the pool's labels or weights differ"));
    SelectionResult fresh = run(spark, relabelled, settings, store);
    assertEquals(0L, progress(fresh).resumedFromPick());
    assertSamePicks(run(spark, relabelled, settings, null).picks(), fresh.picks());
  }

  /** The key a run of {@code settings} on {@code frame} has: read back from a record it writes. */
  private static com.fasterxml.jackson.databind.JsonNode key(SparkSession spark, Dataset<Row> frame,
      SelectionSettings settings) {
    MemoryStore probe = new MemoryStore();
    probe.failAt = 2;
    assertThrows(Interrupted.class, () -> run(spark, frame, settings, probe));
    return SelectionProgress.decode(probe.bytes).key();
  }

  @SuppressWarnings("unchecked")
  private static org.adpo.io.SelectionReport.Progress progress(SelectionResult r) {
    return r.report().selection().progress();
  }

  private static void assertSamePicks(List<Pick> expected, List<Pick> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      Pick e = expected.get(i);
      Pick a = actual.get(i);
      String at = "pick " + (i + 1);
      assertEquals(e.id(), a.id(), at);
      assertEquals(e.rank(), a.rank(), at);
      assertEquals(Double.doubleToLongBits(e.gain()), Double.doubleToLongBits(a.gain()), at + " gain bit for bit");
      assertEquals(Double.doubleToLongBits(e.weight()), Double.doubleToLongBits(a.weight()), at + " weight");
    }
  }
}
