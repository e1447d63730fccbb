package org.adpo.spark;

import org.adpo.config.SelectionSettings;
import org.adpo.error.UsageException;
import org.adpo.select.Algorithm;
import org.apache.spark.SparkContext;

/**
 * Where the lazy greedy loop's checkpoints go, and the start-up check that a cluster run has a
 * reliable place for them. The loop cuts the lineage of its score state every
 * {@code checkpoint-every} rounds: with a checkpoint directory the state is written there (it
 * survives the loss of an executor); without one Spark's local checkpoint keeps it only in the
 * executors' block managers, so losing an executor fails the run. That is fine on {@code local[*]},
 * not on a cluster, where a run that needs checkpoints is refused at start-up instead of failing
 * hours later.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /** Spark 4's own key for the checkpoint directory; also honoured here on Spark 3.5. */
  public static final String SPARK_KEY = "spark.checkpoint.dir";

  /**
   * Sets the context's checkpoint directory from {@code configured} (adpo.spark.checkpoint-dir /
   * --checkpoint-dir), else from the Spark conf {@value #SPARK_KEY}; leaves it alone when neither is
   * set (a directory set by the caller stays).
   */
  public static void configure(SparkContext sc, String configured) {
    boolean explicit = configured != null && !configured.isBlank();
    String dir = explicit ? configured.trim() : sc.getConf().get(SPARK_KEY, "");
    if (!dir.isBlank() && (explicit || sc.getCheckpointDir().isEmpty())) {
      sc.setCheckpointDir(dir);
    }
  }

  /**
   * True when the run may cut lineage by checkpoints: the lazy exact loop (every greedy algorithm
   * but the subset modes) with more picks than {@code checkpoint-every}. A checkpoint follows
   * {@code checkpoint-every} rounds that each downdate the previous round's picks, so a run with
   * at most that many picks never makes one.
   */
  /**
   * Refuses, before Spark starts, a checkpoint directory that cannot be one: a path Hadoop cannot
   * hold, or an existing file.
   */
  public static void checkDirectory(String dir) {
    if (dir == null || dir.isBlank()) {
      return;
    }
    org.adpo.io.OutputTarget.checkSyntax(dir, "checkpoint directory");
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
      org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(SparkSessions.hadoopConf());
      if (fs.exists(p) && fs.getFileStatus(p).isFile()) {
        throw new UsageException("checkpoint directory " + dir + " is a file, not a directory");
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new UsageException("cannot use checkpoint directory " + dir + ": " + e.getMessage(), e);
    }
  }

  static boolean needed(SelectionSettings s) {
    Algorithm a = s.algorithm();
    return a != Algorithm.UNIFORM && a != Algorithm.PMC && s.candidates() == 0 && s.epsilon() == 0
        && s.strategy().equals("lazy") && s.budget() > s.checkpointEvery();
  }

  /**
   * Refuses (exit 2) a run on a non-local master that needs checkpoints but has no checkpoint
   * directory.
   */
  public static void check(String master, boolean hasDirectory, SelectionSettings s) {
    if (master != null && !master.startsWith("local") && !hasDirectory && needed(s)) {
      throw new UsageException("master " + master + " is a cluster and the selection checkpoints its score state"
          + " every " + s.checkpointEvery() + " rounds, but no checkpoint directory is set: pass --checkpoint-dir"
          + " DIR (or adpo.spark.checkpoint-dir, or --conf " + SPARK_KEY + "=DIR) with a directory every node"
          + " can reach (HDFS, S3, a shared mount)");
    }
  }

  /**
   * Deletes the files of a reliable checkpoint once no RDD in use reads them (Spark keeps them by
   * default, so a long run would otherwise leave one copy of the score state per checkpoint).
   */
  static void delete(SparkContext sc, String checkpointFile) {
    if (checkpointFile == null) {
      return;
    }
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(checkpointFile);
      path.getFileSystem(sc.hadoopConfiguration()).delete(path, true);
    } catch (java.io.IOException e) {
      // Only disk space is lost; the selection does not depend on it.
    }
  }

  /** {@link #check} for the given context. */
  public static void check(SparkContext sc, SelectionSettings s) {
    check(sc.master(), sc.getCheckpointDir().isDefined(), s);
  }
}
