package org.adpo.online;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.adpo.error.BadInputException;
import org.adpo.error.UsageException;

/**
 * Reads a labels file of people's answers ({@code id} and {@code s} columns; other columns are
 * ignored) from CSV (with a header) or JSON Lines, without Spark: a file, or a directory of part files
 * such as the queries directory itself. Every entry keeps where it came from (file and line) for the
 * error messages. Parquet is read through Spark by the caller and handed to {@link #of}.
 */
public final class LabelsInput {
  /** One row: id and label as text (null when absent or empty), and where it was read. */
  public record Entry(String id, String s, String where) {}

  private LabelsInput() {}

  /** The format of a labels path by its extension (or its part files'): csv, jsonl or parquet. */
  public static String formatOf(Path path) {
    if (Files.isDirectory(path)) {
      for (Path f : dataFiles(path)) {
        String fmt = extension(f);
        if (fmt != null) {
          return fmt;
        }
      }
      throw new UsageException("cannot tell the format of labels directory " + path
          + " from its files' names (expected .csv, .jsonl/.json or .parquet)");
    }
    String fmt = extension(path);
    if (fmt == null) {
      throw new UsageException("cannot tell the format of labels file " + path
          + " from its name (expected .csv, .jsonl/.json or .parquet)");
    }
    return fmt;
  }

  private static String extension(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".csv")) {
      return "csv";
    }
    if (n.endsWith(".jsonl") || n.endsWith(".json")) {
      return "jsonl";
    }
    if (n.endsWith(".parquet")) {
      return "parquet";
    }
    return null;
  }

  private static List<Path> dataFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && !n.startsWith("_") && !n.startsWith(".");
      }).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new BadInputException("cannot list labels directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Reads a CSV or JSON Lines labels file or directory. */
  public static List<Entry> read(Path path, String format) {
    if (!Files.exists(path)) {
      throw new BadInputException("labels file not found: " + path);
    }
    List<Path> files = Files.isDirectory(path) ? dataFiles(path) : List.of(path);
    List<Entry> out = new ArrayList<>();
    for (Path f : files) {
      if (Files.isDirectory(path) && !format.equals(extension(f))) {
        continue;
      }
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new BadInputException("cannot read labels file " + f + ": " + e.getMessage(), e);
      }
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1); // the byte-order mark spreadsheet programs write
      }
      if (format.equals("csv")) {
        csv(text, f.toString(), out);
      } else {
        jsonl(text, f.toString(), out);
      }
    }
    return out;
  }

  /** Entries from rows already read (Parquet through Spark): id and s as text or null. */
  public static Entry of(String id, String s, String file, long row) {
    return new Entry(id, s, file + " row " + row);
  }

  private static void jsonl(String text, String file, List<Entry> out) {
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String where = file + " line " + (i + 1);
      JsonNode n;
      try {
        n = OnlineConfig.JSON.readTree(lines[i]);
      } catch (IOException e) {
        // (the parser's message quotes the line: not shown, docs/security.md)
        throw new BadInputException(where + ": not a JSON object (it does not parse as JSON; the line's text is not"
            + " printed)");
      }
      if (n == null || !n.isObject()) {
        throw new BadInputException(where + ": not a JSON object");
      }
      JsonNode id = n.get("id");
      if (id == null || id.isNull()) {
        throw new BadInputException(where + ": no 'id'");
      }
      JsonNode s = n.get("s");
      // true/false are labels as select reads them (true = 1)
      out.add(new Entry(id.isTextual() ? id.asText() : id.toString(),
          s == null || s.isNull() ? null : s.isBoolean() ? (s.asBoolean() ? "1" : "0")
              : s.isTextual() ? s.asText() : s.toString(), where));
    }
  }

  /**
   * RFC 4180 CSV with a header, as {@link CsvText} writes the queries and spreadsheets save them: inside
   * quotes "" stands for a quote and a line break is part of the field; a backslash is an ordinary
   * character everywhere.
   */
  private static void csv(String text, String file, List<Entry> out) {
    List<List<String>> rows = new ArrayList<>();
    List<Integer> lineOf = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    int line = 1;
    int rowLine = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        row.add(wasQuoted || cell.length() > 0 ? cell.toString() : null);
        cell.setLength(0);
        wasQuoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(wasQuoted || cell.length() > 0 ? cell.toString() : null);
        cell.setLength(0);
        wasQuoted = false;
        rows.add(row);
        lineOf.add(rowLine);
        row = new ArrayList<>();
        line++;
        rowLine = line;
      } else {
        cell.append(c);
      }
    }
    if (quoted) {
      throw new BadInputException(file + " line " + rowLine + ": unterminated quoted field");
    }
    if (cell.length() > 0 || wasQuoted || !row.isEmpty()) {
      row.add(wasQuoted || cell.length() > 0 ? cell.toString() : null);
      rows.add(row);
      lineOf.add(rowLine);
    }
    if (rows.isEmpty()) {
      return; // an empty part file
    }
    List<String> header = rows.get(0);
    int id = header.indexOf("id");
    int s = header.indexOf("s");
    if (id < 0 || s < 0) {
      throw new BadInputException(file + ": the header must name the columns 'id' and 's', got "
          + org.adpo.error.Shown.value(header));
    }
    for (int r = 1; r < rows.size(); r++) {
      List<String> cells = rows.get(r);
      if (cells.size() == 1 && cells.get(0) == null) {
        continue; // blank line
      }
      String where = file + " line " + lineOf.get(r);
      if (cells.size() != header.size()) {
        throw new BadInputException(where + ": " + cells.size() + " fields, the header has " + header.size());
      }
      String idText = cells.get(id);
      if (idText == null || idText.isBlank()) {
        throw new BadInputException(where + ": no id");
      }
      String v = cells.get(s);
      out.add(new Entry(idText.trim(), v == null || v.isBlank() ? null : v.trim(), where));
    }
  }
}
