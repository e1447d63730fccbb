package org.adpo.select;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.adpo.design.InverseDesign;

/**
 * Executor-side work of one round, as plain Java: score every not-yet-picked candidate of a block
 * against the driver's current inverse design and keep the best {@code k} (with their vectors) plus
 * the (k+1)-th score as a bound on everything left behind. Also the seeded "smallest keys" draw
 * used by the uniform and candidate-subset modes.
 */
public final class PartitionScorer {
  private PartitionScorer() {}

  /** True when {@code ord} is in the sorted array {@code picked}. */
  static boolean isPicked(long[] picked, long ord) {
    return picked.length > 0 && Arrays.binarySearch(picked, ord) >= 0;
  }

  /** The k best candidates of the block under {@code inverse} and the bound on the rest. */
  public static PartitionTop topK(CandidateBlock block, double[] inverse, long[] pickedSorted, int k) {
    // A bounded heap of k+1 row indices whose root is the worst kept row.
    int cap = k + 1;
    int[] heap = new int[cap];
    double[] scores = new double[block.rows];
    int size = 0;
    for (int i = 0; i < block.rows; i++) {
      if (isPicked(pickedSorted, block.ords[i])) {
        continue;
      }
      scores[i] = InverseDesign.score(inverse, block.d, block.phi, i * block.d, block.scale[i]);
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
    int returned = Math.min(k, size);
    List<Candidate> best = new ArrayList<>(returned);
    for (int j = 0; j < returned; j++) {
      best.add(block.candidate(kept[j], scores[kept[j]]));
    }
    double bound = size > k ? scores[kept[k]] : Double.NEGATIVE_INFINITY;
    return new PartitionTop(best, bound);
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
