package org.adpo.config;

import static org.adpo.config.Setting.Scope.ONLINE_RUN;
import static org.adpo.config.Setting.Scope.RUN;
import static org.adpo.config.Setting.Scope.STATE;

import java.util.List;
import org.adpo.select.Algorithm;

/**
 * Every setting of one selection, declared once, in the order report.json and config.json list them. The
 * Spark ML Params ({@code org.adpo.ml.AdpoSelectionParams.SETTINGS}) are this table; {@link SettingsLoader}
 * reads it from the configuration, {@link SelectionSettings.Builder} starts from its defaults, {@link
 * SelectionSettings#describe()} and the online config.json are written from it. SettingsAgreementTest checks
 * it against reference.conf, {@code select --help} and the select command's options.
 */
public final class SettingTable {
  private SettingTable() {}

  /** Every setting, once. */
  public static final List<Setting> ALL = List.of(
      Setting.of("algorithm", String.class, "adpo-safe", "adpo.select.algorithm", "--algorithm A",
          "the selection rule: adpo-safe, adpo-plus, adpo-warm, dopt, apo, uniform, adpo (online) or pmc (online)",
          v -> Algorithm.parse((String) v), STATE,
          s -> s.algorithm().cliName(), (b, v) -> b.algorithm(Algorithm.parse(v))),
      Setting.of("selectionSize", Long.class, 100L, "adpo.select.budget", "--budget N",
          "number of pairs to pick, >= 1 and at most the pool size (a larger budget is refused)",
          v -> SelectionSettings.checkBudget((Long) v), RUN,
          SelectionSettings::budget, SelectionSettings.Builder::budget),
      Setting.of("beta", Double.class, 1.0, "adpo.select.beta", "--beta B",
          "DPO temperature, > 0: logit = beta (phi . theta - b)",
          v -> SelectionSettings.checkPositive("beta", (Double) v), STATE,
          SelectionSettings::beta, SelectionSettings.Builder::beta),
      Setting.of("gamma", Double.class, 1.0, "adpo.select.gamma", "--gamma G",
          "initial design H_0 = gamma I, > 0",
          v -> SelectionSettings.checkPositive("gamma", (Double) v), STATE,
          SelectionSettings::gamma, SelectionSettings.Builder::gamma),
      Setting.of("regParam", Double.class, 1.0, "adpo.select.lambda", "--lambda L",
          "L2 penalty lambda of the theta fit, > 0: minimise the DPO loss + lambda/2 |theta|^2",
          v -> SelectionSettings.checkPositive("lambda", (Double) v), STATE,
          SelectionSettings::lambda, SelectionSettings.Builder::lambda),
      Setting.of("alpha", Double.class, 0.0, "adpo.select.alpha", "--alpha A",
          "UCB optimism of the Fisher weights, >= 0 (0 = plain mu(1 - mu); the paper uses 3; adpo-warm takes alpha"
              + " sqrt(N / n) for N labels and budget n; adpo-safe fixes it at 2 sqrt(N / n), past 8d picks times"
              + " sqrt(8d / n) but at least 2, and takes none)",
          v -> SelectionSettings.checkAlpha((Double) v), STATE,
          SelectionSettings::alpha, SelectionSettings.Builder::alpha),
      Setting.of("seed", Long.class, 1L, "adpo.select.seed", "--seed S",
          "seed of every random choice (uniform picks, candidate subsets, bernoulli labels)",
          v -> { }, STATE,
          SelectionSettings::seed, SelectionSettings.Builder::seed),
      Setting.of("numCandidates", Integer.class, 0, "adpo.select.candidates", "--candidates K",
          "0 = exact argmax over the whole pool; K > 0 = score only K random unpicked candidates per pick"
              + " (the paper's approximation)",
          v -> SelectionSettings.checkCandidates((Integer) v), RUN,
          SelectionSettings::candidates, SelectionSettings.Builder::candidates),
      Setting.of("epsilon", Double.class, 0.0, "adpo.select.epsilon", "--epsilon E",
          "stochastic greedy when > 0: each pick scores (N/n) ln(1/epsilon) random unpicked candidates"
              + " (approximate; 0 = off; give either candidates or epsilon)",
          v -> SelectionSettings.checkEpsilon((Double) v), RUN,
          SelectionSettings::epsilon, SelectionSettings.Builder::epsilon),
      Setting.of("strategy", String.class, "lazy", "adpo.select.strategy", "--strategy S",
          "exact strategy: lazy (stored scores downdated per pick, several certified picks per Spark job)"
              + " or naive (rescore every candidate, one job per pick)",
          v -> SelectionSettings.checkStrategy((String) v), STATE,
          SelectionSettings::strategy, SelectionSettings.Builder::strategy),
      Setting.of("topK", Integer.class, 16, "adpo.select.top-k", "--top-k K",
          "candidates each partition returns per round at the start, >= 1 (adapted per round)",
          v -> SelectionSettings.checkTopK((Integer) v), STATE,
          SelectionSettings::topK, SelectionSettings.Builder::topK),
      Setting.of("refreshInterval", Integer.class, 0, "adpo.select.refresh-every", "--refresh-every R",
          "recompute every stored score exactly every this many rounds, >= 0 (0 = only when the stored scores"
              + " drift above the exact ones by more than refresh-tolerance)",
          v -> SelectionSettings.checkRefreshEvery((Integer) v), STATE,
          SelectionSettings::refreshEvery, SelectionSettings.Builder::refreshEvery),
      Setting.of("refreshTol", Double.class, 1e-2, "adpo.select.refresh-tolerance", "--refresh-tolerance T",
          "relative drift of the stored scores above the exact ones that triggers an exact refresh, > 0",
          v -> SelectionSettings.checkRefreshTolerance((Double) v), STATE,
          SelectionSettings::refreshTolerance, SelectionSettings.Builder::refreshTolerance),
      Setting.of("checkpointInterval", Integer.class, 16, "adpo.select.checkpoint-every", "--checkpoint-every R",
          "cut the score state's lineage every this many rounds, >= 1 (a reliable checkpoint with a checkpoint"
              + " directory, a local one otherwise)",
          v -> SelectionSettings.checkCheckpointEvery((Integer) v), STATE,
          SelectionSettings::checkpointEvery, SelectionSettings.Builder::checkpointEvery),
      Setting.of("numPartitions", Integer.class, 0, "adpo.select.partitions", "--partitions P",
          "Spark partitions of the pool, >= 0 (0 = the input's partition count rounded up to a multiple of"
              + " Spark's default parallelism)",
          v -> SelectionSettings.checkPartitions((Integer) v), STATE,
          SelectionSettings::partitions, SelectionSettings.Builder::partitions),
      Setting.of("maxIter", Integer.class, 500, "adpo.fit.max-iterations", null,
          "iteration limit of the L-BFGS theta fit, >= 1",
          v -> SelectionSettings.checkFitMaxIterations((Integer) v), STATE,
          SelectionSettings::fitMaxIterations, SelectionSettings.Builder::fitMaxIterations),
      Setting.of("tol", Double.class, 1e-9, "adpo.fit.tolerance", null,
          "the theta fit stops when |gradient|_2 <= tolerance * max(1, |loss|), > 0",
          v -> SelectionSettings.checkPositive("fit.tolerance", (Double) v), STATE,
          SelectionSettings::fitTolerance, SelectionSettings.Builder::fitTolerance),
      column("idCol", "id", "id column: integer or string, unique"),
      column("featuresCol", "phi", "phi column: array of numbers, ML Vector, or (CSV) a string such as"
          + " \"[0.1, -0.2]\" or \"0.1;-0.2\""),
      column("features1Col", "phi1", "phi1 column: with phi2, phi = phi1 - phi2 when the pool has no phi column"),
      column("features2Col", "phi2", "phi2 column: see phi1"),
      column("offsetCol", "b", "b column: the offset in logit = beta (phi . theta - b); optional, default 0"),
      column("labelCol", "s", "s column: the 0/1 preference label (adpo-plus; adpo/pmc unless bernoulli with"
          + " theta-true)"),
      column("weightCol", "weight", "weight column: optional row weight of dopt (v = sqrt(weight) phi)"),
      Setting.of("oracle", String.class, "logged", "adpo.select.oracle", "--oracle O",
          "adpo/pmc: where labels come from: logged (the pool's s of each pick) or bernoulli"
              + " (s ~ Bernoulli(mu(beta (phi . theta_true - b))), seeded by seed and row)",
          v -> SelectionSettings.checkOracle((String) v), ONLINE_RUN,
          SelectionSettings::oracle, SelectionSettings.Builder::oracle),
      // report.json shows no theta_true file as null.
      Setting.of("thetaTruePath", String.class, "", "adpo.select.theta-true", "--theta-true FILE",
          "bernoulli only: file holding theta_true as a JSON array or one number per line"
              + " (none = fit theta_true on all labels of the pool)",
          v -> { }, ONLINE_RUN,
          s -> s.thetaTrue().isEmpty() ? null : s.thetaTrue(), SelectionSettings.Builder::thetaTrue),
      Setting.of("refitSchedule", String.class, "doubling", "adpo.select.schedule", "--schedule S",
          "adpo/pmc: when theta is refitted on the labels revealed so far: doubling (before picks 2, 4, 8, ...),"
              + " every:K (after every K picks) or batch (after every batch)",
          v -> SelectionSettings.checkSchedule((String) v), ONLINE_RUN,
          SelectionSettings::schedule, SelectionSettings.Builder::schedule),
      Setting.of("batchSize", Integer.class, 1, "adpo.select.batch", "--batch B",
          "adpo/pmc: picks per batch, >= 1; theta stays fixed within a batch and the batch's labels are"
              + " revealed at its end",
          v -> SelectionSettings.checkBatch((Integer) v), ONLINE_RUN,
          SelectionSettings::batch, SelectionSettings.Builder::batch));

  private static Setting column(String name, String role, String doc) {
    return Setting.of(name, String.class, role, Setting.COLUMNS + role, "--column " + role, doc,
        v -> SelectionSettings.checkColumn(role, (String) v), STATE,
        s -> s.column(role), (b, v) -> b.column(role, v));
  }

  /** The setting whose HOCON key is {@code configKey}. */
  public static Setting byKey(String configKey) {
    for (Setting s : ALL) {
      if (s.configKey().equals(configKey)) {
        return s;
      }
    }
    throw new java.util.NoSuchElementException("no setting with key " + configKey);
  }
}
