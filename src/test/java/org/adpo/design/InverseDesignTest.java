package org.adpo.design;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The low-rank design against H = gamma I + sum v v^T built densely here: its inverse (Gauss-Jordan),
 * scores, pick vectors, log det (by elimination, both the primal and the Sylvester form), and the
 * float32 kernels on exact small-integer dots for every batch size.
 */
class InverseDesignTest {

  /** Inverse and log det of a small symmetric positive definite matrix by Gauss-Jordan elimination. */
  private static double[][] invert(double[][] m, double[] logDet) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    double ld = 0;
    for (int c = 0; c < n; c++) {
      double p = a[c][c];
      ld += Math.log(p);
      for (int j = 0; j < 2 * n; j++) {
        a[c][j] /= p;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c];
          for (int j = 0; j < 2 * n; j++) {
            a[r][j] -= f * a[c][j];
          }
        }
      }
    }
    logDet[0] = ld;
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, inv[i], 0, n);
    }
    return inv;
  }

  @Test
  void picksMatchTheDenseInverseScoresAndLogDet() {
    SplittableRandom r = new SplittableRandom(3);
    int d = 5;
    double gamma = 0.7;
    InverseDesign design = new InverseDesign(d, gamma);
    double[][] h = new double[d][d];
    for (int i = 0; i < d; i++) {
      h[i][i] = gamma;
    }
    double[] ld = new double[1];
    invert(h, ld);
    assertEquals(d * Math.log(gamma), design.logDet(), 1e-12, "no picks");
    assertEquals(ld[0], design.logDet(), 1e-12);
    float[] probeF = new float[d];
    double[] probe = new double[d];
    for (int j = 0; j < d; j++) {
      probeF[j] = (float) r.nextGaussian();
      probe[j] = probeF[j];
    }
    double[] probeValues = new double[12];
    probeValues[0] = design.exact(probe, 0);
    // Past the initial capacity of 4 picks, past d (primal log det) and past the anchors at 5 and 10 picks.
    for (int k = 1; k <= 11; k++) {
      double[] phi = new double[d + 2];
      for (int j = 0; j < phi.length; j++) {
        phi[j] = r.nextGaussian();
      }
      double scale = 0.5 + r.nextDouble();
      double[][] before = invert(h, ld);
      double[] t = design.add(phi, 2, scale);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          h[i][j] += scale * scale * phi[2 + i] * phi[2 + j];
        }
      }
      double[][] after = invert(h, ld);
      assertEquals(k, design.updates());
      assertEquals(ld[0], design.logDet(), 1e-10, "log det after " + k + " picks");
      double[] a = design.inverse();
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          assertEquals(after[i][j], a[i * d + j], 1e-12, "A[" + i + "][" + j + "] after " + k);
          // The returned t: A_before - A_after = t t^T.
          assertEquals(before[i][j] - after[i][j], t[i] * t[j], 1e-12);
        }
      }
      double[] x = new double[d];
      float[] xf = new float[d + 1];
      for (int j = 0; j < d; j++) {
        xf[j + 1] = (float) r.nextGaussian();
        x[j] = xf[j + 1];
      }
      double q = 0;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          q += x[i] * after[i][j] * x[j];
        }
      }
      double sc = 1.5;
      assertEquals(sc * sc * q, design.score(x, 0, sc), 1e-12);
      assertEquals(sc * sc * q, design.vectors().score(xf, 1, sc), 1e-12);
      assertEquals(sc * sc * q, InverseDesign.score(a, d, xf, 1, sc), 1e-12);
      assertEquals(k, design.vectors().count);
      // The executors' formula on the float32 row is the driver's on the widened row, bit for bit.
      assertEquals(design.score(x, 0, sc), design.vectors().score(xf, 1, sc), 0.0);
      assertEquals(design.score(probe, 0, 1.0), design.vectors().score(probeF, 0, 1.0), 0.0);
      // A value current through any earlier pick, continued, equals the one from scratch, bit for bit
      // (across an anchor, at k = 5 and 10, it is recomputed).
      probeValues[k] = design.exact(probe, 0);
      for (int from = 0; from <= k; from++) {
        assertEquals(probeValues[k], design.extend(probe, probeValues[from], from), 0.0, "from " + from + " to " + k);
      }
      assertEquals(k < d ? 0 : k / d * d, InverseDesign.anchorOf(d, k));
    }
  }

  /**
   * The pick vector of {@link InverseDesign#add} is the one-pick-at-a-time Sherman-Morrison step's, bit for bit,
   * for every pick count mod 4 (the blocked loop takes four earlier picks at a time) and across anchors (d = 1, 3,
   * 8): u = A_a v - sum_{k >= a} (t_k . v) t_k, each dot summed sequentially, u losing the terms in pick order,
   * then t = u / sqrt(1 + v . u).
   */
  @Test
  void pickVectorsEqualTheOnePickAtATimeStep() {
    SplittableRandom r = new SplittableRandom(11);
    for (int d : new int[] {1, 3, 8, 33}) {
      double gamma = 0.7;
      InverseDesign design = new InverseDesign(d, gamma);
      double[] ts = new double[0];
      for (int k = 0; k < 23; k++) {
        double[] phi = new double[d + 2];
        for (int j = 0; j < phi.length; j++) {
          phi[j] = r.nextDouble(-1, 1);
        }
        double scale = r.nextDouble(0.1, 2);
        double[] vv = new double[d];
        for (int j = 0; j < d; j++) {
          vv[j] = scale * phi[2 + j];
        }
        // The anchor a (the largest multiple of d up to k, once k >= d) and A_a from scratch: I/gamma, each entry
        // losing t_pi t_pj for p < a in pick order; u = A_a vv (sum over j in order), then the later picks.
        int a = k < d ? 0 : k / d * d;
        double[] u = new double[d];
        if (a == 0) {
          for (int j = 0; j < d; j++) {
            u[j] = vv[j] / gamma;
          }
        } else {
          double[] m = new double[d * d];
          for (int i = 0; i < d; i++) {
            m[i * d + i] = 1.0 / gamma;
          }
          for (int p = 0; p < a; p++) {
            for (int i = 0; i < d; i++) {
              for (int j = 0; j < d; j++) {
                m[i * d + j] -= ts[p * d + i] * ts[p * d + j];
              }
            }
          }
          for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
              u[i] += vv[j] * m[j * d + i];
            }
          }
        }
        for (int p = a; p < k; p++) {
          double c = 0;
          for (int j = 0; j < d; j++) {
            c += ts[p * d + j] * vv[j];
          }
          for (int j = 0; j < d; j++) {
            u[j] -= c * ts[p * d + j];
          }
        }
        double q = 0;
        for (int j = 0; j < d; j++) {
          q += vv[j] * u[j];
        }
        double f = 1.0 / Math.sqrt(1.0 + Math.max(0.0, q));
        for (int j = 0; j < d; j++) {
          u[j] *= f;
        }
        assertArrayEquals(u, design.add(phi, 2, scale), 0.0, "d = " + d + ", pick " + (k + 1));
        ts = java.util.Arrays.copyOf(ts, (k + 1) * d);
        System.arraycopy(u, 0, ts, k * d, d);
      }
      assertArrayEquals(ts, design.pickVectors(), 0.0);
    }
  }

  @Test
  void checksAndClamps() {
    assertThrows(IllegalArgumentException.class, () -> new InverseDesign(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new InverseDesign(2, 0));
    assertThrows(IllegalArgumentException.class, () -> new InverseDesign(2, Double.NaN));
    InverseDesign one = new InverseDesign(1, 2);
    assertArrayEquals(new double[] {0.5}, one.inverse(), 0.0);
    assertEquals(0.0, InverseDesign.finish(-1e-17, 3), 0.0);
    assertEquals(4.5, InverseDesign.finish(0.5, 3), 0.0);
    // A dense score of a (slightly) indefinite matrix is clamped at 0.
    assertEquals(0.0, InverseDesign.score(new double[] {-1}, 1, new float[] {2}, 0, 1), 0.0);
    assertEquals(8.0, InverseDesign.score(new double[] {0.5}, 1, new float[] {2}, 0, 2), 0.0);
  }

  @Test
  void kernelsComputeEveryDotForEveryBatchSizeAndRowOffset() {
    SplittableRandom r = new SplittableRandom(4);
    ScoreKernel[] kernels = {new ScalarScoreKernel(), ScoreKernels.best()};
    for (ScoreKernel kernel : kernels) {
      for (int d : new int[] {1, 3, 16, 21}) {
        for (int batch = 1; batch <= 9; batch++) {
          int rows = 3;
          int first = 2;
          float[] phi = new float[(first + rows) * d];
          float[] t = new float[batch * d];
          for (int j = 0; j < phi.length; j++) {
            phi[j] = r.nextInt(-4, 5);
          }
          for (int j = 0; j < t.length; j++) {
            t[j] = r.nextInt(-4, 5);
          }
          float[] out = new float[rows * batch];
          kernel.dots(phi, first, rows, d, t, batch, out);
          for (int i = 0; i < rows; i++) {
            for (int k = 0; k < batch; k++) {
              int exact = 0;
              for (int j = 0; j < d; j++) {
                exact += (int) phi[(first + i) * d + j] * (int) t[k * d + j];
              }
              assertEquals(exact, out[i * batch + k], 0.0f,
                  kernel.name() + " d=" + d + " batch=" + batch + " row " + i + " pick " + k);
            }
          }
        }
      }
    }
  }

  @Test
  void errorBoundsFollowTheirRoundingCounts() {
    // ScoreKernel: a chain of d roundings is (d + 2) 2^-24; scalar: two roundings per term.
    for (int d : new int[] {1, 7, 64, 100}) {
      assertEquals((d + 2) * 0x1p-24, ScoreKernel.sequentialErrorBound(d), 0.0);
      assertEquals(2 * (d + 2) * 0x1p-24, new ScalarScoreKernel().errorBound(d), 0.0);
    }
    ScoreKernel best = ScoreKernels.best();
    assertTrue(best.name().startsWith("vector-api-"), best.name());
    // Vector API: lanes = bits / 32; d / L fused multiply-adds per lane, L reduction steps, and two
    // roundings per tail term, plus 2.
    int lanes = Integer.parseInt(best.name().substring("vector-api-".length())) / 32;
    for (int d : new int[] {1, 7, 16, 64, 100, 1000}) {
      assertEquals((d / lanes + lanes + 2 * (d % lanes) + 2) * 0x1p-24, best.errorBound(d), 0.0, "d = " + d);
    }
    assertEquals("scalar", new ScalarScoreKernel().name());
    // Tiled: min(d, 16) roundings in a block's chain plus one per later block.
    assertEquals((19 + 2) * 0x1p-24 / (1 - 19 * 0x1p-24), ScoreKernel.tiledChainErrorBound(64), 0.0);
    assertEquals(ScoreKernel.chainErrorBound(23), ScoreKernel.tiledChainErrorBound(128), 0.0);
    assertEquals(ScoreKernel.chainErrorBound(5), ScoreKernel.tiledChainErrorBound(5), 0.0);
    assertEquals(ScoreKernel.chainErrorBound(16), ScoreKernel.tiledChainErrorBound(16), 0.0);
    assertEquals(ScoreKernel.chainErrorBound(17), ScoreKernel.tiledChainErrorBound(17), 0.0);
    assertEquals(ScoreKernel.chainErrorBound(47), best.tiledErrorBound(512), 0.0);
    assertEquals("scalar-no-fma", new ScalarScoreKernel(false).name());
  }
}
