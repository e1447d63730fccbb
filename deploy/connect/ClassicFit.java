// Classic side of deploy/connect/run.sh: the same pool and fit in a local session, for comparison.
import org.adpo.ml.AdpoSelection;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

public class ClassicFit {
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    Dataset<Row> pool = spark.range(0, 60).selectExpr("id",
        "array(sin(id * 1.0), cos(id * 1.3), sin(id * 0.7 + 1.0)) AS phi", "CAST(id % 3 = 0 AS INT) AS s");
    Dataset<Row> selected = new AdpoSelection().setAlgorithm(args[0]).setSelectionSize(Long.parseLong(args[1]))
        .fit(pool).transform(pool);
    for (Row row : selected.select("id", "rank", "gain", "weight").collectAsList()) {
      System.out.println("pick " + row);
    }
    spark.stop();
  }
}
