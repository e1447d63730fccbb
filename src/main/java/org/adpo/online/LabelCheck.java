package org.adpo.online;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adpo.error.BadInputException;
import org.adpo.error.Shown;
import org.adpo.error.UsageException;

/**
 * Checks a labels file against the state, all or nothing: every id must be one queried in the open
 * round, at most once, with a label 0 or 1, and every id of that round must have one. A file equal to
 * the labels already ingested for a closed round (same ids, same labels) is recognised, so re-running
 * a successful ingest is a no-op. Pure: no I/O, no Spark.
 */
final class LabelCheck {
  private LabelCheck() {}

  /** What to do with the file. */
  sealed interface Outcome permits Accepted, AlreadyIngested {}

  /** The open round's labels, in its pick order. */
  record Accepted(int round, int[] labels) implements Outcome {}

  /** The file holds exactly the labels ingested for a closed round. */
  record AlreadyIngested(int round) implements Outcome {}

  /**
   * @param ids each round's queried ids (as text), in pick order, by round number
   * @param closedLabels the ingested labels of each closed round, in pick order
   * @param open the round awaiting labels, or 0
   */
  static Outcome check(String file, List<LabelsInput.Entry> entries, Map<Integer, List<String>> ids,
      Map<Integer, int[]> closedLabels, int open) {
    Map<String, Integer> roundOf = new HashMap<>();
    ids.forEach((r, list) -> list.forEach(id -> roundOf.put(id, r)));
    Map<String, LabelsInput.Entry> seen = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (LabelsInput.Entry e : entries) {
      LabelsInput.Entry first = seen.putIfAbsent(e.id(), e);
      if (first != null) {
        problems.add("id " + Shown.value(e.id()) + " (" + e.where() + "): duplicate id, also at " + first.where());
      }
    }
    AlreadyIngested again = sameAsClosed(entries, seen, roundOf, ids, closedLabels);
    if (again != null && problems.isEmpty()) {
      return again;
    }
    if (open == 0) {
      Integer r = entries.isEmpty() ? null : roundOf.get(entries.get(0).id());
      throw new UsageException("no round awaits labels in this state"
          + (r != null && closedLabels.containsKey(r) ? "; round " + r + " is already closed and " + file
              + " differs from the labels ingested for it, so it is refused" : "")
          + " (run 'adpo online next' to issue a round)");
    }
    for (LabelsInput.Entry e : seen.values()) {
      Integer r = roundOf.get(e.id());
      if (r == null) {
        problems.add("id " + Shown.value(e.id()) + " (" + e.where() + "): unknown id, never queried by this state");
        continue;
      }
      if (r != open) {
        problems.add("id " + Shown.value(e.id()) + " (" + e.where() + "): queried in round " + r + ", not in the open round "
            + open);
        continue;
      }
      if (e.s() == null) {
        problems.add("id " + Shown.value(e.id()) + " (" + e.where() + "): no label (s is null or empty); s must be 0 or 1");
      } else if (parse(e.s()) < 0) {
        problems.add("id " + Shown.value(e.id()) + " (" + e.where() + "): label '" + Shown.value(e.s()) + "' is not 0 or 1");
      }
    }
    List<String> missing = new ArrayList<>();
    for (String id : ids.get(open)) {
      if (!seen.containsKey(id)) {
        missing.add(id);
      }
    }
    if (!missing.isEmpty()) {
      problems.add("missing labels for " + missing.size() + " of the " + ids.get(open).size()
          + " ids queried in round " + open + ": ids " + String.join(", ", missing.subList(0, Math.min(10,
              missing.size())).stream().map(Shown::value).toList()) + (missing.size() > 10 ? ", ..." : ""));
    }
    if (!problems.isEmpty()) {
      throw new BadInputException("labels file " + file + " rejected, the state is unchanged: "
          + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
          + (problems.size() > 10 ? "; and " + (problems.size() - 10) + " more problems" : ""));
    }
    List<String> order = ids.get(open);
    int[] labels = new int[order.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = parse(seen.get(order.get(i)).s());
    }
    return new Accepted(open, labels);
  }

  private static AlreadyIngested sameAsClosed(List<LabelsInput.Entry> entries, Map<String, LabelsInput.Entry> seen,
      Map<String, Integer> roundOf, Map<Integer, List<String>> ids, Map<Integer, int[]> closedLabels) {
    if (entries.isEmpty() || seen.size() != entries.size()) {
      return null;
    }
    Integer r = roundOf.get(entries.get(0).id());
    if (r == null || !closedLabels.containsKey(r) || ids.get(r).size() != entries.size()) {
      return null;
    }
    List<String> order = ids.get(r);
    int[] stored = closedLabels.get(r);
    for (int i = 0; i < order.size(); i++) {
      LabelsInput.Entry e = seen.get(order.get(i));
      if (e == null || e.s() == null || parse(e.s()) != stored[i]) {
        return null;
      }
    }
    return new AlreadyIngested(r);
  }

  /** 0 or 1 (also written 0.0 / 1.0), else -1. */
  static int parse(String s) {
    switch (s.trim()) {
      case "0":
      case "0.0":
        return 0;
      case "1":
      case "1.0":
        return 1;
      default:
        return -1;
    }
  }
}
