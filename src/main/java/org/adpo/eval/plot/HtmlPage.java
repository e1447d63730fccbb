package org.adpo.eval.plot;

import java.util.List;

/**
 * A self-contained HTML page: a title, a few lines of text, one inline {@code <svg>} per panel of a
 * {@link Figure} and an optional table. No scripts, no external style sheets, images or fonts.
 */
public final class HtmlPage {
  private HtmlPage() {}

  /**
   * @param lines paragraphs shown under the title (plain text, escaped)
   * @param header table column names, or null for no table
   * @param rows table cells (plain text, escaped)
   */
  public static String render(Figure figure, List<String> lines, List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(SvgChart.escape(figure.title())).append("</title>\n<style>\n")
        .append("body{font-family:\"DejaVu Sans\",Helvetica,Arial,sans-serif;margin:24px;color:#222}\n")
        .append(".charts{display:flex;flex-wrap:wrap;gap:12px}\n")
        .append(".charts svg{border:1px solid #e4e4e4}\n")
        .append("table{border-collapse:collapse;font-size:13px;margin-top:20px}\n")
        .append("th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}\n")
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
      sb.append("<table>\n<tr>");
      for (String h : header) {
        sb.append("<th>").append(SvgChart.escape(h)).append("</th>");
      }
      sb.append("</tr>\n");
      for (List<String> row : rows) {
        sb.append("<tr>");
        for (String cell : row) {
          sb.append("<td>").append(SvgChart.escape(cell)).append("</td>");
        }
        sb.append("</tr>\n");
      }
      sb.append("</table>\n");
    }
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }
}
