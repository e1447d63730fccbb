package org.adpo.design;

/**
 * Chooses the score kernel once per JVM: the JDK Vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (and {@code adpo.kernel} is not {@code scalar}),
 * plain Java otherwise. Executors choose for themselves, so a cluster whose executors lack the
 * option still runs, just slower; the driver reports what it found.
 */
public final class ScoreKernels {
  private static final ScoreKernel BEST = choose();
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

  private static ScoreKernel choose() {
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
}
