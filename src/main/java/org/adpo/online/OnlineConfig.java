package org.adpo.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.adpo.data.ColumnNames;
import org.adpo.config.SelectionSettings;
import org.adpo.error.UsageException;
import org.adpo.select.Algorithm;

/**
 * The configuration an online state is fixed to at {@code init} ({@code config.json}): the pool
 * (qualified path and input format), the optional total label budget (0 = none) and every selection
 * setting the rounds use. Written once, in a fixed key order; the manifest records its SHA-256, and
 * every later command refuses to run when the file no longer has that hash.
 */
public record OnlineConfig(String pool, String format, long budget, SelectionSettings settings) {
  public static final int FORMAT_VERSION = 1;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public OnlineConfig {
    if (!settings.algorithm().isOnline()) {
      throw new UsageException("online rounds run adpo or pmc, not " + settings.algorithm().cliName());
    }
    if (budget < 0) {
      throw new UsageException("budget must be >= 0 (0 = no limit), got " + budget);
    }
  }

  /** The settings of one round that picks {@code m} rows (the selection budget is per round). */
  public SelectionSettings round(long m) {
    SelectionSettings s = settings;
    return new SelectionSettings(s.algorithm(), m, s.beta(), s.gamma(), s.lambda(), s.alpha(), s.seed(), 0, 0,
        s.strategy(), s.topK(), s.refreshEvery(), s.refreshTolerance(), s.checkpointEvery(), s.partitions(),
        s.fitMaxIterations(), s.fitTolerance(), s.columns(), "logged", "", "batch", 1).validate();
  }

  /** The bytes of config.json (deterministic: same configuration, same bytes). */
  public byte[] toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("format_version", FORMAT_VERSION);
    o.put("pool", pool);
    o.put("format", format);
    o.put("budget", budget);
    SelectionSettings s = settings;
    o.put("algorithm", s.algorithm().cliName());
    o.put("beta", s.beta());
    o.put("gamma", s.gamma());
    o.put("lambda", s.lambda());
    o.put("alpha", s.alpha());
    o.put("seed", s.seed());
    o.put("strategy", s.strategy());
    o.put("top_k", s.topK());
    o.put("refresh_every", s.refreshEvery());
    o.put("refresh_tolerance", s.refreshTolerance());
    o.put("checkpoint_every", s.checkpointEvery());
    o.put("partitions", s.partitions());
    o.put("fit_max_iterations", s.fitMaxIterations());
    o.put("fit_tolerance", s.fitTolerance());
    ObjectNode c = o.putObject("columns");
    ColumnNames n = s.columns();
    c.put("id", n.id());
    c.put("phi", n.phi());
    c.put("phi1", n.phi1());
    c.put("phi2", n.phi2());
    c.put("b", n.b());
    c.put("s", n.s());
    c.put("weight", n.weight());
    try {
      return (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The settings that differ between {@code recorded} and this configuration, as "name: recorded
   * value, this init value" (empty when the two give the same config.json), for the message of a
   * re-init with other settings. Compares the config.json fields, so it names exactly what the hash
   * covers.
   */
  java.util.List<String> differencesFrom(OnlineConfig recorded) {
    java.util.List<String> out = new java.util.ArrayList<>();
    try {
      diff("", JSON.readTree(recorded.toJson()), JSON.readTree(toJson()), out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static void diff(String prefix, JsonNode was, JsonNode now, java.util.List<String> out) {
    java.util.Set<String> keys = new java.util.LinkedHashSet<>();
    was.fieldNames().forEachRemaining(keys::add);
    now.fieldNames().forEachRemaining(keys::add);
    for (String k : keys) {
      JsonNode a = was.get(k);
      JsonNode b = now.get(k);
      if (a != null && b != null && a.isObject() && b.isObject()) {
        diff(prefix + k + ".", a, b, out);
      } else if (a == null || !a.equals(b)) {
        out.add(prefix + k + ": recorded " + (a == null ? "(none)" : a.toString()) + ", this init "
            + (b == null ? "(none)" : b.toString()));
      }
    }
  }

  /** Parses config.json; {@code name} is used in messages. */
  public static OnlineConfig parse(byte[] bytes, String name) {
    try {
      JsonNode o = JSON.readTree(bytes);
      if (o == null || o.path("format_version").asInt() != FORMAT_VERSION) {
        throw new UsageException(name + ": unsupported or missing format_version (expected " + FORMAT_VERSION + ")");
      }
      JsonNode c = need(o, "columns", name);
      SelectionSettings s = new SelectionSettings(Algorithm.parse(need(o, "algorithm", name).asText()), 1,
          need(o, "beta", name).asDouble(), need(o, "gamma", name).asDouble(), need(o, "lambda", name).asDouble(),
          need(o, "alpha", name).asDouble(), need(o, "seed", name).asLong(), 0, 0, need(o, "strategy", name).asText(),
          need(o, "top_k", name).asInt(), need(o, "refresh_every", name).asInt(),
          need(o, "refresh_tolerance", name).asDouble(), need(o, "checkpoint_every", name).asInt(),
          need(o, "partitions", name).asInt(), need(o, "fit_max_iterations", name).asInt(),
          need(o, "fit_tolerance", name).asDouble(),
          new ColumnNames(need(c, "id", name).asText(), need(c, "phi", name).asText(), need(c, "phi1", name).asText(),
              need(c, "phi2", name).asText(), need(c, "b", name).asText(), need(c, "s", name).asText(),
              need(c, "weight", name).asText()),
          "logged", "", "batch", 1).validate();
      return new OnlineConfig(need(o, "pool", name).asText(), need(o, "format", name).asText(),
          need(o, "budget", name).asLong(), s);
    } catch (IOException e) {
      throw new UsageException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode need(JsonNode o, String key, String name) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      throw new UsageException(name + ": missing '" + key + "'");
    }
    return v;
  }
}
