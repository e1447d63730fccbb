package org.adpo.data;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Decodes one feature-vector cell into doubles: an array of numbers, an ML or MLlib Vector, or a
 * string such as {@code "[0.1, -0.2]"} or {@code "0.1;-0.2"} (CSV has no array type).
 */
final class VectorCodec {
  private VectorCodec() {}

  static double[] decode(Row r, int index, PoolLayout.VectorKind kind, String column) {
    if (r.isNullAt(index)) {
      throw new VectorFormatException(column + " is null");
    }
    switch (kind) {
      case ARRAY:
        return fromList(r.getList(index), column);
      case ML_VECTOR:
        return ((org.apache.spark.ml.linalg.Vector) r.get(index)).toArray();
      case MLLIB_VECTOR:
        return ((org.apache.spark.mllib.linalg.Vector) r.get(index)).toArray();
      case TEXT:
        return parse(r.getString(index), column);
      default:
        throw new IllegalStateException(kind.name());
    }
  }

  private static double[] fromList(List<Object> values, String column) {
    double[] out = new double[values.size()];
    for (int j = 0; j < out.length; j++) {
      Object v = values.get(j);
      if (v == null) {
        throw new VectorFormatException(column + " has a null element at position " + j);
      }
      out[j] = ((Number) v).doubleValue();
    }
    return out;
  }

  /** Parses numbers separated by commas, semicolons or blanks, optionally inside [ ]. */
  public static double[] parse(String text, String column) {
    String t = text.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1).trim();
    }
    if (t.isEmpty()) {
      return new double[0];
    }
    String[] parts = t.split("[,;\\s]+");
    double[] out = new double[parts.length];
    for (int j = 0; j < parts.length; j++) {
      try {
        out[j] = Double.parseDouble(parts[j]);
      } catch (NumberFormatException e) {
        // The cell's text is not quoted: messages never print pool contents (docs/security.md).
        throw new VectorFormatException(column + " element " + j + " is not a number");
      }
    }
    return out;
  }
}
