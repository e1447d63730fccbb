package org.adpo.select;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.adpo.design.FeatureTiles;
import org.adpo.design.InverseDesign;
import org.adpo.design.ScoreKernel;

/**
 * Executor-side work of the greedy loop, as plain Java on one partition's candidates: score rows
 * (exactly against a broadcast H^-1, or by downdating stored scores with the picks' vectors), and
 * keep the best {@code k} rows with their vectors plus the (k+1)-th score as a bound on everything
 * left behind. Also the seeded "smallest keys" draw used by the uniform and subset modes.
 */
public final class PartitionScorer {
  private PartitionScorer() {}

  /** True when {@code ord} is in the sorted array {@code picked}. */
  static boolean isPicked(long[] picked, long ord) {
    return picked.length > 0 && Arrays.binarySearch(picked, ord) >= 0;
  }

  /**
   * Exact scores v^T A v of every row under the broadcast inverse, by the one exact formula the
   * driver uses ({@link InverseDesign.Vectors#score}); -Infinity for picked rows. O(d min(t, d)) per row.
   */
  public static double[] exactScores(CandidateBlock block, InverseDesign.Vectors inverse, long[] pickedSorted) {
    double[] scores = new double[block.rows];
    exactScores(block, inverse, pickedSorted, scores, 0, block.rows);
    return scores;
  }

  /** As {@link #exactScores(CandidateBlock, InverseDesign.Vectors, long[])}, into {@code scores} for rows [from, to). */
  public static void exactScores(CandidateBlock block, InverseDesign.Vectors inverse, long[] pickedSorted,
      double[] scores, int from, int to) {
    // Each row is copied out of the block's layout first: the same float32 values in the same order, so the
    // same score as the driver's for that row.
    float[] row = new float[block.d];
    for (int i = from; i < to; i++) {
      if (isPicked(pickedSorted, block.ords[i])) {
        scores[i] = Double.NEGATIVE_INFINITY;
      } else {
        block.row(i, row, 0);
        scores[i] = inverse.score(row, 0, block.scale[i]);
      }
    }
  }

  /** Exact scores v^T A v of every row under a dense A (row-major d x d; for checks); -Infinity for picked rows. */
  public static double[] exactScores(CandidateBlock block, double[] inverse, long[] pickedSorted) {
    double[] scores = new double[block.rows];
    float[] row = new float[block.d];
    for (int i = 0; i < block.rows; i++) {
      if (isPicked(pickedSorted, block.ords[i])) {
        scores[i] = Double.NEGATIVE_INFINITY;
      } else {
        block.row(i, row, 0);
        scores[i] = InverseDesign.score(inverse, block.d, row, 0, block.scale[i]);
      }
    }
    return scores;
  }

  /** Scores under H_0 = gamma I: scale^2 |phi|^2 / gamma, O(d) per row. */
  public static double[] initialScores(CandidateBlock block, double gamma) {
    double[] scores = new double[block.rows];
    for (int i = 0; i < block.rows; i++) {
      scores[i] = block.scale[i] * block.scale[i] * block.norm[i] * block.norm[i] / gamma;
    }
    return scores;
  }

  /**
   * Applies a batch of picks to stored scores, in place. Pick k lowers every row's score by
   * scale_i^2 (phi_i . t_k)^2 (see {@link InverseDesign#add}). The dots come from a float32 kernel,
   * so each is shrunk towards zero by its error bound |phi_i| err_k before squaring: the stored
   * score never falls below the exact one, i.e. stays an upper bound, which is all the driver's
   * certificate needs. Rows picked in the batch get -Infinity.
   *
   * @param t the batch's vectors t_k in float32, k-major (batch x d)
   * @param err per pick, the bound on |computed - exact| of a dot with a unit row
   * @param newlyPicked sorted ords picked in this batch
   */
  public static void downdate(CandidateBlock block, double[] scores, ScoreKernel kernel, float[] t, int batch,
      double[] err, long[] newlyPicked) {
    downdate(block, scores, 0, block.rows, kernel, t, batch, err, newlyPicked);
  }

  /**
   * As {@link #downdate(CandidateBlock, double[], ScoreKernel, float[], int, double[], long[])} for
   * rows [from, to) only. Each row's new score depends on that row alone (its dots, its stored score),
   * so splitting a block into ranges gives bit for bit the scores of one call over the block.
   *
   * <p>The error bound {@code err} must be the one of the kernel's path for this block's layout
   * ({@link ScoreKernel#layoutErrorBound}, as {@link PickBatch#errors} gives it): {@link ScoreKernel#dots} on
   * row-major blocks, {@link ScoreKernel#tiledDots} on tiled ones.
   */
  public static void downdate(CandidateBlock block, double[] scores, int from, int to, ScoreKernel kernel,
      float[] t, int batch, double[] err, long[] newlyPicked) {
    if (from >= to) {
      return;
    }
    if (block.tiled) {
      downdateTiled(block, scores, from, to, kernel, t, batch, err, newlyPicked);
      return;
    }
    int d = block.d;
    int chunk = Math.max(1, Math.min(to - from, 4096 / Math.max(1, batch)));
    float[] dots = new float[chunk * batch];
    for (int start = from; start < to; start += chunk) {
      int n = Math.min(chunk, to - start);
      kernel.dots(block.features, start, n, d, t, batch, dots);
      for (int r = 0; r < n; r++) {
        lower(block, scores, start + r, dots, r * batch, 1, batch, err, newlyPicked);
      }
    }
  }

  /**
   * The tiled downdate: the dots of whole tiles (a range's first and last tile may hold rows outside it,
   * whose dots are computed and not used), then each row of the range lowered as on row-major blocks.
   */
  private static void downdateTiled(CandidateBlock block, double[] scores, int from, int to, ScoreKernel kernel,
      float[] t, int batch, double[] err, long[] newlyPicked) {
    int tile = FeatureTiles.TILE;
    int firstTile = from / tile;
    int endTile = (to - 1) / tile + 1;
    int chunk = Math.max(1, Math.min(endTile - firstTile, 4096 / tile / Math.max(1, batch)));
    float[] dots = new float[chunk * batch * tile];
    for (int q = firstTile; q < endTile; q += chunk) {
      int n = Math.min(chunk, endTile - q);
      kernel.tiledDots(block.features, q, n, block.d, t, batch, dots);
      int lo = Math.max(from, q * tile);
      int hi = Math.min(to, (q + n) * tile);
      for (int i = lo; i < hi; i++) {
        int inChunk = i - q * tile;
        // Row i's dot with pick k is at ((i's tile in the chunk) * batch + k) * TILE + (i's lane).
        lower(block, scores, i, dots, (inChunk / tile) * batch * tile + inChunk % tile, tile, batch, err,
            newlyPicked);
      }
    }
  }

  /**
   * Lowers row i's stored score by each pick's scale_i^2 (|dot_k| - |phi_i| err_k)_+^2, the dot of pick k
   * at {@code dots[at + k * step]}; -Infinity for a row picked in the batch.
   */
  private static void lower(CandidateBlock block, double[] scores, int i, float[] dots, int at, int step, int batch,
      double[] err, long[] newlyPicked) {
    double s = scores[i];
    if (s == Double.NEGATIVE_INFINITY) {
      return;
    }
    if (isPicked(newlyPicked, block.ords[i])) {
      scores[i] = Double.NEGATIVE_INFINITY;
      return;
    }
    double sc2 = block.scale[i] * block.scale[i];
    for (int k = 0; k < batch; k++) {
      double lower = Math.abs((double) dots[at + k * step]) - block.norm[i] * err[k];
      if (lower > 0) {
        s -= sc2 * lower * lower;
      }
    }
    scores[i] = Math.max(0.0, s);
  }

  /** The k best rows by (score descending, ord ascending) and the (k+1)-th score as the bound. */
  public static PartitionTop top(CandidateBlock block, double[] scores, int k) {
    Integer[] kept = best(block, scores, k + 1);
    int returned = Math.min(k, kept.length);
    List<Candidate> best = new ArrayList<>(returned);
    for (int j = 0; j < returned; j++) {
      best.add(block.candidate(kept[j], scores[kept[j]]));
    }
    double bound = kept.length > k ? scores[kept[k]] : Double.NEGATIVE_INFINITY;
    return new PartitionTop(best, bound);
  }

  /**
   * The rows whose stored score exceeds {@code threshold}, best first, at most {@code cap} of them;
   * as the bound the stored score of the best row not returned (the rows are ranked by (score
   * descending, ord ascending), so every row not returned scores at most the bound), and the stored
   * scores of the next {@code sample} rows after the returned ones.
   */
  public static PartitionTop topAbove(CandidateBlock block, double[] scores, double threshold, int cap, int sample,
      int partition) {
    Integer[] kept = best(block, scores, cap + sample);
    int returned = 0;
    while (returned < Math.min(cap, kept.length) && scores[kept[returned]] > threshold) {
      returned++;
    }
    List<Candidate> best = new ArrayList<>(returned);
    for (int j = 0; j < returned; j++) {
      best.add(block.candidate(kept[j], scores[kept[j]]));
    }
    double bound = kept.length > returned ? scores[kept[returned]] : Double.NEGATIVE_INFINITY;
    double[] next = new double[Math.min(sample, kept.length - returned)];
    for (int j = 0; j < next.length; j++) {
      next[j] = scores[kept[returned + j]];
    }
    return new PartitionTop(best, bound, partition, next);
  }

  /** The indices of the {@code count} best live rows (fewer if fewer are live), best first. */
  private static Integer[] best(CandidateBlock block, double[] scores, int count) {
    int cap = Math.max(1, count);
    int[] heap = new int[cap];
    int size = 0;
    for (int i = 0; i < block.rows; i++) {
      if (scores[i] == Double.NEGATIVE_INFINITY) {
        continue;
      }
      if (size < cap) {
        heap[size] = i;
        siftUp(heap, size, scores, block.ords);
        size++;
      } else if (better(i, heap[0], scores, block.ords)) {
        heap[0] = i;
        siftDown(heap, size, scores, block.ords);
      }
    }
    Integer[] kept = new Integer[size];
    for (int j = 0; j < size; j++) {
      kept[j] = heap[j];
    }
    Arrays.sort(kept, (x, y) -> better(x, y, scores, block.ords) ? -1 : (x.equals(y) ? 0 : 1));
    return kept;
  }

  /** Row x ranks before row y: higher score, then smaller ord. */
  private static boolean better(int x, int y, double[] scores, long[] ords) {
    int c = Double.compare(scores[x], scores[y]);
    return c > 0 || (c == 0 && ords[x] < ords[y]);
  }

  private static void siftUp(int[] heap, int pos, double[] scores, long[] ords) {
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      if (better(heap[parent], heap[pos], scores, ords)) {
        swap(heap, parent, pos);
        pos = parent;
      } else {
        return;
      }
    }
  }

  private static void siftDown(int[] heap, int size, double[] scores, long[] ords) {
    int pos = 0;
    while (true) {
      int l = 2 * pos + 1;
      int r = l + 1;
      int worst = pos;
      if (l < size && better(heap[worst], heap[l], scores, ords)) {
        worst = l;
      }
      if (r < size && better(heap[worst], heap[r], scores, ords)) {
        worst = r;
      }
      if (worst == pos) {
        return;
      }
      swap(heap, pos, worst);
      pos = worst;
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /** A candidate with its random key. */
  public record Keyed(long key, Candidate candidate) implements java.io.Serializable {}

  /**
   * The {@code k} not-yet-picked candidates with the smallest keys {@code SeededHash.key(seed,
   * step, ord)}, smallest first: a uniform random k-subset that does not depend on partitioning.
   */
  public static List<Keyed> smallestKeys(CandidateBlock block, long seed, long step, long[] pickedSorted, int k) {
    java.util.PriorityQueue<long[]> heap =
        new java.util.PriorityQueue<>(k + 1, (x, y) -> SeededHash.compare(y[0], x[0]));
    for (int i = 0; i < block.rows; i++) {
      if (isPicked(pickedSorted, block.ords[i])) {
        continue;
      }
      long key = SeededHash.key(seed, step, block.ords[i]);
      if (heap.size() < k) {
        heap.add(new long[] {key, i});
      } else if (SeededHash.compare(key, heap.peek()[0]) < 0) {
        heap.poll();
        heap.add(new long[] {key, i});
      }
    }
    List<Keyed> out = new ArrayList<>(heap.size());
    for (long[] e : heap) {
      out.add(new Keyed(e[0], block.candidate((int) e[1], 0.0)));
    }
    out.sort(PartitionScorer::byKey);
    return out;
  }

  /** Smallest key first (keys are unique with overwhelming probability; ord breaks a clash). */
  public static int byKey(Keyed x, Keyed y) {
    int c = SeededHash.compare(x.key(), y.key());
    return c != 0 ? c : Long.compare(x.candidate().ord, y.candidate().ord);
  }
}
