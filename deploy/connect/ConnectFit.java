// Spark Connect client side of deploy/connect/run.sh: fits org.adpo.ml.AdpoSelection on the server through
// the ML command (MlCommand.Fit) and transforms the pool with the returned model (MlRelation.Transform).
import java.util.List;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.MlCommand;
import org.apache.spark.connect.proto.MlCommandResult;
import org.apache.spark.connect.proto.MlOperator;
import org.apache.spark.connect.proto.MlParams;
import org.apache.spark.connect.proto.MlRelation;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.Dataset;
import org.apache.spark.sql.connect.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

public class ConnectFit {
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().remote(args[0]).getOrCreate();
    Dataset<Row> pool = spark.range(0, 60).selectExpr("id",
        "array(sin(id * 1.0), cos(id * 1.3), sin(id * 0.7 + 1.0)) AS phi", "CAST(id % 3 = 0 AS INT) AS s");
    Relation root = pool.plan().getRoot();
    MlParams params = MlParams.newBuilder()
        .putParams("algorithm", Expression.Literal.newBuilder().setString(args[1]).build())
        .putParams("selectionSize", Expression.Literal.newBuilder().setLong(Long.parseLong(args[2])).build())
        .build();
    MlCommand.Fit fit = MlCommand.Fit.newBuilder()
        .setEstimator(MlOperator.newBuilder().setName("org.adpo.ml.AdpoSelection").setUid("adpoSelection_connect")
            .setType(MlOperator.OperatorType.OPERATOR_TYPE_ESTIMATOR))
        .setParams(params).setDataset(root).build();
    Command command = Command.newBuilder().setMlCommand(MlCommand.newBuilder().setFit(fit)).build();
    List<ExecutePlanResponse> responses = CollectionConverters.asJava(spark.execute(command));
    MlCommandResult.MlOperatorInfo info = null;
    for (ExecutePlanResponse r : responses) {
      if (r.hasMlCommandResult()) {
        info = r.getMlCommandResult().getOperatorInfo();
      }
    }
    System.out.println("fitted: " + info);
    String ref = info.getObjRef().getId();
    Dataset<Row> selected = spark.newDataFrame(b -> {
      b.setMlRelation(MlRelation.newBuilder().setTransform(MlRelation.Transform.newBuilder()
          .setObjRef(org.apache.spark.connect.proto.ObjectRef.newBuilder().setId(ref)).setInput(root)));
      return scala.runtime.BoxedUnit.UNIT;
    });
    for (Row row : selected.select("id", "rank", "gain", "weight").collectAsList()) {
      System.out.println("pick " + row);
    }
    spark.close();
  }
}
