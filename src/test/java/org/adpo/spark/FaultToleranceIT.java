package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.adpo.io.SelectionReport;
import org.adpo.api.AdpoSelector;
import org.adpo.config.SelectionSettings;
import org.adpo.error.UsageException;
import org.adpo.reference.DenseGreedy;
import org.adpo.select.Algorithm;
import org.adpo.select.Pick;
import org.adpo.testing.Pools;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.SparkEnv;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BroadcastBlockId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault tolerance and long runs of the greedy loop, in a session of its own: {@code local[2,4]}
 * (2 threads, each task allowed 4 attempts, as on a cluster), with a reliable checkpoint directory.
 * Injected task failures ({@link FaultInjection}) must not change a single pick, and 10^4 rounds
 * of one pick each must run without a stack overflow and without leaking cached RDDs, broadcasts
 * or checkpoint files.
 */
class FaultToleranceIT {
  static SparkSession spark;
  static final FailureCounter failures = new FailureCounter();
  static Path checkpoints;

  /** Counts failed task attempts by the injected site named in their error. */
  static final class FailureCounter extends SparkListener {
    final Map<String, AtomicInteger> bySite = new ConcurrentHashMap<>();
    final AtomicInteger other = new AtomicInteger();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.reason() instanceof ExceptionFailure f) {
        String msg = f.description();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("injected failure .*: site (\\w+),").matcher(msg);
        if (m.find()) {
          bySite.computeIfAbsent(m.group(1), k -> new AtomicInteger()).incrementAndGet();
          return;
        }
        other.incrementAndGet();
      }
    }

    int count(String site) {
      return bySite.getOrDefault(site, new AtomicInteger()).get();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    spark = SparkSession.builder().master("local[2,4]").appName("fault-tolerance-it")
        .config("spark.ui.enabled", "false").config("spark.default.parallelism", "4")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .config("spark.adpo.select.rounds", "executors") // faults are injected into the rounds' tasks
        .getOrCreate();
    assertEquals("local[2,4]", spark.sparkContext().master(), "a session of another test is still running");
    spark.sparkContext().addSparkListener(failures);
    checkpoints = Path.of(System.getProperty("adpo.project.dir", "."), "target", "fault-tolerance-it", "checkpoints")
        .toAbsolutePath();
    Files.createDirectories(checkpoints);
    spark.sparkContext().setCheckpointDir(checkpoints.toString());
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @AfterEach
  void clearProperties() {
    System.clearProperty(FaultInjection.PROPERTY);
    System.clearProperty("adpo.select.max-picks-per-round");
    System.clearProperty("adpo.fit.driver-max-values");
  }

  private static SelectionResult select(Pools pool, String algorithm, long budget, int partitions) {
    return new AdpoSelector().setAlgorithm(algorithm).setBudget(budget).setPartitions(partitions).setGamma(1.0)
        .setCheckpointEvery(2).run(pool.frame(spark));
  }

  @Test
  void injectedTaskFailuresDoNotChangeThePicks() {
    // The distributed theta fit (one job per evaluation) even though this labelled set is small
    // enough to be fitted on the driver: its tasks are the ones the "fit" failures hit.
    System.setProperty("adpo.fit.driver-max-values", "0");
    Pools pool = Pools.random(3000, 8, 100, 41);
    SelectionResult clean = select(pool, "adpo-plus", 150, 4);
    listenerSettled();
    int before = failures.count("score") + failures.count("downdate") + failures.count("fit");
    assertEquals(0, before, "no failures without injection");

    System.setProperty(FaultInjection.PROPERTY, "score:0,score:3,downdate:1,downdate:2:3,fit:0,fit:2:2");
    SelectionResult faulty = select(pool, "adpo-plus", 150, 4);
    listenerSettled();
    assertTrue(failures.count("score") >= 2, "score failures: " + failures.bySite);
    assertTrue(failures.count("downdate") >= 4, "downdate failures: " + failures.bySite);
    assertTrue(failures.count("fit") >= 3, "fit failures: " + failures.bySite);
    assertEquals(0, failures.other.get(), "only injected failures");

    assertEquals(clean.fit().theta().length, faulty.fit().theta().length);
    for (int j = 0; j < clean.fit().theta().length; j++) {
      assertEquals(clean.fit().theta()[j], faulty.fit().theta()[j], 0.0, "theta_" + j);
    }
    assertSamePicks(clean.picks(), faulty.picks());
  }

  @Test
  void aTaskFailingOnEveryAttemptFailsTheRun() {
    System.setProperty(FaultInjection.PROPERTY, "score:1:4");
    Pools pool = Pools.random(500, 4, 0, 5);
    Exception e = assertThrows(Exception.class, () -> select(pool, "apo", 40, 2));
    assertTrue(String.valueOf(e.getMessage()).contains("injected failure"), String.valueOf(e.getMessage()));
  }

  @Test
  @Tag(DefaultLineOnly.TAG)
  void fourThousandRoundsOfOnePickEach() throws Exception {
    int n = 8_000;
    int d = 4;
    int budget = 4_000; // enough rounds for 125 checkpoints and as many broadcasts to leak
    Pools pool = Pools.random(n, d, 0, 2024);
    int persistedBefore = spark.sparkContext().getPersistentRDDs().size();
    System.setProperty("adpo.select.max-picks-per-round", "1");
    long start = System.nanoTime();
    SelectionResult r = new AdpoSelector().setAlgorithm("apo").setBudget(budget).setPartitions(2).setGamma(1.0)
        .run(pool.frame(spark));
    double seconds = (System.nanoTime() - start) / 1e9;
    SelectionReport.Selection sel = r.report().selection();
    System.out.printf("%d picks in %s rounds, %s checkpoints, %s refreshes: %.1f s%n", budget, sel.rounds(),
        sel.checkpoints(), sel.refreshes(), seconds);
    assertTrue(sel.rounds() >= budget, "one pick per round: " + sel);
    assertTrue(sel.checkpoints() >= budget / 32, "checkpoints made: " + sel);

    // The same picks as the dense single-machine reference.
    DenseGreedy.Result ref = DenseGreedy.select(pool.phiAsStored(), pool.ids, 1.0, budget);
    List<Pick> picks = r.picks();
    assertEquals(budget, picks.size());
    for (int t = 0; t < budget; t++) {
      assertEquals(pool.ids[ref.picks()[t]], picks.get(t).id(), "pick " + (t + 1));
      assertEquals(ref.gains()[t], picks.get(t).gain(), 1e-9 * Math.abs(ref.gains()[t]) + 1e-15, "gain " + (t + 1));
    }

    // Nothing of the loop is left behind: no cached RDDs, no checkpoint files, and the live
    // broadcasts (after the context cleaner has dropped unreferenced ones) are a handful, not one
    // per round.
    r.selection().unpersist(true);
    assertTrue(spark.sparkContext().getPersistentRDDs().size() <= persistedBefore + 1,
        "cached RDDs: " + spark.sparkContext().getPersistentRDDs());
    try (Stream<Path> left = Files.walk(checkpoints)) {
      List<Path> files = left.filter(Files::isRegularFile).toList();
      assertEquals(List.of(), files, "checkpoint files left");
    }
    int live = Integer.MAX_VALUE;
    for (int i = 0; i < 40 && live > 50; i++) {
      System.gc();
      Thread.sleep(250);
      live = liveBroadcasts();
    }
    assertTrue(live <= 50, "live broadcasts after 10^4 rounds: " + live);
  }

  /** Distinct broadcast ids with blocks in this (local) block manager. */
  private static int liveBroadcasts() {
    var ids = SparkEnv.get().blockManager().getMatchingBlockIds(new scala.runtime.AbstractFunction1<BlockId, Object>() {
      @Override
      public Object apply(BlockId id) {
        return id.isBroadcast();
      }
    });
    java.util.Set<Long> distinct = new java.util.HashSet<>();
    var it = ids.iterator();
    while (it.hasNext()) {
      distinct.add(((BroadcastBlockId) it.next()).broadcastId());
    }
    return distinct.size();
  }

  @Test
  void clusterMasterWithoutCheckpointDirectoryIsRefused() {
    SelectionSettings s = SelectionSettings.builder().algorithm(Algorithm.DOPT).budget(100)
        .fitMaxIterations(100).fitTolerance(1e-6).build();
    UsageException e = assertThrows(UsageException.class, () -> Checkpoints.check("spark://h:7077", false, s));
    assertTrue(e.getMessage().contains("--checkpoint-dir"), e.getMessage());
    Checkpoints.check("spark://h:7077", true, s);
    Checkpoints.check("local[4]", false, s);
    Checkpoints.check("yarn", false, s.toBuilder().budget(16).build()); // never more than 16 downdating rounds
    Checkpoints.check("yarn", false, s.toBuilder().algorithm(Algorithm.UNIFORM)
        .budget(1000).build());
    assertThrows(UsageException.class, () -> Checkpoints.check("k8s://https://api:6443", false, s));
  }

  private static void assertSamePicks(List<Pick> a, List<Pick> b) {
    assertEquals(a.size(), b.size());
    for (int t = 0; t < a.size(); t++) {
      assertEquals(a.get(t).id(), b.get(t).id(), "pick " + (t + 1));
      assertEquals(a.get(t).gain(), b.get(t).gain(), 0.0, "gain " + (t + 1));
    }
  }

  private static void listenerSettled() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(10_000L);
    } catch (Exception e) { // TimeoutException, declared on Spark 3.5 only
      throw new IllegalStateException(e);
    }
  }
}
