package org.adpo.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;
import org.adpo.model.FitResult;
import org.adpo.model.NewtonFit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Builds a pool of preference pairs from a labelled image set by the recipe of the paper's log-linear
 * experiment (docs/method.md, last section), so the engine can be run on real data with a known ground truth.
 *
 * <h2>Recipe</h2>
 * <ol>
 *   <li><b>Features.</b> d pixel positions are drawn uniformly without replacement among the positions
 *       whose value is not constant over the given images (non-zero variance); coordinate j of an image is
 *       pixel {@code pixelPositions[j]} divided by 255, in [0,1]. Why: docs/method.md takes phi to be an embedding and
 *       the paper used a random subset of d coordinates of ResNet-50 features. We have no embedding model, so
 *       raw pixels stand in for the embedding. A constant pixel would give an identically zero coordinate of
 *       phi: it carries no information, only the ridge pins theta there, and it wastes one of the d dimensions.
 *       The chosen positions are sorted ascending, so column j of phi is the j-th chosen pixel in row-major order.
 *   <li><b>Positive class.</b> As given, or (-1) drawn uniformly among the distinct labels.
 *   <li><b>Pairs.</b> For i = 0..N-1: a positive example p (label == positive class) and a negative example
 *       q (label != positive class), each uniform with replacement; {@code phi_i = x_p - x_q}, computed in
 *       float32 as {@code (pixel_p - pixel_q) / 255f} (exactly what is stored; the teacher and b use the same
 *       values widened to double).
 *   <li><b>Teacher.</b> {@code theta_bar = NewtonFit.fit(phi, b = 0, s = 1, beta = 1, lambda)}, i.e. the ridge
 *       logistic fit with every pair labelled "positive preferred".
 *       {@code Sigma_bar = (lambda I + sum_i w_i phi_i phi_i^T)^-1} at theta_bar.
 *   <li><b>Labels.</b> {@code s_i = 1 iff u_i < mu(phi_i . theta_bar)}, u_i uniform in [0,1).
 *   <li><b>Reference.</b> {@code theta_0 = theta_bar + L z}, L the lower Cholesky factor of Sigma_bar and z
 *       standard normal (Box-Muller, cosine branch, from two uniforms); {@code b_i = phi_i . theta_0}.
 * </ol>
 *
 * <h2>Randomness</h2>
 * One {@link SplittableRandom}{@code (seed)} is split, in this order, into independent streams for the class
 * choice, the feature choice, the pair draws, the labels and theta_0. SplittableRandom (SplitMix64) and its
 * {@code nextInt(bound)} / {@code nextDouble()} are fully specified, and the Gaussian is computed here rather
 * than with the JDK's {@code nextGaussian}, so a seed gives the same pool on every JDK. Splitting keeps, e.g.,
 * the chosen pixels and positive class the same when only N changes.
 */
public final class PreferencePairs {
  /** {@link Params#positiveClass()} value meaning "draw the positive class from the seed". */
  public static final int RANDOM_CLASS = -1;
  /** Newton iteration cap of the teacher fit. */
  public static final int TEACHER_MAX_ITERATIONS = 100;
  /** Gradient-norm tolerance of the teacher fit. */
  public static final double TEACHER_GRADIENT_TOLERANCE = 1e-9;

  private PreferencePairs() {}

  /**
   * Generator parameters: number of pairs N, feature dimension d, seed, positive class (-1 = random from the
   * seed) and the ridge lambda of the teacher fit (default 1).
   */
  public record Params(int pairs, int dim, long seed, int positiveClass, double lambda)
      implements java.io.Serializable {
    public Params {
      if (pairs < 1) {
        throw new UsageException("pairs must be >= 1, got " + pairs);
      }
      if (dim < 1) {
        throw new UsageException("dim must be >= 1, got " + dim);
      }
      if (positiveClass < RANDOM_CLASS) {
        throw new UsageException("positive class must be a label >= 0 or -1 (random), got " + positiveClass);
      }
      if (!(lambda > 0) || Double.isInfinite(lambda)) {
        throw new UsageException("lambda must be a positive finite number, got " + lambda);
      }
    }

    /** N pairs, d features, the given seed, a random positive class, lambda = 1. */
    public static Params of(int pairs, int dim, long seed) {
      return new Params(pairs, dim, seed, RANDOM_CLASS, 1.0);
    }

    /** The parameters of the bundled pool {@code data/fashion-mnist-pairs}: 4096 pairs, d = 64, seed 1. */
    static Params bundled() {
      return of(4096, 64, 1);
    }
  }

  /**
   * Entry point for the CLI ({@code adpo make-pool}): reads the IDX image and label files and generates the pool.
   *
   * @throws BadInputException for unreadable or inconsistent files
   * @throws UsageException when the parameters do not fit the data (unknown class, d too large)
   */
  public static PairPool generate(Path imagesFile, Path labelsFile, Params params) {
    IdxImages images = IdxReader.readImages(imagesFile);
    int[] labels = IdxReader.readLabels(labelsFile);
    if (labels.length != images.count()) {
      throw new BadInputException("IDX files " + imagesFile + " and " + labelsFile + " do not match: "
          + images.count() + " images but " + labels.length + " labels");
    }
    return generate(images, labels, params);
  }

  /** Generates the pool from images and their labels (see the class comment for the recipe). */
  public static PairPool generate(IdxImages images, int[] labels, Params params) {
    if (labels.length != images.count()) {
      throw new BadInputException(images.count() + " images but " + labels.length + " labels");
    }
    SplittableRandom root = new SplittableRandom(params.seed());
    SplittableRandom classRng = root.split();
    SplittableRandom featureRng = root.split();
    SplittableRandom pairRng = root.split();
    SplittableRandom labelRng = root.split();
    SplittableRandom thetaRng = root.split();

    int positive = choosePositiveClass(labels, params.positiveClass(), classRng);
    int[] positions = choosePixels(images, params.dim(), featureRng);

    int[] positives = Arrays.stream(indices(labels.length)).filter(i -> labels[i] == positive).toArray();
    int[] negatives = Arrays.stream(indices(labels.length)).filter(i -> labels[i] != positive).toArray();
    if (positives.length == 0 || negatives.length == 0) {
      throw new BadInputException("positive class " + positive + " leaves no " + (positives.length == 0
          ? "positive" : "negative") + " examples among " + labels.length + " labels");
    }

    int n = params.pairs();
    int d = positions.length;
    int p = images.pixelsPerImage();
    byte[] px = images.buffer();
    float[][] phi = new float[n][d];
    int[] posIndex = new int[n];
    int[] negIndex = new int[n];
    for (int i = 0; i < n; i++) {
      int a = positives[pairRng.nextInt(positives.length)];
      int c = negatives[pairRng.nextInt(negatives.length)];
      posIndex[i] = a;
      negIndex[i] = c;
      for (int j = 0; j < d; j++) {
        int diff = (px[a * p + positions[j]] & 0xff) - (px[c * p + positions[j]] & 0xff);
        phi[i][j] = diff / 255f;
      }
    }

    double[][] x = widen(phi);
    double[] zeros = new double[n];
    double[] ones = new double[n];
    Arrays.fill(ones, 1.0);
    FitResult teacher =
        NewtonFit.fit(x, zeros, ones, 1.0, params.lambda(), TEACHER_MAX_ITERATIONS, TEACHER_GRADIENT_TOLERANCE);
    if (!teacher.converged()) {
      throw new IllegalStateException("teacher fit did not converge in " + teacher.iterations()
          + " Newton steps (gradient norm " + teacher.gradientNorm() + ")");
    }
    double[] thetaBar = teacher.theta().clone();
    double[][] sigmaBar = NewtonFit.penalizedHessianInverse(x, zeros, 1.0, params.lambda(), thetaBar);

    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = labelRng.nextDouble() < mu(dot(x[i], thetaBar)) ? 1 : 0;
    }

    double[] theta0 = sampleGaussian(thetaBar, sigmaBar, thetaRng);
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = dot(x[i], theta0);
    }
    return new PairPool(params, positive, positions, phi, b, s, posIndex, negIndex, thetaBar, theta0,
        teacher.iterations());
  }

  /** The positive class: the requested one (checked to occur), or a uniform draw among the distinct labels. */
  static int choosePositiveClass(int[] labels, int requested, SplittableRandom rng) {
    TreeSet<Integer> distinct = new TreeSet<>();
    for (int l : labels) {
      distinct.add(l);
    }
    if (distinct.size() < 2) {
      throw new BadInputException("need at least two distinct labels to build pairs, found " + distinct);
    }
    if (requested == RANDOM_CLASS) {
      int k = rng.nextInt(distinct.size());
      return distinct.stream().skip(k).findFirst().orElseThrow();
    }
    if (!distinct.contains(requested)) {
      throw new UsageException("positive class " + requested + " does not occur in the labels " + distinct);
    }
    return requested;
  }

  /** d distinct non-constant pixel positions, uniform without replacement (partial Fisher-Yates), sorted. */
  static int[] choosePixels(IdxImages images, int d, SplittableRandom rng) {
    boolean[] varies = images.nonConstantPixels();
    int[] candidates = java.util.stream.IntStream.range(0, varies.length).filter(j -> varies[j]).toArray();
    if (d > candidates.length) {
      throw new UsageException("dim " + d + " exceeds the " + candidates.length
          + " pixel positions that are not constant over the images");
    }
    for (int j = 0; j < d; j++) {
      int k = j + rng.nextInt(candidates.length - j);
      int t = candidates[j];
      candidates[j] = candidates[k];
      candidates[k] = t;
    }
    int[] chosen = Arrays.copyOf(candidates, d);
    Arrays.sort(chosen);
    return chosen;
  }

  /** mean + L z with L the lower Cholesky factor of the (symmetrised) covariance and z ~ N(0, I). */
  static double[] sampleGaussian(double[] mean, double[][] cov, SplittableRandom rng) {
    int d = mean.length;
    DMatrixRMaj c = new DMatrixRMaj(d, d);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        c.set(i, j, 0.5 * (cov[i][j] + cov[j][i]));
      }
    }
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
    if (!chol.decompose(c)) {
      throw new IllegalStateException("Sigma_bar is not positive definite");
    }
    DMatrixRMaj l = chol.getT(null);
    double[] z = new double[d];
    for (int j = 0; j < d; j++) {
      z[j] = standardNormal(rng);
    }
    double[] out = mean.clone();
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        out[i] += l.get(i, j) * z[j];
      }
    }
    return out;
  }

  /** Box-Muller (cosine branch): two uniforms per normal; JDK-independent, unlike nextGaussian. */
  static double standardNormal(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // (0, 1]
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
  }

  static double mu(double z) {
    return z >= 0 ? 1.0 / (1.0 + StrictMath.exp(-z)) : StrictMath.exp(z) / (1.0 + StrictMath.exp(z));
  }

  static double dot(double[] a, double[] b) {
    double t = 0;
    for (int j = 0; j < a.length; j++) {
      t += a[j] * b[j];
    }
    return t;
  }

  static double[][] widen(float[][] phi) {
    double[][] x = new double[phi.length][];
    for (int i = 0; i < phi.length; i++) {
      x[i] = new double[phi[i].length];
      for (int j = 0; j < phi[i].length; j++) {
        x[i][j] = phi[i][j];
      }
    }
    return x;
  }

  private static int[] indices(int n) {
    return java.util.stream.IntStream.range(0, n).toArray();
  }
}
