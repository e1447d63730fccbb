package org.adpo.spark;

import java.util.List;
import org.adpo.io.SelectionReport;
import org.adpo.model.FitResult;
import org.adpo.select.Pick;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of one selection: the selected rows (input columns plus rank, gain, weight, in pick
 * order), the picks themselves, the theta fit (ADPO+ only, else null) and the report that becomes
 * report.json.
 */
public record SelectionResult(
    Dataset<Row> selection, List<Pick> picks, FitResult fit, SelectionReport report) {}
