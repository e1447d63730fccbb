package org.adpo.spark;

import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;

/**
 * The row count of Spark's vectorized Parquet batches for one scan of a pool, chosen from how many values a row
 * holds. Spark reads 4096 rows per batch whatever their width; for a column of arrays it first collects the
 * repetition and definition levels of all the batch's values (two ints per value) and then walks them to find
 * each array's length, so at d = 4096 one batch is 16.7 million values and 134 MB of levels, far beyond the
 * caches, and that walk took half the validating pass's time. Batches of about {@link #VALUES_PER_BATCH} values
 * keep the levels cache-sized (measured: `bench/parquet-batch.sh`). It changes only how the reader cuts its
 * work, never a value or the order of rows.
 */
final class ParquetBatch {
  private ParquetBatch() {}

  static final String KEY = "spark.sql.parquet.columnarReaderBatchSize";
  /** Spark's own default batch, in rows: kept for narrow rows (d up to 512). */
  static final int DEFAULT_ROWS = 4096;
  static final int MIN_ROWS = 64;
  static final long VALUES_PER_BATCH = 1L << 21;

  /**
   * Runs {@code plan} (which must build the scan's RDD, e.g. {@code queryExecution().toRdd()}: Spark reads the
   * batch size when it plans the scan) with the batch size for {@code frame}'s widest rows, then restores the
   * session's setting. A batch size the user set is left alone, as is any input that is not Parquet.
   */
  static <T> T around(Dataset<Row> frame, Supplier<T> plan) {
    RuntimeConfig conf = frame.sparkSession().conf();
    int rows = conf.getAll().contains(KEY) ? DEFAULT_ROWS : rowsFor(valuesPerRow(frame));
    if (rows == DEFAULT_ROWS) {
      return plan.get();
    }
    conf.set(KEY, rows);
    try {
      return plan.get();
    } finally {
      conf.unset(KEY);
    }
  }

  /** The batch rows for rows of {@code valuesPerRow} leaf values (0 = unknown: Spark's default). */
  static int rowsFor(long valuesPerRow) {
    if (valuesPerRow <= 0) {
      return DEFAULT_ROWS;
    }
    return (int) Math.max(MIN_ROWS, Math.min(DEFAULT_ROWS, VALUES_PER_BATCH / valuesPerRow));
  }

  /**
   * The leaf values per row of the first Parquet file of {@code frame} (from its footer: all columns' value
   * counts of the first non-empty row group over its rows), or 0 when the input has no Parquet file or its
   * footer cannot be read (the scan then reports its own error).
   */
  static long valuesPerRow(Dataset<Row> frame) {
    String first = null;
    for (String f : frame.inputFiles()) {
      if (f.endsWith(".parquet") && (first == null || f.compareTo(first) < 0)) {
        first = f;
      }
    }
    if (first == null) {
      return 0;
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(first);
    try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
        org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(path,
            frame.sparkSession().sparkContext().hadoopConfiguration()))) {
      for (org.apache.parquet.hadoop.metadata.BlockMetaData block : r.getFooter().getBlocks()) {
        if (block.getRowCount() > 0) {
          long values = 0;
          for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData c : block.getColumns()) {
            values += c.getValueCount();
          }
          return Math.max(1, values / block.getRowCount());
        }
      }
      return 0;
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }
}
