package org.adpo.eval.plot;

import java.util.List;

/**
 * A self-contained HTML page: a title, a few lines of text, one inline {@code <svg>} per panel of a
 * {@link Figure} and an optional table. No scripts, no external style sheets, images or fonts. The
 * table shows decimal numbers to {@link #DIGITS} significant digits (the CSV next to the page keeps
 * every digit), lets its headers break after underscores and scrolls sideways inside the 1200 px
 * page instead of running past it.
 */
public final class HtmlPage {
  static final int DIGITS = 4;
  static final int MAX_WIDTH = 1200;

  private HtmlPage() {}

  /**
   * A table cell as shown: a decimal number ("0.12345678901234568", "1.0E-12") to {@link #DIGITS}
   * significant digits, anything else (integers, names, booleans) as it is.
   */
  static String cell(String text) {
    if (!DECIMAL.matcher(text).matches()) {
      return text;
    }
    double d = Double.parseDouble(text);
    if (d == 0) {
      return "0";
    }
    double a = Math.abs(d);
    if (a >= 1e-4 && a < 1e6) {
      return new java.math.BigDecimal(d).round(new java.math.MathContext(DIGITS)).stripTrailingZeros().toPlainString();
    }
    // 1.235e-05 -> 1.235e-5, 1.000e+07 -> 1e7
    String e = String.format(java.util.Locale.ROOT, "%." + (DIGITS - 1) + "e", d);
    String mantissa = e.substring(0, e.indexOf('e')).replaceAll("\\.?0+$", "");
    return mantissa + "e" + Integer.parseInt(e.substring(e.indexOf('e') + 1));
  }

  /** Java's decimal form of a double, as in the CSV cells: digits, a point, digits, an optional exponent. */
  private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?\\d+\\.\\d+(E-?\\d+)?");

  /** Escaped header text that may break after an underscore or a space. */
  private static String header(String h) {
    return SvgChart.escape(h).replace("_", "_<wbr>");
  }

  /**
   * @param lines paragraphs shown under the title (plain text, escaped)
   * @param header table column names, or null for no table
   * @param rows table cells (plain text, escaped)
   */
  public static String render(Figure figure, List<String> lines, List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(SvgChart.escape(figure.title())).append("</title>\n<style>\n")
        .append("body{font-family:\"DejaVu Sans\",Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:")
        .append(MAX_WIDTH - 48).append("px}\n")
        .append(".charts{display:flex;flex-wrap:wrap;gap:12px}\n")
        .append(".charts svg{border:1px solid #e4e4e4}\n")
        .append(".table{overflow-x:auto;max-width:100%;margin-top:20px}\n")
        .append("table{border-collapse:collapse;font-size:12px}\n")
        .append("th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}\n")
        .append("th{font-weight:normal;color:#444;vertical-align:bottom}\n")
        .append("th:first-child,td:first-child{text-align:left}\n")
        .append("</style>\n</head>\n<body>\n<h1>").append(SvgChart.escape(figure.title())).append("</h1>\n");
    for (String line : lines) {
      sb.append("<p>").append(SvgChart.escape(line)).append("</p>\n");
    }
    sb.append("<div class=\"charts\">\n");
    for (Panel p : figure.panels()) {
      sb.append(SvgChart.render(figure, p));
    }
    sb.append("</div>\n");
    if (header != null) {
      sb.append("<div class=\"table\">\n<table>\n<tr>");
      for (String h : header) {
        sb.append("<th>").append(header(h)).append("</th>");
      }
      sb.append("</tr>\n");
      for (List<String> row : rows) {
        sb.append("<tr>");
        for (String cell : row) {
          sb.append("<td>").append(SvgChart.escape(cell(cell))).append("</td>");
        }
        sb.append("</tr>\n");
      }
      sb.append("</table>\n</div>\n");
    }
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }
}
