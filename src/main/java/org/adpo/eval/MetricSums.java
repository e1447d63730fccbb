package org.adpo.eval;

import java.io.Serializable;

/**
 * Running sums of the pool metrics for K thetas: what one partition contributes, merged across
 * partitions ({@link #merge}) and turned into means on the driver ({@link #metrics}). Filled by
 * {@link MetricKernel#add}.
 */
public final class MetricSums implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  long labelled;
  final double[] maxError;
  final double[] sumError;
  final long[] disagree;
  final long[] correct;
  final double[] sumMargin;
  final double[] sumNll;

  MetricSums(int k) {
    maxError = new double[k];
    sumError = new double[k];
    disagree = new long[k];
    correct = new long[k];
    sumMargin = new double[k];
    sumNll = new double[k];
  }

  public int size() {
    return maxError.length;
  }

  public long rows() {
    return rows;
  }

  public long labelled() {
    return labelled;
  }

  /** Adds {@code o} into this (same K) and returns this. */
  public MetricSums merge(MetricSums o) {
    if (o.size() != size()) {
      throw new IllegalArgumentException("cannot merge sums of " + o.size() + " thetas into " + size());
    }
    rows += o.rows;
    labelled += o.labelled;
    for (int k = 0; k < size(); k++) {
      maxError[k] = Math.max(maxError[k], o.maxError[k]);
      sumError[k] += o.sumError[k];
      disagree[k] += o.disagree[k];
      correct[k] += o.correct[k];
      sumMargin[k] += o.sumMargin[k];
      sumNll[k] += o.sumNll[k];
    }
    return this;
  }

  /** The metrics of theta k: means over the rows (logit errors, error rate) and the labelled rows. */
  public Metrics metrics(int k) {
    double n = rows;
    double l = labelled;
    return new Metrics(
        rows == 0 ? Double.NaN : maxError[k],
        sumError[k] / n,
        disagree[k] / n,
        correct[k] / l,
        sumMargin[k] / l,
        sumNll[k] / l,
        rows,
        labelled);
  }
}
