package org.adpo.error;

/**
 * The machine or cluster failed the run, not the input or the command line: a full disk, a lost
 * file system, a termination signal (exit code 1, one line, no stack trace).
 */
public class EnvironmentException extends AdpoException {
  public EnvironmentException(String message) {
    super(message);
  }

  public EnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return 1;
  }
}
