package org.adpo.io;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Map;

/**
 * What {@code bin/adpo online export} writes as {@code report.json}, written by {@link ReportJson} as
 * {@link SelectionReport} is (snake-case keys in declaration order, nulls written).
 *
 * @param algorithm the algorithm's command-line name
 * @param settings the state's selection settings, flat, as {@link org.adpo.config.SelectionSettings#describe()}
 *     lists them, with the label budget, the oracle (people) and the schedule (batch rounds) in place of the
 *     one-shot run's theta_true and batch (a map, as in {@link SelectionReport#settings()})
 * @param pool the pool the state was initialised with
 * @param online the state's status and the labels of the exported picks
 */
public record OnlineReport(String algorithm, Map<String, Object> settings, Pool pool, Export online) {

  /** The pool: its path, size and the fingerprint init recorded. */
  public record Pool(String source, long rows, int dimension, String fingerprint) {}

  /**
   * The status of an online state ({@code bin/adpo online status}, one line per key, or this JSON with
   * {@code --json}). {@code queries} is null when no round awaits labels; {@code budget} and
   * {@code budgetLeft} are null without a label budget.
   */
  public record Status(String state, String algorithm, String pool, int round, boolean awaitingLabels,
      String queries, long picks, long labels, Long budget, Long budgetLeft, double thetaNorm, double logDet,
      long generation, String configSha256, String poolFingerprint) {}

  /** The export's online section: the status, then the picks exported and their labels. */
  public record Export(@JsonUnwrapped Status status, int exportedPicks, long labelsOne, long labelsZero) {}
}
