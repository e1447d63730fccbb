package org.adpo.ml;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adpo.config.SelectionSettings;
import org.adpo.config.SettingsLoader;
import org.adpo.select.Algorithm;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

/**
 * The Params of {@link AdpoSelection} and {@link AdpoSelectionModel}: every setting of a selection, declared
 * once in {@link #SETTINGS} with its type, default, doc, validator, HOCON key in {@code reference.conf} and
 * option of {@code bin/adpo select}. Names follow MLlib where it has one ({@code regParam} is the L2
 * penalty lambda, {@code maxIter}/{@code tol} the theta fit's limits, {@code checkpointInterval},
 * {@code featuresCol} = phi, {@code offsetCol} = b as in GLR, {@code labelCol} = s). The word "budget" has
 * three meanings in the project; here the selection size is {@code selectionSize} and the online picks per
 * batch {@code batchSize} (the online rounds' total label budget, {@code adpo.online.budget}, is not a
 * setting of one selection).
 *
 * <p>A validator throws the same {@link org.adpo.error.UsageException} with the same message as the
 * command line (it calls the check of {@link SelectionSettings}), instead of Spark's generic "given invalid
 * value". Checks that involve several settings (candidates with epsilon, the online algorithms'
 * restrictions) run in {@code fit}, through the same {@link SelectionSettings#validate()}.
 *
 * <p>Param types are numbers and strings only, which Spark Connect's ML command can carry.
 */
public interface AdpoSelectionParams extends Params {

  /**
   * One setting: the Param's name, its type (String, Integer, Long or Double), its default, the key in
   * {@code reference.conf}, the {@code bin/adpo select} option (null when the command has none) and the doc
   * (the {@code --help} text of the option, and the first sentence of the key's comment in reference.conf).
   */
  record Setting(String name, Class<?> type, Object defaultValue, String configKey, String cliOption, String doc,
      Check check) {}

  /** A validator of one value; throws {@link org.adpo.error.UsageException} with the CLI's message. */
  @FunctionalInterface
  interface Check extends Serializable {
    void check(Object value);
  }

  /** Every setting, once. Checked against reference.conf and {@code select --help} by SettingsAgreementTest. */
  List<Setting> SETTINGS = List.of(
      new Setting("algorithm", String.class, "adpo-plus", "adpo.select.algorithm", "--algorithm",
          "the selection rule: adpo-plus, adpo-warm, dopt, apo, uniform, adpo (online) or pmc (online)",
          v -> Algorithm.parse((String) v)),
      new Setting("selectionSize", Long.class, 100L, "adpo.select.budget", "--budget",
          "number of pairs to pick, >= 1 and at most the pool size (a larger budget is refused)",
          v -> SelectionSettings.checkBudget((Long) v)),
      new Setting("beta", Double.class, 1.0, "adpo.select.beta", "--beta",
          "DPO temperature, > 0: logit = beta (phi . theta - b)",
          v -> SelectionSettings.checkPositive("beta", (Double) v)),
      new Setting("gamma", Double.class, 1.0, "adpo.select.gamma", "--gamma",
          "initial design H_0 = gamma I, > 0",
          v -> SelectionSettings.checkPositive("gamma", (Double) v)),
      new Setting("regParam", Double.class, 1.0, "adpo.select.lambda", "--lambda",
          "L2 penalty lambda of the theta fit, > 0: minimise the DPO loss + lambda/2 |theta|^2",
          v -> SelectionSettings.checkPositive("lambda", (Double) v)),
      new Setting("alpha", Double.class, 0.0, "adpo.select.alpha", "--alpha",
          "UCB optimism of the Fisher weights, >= 0 (0 = plain mu(1 - mu); the paper uses 3)",
          v -> SelectionSettings.checkAlpha((Double) v)),
      new Setting("seed", Long.class, 1L, "adpo.select.seed", "--seed",
          "seed of every random choice (uniform picks, candidate subsets, bernoulli labels)",
          v -> { }),
      new Setting("numCandidates", Integer.class, 0, "adpo.select.candidates", "--candidates",
          "0 = exact argmax over the whole pool; K > 0 = score only K random unpicked candidates per pick"
              + " (the paper's approximation)",
          v -> SelectionSettings.checkCandidates((Integer) v)),
      new Setting("epsilon", Double.class, 0.0, "adpo.select.epsilon", "--epsilon",
          "stochastic greedy when > 0: each pick scores (N/n) ln(1/epsilon) random unpicked candidates"
              + " (approximate; 0 = off; give either candidates or epsilon)",
          v -> SelectionSettings.checkEpsilon((Double) v)),
      new Setting("strategy", String.class, "lazy", "adpo.select.strategy", "--strategy",
          "exact strategy: lazy (stored scores downdated per pick, several certified picks per Spark job)"
              + " or naive (rescore every candidate, one job per pick)",
          v -> SelectionSettings.checkStrategy((String) v)),
      new Setting("topK", Integer.class, 16, "adpo.select.top-k", "--top-k",
          "candidates each partition returns per round at the start, >= 1 (adapted per round)",
          v -> SelectionSettings.checkTopK((Integer) v)),
      new Setting("refreshInterval", Integer.class, 0, "adpo.select.refresh-every", "--refresh-every",
          "recompute every stored score exactly every this many rounds, >= 0 (0 = only when the stored scores"
              + " drift above the exact ones by more than refresh-tolerance)",
          v -> SelectionSettings.checkRefreshEvery((Integer) v)),
      new Setting("refreshTol", Double.class, 1e-2, "adpo.select.refresh-tolerance", null,
          "relative drift of the stored scores above the exact ones that triggers an exact refresh, > 0",
          v -> SelectionSettings.checkRefreshTolerance((Double) v)),
      new Setting("checkpointInterval", Integer.class, 16, "adpo.select.checkpoint-every", "--checkpoint-every",
          "cut the score state's lineage every this many rounds, >= 1 (a reliable checkpoint with a checkpoint"
              + " directory, a local one otherwise)",
          v -> SelectionSettings.checkCheckpointEvery((Integer) v)),
      new Setting("numPartitions", Integer.class, 0, "adpo.select.partitions", "--partitions",
          "Spark partitions of the pool, >= 0 (0 = the input's partition count rounded up to a multiple of"
              + " Spark's default parallelism)",
          v -> SelectionSettings.checkPartitions((Integer) v)),
      new Setting("oracle", String.class, "logged", "adpo.select.oracle", "--oracle",
          "adpo/pmc: where labels come from: logged (the pool's s of each pick) or bernoulli"
              + " (s ~ Bernoulli(mu(beta (phi . theta_true - b))), seeded by seed and row)",
          v -> SelectionSettings.checkOracle((String) v)),
      new Setting("thetaTruePath", String.class, "", "adpo.select.theta-true", "--theta-true",
          "bernoulli only: file holding theta_true as a JSON array or one number per line"
              + " (none = fit theta_true on all labels of the pool)",
          v -> { }),
      new Setting("refitSchedule", String.class, "doubling", "adpo.select.schedule", "--schedule",
          "adpo/pmc: when theta is refitted on the labels revealed so far: doubling (before picks 2, 4, 8, ...),"
              + " every:K (after every K picks) or batch (after every batch)",
          v -> SelectionSettings.checkSchedule((String) v)),
      new Setting("batchSize", Integer.class, 1, "adpo.select.batch", "--batch",
          "adpo/pmc: picks per batch, >= 1; theta stays fixed within a batch and the batch's labels are"
              + " revealed at its end",
          v -> SelectionSettings.checkBatch((Integer) v)),
      new Setting("maxIter", Integer.class, 500, "adpo.fit.max-iterations", null,
          "iteration limit of the L-BFGS theta fit, >= 1",
          v -> SelectionSettings.checkFitMaxIterations((Integer) v)),
      new Setting("tol", Double.class, 1e-9, "adpo.fit.tolerance", null,
          "the theta fit stops when |gradient|_2 <= tolerance * max(1, |loss|), > 0",
          v -> SelectionSettings.checkPositive("fit.tolerance", (Double) v)),
      column("idCol", "id", "id column: integer or string, unique"),
      column("featuresCol", "phi", "phi column: array of numbers, ML Vector, or (CSV) a string such as"
          + " \"[0.1, -0.2]\" or \"0.1;-0.2\""),
      column("features1Col", "phi1", "phi1 column: with phi2, phi = phi1 - phi2 when the pool has no phi column"),
      column("features2Col", "phi2", "phi2 column: see phi1"),
      column("offsetCol", "b", "b column: the offset in logit = beta (phi . theta - b); optional, default 0"),
      column("labelCol", "s", "s column: the 0/1 preference label (adpo-plus; adpo/pmc unless bernoulli with"
          + " theta-true)"),
      column("weightCol", "weight", "weight column: optional row weight of dopt (v = sqrt(weight) phi)"));

  private static Setting column(String name, String role, String doc) {
    return new Setting(name, String.class, role, "adpo.input.columns." + role, "--column " + role, doc,
        v -> SelectionSettings.checkColumn(role, (String) v));
  }

  /** The Param of the setting called {@code name} (one instance per stage, made by {@link #declare}). */
  Param<?> declaredParam(String name);

  /**
   * Makes one Param per setting for {@code owner} and sets its default; the stages call it from their
   * constructors (after their uid is known) and answer {@link #declaredParam} from the returned map.
   */
  static Map<String, Param<?>> declare(Params owner) {
    Map<String, Param<?>> params = new LinkedHashMap<>();
    for (Setting s : SETTINGS) {
      Param<?> p;
      if (s.type() == Integer.class) {
        p = new IntParam(owner.uid(), s.name(), s.doc(), new Validator<>(s.check()));
      } else if (s.type() == Long.class) {
        p = new LongParam(owner.uid(), s.name(), s.doc(), new Validator<>(s.check()));
      } else if (s.type() == Double.class) {
        p = new DoubleParam(owner.uid(), s.name(), s.doc(), new Validator<>(s.check()));
      } else {
        p = new Param<String>(owner.uid(), s.name(), s.doc(), new Validator<String>(s.check()));
      }
      params.put(s.name(), p);
    }
    for (Setting s : SETTINGS) {
      @SuppressWarnings("unchecked")
      Param<Object> p = (Param<Object>) params.get(s.name());
      owner.setDefault(p, s.defaultValue());
    }
    return params;
  }

  /** A Spark validator that runs a {@link Check}: true, or the CLI's UsageException. */
  final class Validator<T> extends AbstractFunction1<T, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Check check;

    Validator(Check check) {
      this.check = check;
    }

    @Override
    public Object apply(T value) {
      if (value == null) {
        throw new org.adpo.error.UsageException("a setting must not be null");
      }
      check.check(value);
      return Boolean.TRUE;
    }
  }

  /**
   * The validated settings these Params describe, read the way the command line reads them: each value
   * becomes an override of its HOCON key over {@code reference.conf}, then {@link SettingsLoader#selection}.
   */
  default SelectionSettings selectionSettings() {
    Map<String, Object> overrides = new LinkedHashMap<>();
    for (Setting s : SETTINGS) {
      overrides.put(s.configKey(), getOrDefault(declaredParam(s.name())));
    }
    return SettingsLoader.selection(SettingsLoader.load(null, overrides));
  }

  // Typed accessors and getters, MLlib style (Spark finds the Params through the public no-argument
  // methods that return a Param).

  default Param<String> algorithm() {
    return stringParam("algorithm");
  }

  default String getAlgorithm() {
    return getOrDefault(algorithm());
  }

  default LongParam selectionSize() {
    return (LongParam) declaredParam("selectionSize");
  }

  default long getSelectionSize() {
    return (Long) getOrDefault(selectionSize());
  }

  default DoubleParam beta() {
    return (DoubleParam) declaredParam("beta");
  }

  default double getBeta() {
    return (Double) getOrDefault(beta());
  }

  default DoubleParam gamma() {
    return (DoubleParam) declaredParam("gamma");
  }

  default double getGamma() {
    return (Double) getOrDefault(gamma());
  }

  default DoubleParam regParam() {
    return (DoubleParam) declaredParam("regParam");
  }

  default double getRegParam() {
    return (Double) getOrDefault(regParam());
  }

  default DoubleParam alpha() {
    return (DoubleParam) declaredParam("alpha");
  }

  default double getAlpha() {
    return (Double) getOrDefault(alpha());
  }

  default LongParam seed() {
    return (LongParam) declaredParam("seed");
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default IntParam numCandidates() {
    return (IntParam) declaredParam("numCandidates");
  }

  default int getNumCandidates() {
    return (Integer) getOrDefault(numCandidates());
  }

  default DoubleParam epsilon() {
    return (DoubleParam) declaredParam("epsilon");
  }

  default double getEpsilon() {
    return (Double) getOrDefault(epsilon());
  }

  default Param<String> strategy() {
    return stringParam("strategy");
  }

  default String getStrategy() {
    return getOrDefault(strategy());
  }

  default IntParam topK() {
    return (IntParam) declaredParam("topK");
  }

  default int getTopK() {
    return (Integer) getOrDefault(topK());
  }

  default IntParam refreshInterval() {
    return (IntParam) declaredParam("refreshInterval");
  }

  default int getRefreshInterval() {
    return (Integer) getOrDefault(refreshInterval());
  }

  default DoubleParam refreshTol() {
    return (DoubleParam) declaredParam("refreshTol");
  }

  default double getRefreshTol() {
    return (Double) getOrDefault(refreshTol());
  }

  default IntParam checkpointInterval() {
    return (IntParam) declaredParam("checkpointInterval");
  }

  default int getCheckpointInterval() {
    return (Integer) getOrDefault(checkpointInterval());
  }

  default IntParam numPartitions() {
    return (IntParam) declaredParam("numPartitions");
  }

  default int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions());
  }

  default Param<String> oracle() {
    return stringParam("oracle");
  }

  default String getOracle() {
    return getOrDefault(oracle());
  }

  default Param<String> thetaTruePath() {
    return stringParam("thetaTruePath");
  }

  default String getThetaTruePath() {
    return getOrDefault(thetaTruePath());
  }

  default Param<String> refitSchedule() {
    return stringParam("refitSchedule");
  }

  default String getRefitSchedule() {
    return getOrDefault(refitSchedule());
  }

  default IntParam batchSize() {
    return (IntParam) declaredParam("batchSize");
  }

  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  default IntParam maxIter() {
    return (IntParam) declaredParam("maxIter");
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  default DoubleParam tol() {
    return (DoubleParam) declaredParam("tol");
  }

  default double getTol() {
    return (Double) getOrDefault(tol());
  }

  default Param<String> idCol() {
    return stringParam("idCol");
  }

  default String getIdCol() {
    return getOrDefault(idCol());
  }

  default Param<String> featuresCol() {
    return stringParam("featuresCol");
  }

  default String getFeaturesCol() {
    return getOrDefault(featuresCol());
  }

  default Param<String> features1Col() {
    return stringParam("features1Col");
  }

  default String getFeatures1Col() {
    return getOrDefault(features1Col());
  }

  default Param<String> features2Col() {
    return stringParam("features2Col");
  }

  default String getFeatures2Col() {
    return getOrDefault(features2Col());
  }

  default Param<String> offsetCol() {
    return stringParam("offsetCol");
  }

  default String getOffsetCol() {
    return getOrDefault(offsetCol());
  }

  default Param<String> labelCol() {
    return stringParam("labelCol");
  }

  default String getLabelCol() {
    return getOrDefault(labelCol());
  }

  default Param<String> weightCol() {
    return stringParam("weightCol");
  }

  default String getWeightCol() {
    return getOrDefault(weightCol());
  }

  @SuppressWarnings("unchecked")
  private Param<String> stringParam(String name) {
    return (Param<String>) declaredParam(name);
  }
}
