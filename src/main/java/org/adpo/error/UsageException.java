package org.adpo.error;

/** A bad command line, option value or configuration file (exit code 2). */
public class UsageException extends AdpoException {
  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return 2;
  }
}
