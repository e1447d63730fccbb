package org.adpo.design.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.adpo.design.FeatureTiles;
import org.adpo.design.ScoreKernel;

/**
 * SIMD dot products on the JDK Vector API (incubator module {@code jdk.incubator.vector}, which the
 * JVM must be started with: {@code --add-modules jdk.incubator.vector}). Register-blocked: one pass
 * over a row feeds four pick vectors, so each row chunk is loaded once per four FMAs. Tiled blocks
 * ({@link FeatureTiles}): one lane per row, so there is no reduction; each vector of a tile's column is
 * loaded once per four picks. Loaded only through {@link org.adpo.design.ScoreKernels}, which checks
 * that the module is present and that the JVM has fused multiply-add instructions.
 */
public final class VectorScoreKernel implements ScoreKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** For tiles: the preferred species, unless it is wider than a tile (then 512 bits, one vector a tile). */
  private static final VectorSpecies<Float> TS =
      S.length() <= FeatureTiles.TILE ? S : FloatVector.SPECIES_512;
  private static final int TILE = FeatureTiles.TILE;
  private static final int BLOCK = FeatureTiles.BLOCK;

  @Override
  public String name() {
    return "vector-api-" + S.vectorBitSize();
  }

  @Override
  public double errorBound(int d) {
    // Per lane: d / L fused multiply-adds; then the lanes are reduced (at most L - 1 additions in
    // any order) and the d mod L tail terms are added one by one (a multiply and an add each).
    int lanes = S.length();
    return (d / lanes + lanes + 2 * (d % lanes) + 2) * 0x1p-24;
  }

  @Override
  public void dots(float[] phi, int firstRow, int rows, int d, float[] t, int batch, float[] out) {
    int lanes = S.length();
    int upper = S.loopBound(d);
    for (int i = 0; i < rows; i++) {
      int row = (firstRow + i) * d;
      int k = 0;
      for (; k + 4 <= batch; k += 4) {
        int t0 = k * d;
        int t1 = t0 + d;
        int t2 = t1 + d;
        int t3 = t2 + d;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int j = 0;
        for (; j < upper; j += lanes) {
          FloatVector x = FloatVector.fromArray(S, phi, row + j);
          a0 = x.fma(FloatVector.fromArray(S, t, t0 + j), a0);
          a1 = x.fma(FloatVector.fromArray(S, t, t1 + j), a1);
          a2 = x.fma(FloatVector.fromArray(S, t, t2 + j), a2);
          a3 = x.fma(FloatVector.fromArray(S, t, t3 + j), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD);
        float s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD);
        float s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) {
          float x = phi[row + j];
          s0 += x * t[t0 + j];
          s1 += x * t[t1 + j];
          s2 += x * t[t2 + j];
          s3 += x * t[t3 + j];
        }
        int o = i * batch + k;
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
      }
      for (; k < batch; k++) {
        int tk = k * d;
        FloatVector a = FloatVector.zero(S);
        int j = 0;
        for (; j < upper; j += lanes) {
          a = FloatVector.fromArray(S, phi, row + j).fma(FloatVector.fromArray(S, t, tk + j), a);
        }
        float s = a.reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) {
          s += phi[row + j] * t[tk + j];
        }
        out[i * batch + k] = s;
      }
    }
  }

  /**
   * Every sum is one lane's chains over the feature blocks, in the contract's order: the lanes are rows,
   * so nothing is ever added across lanes, and the same bits come out of any width.
   */
  @Override
  public void tiledDots(float[] tiles, int firstTile, int count, int d, float[] t, int batch, float[] out) {
    int lanes = TS.length();
    int stride = TILE * d;
    int quads = batch & ~3;
    // Picks in groups of four, tile by tile (a tile stays in the first-level cache for all groups).
    for (int q = 0; q < count; q++) {
      int tile = (firstTile + q) * stride;
      int o = q * batch * TILE;
      for (int v = 0; v < TILE; v += lanes) {
        for (int k = 0; k < quads; k += 4) {
          int t0 = k * d;
          int t1 = t0 + d;
          int t2 = t1 + d;
          int t3 = t2 + d;
          FloatVector s0 = FloatVector.zero(TS);
          FloatVector s1 = s0;
          FloatVector s2 = s0;
          FloatVector s3 = s0;
          int x = tile + v;
          for (int j0 = 0; j0 < d; j0 += BLOCK) {
            int j1 = Math.min(d, j0 + BLOCK);
            FloatVector a0 = FloatVector.zero(TS);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int j = j0; j < j1; j++, x += TILE) {
              FloatVector col = FloatVector.fromArray(TS, tiles, x);
              a0 = col.fma(FloatVector.broadcast(TS, t[t0 + j]), a0);
              a1 = col.fma(FloatVector.broadcast(TS, t[t1 + j]), a1);
              a2 = col.fma(FloatVector.broadcast(TS, t[t2 + j]), a2);
              a3 = col.fma(FloatVector.broadcast(TS, t[t3 + j]), a3);
            }
            s0 = s0.add(a0);
            s1 = s1.add(a1);
            s2 = s2.add(a2);
            s3 = s3.add(a3);
          }
          int ok = o + k * TILE + v;
          s0.intoArray(out, ok);
          s1.intoArray(out, ok + TILE);
          s2.intoArray(out, ok + 2 * TILE);
          s3.intoArray(out, ok + 3 * TILE);
        }
      }
    }
    // The last batch % 4 picks one at a time over four vectors of rows side by side, so that four
    // independent chains hide the latency of the multiply-add.
    int per = TILE / lanes;
    int units = count * per;
    for (int k = quads; k < batch; k++) {
      int tk = k * d;
      int u = 0;
      for (; u + 4 <= units; u += 4) {
        int x0 = unitBase(firstTile, u, per, lanes, stride);
        int x1 = unitBase(firstTile, u + 1, per, lanes, stride);
        int x2 = unitBase(firstTile, u + 2, per, lanes, stride);
        int x3 = unitBase(firstTile, u + 3, per, lanes, stride);
        FloatVector s0 = FloatVector.zero(TS);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int j0 = 0; j0 < d; j0 += BLOCK) {
          int j1 = Math.min(d, j0 + BLOCK);
          FloatVector a0 = FloatVector.zero(TS);
          FloatVector a1 = a0;
          FloatVector a2 = a0;
          FloatVector a3 = a0;
          for (int j = j0; j < j1; j++) {
            FloatVector y = FloatVector.broadcast(TS, t[tk + j]);
            int off = j * TILE;
            a0 = FloatVector.fromArray(TS, tiles, x0 + off).fma(y, a0);
            a1 = FloatVector.fromArray(TS, tiles, x1 + off).fma(y, a1);
            a2 = FloatVector.fromArray(TS, tiles, x2 + off).fma(y, a2);
            a3 = FloatVector.fromArray(TS, tiles, x3 + off).fma(y, a3);
          }
          s0 = s0.add(a0);
          s1 = s1.add(a1);
          s2 = s2.add(a2);
          s3 = s3.add(a3);
        }
        s0.intoArray(out, unitOut(u, per, lanes, batch, k));
        s1.intoArray(out, unitOut(u + 1, per, lanes, batch, k));
        s2.intoArray(out, unitOut(u + 2, per, lanes, batch, k));
        s3.intoArray(out, unitOut(u + 3, per, lanes, batch, k));
      }
      for (; u < units; u++) {
        int x0 = unitBase(firstTile, u, per, lanes, stride);
        FloatVector s0 = FloatVector.zero(TS);
        for (int j0 = 0; j0 < d; j0 += BLOCK) {
          int j1 = Math.min(d, j0 + BLOCK);
          FloatVector a0 = FloatVector.zero(TS);
          for (int j = j0; j < j1; j++) {
            a0 = FloatVector.fromArray(TS, tiles, x0 + j * TILE).fma(FloatVector.broadcast(TS, t[tk + j]), a0);
          }
          s0 = s0.add(a0);
        }
        s0.intoArray(out, unitOut(u, per, lanes, batch, k));
      }
    }
  }

  /** Where vector {@code u} of the tiles (u / per: its tile, u % per: its place in the tile) starts. */
  private static int unitBase(int firstTile, int u, int per, int lanes, int stride) {
    return (firstTile + u / per) * stride + (u % per) * lanes;
  }

  /** Where pick k's sums of vector {@code u} go in out. */
  private static int unitOut(int u, int per, int lanes, int batch, int k) {
    return ((u / per) * batch + k) * TILE + (u % per) * lanes;
  }
}
