package org.adpo.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.adpo.error.BadInputException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The pool's schema resolved against the configured column names: which columns hold the id, the
 * feature vector (one column or the pair phi1, phi2), b, s and the weight, and how each is
 * encoded. Checked once on the driver, so rows can be decoded on the executors without surprises.
 * The decoder works on the narrow projection {@link #projection()}, in that column order.
 */
public final class PoolLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How a feature vector is stored in a column. */
  public enum VectorKind {
    ARRAY,
    ML_VECTOR,
    MLLIB_VECTOR,
    TEXT
  }

  private final String source;
  private final ColumnNames names;
  private final boolean stringIds;
  private final boolean pairFeatures;
  private final VectorKind phiKind;
  private final VectorKind phi2Kind;
  private final boolean hasB;
  private final boolean hasS;
  private final boolean hasWeight;
  private final List<String> projected;

  private PoolLayout(String source, ColumnNames names, StructType schema, boolean needLabels) {
    this.source = source;
    this.names = names;
    if (schema.fields().length == 0) { // what Spark infers from a file without records
      throw new BadInputException(source + ": the pool is empty (no records, so no columns)");
    }
    StructField id = field(schema, names.id());
    if (id == null) {
      throw missing(names.id(), "id", schema);
    }
    DataType idType = id.dataType();
    if (idType instanceof StringType) {
      stringIds = true;
    } else if (idType instanceof LongType || idType instanceof IntegerType
        || idType instanceof ShortType || idType instanceof ByteType) {
      stringIds = false;
    } else {
      throw new BadInputException(
          "column '" + names.id() + "' of " + source + " has type " + idType.simpleString()
              + "; an id must be an integer or a string");
    }
    projected = new ArrayList<>();
    projected.add(id.name());
    StructField phi = field(schema, names.phi());
    if (phi != null) {
      pairFeatures = false;
      phiKind = vectorKind(phi);
      phi2Kind = null;
      projected.add(phi.name());
    } else {
      StructField p1 = field(schema, names.phi1());
      StructField p2 = field(schema, names.phi2());
      if (p1 == null || p2 == null) {
        throw new BadInputException(
            source + " has no feature column: expected '" + names.phi() + "', or both '"
                + names.phi1() + "' and '" + names.phi2() + "'; its columns are "
                + Arrays.toString(schema.fieldNames()));
      }
      pairFeatures = true;
      phiKind = vectorKind(p1);
      phi2Kind = vectorKind(p2);
      projected.add(p1.name());
      projected.add(p2.name());
    }
    StructField b = field(schema, names.b());
    hasB = b != null;
    if (hasB) {
      requireNumeric(b, "b");
      projected.add(b.name());
    }
    StructField s = field(schema, names.s());
    hasS = s != null;
    if (hasS) {
      if (!(s.dataType() instanceof NumericType) && !(s.dataType() instanceof BooleanType)) {
        throw new BadInputException(
            "column '" + s.name() + "' of " + source + " has type " + s.dataType().simpleString()
                + "; a label must be a number (0 or 1) or a boolean");
      }
      projected.add(s.name());
    } else if (needLabels) {
      throw new BadInputException(
          "the algorithm needs labels but " + source + " has no label column '" + names.s()
              + "'; its columns are " + Arrays.toString(schema.fieldNames()));
    }
    StructField w = field(schema, names.weight());
    hasWeight = w != null;
    if (hasWeight) {
      requireNumeric(w, "weight");
      projected.add(w.name());
    }
  }

  /** Resolves the layout, or fails with a message naming the column and what is wrong. */
  public static PoolLayout resolve(String source, ColumnNames names, StructType schema, boolean needLabels) {
    return new PoolLayout(source, names, schema, needLabels);
  }

  private static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private BadInputException missing(String name, String role, StructType schema) {
    return new BadInputException(
        source + " has no " + role + " column '" + name + "'; its columns are "
            + Arrays.toString(schema.fieldNames()));
  }

  private void requireNumeric(StructField f, String role) {
    if (!(f.dataType() instanceof NumericType)) {
      throw new BadInputException(
          "column '" + f.name() + "' (" + role + ") of " + source + " has type "
              + f.dataType().simpleString() + "; expected a number");
    }
  }

  private VectorKind vectorKind(StructField f) {
    DataType t = f.dataType();
    if (t instanceof ArrayType && ((ArrayType) t).elementType() instanceof NumericType) {
      return VectorKind.ARRAY;
    }
    if (t instanceof StringType) {
      return VectorKind.TEXT;
    }
    String udt = t.getClass().getName();
    if (udt.equals("org.apache.spark.ml.linalg.VectorUDT")) {
      return VectorKind.ML_VECTOR;
    }
    if (udt.equals("org.apache.spark.mllib.linalg.VectorUDT")) {
      return VectorKind.MLLIB_VECTOR;
    }
    throw new BadInputException(
        "column '" + f.name() + "' of " + source + " has type " + t.simpleString()
            + "; a feature vector must be an array of numbers, an ML Vector, or a string of numbers");
  }

  /** The columns the engine reads, in decoding order. */
  public Column[] projection() {
    Column[] cols = new Column[projected.size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = new Column("`" + projected.get(i).replace("`", "``") + "`");
    }
    return cols;
  }

  /** Where each projected column sits in {@code schema}, in decoding order. */
  public int[] projectedIndices(StructType schema) {
    int[] at = new int[projected.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = schema.fieldIndex(projected.get(i));
    }
    return at;
  }

  public String source() {
    return source;
  }

  public ColumnNames names() {
    return names;
  }

  public boolean stringIds() {
    return stringIds;
  }

  public boolean hasLabels() {
    return hasS;
  }

  public boolean hasWeight() {
    return hasWeight;
  }

  /** The reader of this layout's cells from internal rows of {@code schema}, the schema it was resolved against. */
  public PoolCells cells(StructType schema) {
    return new PoolCells(this, schema);
  }

  boolean pairFeatures() {
    return pairFeatures;
  }

  VectorKind phiKind() {
    return phiKind;
  }

  VectorKind phi2Kind() {
    return phi2Kind;
  }

  boolean hasB() {
    return hasB;
  }

  /** Name of the feature column(s) for messages. */
  String featureName() {
    return pairFeatures ? names.phi1() + "/" + names.phi2() : names.phi();
  }

  // ---- decoding of one projected row (executor side) ----

  /** The id as a Long or String, or null. */
  public Object id(Row r) {
    if (r.isNullAt(0)) {
      return null;
    }
    Object v = r.get(0);
    return stringIds ? v : Long.valueOf(((Number) v).longValue());
  }

  /**
   * The feature vector phi (phi1 - phi2 for pairs). Throws {@link VectorFormatException} with a
   * short reason when the vector is null, unparseable or phi1/phi2 lengths differ.
   */
  public double[] phi(Row r) {
    if (!pairFeatures) {
      return VectorCodec.decode(r, 1, phiKind, names.phi());
    }
    double[] a = VectorCodec.decode(r, 1, phiKind, names.phi1());
    double[] c = VectorCodec.decode(r, 2, phi2Kind, names.phi2());
    if (a.length != c.length) {
      throw new VectorFormatException(
          names.phi1() + " has length " + a.length + " but " + names.phi2() + " has length " + c.length);
    }
    for (int j = 0; j < a.length; j++) {
      a[j] -= c[j];
    }
    return a;
  }

  private int after() {
    return pairFeatures ? 3 : 2;
  }

  /** b (0 when the column is absent); NaN for a null value. */
  public double b(Row r) {
    if (!hasB) {
      return 0.0;
    }
    int i = after();
    return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
  }

  /** The label as a double (NaN when absent or null); booleans map to 0/1. */
  public double s(Row r) {
    if (!hasS) {
      return Double.NaN;
    }
    int i = after() + (hasB ? 1 : 0);
    if (r.isNullAt(i)) {
      return Double.NaN;
    }
    Object v = r.get(i);
    return v instanceof Boolean ? (((Boolean) v) ? 1.0 : 0.0) : ((Number) v).doubleValue();
  }

  /** The weight column (1 when absent); NaN for a null value. */
  public double weight(Row r) {
    if (!hasWeight) {
      return 1.0;
    }
    int i = after() + (hasB ? 1 : 0) + (hasS ? 1 : 0);
    return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
  }
}
