package org.adpo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adpo.io.ResumeStore;
import org.adpo.select.Pick;

/**
 * The progress of a long selection, recorded while its greedy rounds run so that a rerun of the
 * same selection continues from the last record instead of starting over.
 *
 * <p>A record holds the picks so far, each as the online state's round files hold them (id, tie-break
 * order, rank, and gain, weight and scale as hex floats, so they read back bit for bit), and the
 * <em>key</em> of the selection: the algorithm, the settings as report.json shows them, the pool's
 * fingerprint ({@link PoolDigest}) and a second one over its labels and weights, and the numbers the
 * picks were weighed with before the rounds (ADPO+'s theta and Sigma_hat, the bernoulli oracle's
 * theta_true, bit for bit). A rerun resumes only when its key equals the recorded one; any
 * difference discards the record, with one line that names it.
 *
 * <p><b>Why the resumed picks equal the uninterrupted ones.</b> After k picks the greedy state is a
 * function of the picks alone, not of how rounds grouped them: H^-1 = I/gamma - sum t_j t_j^T, where
 * t_j follows from pick j's features and scale and t_1..t_{j-1} ({@code InverseDesign.add}, one fixed
 * order of operations), and the set of picked rows. Replaying the recorded picks' rank-one updates in
 * pick order ({@link DistributedGreedy#resume}) therefore rebuilds H^-1 bit for bit. Every exact
 * score is one fixed formula of a row and the t_j, so the next sequential pick, its gain, and every
 * later one are those of the uninterrupted run; the lazy loop starts with an exact refresh, after
 * which the first pick needs no bound, and the certified rounds make the sequential picks whatever
 * their grouping (docs/architecture.md). The candidate-subset and stochastic modes draw pick t's
 * candidates from {@code SeededHash.key(seed, t, ord)}, which depends on t and the picked set only.
 * The online algorithms' theta is refitted at the schedule's points on the revealed rows in pick
 * order by the same driver-side Newton fit, and the oracles' labels depend on the row only, so
 * replaying the refits at the points up to k gives the theta (and the weights) the uninterrupted
 * run had after k picks. adpo-warm's two phases resume where the record ends: inside the warm phase
 * its own greedy is resumed, after it the main one with every recorded pick.
 */
final class SelectionProgress {
  /** Version of the record's layout; a record of another version is discarded. */
  static final String FORMAT = "adpo-select-progress-v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SelectionProgress() {}

  /** A read record: its key and the picks with their scales (v = scale phi), in pick order. */
  record Saved(JsonNode key, List<Pick> picks, List<Double> scales) {}

  /** The key of a selection (see the class comment); {@code fit} and {@code oracle} may be empty. */
  static JsonNode key(String algorithm, Map<String, Object> settings, String fingerprint, String labels,
      Map<String, Object> fit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("algorithm", algorithm);
    m.put("settings", settings);
    Map<String, Object> pool = new LinkedHashMap<>();
    pool.put("fingerprint", fingerprint);
    pool.put("labels_and_weights", labels);
    m.put("pool", pool);
    m.put("fit", fit);
    try {
      // Through text, so that the key compares with a read one node for node (same number types).
      return JSON.readTree(JSON.writeValueAsString(m));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hex floats of {@code values} (null stays null): a bit-for-bit comparable form. */
  static List<String> hex(double[] values) {
    if (values == null) {
      return null;
    }
    List<String> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(Double.toHexString(v));
    }
    return out;
  }

  static byte[] encode(JsonNode key, List<Pick> picks, List<Double> scales) {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", FORMAT);
    o.set("key", key);
    ArrayNode a = o.putArray("picks");
    for (int i = 0; i < picks.size(); i++) {
      Pick p = picks.get(i);
      ObjectNode n = a.addObject();
      if (p.id() instanceof String) {
        n.put("id", (String) p.id());
      } else {
        n.put("id", ((Number) p.id()).longValue());
      }
      n.put("ord", p.ord());
      n.put("rank", p.rank());
      n.put("gain", Double.toHexString(p.gain()));
      n.put("weight", Double.toHexString(p.weight()));
      n.put("scale", Double.toHexString(scales.get(i)));
    }
    try {
      return (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a record; throws IllegalArgumentException (with the reason) when it cannot. */
  static Saved decode(byte[] bytes) {
    try {
      JsonNode o = JSON.readTree(bytes);
      if (o == null || !FORMAT.equals(o.path("format").asText())) {
        throw new IllegalArgumentException("it is not a " + FORMAT + " record");
      }
      List<Pick> picks = new ArrayList<>();
      List<Double> scales = new ArrayList<>();
      for (JsonNode n : o.get("picks")) {
        JsonNode id = n.get("id");
        long rank = n.get("rank").asLong();
        if (rank != picks.size() + 1) {
          throw new IllegalArgumentException("its picks are not in rank order");
        }
        picks.add(new Pick(n.get("ord").asLong(), id.isTextual() ? id.asText() : (Object) id.asLong(), rank,
            Double.parseDouble(n.get("gain").asText()), Double.parseDouble(n.get("weight").asText())));
        scales.add(Double.parseDouble(n.get("scale").asText()));
      }
      return new Saved(o.get("key"), picks, scales);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException && !(e instanceof NumberFormatException)) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException("it does not read as a progress record (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Why a recorded selection is not this one, in a few words, or null when the keys are equal.
   */
  static String difference(JsonNode then, JsonNode now) {
    if (then == null || !then.equals(now)) {
      if (then == null || !now.path("format").equals(then.path("format"))) {
        return "it was recorded in another format";
      }
      if (!now.path("algorithm").equals(then.path("algorithm"))) {
        return "it was made by --algorithm " + then.path("algorithm").asText() + ", this run is "
            + now.path("algorithm").asText();
      }
      if (!now.path("settings").equals(then.path("settings"))) {
        String path = firstDifference(then.path("settings"), now.path("settings"), "");
        return "its settings differ (" + path + ")";
      }
      if (!now.path("pool").path("fingerprint").equals(then.path("pool").path("fingerprint"))) {
        return "the pool differs (fingerprint " + then.path("pool").path("fingerprint").asText() + " then, "
            + now.path("pool").path("fingerprint").asText() + " now)";
      }
      if (!now.path("pool").equals(then.path("pool"))) {
        return "the pool's labels or weights differ";
      }
      if (!now.path("fit").equals(then.path("fit"))) {
        return "the fit made before the rounds differs (" + firstDifference(then.path("fit"), now.path("fit"), "")
            + " is not the same number bit for bit)";
      }
      return "its key differs";
    }
    return null;
  }

  /** The first setting that differs, as "name: X then, Y now". */
  private static String firstDifference(JsonNode then, JsonNode now, String prefix) {
    if (then.isObject() && now.isObject()) {
      Iterator<String> names = now.fieldNames();
      while (names.hasNext()) {
        String f = names.next();
        if (!now.get(f).equals(then.get(f))) {
          return then.get(f) == null ? prefix + f + " is new"
              : firstDifference(then.get(f), now.get(f), prefix + f + ".");
        }
      }
      Iterator<String> old = then.fieldNames();
      while (old.hasNext()) {
        String f = old.next();
        if (now.get(f) == null) {
          return prefix + f + " is gone";
        }
      }
    }
    String name = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    if (then.isArray() || now.isArray()) {
      return name;
    }
    return name + ": " + then + " then, " + now + " now";
  }

  /**
   * Writes the picks while the rounds run: after a round when the store's interval has passed since
   * the last write (or since the rounds began), and at the end of the rounds.
   */
  static final class Recorder {
    private final ResumeStore store;
    private final JsonNode key;
    private final long interval;
    private long last;
    private int written;
    private List<Pick> picks;
    private List<Double> scales;
    private int writes;
    private long writeNanos;
    private boolean failed;

    Recorder(ResumeStore store, JsonNode key, int alreadyRecorded) {
      this.store = store;
      this.key = key;
      this.interval = store.intervalNanos();
      this.last = System.nanoTime();
      this.written = alreadyRecorded;
    }

    /** After a round: the greedy's picks and scales so far (the lists it keeps adding to). */
    void round(List<Pick> picks, List<Double> scales) {
      this.picks = picks;
      this.scales = scales;
      if (picks.size() > written && System.nanoTime() - last >= interval) {
        write();
      }
    }

    /** At the end of the rounds: writes what the last round left unwritten. */
    void end() {
      if (picks != null && picks.size() > written) {
        write();
      }
    }

    private void write() {
      if (failed) {
        return;
      }
      long start = System.nanoTime();
      try {
        store.write(encode(key, picks, scales.subList(0, picks.size())));
      } catch (java.io.UncheckedIOException e) {
        // The selection itself is fine; only its resumability is lost. Said once, then not tried again.
        failed = true;
        ProgressLog.warn("cannot record the selection's progress in " + store.where() + " (" + e.getMessage()
            + "); the run goes on, but a rerun after an interruption would start over");
        return;
      }
      written = picks.size();
      last = System.nanoTime();
      writes++;
      writeNanos += last - start;
    }

    /** Records written, for report.json. */
    int writes() {
      return writes;
    }

    /** Seconds spent writing records. */
    double writeSeconds() {
      return writeNanos / 1e9;
    }

    /** Picks the last record holds. */
    long picksRecorded() {
      return written;
    }
  }
}
