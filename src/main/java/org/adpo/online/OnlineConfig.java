package org.adpo.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.adpo.config.SelectionSettings;
import org.adpo.config.Setting;
import org.adpo.config.SettingTable;
import org.adpo.error.UsageException;

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
    return perRound(settings.toBuilder(), m).build().validate();
  }

  /**
   * What every round sets itself rather than config.json: its size {@code m}, the exact greedy, and labels
   * that come from people (ingested), refitted once per round.
   */
  private static SelectionSettings.Builder perRound(SelectionSettings.Builder b, long m) {
    return b.budget(m).candidates(0).epsilon(0).oracle("logged").thetaTrue("").schedule("batch").batch(1);
  }

  /**
   * The bytes of config.json (deterministic: same configuration, same bytes): the pool, its format, the
   * total label budget, then the settings of {@link Setting.Scope#STATE} as report.json names them.
   */
  public byte[] toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("format_version", FORMAT_VERSION);
    o.put("pool", pool);
    o.put("format", format);
    o.put("budget", budget);
    o.setAll((ObjectNode) JSON.valueToTree(settings.describe(EnumSet.of(Setting.Scope.STATE))));
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
      SelectionSettings.Builder settings = SelectionSettings.builder();
      for (Setting s : SettingTable.ALL) {
        if (s.scope() == Setting.Scope.STATE) {
          s.set(settings, value(need(s.isColumn() ? c : o, s.jsonKey(), name), s.type()));
        }
      }
      SelectionSettings s = perRound(settings, 1).build().validate();
      return new OnlineConfig(need(o, "pool", name).asText(), need(o, "format", name).asText(),
          need(o, "budget", name).asLong(), s);
    } catch (IOException e) {
      throw new UsageException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private static Object value(JsonNode v, Class<?> type) {
    if (type == Integer.class) {
      return v.asInt();
    } else if (type == Long.class) {
      return v.asLong();
    } else if (type == Double.class) {
      return v.asDouble();
    }
    return v.asText();
  }

  private static JsonNode need(JsonNode o, String key, String name) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      throw new UsageException(name + ": missing '" + key + "'");
    }
    return v;
  }
}
