package org.adpo.design;

/**
 * Chooses the score kernel once per JVM: the JDK Vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (and {@code adpo.kernel} is not {@code scalar}),
 * plain Java otherwise. Executors choose for themselves, so a cluster whose executors lack the
 * option still runs, just slower; the driver reports what it found. On tiled blocks (small d) both give
 * the same bits ({@link ScoreKernel#tiledDots}); the one exception is a JVM without fused multiply-add
 * instructions, which gets the unfused plain Java kernel (the Vector API and {@code Math.fma} would compute
 * every fused multiply-add in software there).
 */
public final class ScoreKernels {
  private static final ScoreKernel BEST = warmedUp(choose());
  private static volatile ScoreKernel forced;

  private ScoreKernels() {}

  public static ScoreKernel best() {
    ScoreKernel f = forced;
    return f != null ? f : BEST;
  }

  /**
   * Test hook: makes {@link #best} return {@code kernel} in this JVM ({@code null} restores the one
   * chosen at start-up), so that one local-mode test JVM can run the selection with the scalar and
   * with the vector kernel. Outside tests, {@code -Dadpo.kernel=scalar} is the way to force scalar.
   */
  public static void forceForTests(ScoreKernel kernel) {
    forced = kernel;
  }

  /**
   * Starts compiling the Vector API kernel in the background. Until the JIT's optimising compiler has
   * compiled {@code dots}, every vector operation runs as a heap-allocating call, hundreds of times
   * slower (measured here: the first pass over 10^5 x 64 rows took 220 ms, later ones 6 ms). A few
   * thousand calls on small arrays, covering the blocked and the tail paths, get it compiled in about
   * 0.2 s of one core while the pool is still being read. The results are discarded; the plain Java
   * kernel needs no such help.
   */
  private static ScoreKernel warmedUp(ScoreKernel kernel) {
    if (kernel instanceof ScalarScoreKernel) {
      return kernel;
    }
    Thread t = new Thread(() -> {
      int d = 35; // blocked lanes plus a tail for every lane count up to 32
      int batch = 5; // one block of four pick vectors plus one alone
      int rows = 4;
      float[] phi = new float[rows * d];
      float[] tv = new float[batch * d];
      for (int i = 0; i < phi.length; i++) {
        phi[i] = (i % 7) / 7f;
      }
      for (int i = 0; i < tv.length; i++) {
        tv[i] = (i % 5) / 5f;
      }
      float[] out = new float[rows * batch];
      // Tiled: 5 tiles (four vectors side by side and one alone for any width) of 80 rows.
      int tiles = 5;
      float[] tiled = FeatureTiles.of(new float[tiles * FeatureTiles.TILE * d], tiles * FeatureTiles.TILE, d);
      for (int i = 0; i < tiled.length; i++) {
        tiled[i] = (i % 7) / 7f;
      }
      float[] tiledOut = new float[tiles * FeatureTiles.TILE * batch];
      for (int i = 0; i < 4000; i++) {
        kernel.dots(phi, 0, rows, d, tv, batch, out);
        kernel.tiledDots(tiled, 0, tiles, d, tv, batch, tiledOut);
      }
    }, "adpo-kernel-warm-up");
    t.setDaemon(true);
    t.start();
    return kernel;
  }

  private static ScoreKernel choose() {
    if (!fusedMultiplyAdd()) {
      return new ScalarScoreKernel(false);
    }
    if ("scalar".equalsIgnoreCase(System.getProperty("adpo.kernel", ""))) {
      return new ScalarScoreKernel();
    }
    try {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return new ScalarScoreKernel();
      }
      return (ScoreKernel) Class.forName("org.adpo.design.simd.VectorScoreKernel")
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return new ScalarScoreKernel();
    }
  }

  /**
   * Whether this JVM computes {@code Math.fma} and the Vector API's {@code fma} with a machine instruction
   * (HotSpot's {@code UseFMA}, set from the CPU's features). A JVM that does not say is assumed to.
   */
  static boolean fusedMultiplyAdd() {
    try {
      com.sun.management.HotSpotDiagnosticMXBean bean = java.lang.management.ManagementFactory
          .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      return bean == null || !"false".equals(bean.getVMOption("UseFMA").getValue());
    } catch (RuntimeException | LinkageError e) {
      return true;
    }
  }
}
