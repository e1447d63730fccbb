package org.adpo.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What the checking pass gathers over the records: how many become rows, how many ties were
 * dropped, the largest index, the kinds of id values, and for each pass-through field the kinds of
 * values it holds. A field's column type follows from its kinds: integers only give a long column,
 * integers and decimals a double column, booleans only a boolean column, anything else (text, lists,
 * objects, mixtures) a string column holding the text or the value's JSON.
 */
final class RecordStats implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int LONG = 1;
  static final int DOUBLE = 2;
  static final int BOOL = 4;
  static final int TEXT = 8;
  static final int JSON = 16;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  long rows;
  long ties;
  long maxIndex = -1;
  int idKinds;
  final TreeMap<String, Integer> kinds = new TreeMap<>();

  RecordStats add(TextPair t) {
    if (t.tie) {
      ties++;
      return this;
    }
    if (!t.ok()) {
      return this;
    }
    rows++;
    maxIndex = Math.max(maxIndex, t.id);
    if (t.key != null) {
      idKinds |= t.key instanceof Long ? LONG : TEXT;
    }
    if (t.extras != null) {
      Iterator<Map.Entry<String, JsonNode>> it = parse(t.extras).fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        kinds.merge(e.getKey(), kind(e.getValue()), (a, b) -> a | b);
      }
    }
    return this;
  }

  RecordStats merge(RecordStats o) {
    rows += o.rows;
    ties += o.ties;
    maxIndex = Math.max(maxIndex, o.maxIndex);
    idKinds |= o.idKinds;
    o.kinds.forEach((k, v) -> kinds.merge(k, v, (a, b) -> a | b));
    return this;
  }

  static int kind(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return LONG;
    }
    if (v.isNumber()) {
      return DOUBLE;
    }
    if (v.isBoolean()) {
      return BOOL;
    }
    return v.isTextual() ? TEXT : JSON;
  }

  static DataType type(int kinds) {
    if (kinds == LONG) {
      return DataTypes.LongType;
    }
    if ((kinds & ~(LONG | DOUBLE)) == 0) {
      return DataTypes.DoubleType;
    }
    return kinds == BOOL ? DataTypes.BooleanType : DataTypes.StringType;
  }

  /** The pool's schema: the base columns, the text ones with --keep-text, then the pass-through fields. */
  StructType schema(boolean idField, EmbedJob.Settings s) {
    List<StructField> f = new ArrayList<>();
    // ids from a field: integers stay integers; any text id makes every id its text
    f.add(DataTypes.createStructField("id", idField && (idKinds & TEXT) != 0 ? DataTypes.StringType
        : DataTypes.LongType, false));
    f.add(DataTypes.createStructField("phi", DataTypes.createArrayType(DataTypes.DoubleType, false), false));
    f.add(DataTypes.createStructField("b", DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("s", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("truncated", DataTypes.BooleanType, false));
    f.add(DataTypes.createStructField("y1_is_chosen", DataTypes.BooleanType, false));
    if (s.keepText()) {
      for (String name : EmbedJob.TEXT) {
        f.add(DataTypes.createStructField(name, DataTypes.StringType, false));
      }
    }
    if (s.extras()) {
      kinds.forEach((name, k) -> f.add(DataTypes.createStructField(name, type(k), true)));
    }
    return DataTypes.createStructType(f);
  }

  /** Puts the pass-through values of {@code extras} into {@code v} from column {@code first} on. */
  static void fill(String extras, StructType schema, int first, Object[] v) {
    JsonNode o = parse(extras);
    StructField[] f = schema.fields();
    for (int i = first; i < f.length; i++) {
      JsonNode x = o.get(f[i].name());
      if (x == null || x.isNull()) {
        continue;
      }
      DataType t = f[i].dataType();
      if (t == DataTypes.LongType) {
        v[i] = x.asLong();
      } else if (t == DataTypes.DoubleType) {
        v[i] = x.asDouble();
      } else if (t == DataTypes.BooleanType) {
        v[i] = x.asBoolean();
      } else {
        v[i] = x.isTextual() ? x.asText() : x.toString();
      }
    }
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("pass-through fields are not JSON", e);
    }
  }
}
