package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.adpo.design.InverseDesign;
import org.junit.jupiter.api.Test;

/**
 * The driver's round on hand-made partition results (no Spark): which gathered rows it may pick
 * against the partitions' bounds, in which order, and what it reports. A pick is certified only when
 * its exact score beats every bound by the relative margin; a tie with a bound is not a certificate,
 * since the row left behind at the bound may have a smaller id.
 */
class CertifiedGreedyTest {
  private static final double M = CertifiedGreedy.MARGIN;

  /** A candidate with a stored score (what the partition believed) and vector scale * phi. */
  private static Candidate row(long ord, double stored, double scale, double... phi) {
    return new Candidate(ord, "id" + ord, phi, 1.0, scale, stored);
  }

  private static PartitionTop top(double bound, Candidate... best) {
    return new PartitionTop(new ArrayList<>(List.of(best)), bound);
  }

  private static final class Recorder implements CertifiedGreedy.PickListener {
    final List<Long> ords = new ArrayList<>();
    final List<Double> scores = new ArrayList<>();

    @Override
    public void picked(Candidate c, double score) {
      ords.add(c.ord);
      scores.add(score);
    }
  }

  private static CertifiedGreedy.Outcome round(InverseDesign design, long maxPicks, boolean fresh, Recorder rec,
      PartitionTop... tops) {
    return CertifiedGreedy.round(List.of(tops), design, maxPicks, fresh, rec);
  }

  @Test
  void aRowTiedExactlyWithAnotherPartitionsBoundIsNotPicked() {
    // Exact score of ord 5 under A = I is 1; partition 2 left a row behind that may score 1 as well.
    Recorder rec = new Recorder();
    CertifiedGreedy.Outcome o = round(new InverseDesign(2, 1.0), 10, false, rec,
        top(Double.NEGATIVE_INFINITY, row(5, 1.0, 1.0, 1, 0)), top(1.0, row(3, 0.5, 1.0, 0, Math.sqrt(0.5))));
    assertEquals(0, o.picks());
    assertEquals(List.of(), o.picked());
    assertEquals(List.of(), rec.ords);
    assertFalse(o.exhausted());
  }

  @Test
  void aTieWithItsOwnPartitionsBoundIsNotPickedEither() {
    Recorder rec = new Recorder();
    CertifiedGreedy.Outcome o = round(new InverseDesign(1, 1.0), 10, false, rec, top(4.0, row(8, 4.0, 2.0, 1)));
    assertEquals(0, o.picks());
  }

  @Test
  void scoresWithinTheMarginOfTheBoundAreNotCertifiedAndScoresBeyondItAre() {
    double s = 2.25; // (1.5)^2 under A = I
    assertFalse(CertifiedGreedy.beats(s, s));
    assertFalse(CertifiedGreedy.beats(s, s / (1 + 0.5 * M)), "inside the margin");
    assertTrue(CertifiedGreedy.beats(s, s / (1 + 2 * M)), "beyond the margin");
    assertFalse(CertifiedGreedy.beats(1 + M, 1.0), "exactly bound + margin is not beyond it");
    assertTrue(CertifiedGreedy.beats(Math.nextUp(1 + M), 1.0));
    assertFalse(CertifiedGreedy.beats(0.0, 0.0));
    assertTrue(CertifiedGreedy.beats(Double.MIN_VALUE, 0.0));
    assertTrue(CertifiedGreedy.beats(0.0, Double.NEGATIVE_INFINITY), "no bound: anything is certified");

    // The same edges through a round.
    assertEquals(0, round(new InverseDesign(1, 1.0), 5, false, new Recorder(),
        top(Double.NEGATIVE_INFINITY, row(1, s, 1.5, 1)), top(s / (1 + 0.5 * M))).picks());
    CertifiedGreedy.Outcome o = round(new InverseDesign(1, 1.0), 5, false, new Recorder(),
        top(Double.NEGATIVE_INFINITY, row(1, s, 1.5, 1)), top(s / (1 + 2 * M)));
    assertEquals(1, o.picks());
    assertFalse(o.exhausted(), "the bounding partition still holds rows");
  }

  @Test
  void anEmptyPartitionWithAFiniteBoundStillBoundsThePicks() {
    // Partition 2 returned no row but says its rows score at most 3: ord 4 (exact 4) beats it, ord 6
    // (exact 1 after nothing; 1 - downdate after ord 4) does not.
    Recorder rec = new Recorder();
    CertifiedGreedy.Outcome o = round(new InverseDesign(2, 1.0), 10, false, rec,
        top(Double.NEGATIVE_INFINITY, row(4, 4.0, 2.0, 1, 0), row(6, 1.0, 1.0, 0, 1)), top(3.0));
    assertEquals(List.of(4L), o.picked());
    assertEquals(List.of(4L), rec.ords);
    assertFalse(o.exhausted());

    CertifiedGreedy.Outcome none = round(new InverseDesign(2, 1.0), 10, false, new Recorder(),
        top(Double.NEGATIVE_INFINITY, row(4, 4.0, 2.0, 1, 0)), top(5.0));
    assertEquals(0, none.picks());
  }

  @Test
  void emptyPartitionsWithoutABoundDoNotBlockAndNoRowsAtAllMeansExhausted() {
    CertifiedGreedy.Outcome o = round(new InverseDesign(2, 1.0), 10, false, new Recorder(),
        top(Double.NEGATIVE_INFINITY), top(Double.NEGATIVE_INFINITY, row(2, 1.0, 1.0, 1, 0)),
        top(Double.NEGATIVE_INFINITY));
    assertEquals(List.of(2L), o.picked());
    assertTrue(o.exhausted(), "every partition returned all it had, and it was picked");

    CertifiedGreedy.Outcome empty = round(new InverseDesign(2, 1.0), 10, true, new Recorder(),
        top(Double.NEGATIVE_INFINITY), top(Double.NEGATIVE_INFINITY));
    assertEquals(0, empty.picks());
    assertTrue(empty.exhausted());
  }

  @Test
  void allRowsEqualArePickedBySmallestOrdAndTheFirstFreshPickNeedsNoCertificate() {
    // Four identical rows (score 2 under A = I), four more left behind at the same stored score.
    Recorder rec = new Recorder();
    CertifiedGreedy.Outcome o = round(new InverseDesign(2, 1.0), 10, true, rec,
        top(2.0, row(5, 2.0, 1.0, 1, 1), row(2, 2.0, 1.0, 1, 1)),
        top(2.0, row(9, 2.0, 1.0, 1, 1), row(4, 2.0, 1.0, 1, 1)));
    // The first pick is the global best (fresh exact scores, ties to the smallest ord); the others
    // fall to 2 - 4/3 and cannot beat the bound 2 of the rows left behind.
    assertEquals(List.of(2L), o.picked());
    assertEquals(List.of(2.0), rec.scores);
    assertFalse(o.exhausted());

    // Not fresh: the first pick needs a certificate too, and a tie at the bound is none.
    assertEquals(0, round(new InverseDesign(2, 1.0), 10, false, new Recorder(),
        top(2.0, row(5, 2.0, 1.0, 1, 1), row(2, 2.0, 1.0, 1, 1))).picks());

    // Nothing left behind: all four, in ord order.
    Recorder all = new Recorder();
    CertifiedGreedy.Outcome a = round(new InverseDesign(2, 1.0), 10, false, all,
        top(Double.NEGATIVE_INFINITY, row(5, 2.0, 1.0, 1, 1), row(2, 2.0, 1.0, 1, 1)),
        top(Double.NEGATIVE_INFINITY, row(9, 2.0, 1.0, 1, 1), row(4, 2.0, 1.0, 1, 1)));
    assertEquals(List.of(2L, 4L, 5L, 9L), a.picked());
    assertTrue(a.exhausted());
    // Scores of identical rows after k picks of them: 2 / (1 + 2k).
    for (int k = 0; k < 4; k++) {
      assertEquals(2.0 / (1 + 2 * k), all.scores.get(k), 1e-14, "score at pick " + (k + 1));
    }
  }

  @Test
  void severalPicksPerRoundInGreedyOrderUntilOneFallsBelowTheBound() {
    // v1 = (2, 0), v2 = (2, 0.1), v3 = (0, 1.5), bound 1. Sequential greedy: v2 (4.01), then v3
    // (2.25 * 5 / 5.01 > 1), then v1 would score below 4 * 1.01 / 5.01 < 1: the round stops there.
    Recorder rec = new Recorder();
    InverseDesign design = new InverseDesign(2, 1.0);
    CertifiedGreedy.Outcome o = round(design, 10, false, rec,
        top(1.0, row(1, 4.0, 1.0, 2, 0), row(2, 4.01, 1.0, 2, 0.1)), top(0.5, row(3, 2.25, 1.0, 0, 1.5)));
    assertEquals(2, o.picks());
    assertEquals(List.of(2L, 3L), o.picked());
    assertEquals(4.01, rec.scores.get(0), 1e-12);
    assertEquals(2.25 * 5 / 5.01, rec.scores.get(1), 1e-12);
    assertEquals(2, design.updates());
    assertFalse(o.exhausted());

    // The downdates are the design's own t vectors: replaying them on a fresh design gives the same A.
    InverseDesign replay = new InverseDesign(2, 1.0);
    assertArrayEquals(replay.add(new double[] {2, 0.1}, 0, 1.0), o.downdates().get(0), 1e-15);
    assertArrayEquals(replay.add(new double[] {0, 1.5}, 0, 1.0), o.downdates().get(1), 1e-15);
    assertArrayEquals(replay.inverse(), design.inverse(), 1e-15);
  }

  @Test
  void maxPicksCapsTheRoundAndLeavesItNotExhausted() {
    Recorder rec = new Recorder();
    CertifiedGreedy.Outcome o = round(new InverseDesign(3, 1.0), 2, false, rec,
        top(Double.NEGATIVE_INFINITY, row(7, 9.0, 3.0, 1, 0, 0), row(8, 1.0, 1.0, 0, 0, 1)),
        top(Double.NEGATIVE_INFINITY, row(1, 4.0, 2.0, 0, 1, 0)));
    assertEquals(List.of(7L, 1L), o.picked());
    assertEquals(List.of(9.0, 4.0), rec.scores);
    assertFalse(o.exhausted(), "ord 8 is still gathered");
  }

  @Test
  void storedScoresAreReplacedByExactOnesAndTheirInflationIsReported() {
    // Stored 2.2 and 1.5 (downdated upper bounds) against exact 2 and 1.25: inflation 0.2.
    Recorder rec = new Recorder();
    CertifiedGreedy.Outcome o = round(new InverseDesign(2, 1.0), 10, false, rec,
        top(Double.NEGATIVE_INFINITY, row(1, 2.2, 1.0, 1, 1), row(2, 1.5, 1.0, 0.5, 1)));
    assertEquals(0.2, o.inflation(), 1e-12);
    // Exact order: ord 1 (2) before ord 2 (1.25), although ord 2 could have been stored higher.
    assertEquals(List.of(1L, 2L), o.picked());
    assertEquals(2.0, rec.scores.get(0), 1e-15);
  }

  @Test
  void theExactScoreDecidesTheOrderNotTheStoredOne() {
    // Ord 1 was stored high (5) but is exactly 1; ord 2 stored 2, exactly 2: ord 2 goes first.
    Recorder rec = new Recorder();
    CertifiedGreedy.Outcome o = round(new InverseDesign(2, 1.0), 10, false, rec,
        top(Double.NEGATIVE_INFINITY, row(1, 5.0, 1.0, 1, 0), row(2, 2.0, 1.0, 0, Math.sqrt(2))));
    assertEquals(List.of(2L, 1L), o.picked());
    assertEquals(4.0, o.inflation(), 1e-12);
  }

  @Test
  void aRowWithZeroScoreDoesNotInflateTheReportedInflation() {
    // phi = 0 has exact score 0 whatever was stored: it carries no relative excess.
    CertifiedGreedy.Outcome o = round(new InverseDesign(2, 1.0), 10, false, new Recorder(),
        top(Double.NEGATIVE_INFINITY, row(1, 1.0, 1.0, 1, 0), row(2, 0.5, 1.0, 0, 0)));
    assertEquals(0.0, o.inflation());
    assertEquals(List.of(1L, 2L), o.picked());
  }

  @Test
  void withoutBoundsARoundIsSequentialGreedyOverTheGatheredRows() {
    // Random rows with scales != 1: the driver's downdated scores must order the picks exactly as
    // sequential greedy that rescores every row from scratch (explicit H, solved here) at each step.
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(8);
    int d = 3;
    int n = 12;
    double[][] phi = new double[n][d];
    double[] scale = new double[n];
    List<Candidate> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        phi[i][j] = rnd.nextGaussian();
      }
      scale[i] = 0.5 + 1.5 * rnd.nextDouble();
      rows.add(row(i, 1e9, scale[i], phi[i].clone())); // stored scores only need to be upper bounds
    }
    Recorder rec = new Recorder();
    CertifiedGreedy.Outcome o = CertifiedGreedy.round(
        List.of(new PartitionTop(new ArrayList<>(rows.subList(0, 5)), Double.NEGATIVE_INFINITY),
            new PartitionTop(new ArrayList<>(rows.subList(5, n)), Double.NEGATIVE_INFINITY)),
        new InverseDesign(d, 0.5), n, false, rec);
    double[][] h = new double[d][d];
    for (int j = 0; j < d; j++) {
      h[j][j] = 0.5;
    }
    boolean[] taken = new boolean[n];
    List<Long> expected = new ArrayList<>();
    List<Double> expectedScores = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      int best = -1;
      double bestScore = -1;
      for (int i = 0; i < n; i++) {
        if (!taken[i]) {
          double[] v = new double[d];
          for (int j = 0; j < d; j++) {
            v[j] = scale[i] * phi[i][j];
          }
          double q = dot(v, solve(h, v));
          if (q > bestScore) {
            best = i;
            bestScore = q;
          }
        }
      }
      taken[best] = true;
      expected.add((long) best);
      expectedScores.add(bestScore);
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          h[r][c] += scale[best] * phi[best][r] * scale[best] * phi[best][c];
        }
      }
    }
    assertEquals(expected, o.picked());
    for (int t = 0; t < n; t++) {
      assertEquals(expectedScores.get(t), rec.scores.get(t), 1e-9 * expectedScores.get(t), "score at pick " + t);
    }
    assertTrue(o.exhausted());
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  /** x with h x = y, by Cramer's rule (3 x 3). */
  private static double[] solve(double[][] h, double[] y) {
    double det = det3(h);
    double[] x = new double[3];
    for (int c = 0; c < 3; c++) {
      double[][] m = new double[3][3];
      for (int r = 0; r < 3; r++) {
        m[r] = h[r].clone();
        m[r][c] = y[r];
      }
      x[c] = det3(m) / det;
    }
    return x;
  }

  private static double det3(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }
}
