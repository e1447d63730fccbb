package org.adpo.design;

/**
 * The tile-transposed layout of a block's float32 features, used instead of the row-major one at small
 * d. Rows are grouped in tiles of {@link #TILE} consecutive rows; a tile holds, for each feature j in
 * turn, the j-th values of its rows side by side: row i's feature j is at
 * {@code (i / TILE) * TILE * d + j * TILE + i % TILE}. The last tile is padded with zero rows.
 *
 * <p>Why: the downdate computes every stored row's dot with every pick vector. Row-major, each dot of
 * length d is a few SIMD multiply-adds and then a horizontal reduction of the lanes, which at d = 64
 * costs as much as the multiply-adds. Tiled, one SIMD lane holds one row: a pass over j multiplies a
 * tile's column by the pick's t_j (one broadcast) and adds it to the lanes' sums, with no reduction
 * at all. Measured on one core here (AVX-512, {@code bench/kernel-dots.sh}): 2-3x faster dots at d = 64
 * and 128, 1.8x at 512. Larger d stays row-major ({@link #MAX_D}) although the same measurement finds the
 * tiled kernel 1.5-1.9x faster up to d = 8192: there the downdate is not the whole of a round (the exact
 * refresh reads each row strided out of its tile) and a large pool's transient second copy while the
 * candidates are built costs more, which has not been measured end to end yet.
 *
 * <p>The layout is a function of d alone, never of the JVM that builds the block, so the driver and
 * every executor hold the same bytes and their kernels (of any vector width, or plain Java) read the
 * same rows.
 */
public final class FeatureTiles {
  /** Rows per tile: one 512-bit vector of floats, two of 256 bits, four of 128. */
  public static final int TILE = 16;
  /**
   * Features per block of a tiled dot's sum ({@link ScoreKernel#tiledDots}): each block of 16 features is
   * summed on its own and the block sums are then added, so the longest chain of roundings is about
   * 16 + d / 16 rather than d (the error bound, {@link ScoreKernel#tiledChainErrorBound}).
   */
  public static final int BLOCK = 16;
  /** The largest d stored tiled; above it blocks stay row-major. */
  public static final int MAX_D = 512;

  private FeatureTiles() {}

  /** Whether blocks of dimension {@code d} are stored tiled. */
  public static boolean tiled(int d) {
    return d <= MAX_D;
  }

  /** The number of tiles that hold {@code rows} rows. */
  public static int tiles(int rows) {
    return (rows + TILE - 1) / TILE;
  }

  /** The position of row {@code i}'s feature {@code j}. */
  public static int index(int i, int j, int d) {
    return (i / TILE) * TILE * d + j * TILE + i % TILE;
  }

  /** The tiled copy of {@code rows} row-major rows of dimension {@code d} (zero rows pad the last tile). */
  public static float[] of(float[] rowMajor, int rows, int d) {
    long size = (long) tiles(rows) * TILE * d;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a block of " + rows + " rows of dimension " + d + " is too large");
    }
    float[] tiles = new float[(int) size];
    for (int i = 0; i < rows; i++) {
      int from = i * d;
      int to = (i / TILE) * TILE * d + i % TILE;
      for (int j = 0; j < d; j++) {
        tiles[to + j * TILE] = rowMajor[from + j];
      }
    }
    return tiles;
  }

  /** Copies row {@code i} of a tiled array into {@code out[off .. off + d)}. */
  public static void row(float[] tiles, int i, int d, float[] out, int off) {
    int from = (i / TILE) * TILE * d + i % TILE;
    for (int j = 0; j < d; j++) {
      out[off + j] = tiles[from + j * TILE];
    }
  }
}
