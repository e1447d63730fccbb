package org.adpo.data;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;

/**
 * The bundled pool {@code data/fashion-mnist-pairs}: its source files and parameters, and a main that
 * regenerates it (test scope; the CLI's {@code adpo make-pool} does the same).
 * Usage: {@code BundledPool [PROJECT_DIR]}.
 */
public final class BundledPool {
  public static final Path FASHION_MNIST = Paths.get("/usr/share/datasets/fashion-mnist");
  public static final Path TRAIN_IMAGES = FASHION_MNIST.resolve("train-images-idx3-ubyte.gz");
  public static final Path TRAIN_LABELS = FASHION_MNIST.resolve("train-labels-idx1-ubyte.gz");
  public static final Path T10K_IMAGES = FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz");
  public static final Path T10K_LABELS = FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz");
  public static final String RELATIVE_DIR = "data/fashion-mnist-pairs";

  private BundledPool() {}

  /** The project directory: system property {@code adpo.project.dir} (set by Surefire), else the working dir. */
  public static Path projectDir() {
    String dir = System.getProperty("adpo.project.dir");
    return Paths.get(dir == null || dir.isBlank() ? "." : dir).toAbsolutePath().normalize();
  }

  public static void main(String[] args) {
    Path project = args.length > 0 ? Paths.get(args[0]) : projectDir();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("bundled-pool")
        .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      long t0 = System.nanoTime();
      PairPool pool = PreferencePairs.generate(TRAIN_IMAGES, TRAIN_LABELS, PreferencePairs.Params.bundled());
      System.out.printf("generated in %.2f s: %s%n", (System.nanoTime() - t0) / 1e9, pool.summary());
      System.out.println("pixel positions: " + java.util.Arrays.toString(pool.pixelPositions()));
      int[] labels = IdxReader.readLabels(TRAIN_LABELS);
      int[] negClasses = new int[10];
      for (int i = 0; i < pool.size(); i++) {
        negClasses[labels[pool.negIndex(i)]]++;
      }
      System.out.println("negative classes: " + java.util.Arrays.toString(negClasses));
      java.util.DoubleSummaryStatistics b = java.util.Arrays.stream(pool.b()).summaryStatistics();
      System.out.printf("b: min %.3f mean %.3f max %.3f%n", b.getMin(), b.getAverage(), b.getMax());
      PairPoolWriterTest.write(spark, pool, project.resolve(RELATIVE_DIR), true);
      System.out.println("written to " + project.resolve(RELATIVE_DIR));
    } finally {
      spark.stop();
    }
  }
}
