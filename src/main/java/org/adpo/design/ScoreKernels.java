package org.adpo.design;

/**
 * Chooses the score kernel once per JVM: the JDK Vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (and {@code adpo.kernel} is not {@code scalar}),
 * plain Java otherwise. Executors choose for themselves, so a cluster whose executors lack the
 * option still runs, just slower; the driver reports what it found.
 */
public final class ScoreKernels {
  private static final ScoreKernel BEST = choose();

  private ScoreKernels() {}

  public static ScoreKernel best() {
    return BEST;
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
