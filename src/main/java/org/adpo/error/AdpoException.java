package org.adpo.error;

/**
 * Base of the errors the engine reports to its users. Each kind maps to one process exit code, so
 * the CLI, the Java API and the tests agree on what went wrong without parsing messages.
 */
public abstract class AdpoException extends RuntimeException {
  protected AdpoException(String message) {
    super(message);
  }

  protected AdpoException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The process exit code the CLI uses for this error. */
  public abstract int exitCode();
}
