package org.adpo.online;

import java.util.List;

/**
 * CSV text in RFC 4180 form, written on the driver: a header line, then one line per row, each line
 * ended by CRLF; a field holding a comma, a quote, CR or LF (or an empty string, to tell it from a
 * missing value) is quoted, with its quotes doubled; a backslash is an ordinary character. A null
 * field is written empty. {@link LabelsInput} reads exactly this form back.
 */
final class CsvText {
  private CsvText() {}

  public static String write(List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    line(sb, header);
    for (List<String> row : rows) {
      if (row.size() != header.size()) {
        throw new IllegalArgumentException("a row has " + row.size() + " fields, the header " + header.size());
      }
      line(sb, row);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      field(sb, fields.get(i));
    }
    sb.append("\r\n");
  }

  static void field(StringBuilder sb, String v) {
    if (v == null) {
      return;
    }
    boolean quote = v.isEmpty();
    for (int i = 0; i < v.length() && !quote; i++) {
      char c = v.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) {
      sb.append(v);
      return;
    }
    sb.append('"').append(v.replace("\"", "\"\"")).append('"');
  }
}
