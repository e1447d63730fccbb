package org.adpo.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.adpo.error.UsageException;
import org.adpo.io.ReportJson;
import org.adpo.io.SelectionReport;

/**
 * The picks of one round ({@code rounds/round-K.json}), immutable once the manifest names it: for
 * each pick its id, tie-break order, rank, gain, weight and the exact scale (v = scale phi, as a hex
 * float) that rebuilds H^-1 bit for bit when replayed in pick order; and the theta the round was
 * picked with (hex floats), its norm, log det H after the round, and the refit's diagnostics (the keys of
 * report.json's {@code fit}, without a trace; null before any label).
 */
record RoundFile(int round, List<Entry> picks, double[] theta, double logDet, SelectionReport.Fit fit) {

  /** One pick. {@code id} is a Long (integer ids) or a String. */
  public record Entry(Object id, long ord, long rank, double gain, double weight, double scale) {}

  public double thetaNorm() {
    double s = 0;
    for (double t : theta) {
      s += t * t;
    }
    return Math.sqrt(s);
  }

  byte[] toJson() {
    ObjectNode o = OnlineConfig.JSON.createObjectNode();
    o.put("round", round);
    ArrayNode a = o.putArray("picks");
    for (Entry e : picks) {
      ObjectNode n = a.addObject();
      if (e.id() instanceof String) {
        n.put("id", (String) e.id());
      } else {
        n.put("id", ((Number) e.id()).longValue());
      }
      n.put("ord", e.ord());
      n.put("rank", e.rank());
      n.put("gain", e.gain());
      n.put("weight", e.weight());
      n.put("scale", Double.toHexString(e.scale()));
    }
    ArrayNode t = o.putArray("theta");
    for (double v : theta) {
      t.add(Double.toHexString(v));
    }
    o.put("theta_norm", thetaNorm());
    o.put("log_det", logDet);
    o.set("fit", fit == null ? o.nullNode() : ReportJson.tree(fit));
    try {
      return (OnlineConfig.JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static RoundFile parse(byte[] bytes, String name) {
    try {
      JsonNode o = OnlineConfig.JSON.readTree(bytes);
      List<Entry> picks = new ArrayList<>();
      for (JsonNode n : o.get("picks")) {
        JsonNode id = n.get("id");
        picks.add(new Entry(id.isTextual() ? id.asText() : (Object) id.asLong(), n.get("ord").asLong(),
            n.get("rank").asLong(), n.get("gain").asDouble(), n.get("weight").asDouble(),
            Double.parseDouble(n.get("scale").asText())));
      }
      JsonNode t = o.get("theta");
      double[] theta = new double[t.size()];
      for (int i = 0; i < theta.length; i++) {
        theta[i] = Double.parseDouble(t.get(i).asText());
      }
      SelectionReport.Fit fit = o.get("fit").isNull() ? null : ReportJson.read(o.get("fit"), SelectionReport.Fit.class);
      return new RoundFile(o.get("round").asInt(), picks, theta, o.get("log_det").asDouble(), fit);
    } catch (IOException | RuntimeException e) {
      throw new UsageException("cannot read round file " + name + ": " + e.getMessage(), e);
    }
  }
}
