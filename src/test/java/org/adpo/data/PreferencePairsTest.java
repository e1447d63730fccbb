package org.adpo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.SplittableRandom;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PreferencePairsTest {
  static IdxImages images;
  static int[] labels;
  static PairPool pool;
  static final PreferencePairs.Params PARAMS = new PreferencePairs.Params(1024, 24, 7, 2, 1.0);

  @BeforeAll
  static void load() {
    assertTrue(Files.exists(BundledPool.T10K_IMAGES),
        "the Debian package dataset-fashion-mnist must be installed (.ci/run installs it)");
    images = IdxReader.readImages(BundledPool.T10K_IMAGES);
    labels = IdxReader.readLabels(BundledPool.T10K_LABELS);
    pool = PreferencePairs.generate(images, labels, PARAMS);
  }

  @Test
  void isDeterministicForASeed() {
    assertEquals(pool, PreferencePairs.generate(images, labels, PARAMS));
    PairPool other = PreferencePairs.generate(images, labels, new PreferencePairs.Params(1024, 24, 8, 2, 1.0));
    assertNotEquals(pool, other);
    assertNotEquals(java.util.Arrays.toString(pool.posIndex()), java.util.Arrays.toString(other.posIndex()));
  }

  @Test
  void phiIsThePixelDifferenceOfTheRecordedExamples() {
    int[] positions = pool.pixelPositions();
    assertEquals(PARAMS.dim(), positions.length);
    boolean[] varies = images.nonConstantPixels();
    for (int j = 0; j < positions.length; j++) {
      assertTrue(varies[positions[j]], "constant pixel chosen");
      assertTrue(j == 0 || positions[j - 1] < positions[j], "positions not distinct and ascending");
    }
    for (int i = 0; i < pool.size(); i++) {
      assertEquals(i, pool.id(i));
      assertEquals(2, labels[pool.posIndex(i)]);
      assertNotEquals(2, labels[pool.negIndex(i)]);
      float[] phi = pool.phi(i);
      for (int j = 0; j < positions.length; j++) {
        double expected = (images.pixel(pool.posIndex(i), positions[j]) - images.pixel(pool.negIndex(i), positions[j])) / 255.0;
        assertEquals(expected, phi[j], 1e-7);
        assertTrue(phi[j] >= -1 && phi[j] <= 1);
      }
    }
  }

  @Test
  void bIsPhiTimesTheta0AndSIsNotConstant() {
    double[] theta0 = pool.theta0();
    double[][] x = pool.phiAsDouble();
    for (int i = 0; i < pool.size(); i++) {
      assertEquals(PreferencePairs.dot(x[i], theta0), pool.b(i), 1e-12);
      assertTrue(pool.s(i) == 0 || pool.s(i) == 1);
    }
    int ones = pool.countOnes();
    assertTrue(ones > 0 && ones < pool.size(), "s is constant: " + ones + " ones");
    // Pairs are (positive, negative) and the teacher was fitted with s = 1 everywhere: most labels are 1.
    assertTrue(pool.shareOfOnes() > 0.5, pool.summary());
    assertNotEquals(0.0, norm(sub(theta0, pool.thetaBar())));
  }

  @Test
  void thetaBarIsTheRidgeLogisticFitWithAllLabelsOne() {
    double[] theta = pool.thetaBar();
    double[][] x = pool.phiAsDouble();
    double[] grad = new double[theta.length];
    for (int j = 0; j < theta.length; j++) {
      grad[j] = PARAMS.lambda() * theta[j];
    }
    for (double[] row : x) {
      double m = PreferencePairs.mu(PreferencePairs.dot(row, theta));
      for (int j = 0; j < theta.length; j++) {
        grad[j] -= (1 - m) * row[j];
      }
    }
    assertTrue(norm(grad) < 1e-6, "gradient norm " + norm(grad));
    assertTrue(norm(theta) > 0.1);
  }

  @Test
  void randomPositiveClassComesFromTheSeed() {
    PreferencePairs.Params p = PreferencePairs.Params.of(64, 8, 3);
    PairPool a = PreferencePairs.generate(images, labels, p);
    assertEquals(a.positiveClass(), PreferencePairs.generate(images, labels, p).positiveClass());
    assertTrue(a.positiveClass() >= 0 && a.positiveClass() <= 9);
    assertEquals(PreferencePairs.RANDOM_CLASS, a.params().positiveClass());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.positiveClass(), labels[a.posIndex(i)]);
    }
    // Naming the drawn class explicitly gives the same pool (its stream is split off either way).
    PairPool named = PreferencePairs.generate(images, labels, new PreferencePairs.Params(64, 8, 3, a.positiveClass(), 1));
    assertArrayEquals(a.posIndex(), named.posIndex());
    assertArrayEquals(a.negIndex(), named.negIndex());
    assertArrayEquals(a.s(), named.s());
    assertArrayEquals(a.b(), named.b());
    // Separate streams: the class and the pixels do not depend on N.
    PairPool b = PreferencePairs.generate(images, labels, PreferencePairs.Params.of(128, 8, 3));
    assertEquals(a.positiveClass(), b.positiveClass());
    assertArrayEquals(a.pixelPositions(), b.pixelPositions());
  }

  @Test
  void rejectsParametersThatDoNotFit() {
    assertThrows(UsageException.class, () -> new PreferencePairs.Params(0, 8, 1, -1, 1));
    assertThrows(UsageException.class, () -> new PreferencePairs.Params(8, 0, 1, -1, 1));
    assertThrows(UsageException.class, () -> new PreferencePairs.Params(8, 8, 1, -2, 1));
    assertThrows(UsageException.class, () -> new PreferencePairs.Params(8, 8, 1, -1, 0));
    assertThrows(UsageException.class,
        () -> PreferencePairs.generate(images, labels, new PreferencePairs.Params(8, 8, 1, 10, 1)));
    assertThrows(UsageException.class,
        () -> PreferencePairs.generate(images, labels, new PreferencePairs.Params(8, 785, 1, 0, 1)));
    assertThrows(BadInputException.class,
        () -> PreferencePairs.generate(images, new int[] {1, 2}, PARAMS));
  }

  @Test
  void sampledThetaHasTheRequestedMeanAndCovariance() {
    double[] mean = {1, -2, 0.5};
    double[][] cov = {{2, 0.6, 0}, {0.6, 1, -0.3}, {0, -0.3, 0.5}};
    SplittableRandom rng = new SplittableRandom(11);
    int n = 40000;
    double[] m = new double[3];
    double[][] c = new double[3][3];
    double[][] draws = new double[n][];
    for (int k = 0; k < n; k++) {
      draws[k] = PreferencePairs.sampleGaussian(mean, cov, rng);
      for (int j = 0; j < 3; j++) {
        m[j] += draws[k][j] / n;
      }
    }
    for (double[] v : draws) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          c[i][j] += (v[i] - m[i]) * (v[j] - m[j]) / n;
        }
      }
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(mean[i], m[i], 0.03);
      for (int j = 0; j < 3; j++) {
        assertEquals(cov[i][j], c[i][j], 0.05);
      }
    }
  }

  private static double[] sub(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int j = 0; j < a.length; j++) {
      out[j] = a[j] - b[j];
    }
    return out;
  }

  private static double norm(double[] v) {
    return Math.sqrt(PreferencePairs.dot(v, v));
  }
}
