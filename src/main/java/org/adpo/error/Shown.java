package org.adpo.error;

/**
 * How a value from the input (an id, a file name, a column name) appears in a message: control
 * characters escaped, so that a value cannot forge a second {@code error:} line or move the cursor,
 * and long values cut, so that one message stays one readable line.
 */
public final class Shown {
  private Shown() {}

  /** Characters of a value shown before it is cut. */
  public static final int MAX_CHARS = 120;

  /** {@code v} as text, escaped and cut to {@link #MAX_CHARS} characters. */
  public static String value(Object v) {
    String s = String.valueOf(v);
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 16);
    int shown = 0;
    for (int i = 0; i < s.length(); i++) {
      if (shown >= MAX_CHARS) {
        b.append("… (").append(s.length()).append(" characters)");
        return b.toString();
      }
      char c = s.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
      shown++;
    }
    return b.toString();
  }
}
