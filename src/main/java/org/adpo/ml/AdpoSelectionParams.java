package org.adpo.ml;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adpo.config.SelectionSettings;
import org.adpo.config.SettingsLoader;
import org.adpo.config.Setting;
import org.adpo.config.SettingTable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

/**
 * The Params of {@link AdpoSelection} and {@link AdpoSelectionModel}: every setting of a selection, declared
 * once in {@link #SETTINGS} (the settings table of {@code config}) with its type, default, doc, validator, HOCON key in {@code reference.conf} and
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
   * Every setting, once: the table of {@code config} ({@link SettingTable#ALL}), which also gives the command
   * line, report.json and config.json their settings. Checked against reference.conf and {@code select --help}
   * by SettingsAgreementTest.
   */
  List<Setting> SETTINGS = SettingTable.ALL;

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

  /** A Spark validator that runs a {@link Setting.Check}: true, or the CLI's UsageException. */
  final class Validator<T> extends AbstractFunction1<T, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Setting.Check check;

    Validator(Setting.Check check) {
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
