package org.adpo.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.adpo.error.UsageException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a {@link PairPool} into a Spark DataFrame and writes it as a single Parquet file, so a generated pool is
 * an ordinary engine input. Columns: {@code id} long, {@code phi} array&lt;float&gt;, {@code b} double,
 * {@code s} int, {@code pos_index} int, {@code neg_index} int (rows in id order).
 *
 * <p>The write is atomic on the driver's local file system: Spark writes into a hidden temporary sibling of the
 * output directory, Spark's {@code .crc} side files are removed, and the directory is renamed into place; on
 * any failure the temporary directory is deleted and nothing is left behind.
 */
public final class PairPoolWriter {
  /** Schema of a written pool. */
  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("phi", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("b", DataTypes.DoubleType, false)
      .add("s", DataTypes.IntegerType, false)
      .add("pos_index", DataTypes.IntegerType, false)
      .add("neg_index", DataTypes.IntegerType, false);

  private PairPoolWriter() {}

  /**
   * The pool as a DataFrame with {@link #SCHEMA}, one row per pair, in id order, one partition. The pool is
   * broadcast and the rows are built on the executor, so tasks stay small whatever the pool size.
   */
  public static Dataset<Row> toDataFrame(SparkSession spark, PairPool pool) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<PairPool> shared = jsc.broadcast(pool);
    JavaRDD<Row> rows = jsc.parallelize(Collections.singletonList(0), 1).flatMap(ignored -> {
      PairPool p = shared.value();
      List<Row> out = new ArrayList<>(p.size());
      for (int i = 0; i < p.size(); i++) {
        out.add(row(p, i));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static Row row(PairPool pool, int i) {
    // A primitive array is a valid external value of array<float> for the Row encoder (a java.util.List is not).
    return RowFactory.create(pool.id(i), pool.phi(i), pool.b(i), pool.s(i), pool.posIndex(i), pool.negIndex(i));
  }

  /**
   * Writes the pool to {@code outDir} (a local directory) as one Parquet part file. Fails with a
   * {@link UsageException} if {@code outDir} exists and is not an empty directory.
   */
  public static void write(SparkSession spark, PairPool pool, Path outDir) {
    write(spark, pool, outDir, false);
  }

  /**
   * As {@link #write(SparkSession, PairPool, Path)}; with {@code overwrite} an existing directory is replaced
   * (the old one is moved aside, the new one renamed in, then the old one deleted).
   */
  public static void write(SparkSession spark, PairPool pool, Path outDir, boolean overwrite) {
    Path target = outDir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    boolean exists = Files.exists(target);
    if (exists && !overwrite && !isEmptyDirectory(target)) {
      throw new UsageException("output " + target + " already exists (choose a new directory or overwrite)");
    }
    if (exists && !Files.isDirectory(target)) {
      throw new UsageException("output " + target + " exists and is not a directory");
    }
    Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(parent);
      toDataFrame(spark, pool).write().mode("overwrite").parquet(tmp.toUri().toString());
      try (Stream<Path> files = Files.list(tmp)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (f.getFileName().toString().endsWith(".crc")) {
            Files.delete(f);
          }
        }
      }
      install(tmp, target, parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pair pool to " + target, e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) { // SparkException, thrown undeclared from Scala code
      throw new IllegalStateException("cannot write pair pool to " + target + ": " + e.getMessage(), e);
    } finally {
      deleteRecursively(tmp);
    }
  }

  /**
   * Convenience for the CLI ({@code adpo make-pool}): reads the IDX files, generates the pool and writes it to
   * {@code outDir} (which must not exist or be empty). Returns the pool for its summary.
   */
  public static PairPool makePool(SparkSession spark, Path imagesFile, Path labelsFile, Path outDir,
      PreferencePairs.Params params) {
    PairPool pool = PreferencePairs.generate(imagesFile, labelsFile, params);
    write(spark, pool, outDir);
    return pool;
  }

  private static void install(Path tmp, Path target, Path parent) throws IOException {
    if (Files.exists(target) && !isEmptyDirectory(target)) {
      Path old = parent.resolve("." + target.getFileName() + ".old-" + UUID.randomUUID());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        throw e;
      }
      deleteRecursively(old);
      return;
    }
    try {
      Files.deleteIfExists(target); // an empty directory
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException | DirectoryNotEmptyException e) {
      throw new IOException("cannot rename " + tmp + " to " + target, e);
    }
  }

  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
