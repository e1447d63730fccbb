package org.adpo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pool metrics against values worked out by hand, and the merge of partial sums. */
class MetricKernelTest {
  private static final double NAN = Double.NaN;

  // d = 2, beta = 2, theta_star = (1, 0), theta_hat = (0, 1), so theta_hat - theta_star = (-1, 1).
  //
  //  row  phi      b    s    phi.delta  z* = phi.theta* - b   z = phi.theta_hat - b   logit = 2z
  //   1   (1, 0)   0    1      -1          1 (+)                 0 (0)                   0
  //   2   (0, 1)   0.5  0       1         -0.5 (-)               0.5 (+)                 1
  //   3   (1, 1)   0.5  1       0          0.5 (+)               0.5 (+)                 1
  //   4   (2, -1)  0    0      -3          2 (+)                -1 (-)                  -2
  //   5   (-1, 2)  0    -       3         -1 (-)                 2 (+)                   4 (no label)
  //
  // max logit error = 3; mean = (1 + 1 + 0 + 3 + 3) / 5 = 1.6.
  // error rate: signs differ in rows 1 (0 vs +: sign(0) is its own class), 2, 4, 5 -> 4/5.
  // accuracy over the 4 labelled rows: row 1 has logit 0 (never accurate), row 2 predicts + for s = 0,
  //   row 3 (+, s = 1) and row 4 (-, s = 0) are right -> 2/4.
  // margin: (0 - 1 + 1 + 2) / 4 = 0.5 (label sign + for s = 1, - for s = 0).
  // nll: -log mu(0) = log 2; -log(1 - mu(1)) = log(1 + e); -log mu(1) = log(1 + e^-1);
  //   -log(1 - mu(-2)) = log(1 + e^-2); mean over 4.
  static final double[] PHI = {1, 0, 0, 1, 1, 1, 2, -1, -1, 2};
  static final double[] B = {0, 0.5, 0.5, 0, 0};
  static final double[] S = {1, 0, 1, 0, NAN};
  static final double[] STAR = {1, 0};
  static final double[] HAT = {0, 1};

  @Test
  void matchesHandComputedValues() {
    MetricKernel kernel = new MetricKernel(new double[][] {HAT, STAR}, STAR, 2.0);
    MetricSums sums = kernel.newSums();
    kernel.add(sums, PHI, 5, B, S);
    Metrics m = sums.metrics(0);
    assertEquals(5, m.rows());
    assertEquals(4, m.labelled());
    assertEquals(3.0, m.maxLogitError(), 1e-15);
    assertEquals(1.6, m.meanLogitError(), 1e-15);
    assertEquals(0.8, m.errorRate(), 1e-15);
    assertEquals(0.5, m.accuracy(), 1e-15);
    assertEquals(0.5, m.margin(), 1e-15);
    double nll = (Math.log(2) + Math.log(1 + Math.E) + Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(-2))) / 4;
    assertEquals(nll, m.nll(), 1e-15);
    assertEquals(0.6116496, m.nll(), 1e-7); // (0.693147 + 1.313262 + 0.313262 + 0.126928) / 4

    // theta_star itself: no logit error, no disagreement. Logits 2 z*: row 1 +2 (s=1 right), row 2 -1
    // (s=0 right), row 3 +1 (s=1 right), row 4 +4 (s=0 wrong): accuracy 3/4, margin (2+1+1-4)/4 = 0,
    // nll = (log(1+e^-2) + 2 log(1+e^-1) + log(1+e^4)) / 4.
    Metrics star = sums.metrics(1);
    assertEquals(0.0, star.maxLogitError());
    assertEquals(0.0, star.meanLogitError());
    assertEquals(0.0, star.errorRate());
    assertEquals(0.75, star.accuracy(), 1e-15);
    assertEquals(0.0, star.margin(), 1e-15);
    assertEquals((Math.log(1 + Math.exp(-2)) + 2 * Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(4))) / 4,
        star.nll(), 1e-15);
  }

  @Test
  void zeroAgainstZeroAgreesAndNullBMeansZero() {
    // phi = (1, -1) with theta_star = (1, 1) and theta = (2, 2): both z are exactly 0 -> agree; the
    // logit 0 is not accurate for either label; the logit error is |phi.(1, 1)| = 0.
    MetricKernel kernel = new MetricKernel(new double[][] {{2, 2}}, new double[] {1, 1}, 1.0);
    MetricSums sums = kernel.newSums();
    kernel.add(sums, new double[] {1, -1, 1, -1}, 2, null, new double[] {1, 0});
    Metrics m = sums.metrics(0);
    assertEquals(0.0, m.errorRate());
    assertEquals(0.0, m.accuracy());
    assertEquals(0.0, m.margin());
    assertEquals(Math.log(2), m.nll(), 1e-15);
  }

  @Test
  void mergedPartialsEqualOnePass() {
    MetricKernel kernel = new MetricKernel(new double[][] {HAT, {0.3, -0.7}}, STAR, 2.0);
    MetricSums whole = kernel.newSums();
    kernel.add(whole, PHI, 5, B, S);
    MetricSums first = kernel.newSums();
    kernel.add(first, PHI, 2, B, S);
    MetricSums rest = kernel.newSums();
    kernel.add(rest, java.util.Arrays.copyOfRange(PHI, 4, 10), 3,
        java.util.Arrays.copyOfRange(B, 2, 5), java.util.Arrays.copyOfRange(S, 2, 5));
    MetricSums merged = first.merge(rest);
    assertEquals(whole.rows(), merged.rows());
    assertEquals(whole.labelled(), merged.labelled());
    for (int k = 0; k < 2; k++) {
      double[] a = whole.metrics(k).values().values().stream().mapToDouble(Double::doubleValue).toArray();
      double[] b = merged.metrics(k).values().values().stream().mapToDouble(Double::doubleValue).toArray();
      org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 1e-15); // sums in another order
    }
  }

  @Test
  void noLabelledRowsGivesNaNLabelMetrics() {
    MetricKernel kernel = new MetricKernel(new double[][] {HAT}, STAR, 1.0);
    MetricSums sums = kernel.newSums();
    kernel.add(sums, new double[] {1, 2}, 1, null, new double[] {NAN});
    Metrics m = sums.metrics(0);
    assertEquals(1.0, m.maxLogitError());
    assertTrue(Double.isNaN(m.accuracy()) && Double.isNaN(m.margin()) && Double.isNaN(m.nll()));
  }
}
