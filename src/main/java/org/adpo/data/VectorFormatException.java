package org.adpo.data;

/** A feature vector that cannot be decoded; the validator turns it into a message naming the row. */
final class VectorFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VectorFormatException(String reason) {
    super(reason, null, false, false);
  }
}
