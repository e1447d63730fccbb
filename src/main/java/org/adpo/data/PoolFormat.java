package org.adpo.data;

import java.util.Locale;
import org.adpo.error.UsageException;

/** File formats a pool is read from and a selection is written to. */
public enum PoolFormat {
  PARQUET("parquet"),
  JSONL("jsonl"),
  CSV("csv"),
  /** A Delta Lake table (a directory with {@code _delta_log/}); needs delta-spark on the class path. */
  DELTA("delta");

  private final String cliName;

  PoolFormat(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** Parses a format name; {@code json}, {@code ndjson} and {@code jsonlines} mean JSON Lines. */
  public static PoolFormat parse(String name, String what) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "parquet":
        return PARQUET;
      case "jsonl":
      case "json":
      case "ndjson":
      case "jsonlines":
        return JSONL;
      case "csv":
        return CSV;
      case "delta":
        return DELTA;
      default:
        throw new UsageException(
            "unknown " + what + " '" + name + "'; expected parquet, jsonl, csv or delta");
    }
  }

  /** The format implied by a file name's extension (compression suffixes ignored), or null. */
  static PoolFormat fromFileName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    for (String z : new String[] {".gz", ".bz2", ".snappy", ".zst", ".lz4", ".deflate"}) {
      if (n.endsWith(z)) {
        n = n.substring(0, n.length() - z.length());
      }
    }
    if (n.endsWith(".parquet")) {
      return PARQUET;
    }
    if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
      return JSONL;
    }
    if (n.endsWith(".csv")) {
      return CSV;
    }
    return null;
  }
}
