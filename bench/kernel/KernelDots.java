import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.adpo.design.FeatureTiles;
import org.adpo.design.ScoreKernel;
import org.adpo.design.ScoreKernels;

/**
 * The downdate's dots on one core, row-major ({@code ScoreKernel.dots}) against tiled
 * ({@code ScoreKernel.tiledDots}), alternating in each repeat, in the chunks PartitionScorer hands the
 * kernel. Prints per case the median milliseconds of one pass over all rows and the ratio.
 * usage (bench/kernel-dots.sh): KernelDots ROWS:D:PICKS[,...] [REPEATS] [best|scalar]
 */
public final class KernelDots {
  public static void main(String[] args) {
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    ScoreKernel kernel = args.length > 2 && args[2].equals("scalar") ? new org.adpo.design.ScalarScoreKernel()
        : ScoreKernels.best();
    System.out.println("kernel " + kernel.name() + ", " + repeats + " repeats, median ms per pass over all rows");
    System.out.println("| rows | d | picks | row-major (ms) | tiled (ms) | row-major / tiled |");
    System.out.println("|---|---|---|---|---|---|");
    for (String c : args[0].split(",")) {
      String[] f = c.split(":");
      int rows = Integer.parseInt(f[0]);
      int d = Integer.parseInt(f[1]);
      int batch = Integer.parseInt(f[2]);
      SplittableRandom r = new SplittableRandom(1);
      float[] phi = new float[rows * d];
      for (int i = 0; i < phi.length; i++) {
        phi[i] = (float) (r.nextGaussian() / Math.sqrt(d));
      }
      float[] tiles = FeatureTiles.of(phi, rows, d);
      float[] t = new float[batch * d];
      for (int i = 0; i < t.length; i++) {
        t[i] = (float) (0.1 * r.nextGaussian());
      }
      int tile = FeatureTiles.TILE;
      int chunkRows = Math.max(1, 4096 / batch); // as PartitionScorer.downdate
      int chunkTiles = Math.max(1, 4096 / tile / batch);
      float[] out = new float[Math.max(chunkRows * batch, chunkTiles * batch * tile)];
      int ntiles = FeatureTiles.tiles(rows);
      List<Double> rowMajor = new ArrayList<>();
      List<Double> tiled = new ArrayList<>();
      for (int rep = -3; rep < repeats; rep++) { // three passes each to let the JIT compile both
        for (int which = 0; which < 2; which++) {
          boolean tiledFirst = (rep & 1) == 1;
          boolean doTiled = tiledFirst == (which == 0);
          long start = System.nanoTime();
          if (doTiled) {
            for (int q = 0; q < ntiles; q += chunkTiles) {
              kernel.tiledDots(tiles, q, Math.min(chunkTiles, ntiles - q), d, t, batch, out);
            }
          } else {
            for (int s = 0; s < rows; s += chunkRows) {
              kernel.dots(phi, s, Math.min(chunkRows, rows - s), d, t, batch, out);
            }
          }
          double ms = (System.nanoTime() - start) / 1e6;
          if (rep >= 0) {
            (doTiled ? tiled : rowMajor).add(ms);
          }
        }
      }
      double a = median(rowMajor);
      double b = median(tiled);
      System.out.printf("| %d | %d | %d | %.1f | %.1f | %.2f |%n", rows, d, batch, a, b, a / b);
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
