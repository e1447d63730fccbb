package org.adpo.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.adpo.error.UsageException;

/** Reads theta_true for the bernoulli oracle: a JSON array of numbers, or one number per line. */
public final class ThetaFile {
  private ThetaFile() {}

  public static double[] read(String file, int d) {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UsageException("cannot read theta-true file " + file + ": " + e.getMessage(), e);
    }
    if (text.startsWith("[")) {
      if (!text.endsWith("]")) {
        throw new UsageException("theta-true file " + file + ": a JSON array must end with ']'");
      }
      text = text.substring(1, text.length() - 1).trim();
    }
    String[] parts = text.isEmpty() ? new String[0] : text.split("[,\\s]+");
    if (parts.length != d) {
      throw new UsageException("theta-true file " + file + " holds " + parts.length + " numbers; the pool has d = " + d);
    }
    double[] theta = new double[d];
    for (int j = 0; j < d; j++) {
      try {
        theta[j] = Double.parseDouble(parts[j]);
      } catch (NumberFormatException e) {
        throw new UsageException("theta-true file " + file + ": entry " + (j + 1) + " is not a number: '" + parts[j] + "'");
      }
      if (!Double.isFinite(theta[j])) {
        throw new UsageException("theta-true file " + file + ": entry " + (j + 1) + " is not finite");
      }
    }
    return theta;
  }
}
