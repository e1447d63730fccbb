package org.adpo.error;

/**
 * The SparkSession lacks what the engine needs (a live SparkContext, RDDs, broadcast variables), e.g.
 * a Spark Connect session as in Databricks standard access mode or serverless compute, or a stopped
 * session. A configuration problem of the caller, hence exit code 2.
 */
public class UnsupportedSessionException extends AdpoException {
  public UnsupportedSessionException(String message) {
    super(message);
  }

  public UnsupportedSessionException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return 2;
  }
}
