package org.adpo.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The path of an optimiser: the objective, the gradient norm and the evaluations used so far at the
 * start (index 0) and after every accepted step, so that reports can show how a fit converged.
 */
public final class FitTrace {
  /** No recorded path. */
  public static final FitTrace EMPTY = new FitTrace(new double[0], new double[0], new int[0]);

  private final double[] loss;
  private final double[] gradientNorm;
  private final int[] evaluations;

  private FitTrace(double[] loss, double[] gradientNorm, int[] evaluations) {
    this.loss = loss;
    this.gradientNorm = gradientNorm;
    this.evaluations = evaluations;
  }

  /** Number of recorded points (accepted steps + 1 for the start), 0 when nothing was recorded. */
  public int size() {
    return loss.length;
  }

  public boolean isEmpty() {
    return loss.length == 0;
  }

  public double[] loss() {
    return loss.clone();
  }

  public double[] gradientNorm() {
    return gradientNorm.clone();
  }

  public int[] evaluations() {
    return evaluations.clone();
  }

  /** The path of {@code first} followed by that of {@code then} (a second optimiser continuing from its end). */
  public static FitTrace concat(FitTrace first, FitTrace then) {
    int a = first.size();
    int b = then.size();
    double[] l = java.util.Arrays.copyOf(first.loss, a + b);
    double[] g = java.util.Arrays.copyOf(first.gradientNorm, a + b);
    int[] e = java.util.Arrays.copyOf(first.evaluations, a + b);
    System.arraycopy(then.loss, 0, l, a, b);
    System.arraycopy(then.gradientNorm, 0, g, a, b);
    System.arraycopy(then.evaluations, 0, e, a, b);
    return new FitTrace(l, g, e);
  }

  /** Collects the points as an optimiser runs. */
  public static final class Recorder {
    private final List<double[]> points = new ArrayList<>();

    /** Records the state after {@code evaluations} evaluations. */
    public void add(double value, double gradientNorm, int evaluations) {
      points.add(new double[] {value, gradientNorm, evaluations});
    }

    public FitTrace build() {
      double[] l = new double[points.size()];
      double[] g = new double[points.size()];
      int[] e = new int[points.size()];
      for (int i = 0; i < l.length; i++) {
        l[i] = points.get(i)[0];
        g[i] = points.get(i)[1];
        e[i] = (int) points.get(i)[2];
      }
      return new FitTrace(l, g, e);
    }
  }
}
