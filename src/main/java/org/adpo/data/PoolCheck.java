package org.adpo.data;

import java.io.Serializable;
import java.util.Locale;
import org.adpo.error.BadInputException;
import org.adpo.error.Shown;
import org.apache.spark.sql.catalyst.InternalRow;

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

  /** An empty check to which rows are added one by one ({@link #row}); merge the partitions' checks. */
  public static PoolCheck start(boolean needLabels) {
    PoolCheck c = new PoolCheck();
    c.needLabels = needLabels;
    return c;
  }

  /** The features of the last row {@link #row} found good: float32 values, or null (then {@link #doubles}). */
  private transient float[] floats;
  private transient double[] doubles;
  /** Where float32 features are read into, row after row (the caller copies them before the next row). */
  private transient float[] scratch;

  /**
   * Checks one row (an internal row read through {@code cells}) and returns true when it is good; its
   * features are then {@link #floats()} (float32 arrays, read without widening) or {@link #doubles()}.
   * A problem is recorded instead (the first one by key is the one reported).
   *
   * @param key (input partition << 40) | row number in that partition: the order of problems
   */
  public boolean row(long key, InternalRow r, PoolCells cells, boolean useWeight) {
    floats = null;
    doubles = null;
    return add(key, r, cells, needLabels, useWeight);
  }

  /**
   * The last good row's features as float32 values, or null when they were read as doubles. The array
   * is reused for the next row.
   */
  public float[] floats() {
    return floats;
  }

  /** The last good row's features as doubles, or null when they were read as float32 values. */
  public double[] doubles() {
    return doubles;
  }

  /** True when a problem was found so far. */
  public boolean bad() {
    return problem != null;
  }

  private boolean add(long key, InternalRow r, PoolCells cells, boolean needLabels, boolean useWeight) {
    rows++;
    PoolLayout layout = cells.layout();
    Object id = cells.id(r);
    if (id == null) {
      // No id to name the row by: its number in its input partition (for one file, its record number).
      report(key, "row " + ((key & ((1L << 40) - 1)) + 1) + " of input partition " + (key >>> 40)
          + " has a null id (column '" + layout.names().id() + "'); ids must be unique and not null");
      return false;
    }
    float[] f = null;
    double[] phi = null;
    int length;
    try {
      if (cells.floatFeatures()) {
        f = cells.phiFloats(r, scratch);
        scratch = f;
        length = f.length;
      } else {
        phi = cells.phi(r);
        length = phi.length;
      }
    } catch (VectorFormatException e) {
      report(key, where(layout, id) + ": " + e.getMessage());
      return false;
    }
    if (length == 0) {
      report(key, where(layout, id) + ": feature vector '" + layout.featureName() + "' is empty");
      return false;
    }
    if (length < minDim) {
      minDim = length;
      minDimId = Shown.value(id);
    }
    if (length > maxDim) {
      maxDim = length;
      maxDimId = Shown.value(id);
    }
    if (f != null) {
      // A float32 value is within the float32 range whenever it is finite.
      for (int j = 0; j < length; j++) {
        if (!Float.isFinite(f[j])) {
          report(key, where(layout, id) + ": " + layout.featureName() + "[" + j + "] is " + (double) f[j]);
          return false;
        }
      }
    } else {
      for (int j = 0; j < length; j++) {
        if (!Double.isFinite(phi[j])) {
          report(key, where(layout, id) + ": " + layout.featureName() + "[" + j + "] is " + phi[j]);
          return false;
        }
        // Features are stored and multiplied in float32: a finite double beyond its range would become
        // Infinity there and every gain NaN.
        if (Math.abs(phi[j]) > Float.MAX_VALUE) {
          report(key, where(layout, id) + ": " + layout.featureName() + "[" + j + "] is " + phi[j]
              + ", beyond the float32 range the features are computed in (|x| <= " + Float.MAX_VALUE + ")");
          return false;
        }
      }
    }
    double b = cells.b(r);
    if (!Double.isFinite(b)) {
      report(key, where(layout, id) + ": " + layout.names().b() + " is " + (Double.isNaN(b) ? "NaN or null" : b));
      return false;
    }
    if (needLabels) {
      double s = cells.s(r);
      if (s == 1.0) {
        ones++;
      } else if (s == 0.0) {
        zeros++;
      } else if (!Double.isNaN(s)) { // NaN: no label; such a candidate takes part in selection, not in the fit
        report(key, String.format(Locale.ROOT, "%s: label '%s' is %s; labels must be 0 or 1",
            where(layout, id), layout.names().s(), s));
        return false;
      }
    }
    if (useWeight) {
      double w = cells.weight(r);
      if (!(w >= 0) || Double.isInfinite(w)) {
        report(key, where(layout, id) + ": weight '" + layout.names().weight() + "' is " + w
            + "; weights must be finite and >= 0");
        return false;
      }
    }
    floats = f;
    doubles = phi;
    return true;
  }

  /** How a message names a row: by its id. */
  private static String where(PoolLayout layout, Object id) {
    return "row with " + Shown.value(layout.names().id()) + "=" + Shown.value(id);
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
