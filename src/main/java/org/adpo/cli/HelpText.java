package org.adpo.cli;

/** The text of {@code --help}: every option, once. */
final class HelpText {
  private HelpText() {}

  static final String GLOBAL =
      "adpo-spark: exact distributed ADPO / ADPO+ selection of preference pairs on Apache Spark\n"
          + "\n"
          + "usage: bin/adpo COMMAND [options]\n"
          + "\n"
          + "commands:\n"
          + "  select      pick the most informative pairs of a pool (greedy D-optimal design)\n"
          + "  make-pool   build a pair pool from Fashion-MNIST IDX files (the bundled example data)\n"
          + "  make-synthetic  write a seeded random pool of any size (benchmarks, scale tests)\n"
          + "\n"
          + "'bin/adpo COMMAND --help' lists a command's options.\n"
          + "Exit codes: 0 success, 2 usage or configuration error, 3 bad input data, 1 anything else.\n";

  static final String SELECT =
      "usage: bin/adpo select --input PATH --output DIR [options]\n"
          + "\n"
          + "Reads a pool, picks --budget pairs and writes DIR/selection (the input columns plus rank,\n"
          + "gain, weight, in pick order) and DIR/report.json. DIR appears only when the run succeeds.\n"
          + "\n"
          + "  --input PATH          pool file or directory (Parquet, JSON Lines or CSV)\n"
          + "  --output DIR          output directory (must not exist unless --overwrite)\n"
          + "  --format F            input format: auto (by extension, default), parquet, jsonl, csv\n"
          + "  --output-format F     parquet (default), jsonl or csv (arrays written as JSON text)\n"
          + "  --overwrite           replace DIR if it exists\n"
          + "  --algorithm A         adpo-plus (default), dopt, apo or uniform\n"
          + "  --budget N            number of pairs to pick, >= 1 (default 100; capped at the pool size)\n"
          + "  --beta B              DPO temperature, > 0 (default 1)\n"
          + "  --gamma G             initial design gamma I, > 0 (default 1)\n"
          + "  --lambda L            L2 penalty of the theta fit, > 0 (default 1)\n"
          + "  --alpha A             UCB optimism of the Fisher weights, >= 0 (default 0; the paper uses 3)\n"
          + "  --seed S              seed of the uniform picks and candidate subsets (default 1)\n"
          + "  --candidates K        0 = exact argmax over the pool (default); K > 0 = score K random\n"
          + "                        unpicked candidates per pick (the paper's approximation)\n"
          + "  --epsilon E           stochastic greedy: score (N/n) ln(1/E) random candidates per pick\n"
          + "                        (approximate; default 0 = off)\n"
          + "  --strategy S          exact strategy: lazy (default; score downdates, several certified\n"
          + "                        picks per Spark job) or naive (rescore everything, one job per pick)\n"
          + "  --top-k K             candidates each partition returns per round at first (default 16;\n"
          + "                        adapted per round)\n"
          + "  --refresh-every R     recompute stored scores exactly every R rounds (default 0 = on drift)\n"
          + "  --checkpoint-every R  cut the score state's lineage every R rounds (default 16)\n"
          + "  --partitions P        repartition the pool into P partitions (default 0 = as read, at least\n"
          + "                        Spark's default parallelism)\n"
          + "  --column ROLE=NAME    column name for ROLE (id, phi, phi1, phi2, b, s, weight); repeatable\n"
          + "  --master URL          Spark master (default local[*], or what spark-submit set)\n"
          + "  --config FILE         HOCON file with settings under adpo { ... } (see conf/example.conf)\n"
          + "  --help                this text\n"
          + "\n"
          + "Pool columns: id (integer or string, unique), phi (array of numbers, ML Vector, or a string\n"
          + "of numbers in CSV) or phi1 + phi2 (phi = phi1 - phi2), optional b (default 0), s (0/1 label,\n"
          + "needed by adpo-plus), weight (dopt). Other columns pass through to the selection.\n";

  static final String MAKE_POOL =
      "usage: bin/adpo make-pool --output DIR [options]\n"
          + "\n"
          + "Builds a pool of preference pairs from Fashion-MNIST (the recipe of SPEC.md: phi = x_pos - x_neg\n"
          + "on a seeded random subset of pixels, labels from a logistic teacher, b from a perturbed teacher)\n"
          + "and writes it as one Parquet file under DIR.\n"
          + "\n"
          + "  --output DIR          output directory (must not exist)\n"
          + "  --images FILE         IDX image file (default /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz)\n"
          + "  --labels FILE         IDX label file (default /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz)\n"
          + "  --pairs N             number of pairs (default 4096)\n"
          + "  --dim D               number of pixel features (default 64)\n"
          + "  --seed S              seed (default 1)\n"
          + "  --positive-class C    class 0..9 used as positive (default: drawn from the seed)\n"
          + "  --lambda L            L2 penalty of the teacher fit (default 1)\n"
          + "  --master URL          Spark master (default local[*]; the writer needs a local file system)\n"
          + "  --help                this text\n";

  static final String MAKE_SYNTHETIC =
      "usage: bin/adpo make-synthetic --output DIR [options]\n"
          + "\n"
          + "Writes a seeded random pool (generated on the executors): phi ~ N(0, I/d), b ~ N(0, 0.09),\n"
          + "s ~ Bernoulli(mu(phi . theta - b)) for a theta drawn from the seed. Row i depends only on\n"
          + "(seed, i).\n"
          + "\n"
          + "  --output DIR          output directory (must not exist)\n"
          + "  --rows N              number of rows (default 100000)\n"
          + "  --dim D               dimension of phi (default 64)\n"
          + "  --seed S              seed (default 1)\n"
          + "  --partitions P        number of output files / partitions (default 8)\n"
          + "  --output-format F     parquet (default), jsonl or csv\n"
          + "  --master URL          Spark master (default local[*])\n"
          + "  --help                this text\n";
}
