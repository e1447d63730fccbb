package org.adpo.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes and reads the run reports ({@code report.json}, {@code metrics.json}, the online status): typed
 * records such as {@link SelectionReport}, whose component names become snake-case keys
 * ({@code logDetFinal} is {@code log_det_final}) in declaration order, pretty-printed. Map keys are written
 * as they are. Uses only jackson-databind and its annotations, the version Spark itself brings.
 */
public final class ReportJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(new SnakeCase())
      .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Every capital letter starts a word: {@code driverCpuSPerRound} is {@code driver_cpu_s_per_round}.
   * (Jackson's own snake case reads a run of capitals as one word and would write {@code driver_cpu_sper_round}.)
   */
  private static final class SnakeCase extends PropertyNamingStrategies.NamingBase {
    private static final long serialVersionUID = 1L;

    @Override
    public String translate(String name) {
      StringBuilder sb = new StringBuilder(name.length() + 8);
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (Character.isUpperCase(c)) {
          sb.append('_').append(Character.toLowerCase(c));
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }
  }

  private ReportJson() {}

  /** The report as pretty-printed JSON, with a final line break. */
  public static String toJson(Object report) {
    try {
      return MAPPER.writeValueAsString(report) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the report", e);
    }
  }

  /** The report as a JSON tree, with the keys {@link #toJson} writes (report.html tabulates it). */
  public static JsonNode tree(Object report) {
    return MAPPER.valueToTree(report);
  }

  /** Reads a report written by {@link #toJson} back into its type. */
  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the report is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a section of a report (a JSON tree with the keys {@link #toJson} writes) back into its type. */
  public static <T> T read(JsonNode json, Class<T> type) {
    try {
      return MAPPER.treeToValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }
}
