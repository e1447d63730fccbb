# Databricks notebook source
# MAGIC %md
# MAGIC # LLM features for ADPO: a pool of preference pairs from a language model
# MAGIC
# MAGIC **Not run in CI** (it needs a GPU, the `torch` and `transformers` packages and model weights); CI only checks
# MAGIC that this file compiles (`python3 -m py_compile`, in `DeploymentFilesTest`).
# MAGIC
# MAGIC Input: a table of pairs with columns `id`, `prompt`, `response_1`, `response_2` and optionally `s`
# MAGIC (1 when people prefer `response_1`, 0 when they prefer `response_2`, null when unlabelled).
# MAGIC
# MAGIC Output: the pool format of `bin/adpo select` and `AdpoSelector` (docs/method.md), one row per pair:
# MAGIC
# MAGIC * `phi` = h(x, y1) - h(x, y2), where h(x, y) is the last layer's hidden state at the last token of
# MAGIC   prompt + response (the paper's log-linear policy features);
# MAGIC * `b` = log pi0(y1 | x) - log pi0(y2 | x), the reference model's log-ratio: the sum of the log-probabilities
# MAGIC   of the response tokens given the prompt, under the same model (the reference policy of DPO);
# MAGIC * `s` passed through.
# MAGIC
# MAGIC Run on a single-user GPU cluster (Databricks Runtime ML, GPU). Features are computed on the driver's GPU in
# MAGIC batches; for millions of pairs, split the input and run several jobs, or use a pandas UDF on GPU workers.

# COMMAND ----------

dbutils.widgets.text("input_table", "main.adpo.raw_pairs", "pairs table (id, prompt, response_1, response_2, s)")
dbutils.widgets.text("output_table", "main.adpo.pairs", "pool table to write (id, phi, b, s)")
dbutils.widgets.text("model", "Qwen/Qwen2.5-0.5B-Instruct", "Hugging Face model (reference policy)")
dbutils.widgets.text("batch_size", "16", "pairs per GPU batch")
dbutils.widgets.text("max_length", "1024", "max tokens of prompt + response")

INPUT_TABLE = dbutils.widgets.get("input_table")
OUTPUT_TABLE = dbutils.widgets.get("output_table")
MODEL = dbutils.widgets.get("model")
BATCH_SIZE = int(dbutils.widgets.get("batch_size"))
MAX_LENGTH = int(dbutils.widgets.get("max_length"))

# COMMAND ----------

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

assert torch.cuda.is_available(), "this notebook needs a GPU cluster"
device = torch.device("cuda")
tokenizer = AutoTokenizer.from_pretrained(MODEL)
if tokenizer.pad_token is None:
    tokenizer.pad_token = tokenizer.eos_token
tokenizer.padding_side = "right"  # the last real token is then at length - 1
model = AutoModelForCausalLM.from_pretrained(MODEL, torch_dtype=torch.bfloat16).to(device).eval()

# COMMAND ----------


def encode(prompts, responses):
    """Tokens of prompt + response, and for each row the number of prompt tokens (the response starts there)."""
    prompt_ids = [tokenizer(p, add_special_tokens=True)["input_ids"] for p in prompts]
    response_ids = [tokenizer(r, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id] for r in responses]
    rows, starts = [], []
    for p, r in zip(prompt_ids, response_ids):
        ids = (p + r)[:MAX_LENGTH]
        rows.append(ids)
        starts.append(min(len(p), len(ids) - 1))
    width = max(len(ids) for ids in rows)
    input_ids = torch.full((len(rows), width), tokenizer.pad_token_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, ids in enumerate(rows):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        mask[i, : len(ids)] = 1
    return input_ids.to(device), mask.to(device), torch.tensor(starts, device=device)


@torch.no_grad()
def features(prompts, responses):
    """h(x, y): last-layer hidden state at the last token; and log pi0(y | x): summed response-token log-probs."""
    input_ids, mask, starts = encode(prompts, responses)
    out = model(input_ids=input_ids, attention_mask=mask, output_hidden_states=True)
    lengths = mask.sum(dim=1)
    last = lengths - 1
    rows = torch.arange(input_ids.shape[0], device=device)
    h = out.hidden_states[-1][rows, last].float()
    # token t is predicted by the logits at t - 1
    logprobs = torch.log_softmax(out.logits[:, :-1].float(), dim=-1)
    token_lp = logprobs.gather(2, input_ids[:, 1:].unsqueeze(-1)).squeeze(-1)
    positions = torch.arange(1, input_ids.shape[1], device=device).unsqueeze(0)
    in_response = (positions >= starts.unsqueeze(1)) & (positions < lengths.unsqueeze(1))
    logp = (token_lp * in_response).sum(dim=1)
    return h.cpu(), logp.double().cpu()


# COMMAND ----------

from pyspark.sql import Row
from pyspark.sql.types import ArrayType, DoubleType, FloatType, LongType, StructField, StructType

pairs = spark.table(INPUT_TABLE)
has_label = "s" in pairs.columns
rows = pairs.select("id", "prompt", "response_1", "response_2", *(["s"] if has_label else [])).collect()

out = []
for start in range(0, len(rows), BATCH_SIZE):
    batch = rows[start : start + BATCH_SIZE]
    prompts = [r["prompt"] for r in batch]
    h1, lp1 = features(prompts, [r["response_1"] for r in batch])
    h2, lp2 = features(prompts, [r["response_2"] for r in batch])
    phi = (h1 - h2).tolist()
    b = (lp1 - lp2).tolist()
    for i, r in enumerate(batch):
        out.append(Row(id=int(r["id"]), phi=phi[i], b=b[i], s=(None if not has_label or r["s"] is None else int(r["s"]))))

schema = StructType([
    StructField("id", LongType(), False),
    StructField("phi", ArrayType(FloatType(), False), False),
    StructField("b", DoubleType(), False),
    StructField("s", LongType(), True),
])
pool = spark.createDataFrame(out, schema)
pool.write.mode("overwrite").saveAsTable(OUTPUT_TABLE)
print("wrote %d pairs, d = %d, to %s" % (len(out), len(out[0].phi) if out else 0, OUTPUT_TABLE))

# COMMAND ----------

# MAGIC %md Next: `notebooks/select_with_java_api.scala` with `input_table` = this notebook's `output_table`.
