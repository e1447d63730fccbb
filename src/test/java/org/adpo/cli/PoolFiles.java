package org.adpo.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.adpo.testing.Pools;

/** Writes a random pool as JSON Lines and CSV text files, the way users produce them. */
final class PoolFiles {
  private PoolFiles() {}

  static String vector(double[] v, String sep) {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < v.length; j++) {
      if (j > 0) {
        sb.append(sep);
      }
      sb.append(String.format(Locale.ROOT, "%.17g", v[j]));
    }
    return sb.toString();
  }

  static void jsonl(Pools p, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < p.size(); i++) {
      lines.add(String.format(Locale.ROOT,
          "{\"id\":%d,\"phi\":[%s],\"b\":%.17g,\"s\":%d,\"weight\":%.17g,\"comment\":\"pair %d, \\\"quoted\\\"\"}",
          p.ids[i], vector(p.phi[i], ","), p.b[i], p.s[i], p.weight[i], i));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  static void csv(Pools p, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("id,phi,b,s,weight,comment");
    for (int i = 0; i < p.size(); i++) {
      lines.add(String.format(Locale.ROOT, "%d,%s,%.17g,%d,%.17g,pair %d",
          p.ids[i], vector(p.phi[i], ";"), p.b[i], p.s[i], p.weight[i], i));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /** String ids and phi given as the pair phi1, phi2 (phi = phi1 - phi2, with phi2 random). */
  static void pairsJsonl(Pools p, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < p.size(); i++) {
      double[] phi2 = new double[p.phi[i].length];
      double[] phi1 = new double[phi2.length];
      for (int j = 0; j < phi2.length; j++) {
        phi2[j] = 0.25 * ((i * 31 + j * 7) % 11) / 11.0;
        phi1[j] = p.phi[i][j] + phi2[j];
      }
      lines.add(String.format(Locale.ROOT, "{\"pair\":\"p-%05d\",\"phi1\":[%s],\"phi2\":[%s],\"s\":%d}",
          p.ids[i], vector(phi1, ","), vector(phi2, ","), p.s[i]));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
