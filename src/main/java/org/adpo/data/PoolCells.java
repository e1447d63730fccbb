package org.adpo.data;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.bitset.BitSetMethods;

/**
 * Reads a pool's cells from Spark's internal rows (a Dataset's {@code queryExecution().toRdd()}) of the
 * schema the layout was resolved against: no external {@code Row} is built and no array element is
 * boxed, which was most of the cost of reading a pool. Every value is the one the external row would
 * give, converted the same way: an integer or float widened to double, a decimal through
 * {@code java.math.BigDecimal} (what a {@code Row} holds), an ML Vector through its UDT, text parsed by
 * {@link VectorCodec#parse}. The methods mirror {@link PoolLayout}'s, with the same messages. A reader
 * may reuse a row object for the next row, so nothing here keeps a reference to a row or its arrays.
 */
public final class PoolCells implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PoolLayout layout;
  /** Where each projected column sits in the row, and its type, in {@link PoolLayout#projection()} order. */
  private final int[] at;
  private final DataType[] types;
  private final int bAt;
  private final int sAt;
  private final int wAt;
  /** True when phi is one column of float32 arrays: its values are read as floats, never widened. */
  private final boolean floatPhi;

  PoolCells(PoolLayout layout, StructType schema) {
    this.layout = layout;
    this.at = layout.projectedIndices(schema);
    this.types = new DataType[at.length];
    for (int i = 0; i < at.length; i++) {
      types[i] = schema.fields()[at[i]].dataType();
    }
    int after = layout.pairFeatures() ? 3 : 2;
    bAt = layout.hasB() ? after++ : -1;
    sAt = layout.hasLabels() ? after++ : -1;
    wAt = layout.hasWeight() ? after : -1;
    floatPhi = !layout.pairFeatures() && layout.phiKind() == PoolLayout.VectorKind.ARRAY
        && ((ArrayType) types[1]).elementType() instanceof FloatType;
  }

  public PoolLayout layout() {
    return layout;
  }

  /** True when the integer id of {@code r} is null. */
  public boolean idIsNull(InternalRow r) {
    return r.isNullAt(at[0]);
  }

  /** The id as a Long or String (as {@link PoolLayout#id}), or null. */
  public Object id(InternalRow r) {
    if (r.isNullAt(at[0])) {
      return null;
    }
    if (layout.stringIds()) {
      return r.getUTF8String(at[0]).toString();
    }
    return Long.valueOf(longId(r));
  }

  /** An integer id that is not null. */
  public long longId(InternalRow r) {
    Object v = r.get(at[0], types[0]); // Long, Integer, Short or Byte
    return ((Number) v).longValue();
  }

  /** True when the features are float32 arrays in one column: then {@link #phiFloats} reads them. */
  public boolean floatFeatures() {
    return floatPhi;
  }

  /**
   * The features of a pool whose {@link #floatFeatures()} is true, as the stored float32 values, in
   * {@code scratch} when it has their length (else in a new array). Throws {@link VectorFormatException}
   * as {@link PoolLayout#phi} does (null vector, null element).
   */
  public float[] phiFloats(InternalRow r, float[] scratch) {
    String column = layout.names().phi();
    if (r.isNullAt(at[1])) {
      throw new VectorFormatException(column + " is null");
    }
    ArrayData a = r.getArray(at[1]);
    if (((ArrayType) types[1]).containsNull()) {
      requireNoNull(a, column);
    }
    int n = a.numElements();
    if (a instanceof UnsafeArrayData) {
      // The values follow the element count and the null flags: one copy, no array per row.
      float[] out = scratch != null && scratch.length == n ? scratch : new float[n];
      UnsafeArrayData u = (UnsafeArrayData) a;
      Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n),
          out, Platform.FLOAT_ARRAY_OFFSET, 4L * n);
      return out;
    }
    return a.toFloatArray();
  }

  /** The feature vector phi (phi1 - phi2 for pairs), as {@link PoolLayout#phi} gives it. */
  public double[] phi(InternalRow r) {
    if (!layout.pairFeatures()) {
      return decode(r, 1, layout.phiKind(), layout.names().phi());
    }
    double[] a = decode(r, 1, layout.phiKind(), layout.names().phi1());
    double[] c = decode(r, 2, layout.phi2Kind(), layout.names().phi2());
    if (a.length != c.length) {
      throw new VectorFormatException(layout.names().phi1() + " has length " + a.length + " but "
          + layout.names().phi2() + " has length " + c.length);
    }
    for (int j = 0; j < a.length; j++) {
      a[j] -= c[j];
    }
    return a;
  }

  private double[] decode(InternalRow r, int cell, PoolLayout.VectorKind kind, String column) {
    int i = at[cell];
    if (r.isNullAt(i)) {
      throw new VectorFormatException(column + " is null");
    }
    DataType type = types[cell];
    switch (kind) {
      case ARRAY: {
        ArrayType arrayType = (ArrayType) type;
        ArrayData a = r.getArray(i);
        DataType element = arrayType.elementType();
        if (arrayType.containsNull()) {
          requireNoNull(a, column);
        }
        if (element instanceof DoubleType) {
          return a.toDoubleArray();
        }
        int n = a.numElements();
        double[] out = new double[n];
        if (element instanceof FloatType) {
          for (int j = 0; j < n; j++) {
            out[j] = a.getFloat(j);
          }
          return out;
        }
        for (int j = 0; j < n; j++) {
          out[j] = number(a.get(j, element));
        }
        return out;
      }
      case ML_VECTOR:
        return ((org.apache.spark.ml.linalg.Vector) udt(type).deserialize(r.get(i, udt(type).sqlType()))).toArray();
      case MLLIB_VECTOR:
        return ((org.apache.spark.mllib.linalg.Vector) udt(type).deserialize(r.get(i, udt(type).sqlType()))).toArray();
      case TEXT:
        return VectorCodec.parse(r.getUTF8String(i).toString(), column);
      default:
        throw new IllegalStateException(kind.name());
    }
  }

  private static UserDefinedType<?> udt(DataType type) {
    return (UserDefinedType<?>) type;
  }

  private static void requireNoNull(ArrayData a, String column) {
    int n = a.numElements();
    if (a instanceof UnsafeArrayData) {
      // Its null flags are a bit set after the 8-byte element count: one word test per 64 elements.
      UnsafeArrayData u = (UnsafeArrayData) a;
      if (!BitSetMethods.anySet(u.getBaseObject(), u.getBaseOffset() + 8, (n + 63) / 64)) {
        return;
      }
    }
    for (int j = 0; j < n; j++) {
      if (a.isNullAt(j)) {
        throw new VectorFormatException(column + " has a null element at position " + j);
      }
    }
  }

  /** An internal numeric value as the external row's {@code Number.doubleValue()} gives it. */
  private static double number(Object v) {
    if (v instanceof Decimal) {
      return ((Decimal) v).toJavaBigDecimal().doubleValue();
    }
    return ((Number) v).doubleValue();
  }

  /** b (0 when the column is absent); NaN for a null value. */
  public double b(InternalRow r) {
    if (bAt < 0) {
      return 0.0;
    }
    int i = at[bAt];
    return r.isNullAt(i) ? Double.NaN : number(r.get(i, types[bAt]));
  }

  /** The label as a double (NaN when absent or null); booleans map to 0/1. */
  public double s(InternalRow r) {
    if (sAt < 0) {
      return Double.NaN;
    }
    int i = at[sAt];
    if (r.isNullAt(i)) {
      return Double.NaN;
    }
    if (types[sAt] instanceof BooleanType) {
      return r.getBoolean(i) ? 1.0 : 0.0;
    }
    return number(r.get(i, types[sAt]));
  }

  /** The weight column (1 when absent); NaN for a null value. */
  public double weight(InternalRow r) {
    if (wAt < 0) {
      return 1.0;
    }
    int i = at[wAt];
    return r.isNullAt(i) ? Double.NaN : number(r.get(i, types[wAt]));
  }
}
