package org.adpo.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.adpo.error.UsageException;
import org.adpo.io.AtomicFiles;

/**
 * The manifest {@code state.json}: the one commit point of an online state. It names every live file
 * (per round: its picks file, its queries directory and, once ingested, its labels file) and holds
 * the hashes the state is bound to (config.json, pool fingerprint). A file it does not name is
 * garbage of an interrupted command. It is small and replaced atomically ({@link AtomicFiles}).
 *
 * @param generation incremented by every commit
 * @param rounds the rounds issued so far, in order; only the last one may await labels
 * @param thetaNorm |theta| of the theta the last round was picked with
 * @param logDet log det H after the last round's picks
 */
record Manifest(int formatVersion, long generation, String configSha256, String poolFingerprint,
    List<Round> rounds, double thetaNorm, double logDet) {
  public static final int FORMAT_VERSION = 1;

  /**
   * One issued round.
   *
   * @param labels the labels file (relative to the state directory), null while it awaits labels
   */
  public record Round(int round, int size, String picks, String queries, String labels) {
    public boolean closed() {
      return labels != null;
    }
  }

  public Manifest {
    rounds = List.copyOf(rounds);
  }

  /** The round awaiting labels, or null. */
  public Round open() {
    return rounds.isEmpty() || rounds.get(rounds.size() - 1).closed() ? null : rounds.get(rounds.size() - 1);
  }

  public long picks() {
    return rounds.stream().mapToLong(Round::size).sum();
  }

  public long labels() {
    return rounds.stream().filter(Round::closed).mapToLong(Round::size).sum();
  }

  /** This manifest with one more round (issued, awaiting labels). */
  Manifest withRound(Round r, double thetaNorm, double logDet) {
    List<Round> next = new ArrayList<>(rounds);
    next.add(r);
    return new Manifest(formatVersion, generation + 1, configSha256, poolFingerprint, next, thetaNorm, logDet);
  }

  /** This manifest with the open round closed by {@code labelsFile}. */
  Manifest withLabels(String labelsFile) {
    List<Round> next = new ArrayList<>(rounds);
    Round o = next.remove(next.size() - 1);
    next.add(new Round(o.round(), o.size(), o.picks(), o.queries(), labelsFile));
    return new Manifest(formatVersion, generation + 1, configSha256, poolFingerprint, next, thetaNorm, logDet);
  }

  byte[] toJson() {
    ObjectNode o = OnlineConfig.JSON.createObjectNode();
    o.put("format_version", formatVersion);
    o.put("generation", generation);
    o.put("config_sha256", configSha256);
    o.put("pool_fingerprint", poolFingerprint);
    ArrayNode a = o.putArray("rounds");
    for (Round r : rounds) {
      ObjectNode n = a.addObject();
      n.put("round", r.round());
      n.put("size", r.size());
      n.put("picks", r.picks());
      n.put("queries", r.queries());
      n.put("labels", r.labels());
    }
    o.put("theta_norm", thetaNorm);
    o.put("log_det", logDet);
    try {
      return (OnlineConfig.JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Manifest parse(byte[] bytes, String name) {
    try {
      JsonNode o = OnlineConfig.JSON.readTree(bytes);
      if (o == null || !o.has("format_version")) {
        throw new UsageException(name + " is not an online state manifest (no format_version)");
      }
      int version = o.get("format_version").asInt();
      if (version != FORMAT_VERSION) {
        throw new UsageException(name + " has state format version " + version + "; this version of adpo reads "
            + FORMAT_VERSION);
      }
      List<Round> rounds = new ArrayList<>();
      for (JsonNode n : o.path("rounds")) {
        rounds.add(new Round(n.get("round").asInt(), n.get("size").asInt(), n.get("picks").asText(),
            n.get("queries").asText(), n.get("labels").isNull() ? null : n.get("labels").asText()));
      }
      return new Manifest(version, o.get("generation").asLong(), o.get("config_sha256").asText(),
          o.get("pool_fingerprint").asText(), rounds, o.get("theta_norm").asDouble(), o.get("log_det").asDouble());
    } catch (IOException | NullPointerException e) {
      // Jackson's message quotes the file; the file's text is not shown.
      throw new UsageException("the state manifest " + name + " is damaged (" + (e instanceof NullPointerException
          ? "a field is missing" : "truncated or not JSON") + "): the state cannot be resumed; restore it from a"
          + " backup, or move the directory aside and start again with 'adpo online init' in a new one (the"
          + " picks-*.json and labels files in it keep what was picked and labelled)", e);
    }
  }
}
