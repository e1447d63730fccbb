#!/usr/bin/env python3
"""Checks adpo_online_dag.py without Airflow (standard library only).

Airflow cannot be installed where the tests run, so this script parses the DAG file with ``ast``, then
executes it against small stand-in modules for ``airflow``, the Spark provider's ``SparkSubmitOperator``
and ``FileSensor`` that record constructor arguments and ``>>`` dependencies, and asserts:

* the task graph is the chain init -> next_1 -> wait_1 -> ingest_1 -> next_2 -> ... -> ingest_R -> export;
* every SparkSubmitOperator runs ``java_class="org.adpo.cli.Main"`` from the shaded jar ``adpo-spark-spark.jar``
  with the ``online`` subcommand of its step, retries are on, the sensors reschedule and wait for the file
  that the following ingest reads;
* every template renders from the DAG params alone.

With ``--emit FILE`` it writes the rendered command lines (JSON: task id, main class, application, args) so
that a Java test can run each through the real option parser (``org.adpo.cli.Main.parseOnly``).

Usage: check_dag.py [--dag FILE] [--var NAME=VALUE ...] [--param NAME=VALUE ...] [--emit FILE]
Exit status 0 when every check holds, 1 otherwise (the failed check is printed).
"""
import argparse
import ast
import json
import os
import re
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN_CLASS = "org.adpo.cli.Main"
JAR_NAME = "adpo-spark-spark.jar"
ALLOWED_IMPORTS = {
    "datetime",
    "airflow",
    "airflow.models",
    "airflow.models.param",
    "airflow.providers.apache.spark.operators.spark_submit",
    "airflow.providers.standard.sensors.filesystem",
    "airflow.sensors.filesystem",
}


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


# ---------------------------------------------------------------- stand-ins for the Airflow API
class Recorder:
    """What the stand-in modules saw: DAGs, tasks, edges, variables read."""

    def __init__(self, variables):
        self.variables = variables
        self.dags = []
        self.current = None


def make_stubs(rec):
    class DAG:
        def __init__(self, dag_id, **kwargs):
            self.dag_id = dag_id
            self.kwargs = kwargs
            self.default_args = dict(kwargs.get("default_args") or {})
            self.params = dict(kwargs.get("params") or {})
            self.tasks = {}
            self.edges = set()
            rec.dags.append(self)

        def __enter__(self):
            rec.current = self
            return self

        def __exit__(self, *exc):
            rec.current = None
            return False

    class BaseOperator:
        kind = "operator"

        def __init__(self, task_id, **kwargs):
            dag = kwargs.pop("dag", None) or rec.current
            check(dag is not None, "task %s created outside a DAG" % task_id)
            check(task_id not in dag.tasks, "duplicate task id %s" % task_id)
            self.task_id = task_id
            self.dag = dag
            self.args = dict(dag.default_args)
            self.args.update(kwargs)
            dag.tasks[task_id] = self

        def _link(self, other, forward):
            others = other if isinstance(other, (list, tuple)) else [other]
            for o in others:
                check(isinstance(o, BaseOperator), "%r is not a task" % (o,))
                self.dag.edges.add((self.task_id, o.task_id) if forward else (o.task_id, self.task_id))
            return other

        def __rshift__(self, other):
            return self._link(other, True)

        def __lshift__(self, other):
            return self._link(other, False)

        def __rrshift__(self, other):  # [a, b] >> task
            for o in other:
                o >> self
            return self

        def __rlshift__(self, other):
            for o in other:
                o << self
            return self

    class SparkSubmitOperator(BaseOperator):
        kind = "spark-submit"

    class FileSensor(BaseOperator):
        kind = "file-sensor"

    class Variable:
        @staticmethod
        def get(key, default_var=None, deserialize_json=False):
            return rec.variables.get(key, default_var)

    class Param:
        def __init__(self, default=None, **kwargs):
            self.value = default
            self.schema = kwargs

    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        return m

    return {
        "airflow": module("airflow", DAG=DAG),
        "airflow.models": module("airflow.models", Variable=Variable, BaseOperator=BaseOperator),
        "airflow.models.param": module("airflow.models.param", Param=Param),
        "airflow.providers": module("airflow.providers"),
        "airflow.providers.apache": module("airflow.providers.apache"),
        "airflow.providers.apache.spark": module("airflow.providers.apache.spark"),
        "airflow.providers.apache.spark.operators": module("airflow.providers.apache.spark.operators"),
        "airflow.providers.apache.spark.operators.spark_submit": module(
            "airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=SparkSubmitOperator),
        "airflow.sensors": module("airflow.sensors"),
        "airflow.sensors.filesystem": module("airflow.sensors.filesystem", FileSensor=FileSensor),
    }


# ---------------------------------------------------------------- checks
def check_syntax(path):
    """Parses the file and checks that it imports only what the stand-ins provide (or the stdlib)."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            check(name in ALLOWED_IMPORTS, "line %d imports %s, which the check does not know" % (node.lineno, name))
    return tree


TEMPLATE = re.compile(r"\{\{\s*(.*?)\s*\}\}")


def render(value, params):
    """Renders the only template form the DAG uses, {{ params.NAME }}; anything else fails."""
    if isinstance(value, list):
        return [render(v, params) for v in value]
    if not isinstance(value, str):
        return value

    def one(m):
        expr = m.group(1)
        check(re.fullmatch(r"params\.[A-Za-z_]\w*", expr) is not None, "unsupported template {{ %s }}" % expr)
        name = expr.split(".", 1)[1]
        check(name in params, "template names unknown param %s" % name)
        return str(params[name])

    return TEMPLATE.sub(one, value)


def run(dag_path, variables, overrides):
    check_syntax(dag_path)
    rec = Recorder(variables)
    saved = {k: sys.modules.get(k) for k in make_stubs(rec)}
    sys.modules.update(make_stubs(rec))
    try:
        code = compile(open(dag_path, encoding="utf-8").read(), dag_path, "exec")
        exec(code, {"__name__": "adpo_online_dag", "__file__": dag_path})
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
    check(len(rec.dags) == 1, "expected one DAG, found %d" % len(rec.dags))
    dag = rec.dags[0]
    params = {k: (p.value if hasattr(p, "value") else p) for k, p in dag.params.items()}
    for k, v in overrides.items():
        check(k in params, "--param %s is not a DAG param" % k)
        params[k] = v

    rounds = int(variables.get("adpo_online_rounds", 3))
    order = ["init"]
    for k in range(1, rounds + 1):
        order += ["next_%d" % k, "wait_%d" % k, "ingest_%d" % k]
    order.append("export")
    check(sorted(dag.tasks) == sorted(order), "tasks %s, expected %s" % (sorted(dag.tasks), sorted(order)))
    expected_edges = set(zip(order, order[1:]))
    check(dag.edges == expected_edges,
          "dependencies differ: missing %s, extra %s" % (sorted(expected_edges - dag.edges), sorted(dag.edges - expected_edges)))
    check(dag.kwargs.get("schedule", "x") is None, "the DAG must only run when triggered (schedule=None)")

    commands = []
    for task_id in order:
        task = dag.tasks[task_id]
        a = task.args
        if task_id.startswith("wait_"):
            check(task.kind == "file-sensor", "%s is not a FileSensor" % task_id)
            check(a.get("mode") == "reschedule", "%s must use mode='reschedule'" % task_id)
            k = int(task_id.split("_")[1])
            path = render(a.get("filepath"), params)
            check(path == params["state"] + "/incoming/round-%d.csv" % k, "%s waits for %s" % (task_id, path))
            ingest_args = render(dag.tasks["ingest_%d" % k].args["application_args"], params)
            check(ingest_args[ingest_args.index("--labels") + 1] == path,
                  "ingest_%d does not read the file wait_%d waits for" % (k, k))
            continue
        check(task.kind == "spark-submit", "%s is not a SparkSubmitOperator" % task_id)
        check(a.get("java_class") == MAIN_CLASS, "%s: java_class %r" % (task_id, a.get("java_class")))
        application = render(a.get("application"), params)
        check(isinstance(application, str) and os.path.basename(application) == JAR_NAME,
              "%s: application %r is not the shaded jar %s" % (task_id, application, JAR_NAME))
        check(int(a.get("retries", 0)) >= 1, "%s: retries are off" % task_id)
        args = render(list(a.get("application_args") or []), params)
        step = task_id.split("_")[0]
        check(args[:2] == ["online", step], "%s runs %s, expected online %s" % (task_id, args[:2], step))
        check(all(isinstance(x, str) and "{{" not in x for x in args), "%s: unrendered args %s" % (task_id, args))
        if step in ("next", "ingest"):
            k = task_id.split("_")[1]
            check("--round" in args and args[args.index("--round") + 1] == k,
                  "%s must pass --round %s (a re-run then cannot issue or ingest another round)" % (task_id, k))
        commands.append({"task_id": task_id, "java_class": a["java_class"], "application": application, "args": args})
    return {"dag_id": dag.dag_id, "rounds": rounds, "params": params, "commands": commands}


def pairs(items, what):
    out = {}
    for item in items or []:
        check("=" in item, "%s expects NAME=VALUE, got %r" % (what, item))
        k, v = item.split("=", 1)
        out[k] = v
    return out


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dag", default=os.path.join(HERE, "adpo_online_dag.py"))
    p.add_argument("--var", action="append", help="Airflow Variable NAME=VALUE seen by the DAG file")
    p.add_argument("--param", action="append", help="DAG param NAME=VALUE used to render templates")
    p.add_argument("--emit", help="write the rendered command lines here (JSON)")
    a = p.parse_args(argv)
    try:
        result = run(a.dag, pairs(a.var, "--var"), pairs(a.param, "--param"))
    except CheckFailed as e:
        print("check_dag: FAILED: %s" % e, file=sys.stderr)
        return 1
    if a.emit:
        with open(a.emit, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    print("check_dag: ok: %s, %d rounds, %d spark-submit tasks" % (result["dag_id"], result["rounds"], len(result["commands"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
