package org.adpo.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses one input record (a JSON object) into a {@link TextPair}. Layouts:
 * <ul>
 *   <li>{@code triple}: {@code prompt}, {@code chosen}, {@code rejected} texts;
 *   <li>{@code dialogue} (hh-rlhf): {@code chosen} and {@code rejected} are whole dialogues, split by
 *       {@link DialogueSplit};
 *   <li>{@code chat}: {@code chosen} and {@code rejected} are lists of {@code {role, content}}
 *       messages (a {@code prompt} list of messages, when present, goes before each); the response
 *       is the last assistant message, the prompt the messages before it;
 *   <li>{@code pairwise}: a prompt, two responses ({@code output_1}, {@code output_2}) and a
 *       {@code preference} of 1 or 2 naming the better one; 0 or a value strictly between 1 and 2
 *       is a tie (the record is dropped and counted).
 * </ul>
 * Field names come from {@link Columns}. {@code auto} is decided once, on the first record, by
 * {@link #decide}. Messages name the field but never quote the record (the data may hold offensive
 * text).
 */
public final class PairParser {
  public enum Layout { AUTO, TRIPLE, DIALOGUE, CHAT, PAIRWISE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Pool columns that an input field of the same name would clash with; such fields get "input_". */
  static final Set<String> RESERVED = Set.of("id", "phi", "b", "s", "truncated", "y1_is_chosen", "chosen_prompt",
      "chosen", "rejected_prompt", "rejected");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The input field of each role; {@code id} and {@code reference} may be null (not read). */
  public record Columns(String prompt, String chosen, String rejected, String response1, String response2,
      String preference, String id, String reference, boolean promptNamed) implements Serializable {
    public static final List<String> ROLES =
        List.of("prompt", "chosen", "rejected", "response1", "response2", "preference", "id", "reference");

    public static Columns defaults() {
      return new Columns("prompt", "chosen", "rejected", "output_1", "output_2", "preference", null, null, false);
    }

    /** These columns with {@code role} read from field {@code name}; null for an unknown role. */
    public Columns with(String role, String name) {
      switch (role) {
        case "prompt": return new Columns(name, chosen, rejected, response1, response2, preference, id, reference, true);
        case "chosen": return new Columns(prompt, name, rejected, response1, response2, preference, id, reference, promptNamed);
        case "rejected": return new Columns(prompt, chosen, name, response1, response2, preference, id, reference, promptNamed);
        case "response1": return new Columns(prompt, chosen, rejected, name, response2, preference, id, reference, promptNamed);
        case "response2": return new Columns(prompt, chosen, rejected, response1, name, preference, id, reference, promptNamed);
        case "preference": return new Columns(prompt, chosen, rejected, response1, response2, name, id, reference, promptNamed);
        case "id": return new Columns(prompt, chosen, rejected, response1, response2, preference, name, reference, promptNamed);
        case "reference": return new Columns(prompt, chosen, rejected, response1, response2, preference, id, name, promptNamed);
        default: return null;
      }
    }
  }

  /** The layout a run uses, the columns it reads, and why (for the summary line). */
  public record Resolved(Layout layout, Columns columns, String reason) implements Serializable {}

  private PairParser() {}

  public static Layout parseLayout(String s) {
    try {
      return Layout.valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The JSON object of a record, or null when it is not one. */
  static JsonNode object(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * Fixes the layout from the first record ({@code first}, a JSON object; {@code where} names it,
   * e.g. "line 1"): the requested one, or for {@code auto} the one its fields fit. A pairwise
   * layout without a named prompt reads {@code instruction} when the record has no {@code prompt}.
   * Returns null with {@code error[0]} set when no layout fits.
   */
  public static Resolved decide(JsonNode first, Layout requested, Columns c, String[] error) {
    boolean pairFields = first.has(c.response1()) && first.has(c.response2()) && first.has(c.preference());
    Layout l = requested;
    String reason;
    if (l == Layout.AUTO) {
      JsonNode ch = first.get(c.chosen());
      if (pairFields) {
        l = Layout.PAIRWISE;
        reason = "fields '" + c.response1() + "', '" + c.response2() + "' and '" + c.preference() + "'";
      } else if (ch != null && first.has(c.rejected()) && ch.isArray()) {
        l = Layout.CHAT;
        reason = "'" + c.chosen() + "' is a list of messages";
      } else if (ch != null && first.has(c.rejected()) && first.has(c.prompt())) {
        l = Layout.TRIPLE;
        reason = "fields '" + c.prompt() + "', '" + c.chosen() + "' and '" + c.rejected() + "'";
      } else if (ch != null && first.has(c.rejected()) && ch.isTextual()
          && ch.asText().contains(DialogueSplit.ASSISTANT)) {
        l = Layout.DIALOGUE;
        reason = "'" + c.chosen() + "' is a dialogue with '\\n\\nAssistant:' turns";
      } else {
        List<String> names = new ArrayList<>();
        first.fieldNames().forEachRemaining(names::add);
        error[0] = "fits no layout: expected '" + c.chosen() + "' and '" + c.rejected() + "' (with '" + c.prompt()
            + "': triple; as lists of messages: chat; as dialogues with '\\n\\nAssistant:' turns: dialogue), or '"
            + c.response1() + "', '" + c.response2() + "' and '" + c.preference() + "' (pairwise); it has the fields "
            + names + " (name others with --column ROLE=NAME)";
        return null;
      }
      reason = "auto: " + reason;
    } else {
      reason = "--format " + l.label();
    }
    Columns cols = c;
    if (l == Layout.PAIRWISE && !c.promptNamed() && !first.has(c.prompt()) && first.has("instruction")) {
      cols = c.with("prompt", "instruction");
      reason += "; prompt from 'instruction'";
    }
    return new Resolved(l, cols, reason);
  }

  /**
   * Parses {@code text}, the record with 0-based index {@code index} (its number in messages is
   * index + 1), in the resolved layout.
   */
  public static TextPair parse(String text, long index, Resolved r) {
    long line = index + 1;
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input: report only where it broke.
      int col = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
      return TextPair.failed(index, line, "invalid JSON" + (col > 0 ? " at column " + col : ""));
    }
    if (node == null || !node.isObject()) {
      return TextPair.failed(index, line, "not a JSON object");
    }
    ObjectNode row = (ObjectNode) node;
    Columns c = r.columns();
    String in = " (layout " + r.layout().label() + ")";
    String error;

    double reference = 0;
    if (c.reference() != null) {
      JsonNode v = row.get(c.reference());
      if (v == null || v.isNull()) {
        return TextPair.failed(index, line, "missing field '" + c.reference() + "' (the reference log-ratio)");
      }
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        return TextPair.failed(index, line, "field '" + c.reference() + "' is not a finite number");
      }
      reference = v.asDouble();
    }
    Object key = null;
    if (c.id() != null) {
      JsonNode v = row.get(c.id());
      if (v == null || v.isNull()) {
        return TextPair.failed(index, line, "missing field '" + c.id() + "' (the id)");
      }
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        key = v.asLong();
      } else if (v.isTextual() && !v.asText().isBlank()) {
        key = v.asText();
      } else {
        return TextPair.failed(index, line, "field '" + c.id() + "' (the id) is not an integer or a non-empty string");
      }
    }

    String cp;
    String cr;
    String rp;
    String rr;
    List<String> used = new ArrayList<>();
    switch (r.layout()) {
      case TRIPLE: {
        if ((error = checkText(row, c.prompt(), in)) != null || (error = checkText(row, c.chosen(), in)) != null
            || (error = checkText(row, c.rejected(), in)) != null) {
          return TextPair.failed(index, line, error);
        }
        cp = row.get(c.prompt()).asText();
        rp = cp;
        cr = row.get(c.chosen()).asText();
        rr = row.get(c.rejected()).asText();
        used.addAll(List.of(c.prompt(), c.chosen(), c.rejected()));
        break;
      }
      case DIALOGUE: {
        if ((error = checkText(row, c.chosen(), in)) != null || (error = checkText(row, c.rejected(), in)) != null) {
          return TextPair.failed(index, line, error);
        }
        String[] a = DialogueSplit.split(row.get(c.chosen()).asText());
        if (a == null) {
          return TextPair.failed(index, line, "field '" + c.chosen() + "' has no '\\n\\nAssistant:' turn" + in);
        }
        String[] b = DialogueSplit.split(row.get(c.rejected()).asText());
        if (b == null) {
          return TextPair.failed(index, line, "field '" + c.rejected() + "' has no '\\n\\nAssistant:' turn" + in);
        }
        cp = a[0];
        cr = a[1];
        rp = b[0];
        rr = b[1];
        used.addAll(List.of(c.chosen(), c.rejected()));
        break;
      }
      case CHAT: {
        JsonNode prompt = row.get(c.prompt());
        List<JsonNode> head = new ArrayList<>();
        String promptText = null;
        if (prompt != null && !prompt.isNull()) {
          if (prompt.isArray()) {
            if ((error = checkMessages(prompt, c.prompt())) != null) {
              return TextPair.failed(index, line, error + in);
            }
            prompt.forEach(head::add);
          } else if (prompt.isTextual()) {
            promptText = prompt.asText();
          } else {
            return TextPair.failed(index, line, "field '" + c.prompt() + "' is not a string or a list of messages" + in);
          }
          used.add(c.prompt());
        }
        String[] a = new String[2];
        String[] b = new String[2];
        if ((error = chatSide(row, c.chosen(), head, promptText, a)) != null
            || (error = chatSide(row, c.rejected(), head, promptText, b)) != null) {
          return TextPair.failed(index, line, error + in);
        }
        cp = a[0];
        cr = a[1];
        rp = b[0];
        rr = b[1];
        used.addAll(List.of(c.chosen(), c.rejected()));
        break;
      }
      case PAIRWISE: {
        if ((error = checkText(row, c.prompt(), in)) != null || (error = checkText(row, c.response1(), in)) != null
            || (error = checkText(row, c.response2(), in)) != null) {
          return TextPair.failed(index, line, error);
        }
        JsonNode p = row.get(c.preference());
        if (p == null || p.isNull()) {
          return TextPair.failed(index, line, "missing field '" + c.preference() + "'" + in);
        }
        double v = p.isNumber() ? p.asDouble() : Double.NaN;
        if (v == 0 || (v > 1 && v < 2)) {
          return TextPair.tie(index, line);
        }
        if (v != 1 && v != 2) {
          return TextPair.failed(index, line, "field '" + c.preference() + "' is "
              + (p.isNumber() ? p.asText() : "not a number")
              + "; expected 1 or 2 (the better response), or 0 or a value between 1 and 2 for a tie" + in);
        }
        String one = row.get(c.response1()).asText();
        String two = row.get(c.response2()).asText();
        cp = row.get(c.prompt()).asText();
        rp = cp;
        cr = v == 1 ? one : two;
        rr = v == 1 ? two : one;
        used.addAll(List.of(c.prompt(), c.response1(), c.response2(), c.preference()));
        break;
      }
      default:
        throw new IllegalStateException("layout not resolved: " + r.layout());
    }
    if (c.id() != null) {
      used.add(c.id());
    }
    if (c.reference() != null) {
      used.add(c.reference());
    }
    return new TextPair(index, line, cp, cr, rp, rr, reference, key, extras(row, used));
  }

  /** The record's fields that no role reads, as a JSON object text (null when none); reserved names get "input_". */
  static String extras(ObjectNode row, List<String> used) {
    ObjectNode rest = null;
    Iterator<Map.Entry<String, JsonNode>> it = row.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (used.contains(e.getKey()) || e.getValue().isNull()) {
        continue;
      }
      String name = e.getKey();
      while (RESERVED.contains(name)) {
        name = "input_" + name;
      }
      if (rest == null) {
        rest = JSON.createObjectNode();
      }
      rest.set(name, e.getValue());
    }
    return rest == null ? null : rest.toString();
  }

  /** Fills {prompt, response} of one chat side; returns an error or null. */
  private static String chatSide(JsonNode row, String field, List<JsonNode> head, String promptText, String[] out) {
    JsonNode side = row.get(field);
    if (side == null || side.isNull()) {
      return "missing field '" + field + "'";
    }
    if (!side.isArray()) {
      return "field '" + field + "' is not a list of messages";
    }
    String error = checkMessages(side, field);
    if (error != null) {
      return error;
    }
    List<JsonNode> all = new ArrayList<>(head);
    side.forEach(all::add);
    int last = -1;
    for (int i = all.size() - 1; i >= 0; i--) {
      if ("assistant".equals(all.get(i).get("role").asText())) {
        last = i;
        break;
      }
    }
    if (last < head.size()) { // none, or only in the prompt
      return "field '" + field + "' has no assistant message";
    }
    String response = all.get(last).get("content").asText();
    if (response.isBlank()) {
      return "field '" + field + "': the last assistant message is empty";
    }
    List<JsonNode> before = all.subList(0, last);
    out[0] = before.isEmpty() && promptText != null ? promptText : render(before);
    out[1] = response;
    return null;
  }

  /**
   * The prompt text of the messages before the response: a single user message is its content;
   * otherwise each message is "role: content", separated by blank lines.
   */
  static String render(List<JsonNode> messages) {
    if (messages.size() == 1 && "user".equals(messages.get(0).get("role").asText())) {
      return messages.get(0).get("content").asText();
    }
    StringBuilder b = new StringBuilder();
    for (JsonNode m : messages) {
      if (b.length() > 0) {
        b.append("\n\n");
      }
      b.append(m.get("role").asText()).append(": ").append(m.get("content").asText());
    }
    return b.toString();
  }

  private static String checkMessages(JsonNode list, String field) {
    int k = 0;
    for (JsonNode m : list) {
      k++;
      if (!m.isObject()) {
        return "field '" + field + "' message " + k + " is not an object with 'role' and 'content'";
      }
      if (!m.path("role").isTextual()) {
        return "field '" + field + "' message " + k + " has no string 'role'";
      }
      if (!m.path("content").isTextual()) {
        return "field '" + field + "' message " + k + " has no string 'content'";
      }
    }
    return null;
  }

  private static String checkText(JsonNode row, String field, String in) {
    JsonNode v = row.get(field);
    if (v == null || v.isNull()) {
      return "missing field '" + field + "'" + in;
    }
    if (!v.isTextual()) {
      return "field '" + field + "' is not a string" + in;
    }
    if (v.asText().isBlank()) {
      return "field '" + field + "' is empty" + in;
    }
    return null;
  }
}
