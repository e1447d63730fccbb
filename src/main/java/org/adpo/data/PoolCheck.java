package org.adpo.data;

import java.io.Serializable;
import java.util.Locale;
import org.adpo.error.BadInputException;
import org.adpo.error.Shown;
import org.apache.spark.sql.Row;

/**
 * What one validation pass learned about a pool: row count, feature dimension, label counts and
 * the first problem found (by partition, then row), as a message that names the row by its id.
 * Partitions are checked in parallel and their checks merged on the driver.
 */
public final class PoolCheck implements Serializable {
  private static final long serialVersionUID = 1L;

  private long rows;
  private long ones;
  private long zeros;
  private boolean needLabels;
  private int minDim = Integer.MAX_VALUE;
  private String minDimId;
  private int maxDim = -1;
  private String maxDimId;
  private long problemKey = Long.MAX_VALUE;
  private String problem;

  /** Checks the rows of one partition. */
  public static PoolCheck of(int partition, java.util.Iterator<Row> rowsIt, PoolLayout layout,
      boolean needLabels, boolean useWeight) {
    PoolCheck c = new PoolCheck();
    c.needLabels = needLabels;
    long index = 0;
    while (rowsIt.hasNext()) {
      c.add(((long) partition << 40) | index, rowsIt.next(), layout, needLabels, useWeight);
      index++;
    }
    return c;
  }

  /** An empty check to which rows are added one by one ({@link #row}); merge the partitions' checks. */
  public static PoolCheck start(boolean needLabels) {
    PoolCheck c = new PoolCheck();
    c.needLabels = needLabels;
    return c;
  }

  /**
   * Checks one row (projected as {@link PoolLayout#project} does) and returns its features, or null
   * when the row has a problem (then recorded; the first one by key is the one reported).
   *
   * @param key (input partition << 40) | row number in that partition: the order of problems
   */
  public double[] row(long key, Row r, PoolLayout layout, boolean useWeight) {
    return add(key, r, layout, needLabels, useWeight);
  }

  /** True when a problem was found so far. */
  public boolean bad() {
    return problem != null;
  }

  private double[] add(long key, Row r, PoolLayout layout, boolean needLabels, boolean useWeight) {
    rows++;
    Object id = layout.id(r);
    if (id == null) {
      // No id to name the row by: its number in its input partition (for one file, its record number).
      report(key, "row " + ((key & ((1L << 40) - 1)) + 1) + " of input partition " + (key >>> 40)
          + " has a null id (column '" + layout.names().id() + "'); ids must be unique and not null");
      return null;
    }
    String where = "row with " + Shown.value(layout.names().id()) + "=" + Shown.value(id);
    double[] phi;
    try {
      phi = layout.phi(r);
    } catch (VectorFormatException e) {
      report(key, where + ": " + e.getMessage());
      return null;
    }
    if (phi.length == 0) {
      report(key, where + ": feature vector '" + layout.featureName() + "' is empty");
      return null;
    }
    if (phi.length < minDim) {
      minDim = phi.length;
      minDimId = Shown.value(id);
    }
    if (phi.length > maxDim) {
      maxDim = phi.length;
      maxDimId = Shown.value(id);
    }
    for (int j = 0; j < phi.length; j++) {
      if (!Double.isFinite(phi[j])) {
        report(key, where + ": " + layout.featureName() + "[" + j + "] is " + phi[j]);
        return null;
      }
      // Features are stored and multiplied in float32: a finite double beyond its range would become
      // Infinity there and every gain NaN.
      if (Math.abs(phi[j]) > Float.MAX_VALUE) {
        report(key, where + ": " + layout.featureName() + "[" + j + "] is " + phi[j]
            + ", beyond the float32 range the features are computed in (|x| <= " + Float.MAX_VALUE + ")");
        return null;
      }
    }
    double b = layout.b(r);
    if (!Double.isFinite(b)) {
      report(key, where + ": " + layout.names().b() + " is " + (Double.isNaN(b) ? "NaN or null" : b));
      return null;
    }
    if (needLabels) {
      double s = layout.s(r);
      if (s == 1.0) {
        ones++;
      } else if (s == 0.0) {
        zeros++;
      } else if (!Double.isNaN(s)) { // NaN: no label; such a candidate takes part in selection, not in the fit
        report(key, String.format(Locale.ROOT, "%s: label '%s' is %s; labels must be 0 or 1",
            where, layout.names().s(), s));
        return null;
      }
    }
    if (useWeight) {
      double w = layout.weight(r);
      if (!(w >= 0) || Double.isInfinite(w)) {
        report(key, where + ": weight '" + layout.names().weight() + "' is " + w
            + "; weights must be finite and >= 0");
        return null;
      }
    }
    return phi;
  }

  private void report(long key, String message) {
    if (key < problemKey) {
      problemKey = key;
      problem = message;
    }
  }

  /** Combines the checks of two partitions. */
  public PoolCheck merge(PoolCheck o) {
    rows += o.rows;
    ones += o.ones;
    zeros += o.zeros;
    needLabels |= o.needLabels;
    if (o.minDim < minDim) {
      minDim = o.minDim;
      minDimId = o.minDimId;
    }
    if (o.maxDim > maxDim) {
      maxDim = o.maxDim;
      maxDimId = o.maxDimId;
    }
    if (o.problemKey < problemKey) {
      problemKey = o.problemKey;
      problem = o.problem;
    }
    return this;
  }

  /** Throws the first problem found, as bad input naming the source. */
  public void raiseIfBad(PoolLayout layout) {
    if (problem != null) {
      throw new BadInputException(layout.source() + ": " + problem);
    }
    if (rows == 0) {
      throw new BadInputException(layout.source() + ": the pool is empty (0 rows)");
    }
    if (needLabels && ones + zeros == 0) {
      throw new BadInputException(layout.source() + ": the algorithm needs labels but no row has a label in column '"
          + layout.names().s() + "'");
    }
    if (minDim != maxDim) {
      throw new BadInputException(String.format(Locale.ROOT,
          "%s: feature vectors have different lengths: row with %s=%s has %d values, row with %s=%s has %d",
          layout.source(), layout.names().id(), minDimId, minDim, layout.names().id(), maxDimId, maxDim));
    }
  }

  public long rows() {
    return rows;
  }

  public int dimension() {
    return maxDim;
  }

  public long ones() {
    return ones;
  }

  public long zeros() {
    return zeros;
  }
}
