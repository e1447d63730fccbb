package org.adpo.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.adpo.model.FitResult;
import org.adpo.model.FitTrace;

/**
 * What {@code report.json} of a selection holds, section by section, as {@link ReportJson} writes it: each
 * record component is a key in snake case ({@code logDetFinal} is {@code log_det_final}), in declaration
 * order (every capital starts a word: {@code driverCpuSPerRound} is {@code driver_cpu_s_per_round}). A component marked {@code NON_NULL} is left out when null (a section or statistic the run did not
 * have); the others are written as JSON null. README.md describes the keys.
 *
 * @param algorithm the algorithm's command-line name
 * @param settings the settings of the selection, flat, as {@link org.adpo.config.SelectionSettings#describe()}
 *     lists them (a map: the settings are declared once, in the Params table of {@code org.adpo.ml})
 * @param pool the pool that was read
 * @param fit the theta fit (adpo-plus, adpo-warm) or the last online refit; null when there was none
 * @param online the online learning's labels and refits; absent for the offline algorithms
 * @param selection how the greedy ran and what it reached
 * @param spark where it ran
 * @param timingsS wall time per phase in seconds, in phase order (the command adds write and total)
 * @param warnings what the run noticed, in order
 */
public record SelectionReport(
    String algorithm,
    Map<String, Object> settings,
    Pool pool,
    Fit fit,
    @JsonInclude(JsonInclude.Include.NON_NULL) Online online,
    Selection selection,
    Spark spark,
    Map<String, Double> timingsS,
    List<String> warnings) {

  /** The pool: where it came from, its size and labels, its fingerprint (evaluate checks it). */
  public record Pool(String source, long rows, int dimension, int partitions, long labelsOne, long labelsZero,
      String fingerprint, long cachedCandidateBytes) {}

  /** A theta fit's diagnostics; {@code trace} is absent when the optimiser recorded none. */
  public record Fit(int iterations, int evaluations, double finalLoss, double gradientNorm, boolean converged,
      double thetaNorm, @JsonInclude(JsonInclude.Include.NON_NULL) Trace trace) {

    /** The diagnostics of {@code fit}, with its trace when it has one. */
    public static Fit of(FitResult fit) {
      double norm = 0;
      for (double t : fit.theta()) {
        norm += t * t;
      }
      return new Fit(fit.iterations(), fit.evaluations(), fit.loss(), fit.gradientNorm(), fit.converged(),
          Math.sqrt(norm), fit.trace().isEmpty() ? null : Trace.of(fit.trace()));
    }

    /** The same diagnostics without the trace (the tables of report.html). */
    public Fit withoutTrace() {
      return new Fit(iterations, evaluations, finalLoss, gradientNorm, converged, thetaNorm, null);
    }
  }

  /** The path of an optimiser: one entry per point (the start, then every accepted step). */
  public record Trace(List<Double> loss, List<Double> gradientNorm, List<Integer> evaluations) {
    public static Trace of(FitTrace t) {
      return new Trace(Arrays.stream(t.loss()).boxed().toList(), Arrays.stream(t.gradientNorm()).boxed().toList(),
          Arrays.stream(t.evaluations()).boxed().toList());
    }
  }

  /** The online algorithms' oracle, reveals and refits. */
  public record Online(String oracle, String schedule, int batch, long reveals, long revealedOnes,
      long revealedZeros, int refitCount, List<Refit> refits) {}

  /** One online refit of theta. */
  public record Refit(int beforePick, int labels, int iterations, boolean converged, double gradientNorm) {}

  /**
   * How the greedy ran. The statistics marked {@code NON_NULL} exist only for some strategies: the gather
   * sizes and driver costs for the exact certified greedy, the subset size for the candidate modes, the
   * warm phase for adpo-warm.
   */
  public record Selection(int picks, int rounds, String strategy, String kernel,
      @JsonInclude(JsonInclude.Include.NON_NULL) String roundsOn, int refreshes, int checkpoints,
      int regathers, int maxTopK,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxGather,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double driverBytesPerRound,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double driverCpuSPerRound,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double driverCertifyS,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double roundsSetupS,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double roundWorkS,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double gatheredRowsPerRound,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long candidatesPerPick,
      double picksPerRound, double logDetInitial, double logDetFinal, String logDetDesign, double sumOfGains,
      @JsonInclude(JsonInclude.Include.NON_NULL) Progress progress,
      @JsonInclude(JsonInclude.Include.NON_NULL) WarmStart warmStart) {}

  /**
   * The progress record of a CLI selection (absent without one): records written, the time they took,
   * the picks the last one holds, and the pick an interrupted run was resumed from (0: from the start).
   */
  public record Progress(int writes, double writeS, long picksRecorded, long resumedFromPick) {}

  /** The greedy loop's own statistics (DistributedGreedy), before the job adds the totals. */
  public record GreedyStats(String strategy, String kernel, String roundsOn, int rounds, int refreshes, int checkpoints,
      int regathers, int maxTopK, Integer maxGather, Double driverBytesPerRound, Double driverCpuSPerRound,
      Double driverCertifyS, Double roundsSetupS, Double roundWorkS, Double gatheredRowsPerRound,
      Long candidatesPerPick) {}

  /** adpo-warm's warm phase. */
  public record WarmStart(long warmPicks, int warmRounds, String rule) {}

  /** The Spark version, master URL and the number of Spark jobs the run started. */
  public record Spark(String version, String master, int jobs) {}
}
