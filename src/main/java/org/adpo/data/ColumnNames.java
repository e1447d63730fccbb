package org.adpo.data;

import java.io.Serializable;

/** Names of the pool's columns (configurable so that existing tables need no renaming). */
public record ColumnNames(
    String id, String phi, String phi1, String phi2, String b, String s, String weight)
    implements Serializable {

  public static ColumnNames defaults() {
    return new ColumnNames("id", "phi", "phi1", "phi2", "b", "s", "weight");
  }
}
