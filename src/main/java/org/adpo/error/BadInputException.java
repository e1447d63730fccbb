package org.adpo.error;

/** Input data that cannot be used: a missing column, a wrong type, a bad value in some row (exit code 3). */
public class BadInputException extends AdpoException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return 3;
  }
}
