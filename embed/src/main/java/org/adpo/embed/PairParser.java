package org.adpo.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;

/**
 * Parses one JSON Lines row into a {@link TextPair}. Two layouts: {@code triple}
 * ({@code prompt}, {@code chosen}, {@code rejected}) and hh-rlhf's {@code dialogue} ({@code chosen}
 * and {@code rejected} are whole dialogues, split by {@link DialogueSplit}); {@code auto} takes
 * triple when the row has a {@code prompt} field. Error messages name the line and the field but
 * never quote the row (the data may hold offensive text).
 */
public final class PairParser {
  public enum Format { AUTO, TRIPLE, DIALOGUE }

  private static final ObjectMapper JSON = new ObjectMapper();

  private PairParser() {}

  public static Format parseFormat(String s) {
    try {
      return Format.valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Parses {@code text}, the row on 1-based line {@code line}; {@code referenceColumn} may be
   * null. The id is the 0-based line index.
   */
  public static TextPair parse(String text, long line, Format format, String referenceColumn) {
    long id = line - 1;
    JsonNode row;
    try {
      row = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input: report only where it broke.
      int col = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
      return TextPair.failed(id, line, "invalid JSON" + (col > 0 ? " at column " + col : ""));
    }
    if (row == null || !row.isObject()) {
      return TextPair.failed(id, line, "not a JSON object");
    }
    Format f = format == Format.AUTO ? (row.has("prompt") ? Format.TRIPLE : Format.DIALOGUE) : format;
    String chosen;
    String rejected;
    String error;
    if ((error = checkText(row, "chosen")) != null || (error = checkText(row, "rejected")) != null) {
      return TextPair.failed(id, line, error);
    }
    chosen = row.get("chosen").asText();
    rejected = row.get("rejected").asText();
    double reference = 0;
    if (referenceColumn != null) {
      JsonNode r = row.get(referenceColumn);
      if (r == null || r.isNull()) {
        return TextPair.failed(id, line, "missing field '" + referenceColumn + "' (--reference-column)");
      }
      if (!r.isNumber() || !Double.isFinite(r.asDouble())) {
        return TextPair.failed(id, line, "field '" + referenceColumn + "' is not a finite number");
      }
      reference = r.asDouble();
    }
    if (f == Format.TRIPLE) {
      if ((error = checkText(row, "prompt")) != null) {
        return TextPair.failed(id, line, error);
      }
      String prompt = row.get("prompt").asText();
      return new TextPair(id, line, prompt, chosen, prompt, rejected, reference);
    }
    String[] c = DialogueSplit.split(chosen);
    if (c == null) {
      return TextPair.failed(id, line, "field 'chosen' has no '\\n\\nAssistant:' turn (dialogue format)");
    }
    String[] r = DialogueSplit.split(rejected);
    if (r == null) {
      return TextPair.failed(id, line, "field 'rejected' has no '\\n\\nAssistant:' turn (dialogue format)");
    }
    return new TextPair(id, line, c[0], c[1], r[0], r[1], reference);
  }

  private static String checkText(JsonNode row, String field) {
    JsonNode v = row.get(field);
    if (v == null || v.isNull()) {
      return "missing field '" + field + "'";
    }
    if (!v.isTextual()) {
      return "field '" + field + "' is not a string";
    }
    if (v.asText().isBlank()) {
      return "field '" + field + "' is empty";
    }
    return null;
  }
}
