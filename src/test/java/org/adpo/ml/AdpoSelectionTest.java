package org.adpo.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.adpo.api.AdpoSelector;
import org.adpo.config.SettingsLoader;
import org.adpo.error.UsageException;
import org.adpo.select.Pick;
import org.adpo.spark.SelectionResult;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML stages on real sessions: in a Pipeline after a built-in stage, their picks against
 * {@link AdpoSelector}'s, persistence of both stages and of the PipelineModel, copy with extra params,
 * explainParams and the validators' messages against the command line's. Pools of at most 80 rows.
 */
@ExtendWith(SparkSessionExtension.class)
class AdpoSelectionTest {
  /** The SQL stage of the Pipeline here and in notebooks/select_with_spark_ml.scala. */
  static final String BUCKET = "SELECT *, id % 7 AS bucket FROM __THIS__";

  private static Dataset<Row> pool(SparkSession spark) {
    return Pools.random(80, 5, 4, 11).frame(spark);
  }

  /** id, rank, gain, weight of each pick, as text (exact: doubles in full). */
  private static List<String> picks(List<Pick> picks) {
    List<String> out = new ArrayList<>();
    for (Pick p : picks) {
      out.add(p.id() + " " + p.rank() + " " + p.gain() + " " + p.weight());
    }
    return out;
  }

  private static List<String> picks(Dataset<Row> frame) {
    List<String> out = new ArrayList<>();
    for (Row r : frame.select("id", "rank", "gain", "weight").orderBy("rank").collectAsList()) {
      out.add(r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3));
    }
    return out;
  }

  private static List<String> rows(Dataset<Row> frame) {
    List<String> out = new ArrayList<>();
    for (Row r : frame.collectAsList()) {
      out.add(r.toString());
    }
    return out;
  }

  @Test
  void pipelineWithSqlTransformerPicksWhatAdpoSelectorPicks(SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> pool = pool(spark);
    SQLTransformer bucket = new SQLTransformer().setStatement(BUCKET);
    AdpoSelection selection = new AdpoSelection().setAlgorithm("adpo-plus").setSelectionSize(12).setAlpha(3.0)
        .setRegParam(0.5).setTopK(2);
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {bucket, selection}).fit(pool);
    Dataset<Row> selected = fitted.transform(pool);

    SelectionResult cli = new AdpoSelector().setAlgorithm("adpo-plus").setBudget(12).setAlpha(3.0).setLambda(0.5)
        .setTopK(2).run(pool);
    AdpoSelectionModel model = (AdpoSelectionModel) fitted.stages()[1];
    assertEquals(cli.picks().size(), model.numPicks());
    assertEquals(picks(cli.picks()), picks(selected), "the estimator's picks are AdpoSelector's");
    assertEquals(picks(cli.picks()), picks(model.picks()));
    assertArrayEquals(cli.fit().theta(), model.theta().toArray(), "theta of the fit on all labels");
    assertEquals(model.summary().logDetFinal(),
        cli.report().selection().logDetFinal());
    assertEquals("adpo-plus", model.summary().algorithm());

    // The selection's columns: the pool's (weight replaced by the selection's), the SQL stage's, rank, gain.
    List<String> expected = new ArrayList<>(List.of(pool.columns()));
    expected.remove("weight");
    expected.addAll(List.of("bucket", "rank", "gain", "weight"));
    assertEquals(expected, List.of(selected.columns()));
    assertEquals(selection.transformSchema(bucket.transformSchema(pool.schema())).fieldNames().length,
        selected.schema().fieldNames().length);
    // The same rows as AdpoSelector's selection, with the SQL stage's column.
    assertEquals(rows(cli.selection()), rows(selected.drop("bucket")));
    for (Row r : selected.select("id", "bucket").collectAsList()) {
      assertEquals(r.getLong(0) % 7, r.getLong(1));
    }

    // Persistence of the PipelineModel: the reloaded one selects the same rows.
    String path = dir.resolve("pipeline").toString();
    fitted.write().save(path);
    PipelineModel reloaded = PipelineModel.load(path);
    assertEquals(rows(selected), rows(reloaded.transform(pool)));
    AdpoSelectionModel reloadedModel = (AdpoSelectionModel) reloaded.stages()[1];
    assertEquals(model.uid(), reloadedModel.uid());
    assertEquals(12L, reloadedModel.getSelectionSize());
    assertEquals(3.0, reloadedModel.getAlpha());
  }

  @Test
  void bothStagesSaveAndLoad(SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> pool = pool(spark);
    AdpoSelection selection = new AdpoSelection().setAlgorithm("dopt").setSelectionSize(9).setGamma(0.5)
        .setStrategy("naive").setSeed(7);
    String estimatorPath = dir.resolve("estimator").toString();
    selection.save(estimatorPath);
    AdpoSelection loaded = AdpoSelection.load(estimatorPath);
    assertEquals(selection.uid(), loaded.uid());
    assertEquals(selection.explainParams(), loaded.explainParams());
    assertEquals(selection.selectionSettings(), loaded.selectionSettings());

    AdpoSelectionModel model = loaded.fit(pool);
    assertEquals(0, model.theta().size(), "dopt fits no theta");
    String modelPath = dir.resolve("model").toString();
    model.write().save(modelPath);
    AdpoSelectionModel back = AdpoSelectionModel.load(modelPath);
    assertEquals(model.uid(), back.uid());
    assertEquals(picks(model.picks()), picks(back.picks()), "a saved model reloads with its picks");
    assertEquals(model.summary().json(), back.summary().json());
    assertEquals(rows(model.transform(pool)), rows(back.transform(pool)));
    assertEquals(9, back.transform(pool).count());
    assertEquals("naive", back.getStrategy());
    // Saving over an existing path is refused unless overwrite() is asked for.
    assertThrows(java.io.IOException.class, () -> back.write().save(modelPath));
    back.write().overwrite().save(modelPath);
  }

  /** String ids: picks, transform and persistence keep them as strings (ties go by code-point order). */
  @Test
  void stringIdsSurviveFitTransformAndPersistence(SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> pool = Pools.random(30, 3, 3, 9).frame(spark).selectExpr("concat('p', CAST(id AS STRING)) AS id",
        "phi", "b", "s");
    AdpoSelectionModel model = new AdpoSelection().setAlgorithm("apo").setSelectionSize(5).fit(pool);
    SelectionResult cli = new AdpoSelector().setAlgorithm("apo").setBudget(5).run(pool);
    assertEquals(picks(cli.picks()), picks(model.picks()));
    assertEquals(rows(cli.selection()), rows(model.transform(pool)));
    String path = dir.resolve("model").toString();
    model.save(path);
    AdpoSelectionModel back = AdpoSelectionModel.load(path);
    assertEquals(rows(cli.selection()), rows(back.transform(pool)));
    assertEquals("string", back.picks().schema().apply("id").dataType().typeName());
  }

  @Test
  void onlineSelectionAddsTheRevealedLabel(SparkSession spark) {
    Dataset<Row> pool = Pools.random(24, 3, 2, 5).frame(spark);
    AdpoSelectionModel model = new AdpoSelection().setAlgorithm("adpo").setSelectionSize(4).setBatchSize(2)
        .setRefitSchedule("batch").fit(pool);
    SelectionResult cli = new AdpoSelector().setAlgorithm("adpo").setBudget(4).setBatch(2).setSchedule("batch")
        .run(pool);
    Dataset<Row> selected = model.transform(pool);
    assertEquals(rows(cli.selection()), rows(selected));
    assertEquals("label", selected.columns()[selected.columns().length - 1]);
    assertEquals(cli.fit().theta().length, model.theta().size());
  }

  @Test
  void copyWithExtraParams(SparkSession spark) {
    AdpoSelection selection = new AdpoSelection().setSelectionSize(20).setBeta(2.0);
    ParamMap extra = new ParamMap().put(selection.selectionSize(), 5L).put(selection.algorithm(), "uniform");
    AdpoSelection copy = selection.copy(extra);
    assertNotSame(selection, copy);
    assertEquals(selection.uid(), copy.uid());
    assertEquals(5L, copy.getSelectionSize());
    assertEquals("uniform", copy.getAlgorithm());
    assertEquals(2.0, copy.getBeta(), "values not in the extra map are copied");
    assertEquals(20L, selection.getSelectionSize(), "the original is unchanged");
    assertEquals("adpo-safe", selection.getAlgorithm(), "the default");

    AdpoSelectionModel model = copy.fit(pool(spark));
    assertEquals(5, model.numPicks());
    assertTrue(model.hasParent());
    AdpoSelectionModel modelCopy = model.copy(new ParamMap().put(model.idCol(), "id"));
    assertEquals(picks(model.picks()), picks(modelCopy.picks()));
    assertEquals(model.parent(), modelCopy.parent());
    // fit with a ParamMap (Estimator.fit(dataset, paramMap) copies, then fits)
    AdpoSelectionModel three = copy.fit(pool(spark), new ParamMap().put(copy.selectionSize(), 3L));
    assertEquals(3, three.numPicks());
  }

  @Test
  void explainParamsListsEverySettingWithDocAndDefault() {
    AdpoSelection selection = new AdpoSelection().setSelectionSize(42);
    String text = selection.explainParams();
    assertEquals(AdpoSelectionParams.SETTINGS.size(), selection.params().length, "one Param per setting");
    for (org.adpo.config.Setting s : AdpoSelectionParams.SETTINGS) {
      Param<?> p = selection.getParam(s.name());
      assertEquals(s.doc(), p.doc());
      assertTrue(text.contains(s.name() + ": " + s.doc() + " (default: "), "explainParams shows " + s.name());
      assertEquals(s.defaultValue(), selection.getDefault(p).get(), "default of " + s.name());
    }
    assertTrue(text.contains("selectionSize: " + AdpoSelectionParams.SETTINGS.get(1).doc() + " (default: 100,"
        + " current: 42)"), text);
  }

  /** Each bad value is refused when set, with the message the command line gives for it. */
  @Test
  void validatorsRefuseWithTheCommandLinesMessages() {
    Object[][] bad = {
        {"algorithm", "greedy"}, {"selectionSize", 0L}, {"beta", 0.0}, {"gamma", -1.0}, {"regParam", Double.NaN},
        {"alpha", -0.5}, {"numCandidates", -1}, {"epsilon", 1.0}, {"strategy", "fast"}, {"topK", 0},
        {"refreshInterval", -1}, {"refreshTol", 0.0}, {"checkpointInterval", 0}, {"numPartitions", -2},
        {"oracle", "people"}, {"refitSchedule", "every:0"}, {"batchSize", 0}, {"maxIter", 0}, {"tol", -1e-9},
        {"idCol", " "}, {"labelCol", ""}};
    AdpoSelection selection = new AdpoSelection();
    for (Object[] b : bad) {
      org.adpo.config.Setting s = setting((String) b[0]);
      @SuppressWarnings("unchecked")
      Param<Object> p = (Param<Object>) selection.getParam(s.name());
      UsageException ml = assertThrows(UsageException.class, () -> selection.set(p, b[1]), s.name());
      UsageException cli = assertThrows(UsageException.class,
          () -> SettingsLoader.selection(SettingsLoader.load(null, Map.of(s.configKey(), b[1]))), s.configKey());
      assertEquals(cli.getMessage(), ml.getMessage(), s.name());
      assertFalse(selection.isSet(p), "a refused value is not set");
    }
    // A rule across settings is checked at fit time, by the same validation.
    AdpoSelection both = new AdpoSelection().setNumCandidates(5).setEpsilon(0.1);
    UsageException e = assertThrows(UsageException.class, both::selectionSettings);
    assertEquals("give either candidates or epsilon, not both", e.getMessage());
  }

  /**
   * The typed setters and getters are written out (as MLlib's are), so each must match its row of the table:
   * set<Name>(type) sets that Param and no other, get<Name>() reads it back.
   */
  @Test
  void oneTypedSetterAndGetterPerSetting() throws Exception {
    for (org.adpo.config.Setting s : AdpoSelectionParams.SETTINGS) {
      String suffix = Character.toUpperCase(s.name().charAt(0)) + s.name().substring(1);
      Class<?> primitive = s.type() == Integer.class ? int.class : s.type() == Long.class ? long.class
          : s.type() == Double.class ? double.class : String.class;
      Object value;
      switch (s.name()) {
        case "algorithm": value = "dopt"; break;
        case "strategy": value = "naive"; break;
        case "oracle": value = "bernoulli"; break;
        case "refitSchedule": value = "every:3"; break;
        default:
          if (s.type() == Integer.class) {
            value = (Integer) s.defaultValue() + 2;
          } else if (s.type() == Long.class) {
            value = (Long) s.defaultValue() + 2;
          } else if (s.type() == Double.class) {
            value = (Double) s.defaultValue() + 0.25;
          } else {
            value = "x_" + s.name();
          }
      }
      AdpoSelection stage = new AdpoSelection();
      Object returned = AdpoSelection.class.getMethod("set" + suffix, primitive).invoke(stage, value);
      assertTrue(returned == stage, "set" + suffix + " returns the stage");
      assertEquals(value, stage.getOrDefault(stage.declaredParam(s.name())), "set" + suffix + " sets " + s.name());
      assertEquals(value, AdpoSelection.class.getMethod("get" + suffix).invoke(stage), "get" + suffix);
      for (org.adpo.config.Setting other : AdpoSelectionParams.SETTINGS) {
        if (other != s) {
          assertFalse(stage.isSet(stage.declaredParam(other.name())), "set" + suffix + " sets only " + s.name());
        }
      }
    }
  }

  /** The notebook fits this class's Pipeline: the same SQL stage, and only setters AdpoSelection has. */
  @Test
  void notebookUsesThisPipeline() throws Exception {
    String notebook = java.nio.file.Files.readString(org.adpo.cli.CliRunner.projectDir().resolve("notebooks/select_with_spark_ml.scala"));
    assertTrue(notebook.contains("new SQLTransformer().setStatement(\"" + BUCKET + "\")"), "the SQL stage of this test");
    assertTrue(notebook.contains("setStages(Array[PipelineStage](bucket, selection)).fit(pool)"));
    assertTrue(notebook.contains("fitted.stages(1).asInstanceOf[AdpoSelectionModel]"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.(set\\w+)\\(").matcher(
        notebook.substring(notebook.indexOf("new AdpoSelection()"), notebook.indexOf("println(selection")));
    int setters = 0;
    while (m.find()) {
      String name = m.group(1);
      assertTrue(java.util.Arrays.stream(AdpoSelection.class.getMethods()).anyMatch(x -> x.getName().equals(name)),
          "AdpoSelection has " + name);
      setters++;
    }
    assertEquals(3, setters);
    for (String call : List.of("model.theta()", "model.summary().json()", "PipelineModel.load(modelPath)",
        "selection.explainParams()")) {
      assertTrue(notebook.contains(call), call);
    }
  }

  @Test
  void theStagesOwnRefusals() {
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("id", "long").add("phi", "array<double>");
    UsageException noId = assertThrows(UsageException.class,
        () -> new AdpoSelection().setIdCol("key").transformSchema(schema));
    assertEquals("the DataFrame has no id column 'key' (idCol); its columns are [id, phi]", noId.getMessage());
    AdpoSelectionModel empty = new AdpoSelectionModel("m1");
    UsageException noPicks = assertThrows(UsageException.class, empty::numPicks);
    assertEquals("model m1 holds no picks: fit it with AdpoSelection or load a saved one", noPicks.getMessage());
    assertFalse(empty.hasSummary());
    AdpoSelection selection = new AdpoSelection();
    UsageException nullValue = assertThrows(UsageException.class, () -> selection.setAlgorithm(null));
    assertEquals("a setting must not be null", nullValue.getMessage());
  }

  private static org.adpo.config.Setting setting(String name) {
    return AdpoSelectionParams.SETTINGS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
