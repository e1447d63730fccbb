"""Online ADPO with people labelling, one Airflow task per step of ``adpo online``.

Task graph (R = rounds):

    init >> next_1 >> wait_1 >> ingest_1 >> next_2 >> ... >> ingest_R >> export

* ``init``      ``online init --pool P --state S --config C``: fixes pool and settings in the state dir S.
* ``next_K``    ``online next --state S --batch B --round K``: writes ``S/queries/round-K/`` (a CSV of pairs
                to label); ``--round K`` makes a re-run of this task a no-op even after round K's labels are in.
* ``wait_K``    waits (``mode="reschedule"``: no worker slot is held) for the labelled file
                ``S/incoming/round-K.csv`` (columns ``id,s``) that the labellers drop there.
* ``ingest_K``  ``online ingest --state S --labels S/incoming/round-K.csv --round K``: validates and stores the
                labels (refused unless they are round K's).
* ``export``    ``online export --state S --output O --overwrite``: the labelled selection.

Every command is idempotent (a re-run of a finished step is a no-op that exits 0, and ``export`` overwrites
its own output), so retries are on. A state dir belongs to one campaign: trigger one DAG run per state dir
(the rounds are numbered by the state, not by the run).

Parameters: ``pool``, ``state``, ``config``, ``batch``, ``output``, ``jar`` are DAG params (change them when
triggering a run). The number of rounds and the Spark connection id shape the task graph and the operators,
which Airflow fixes when it parses this file, so they come from the Airflow Variables ``adpo_online_rounds``
(default 3) and ``adpo_spark_conn_id`` (default ``spark_default``).

Needs ``apache-airflow-providers-apache-spark`` and a ``spark-submit`` on the workers (a Spark distribution
or ``pip install pyspark``); the jar is ``target/adpo-spark-spark.jar`` of ``mvn package`` (Spark provided).
``FileSensor`` checks a path on the worker's file system (connection ``fs_default``). The state dir must be on
a local POSIX file system shared by the workers that run these tasks (for example an NFS mount): its commits
rely on an atomic rename and a file lock, which HDFS and object stores do not give in the same way.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

try:  # Airflow 3 moved the file sensor to the standard provider
    from airflow.providers.standard.sensors.filesystem import FileSensor
except ImportError:
    from airflow.sensors.filesystem import FileSensor

MAIN_CLASS = "org.adpo.cli.Main"
ROUNDS = int(Variable.get("adpo_online_rounds", default_var="3"))
SPARK_CONN_ID = Variable.get("adpo_spark_conn_id", default_var="spark_default")

# The SIMD score kernel needs the incubator module on Spark 3.5 (Spark 4.0's launcher adds it itself);
# without it the engine falls back to plain Java and selects the same pairs more slowly.
SPARK_CONF = {
    "spark.driver.extraJavaOptions": "--add-modules=jdk.incubator.vector",
    "spark.executor.extraJavaOptions": "--add-modules=jdk.incubator.vector",
}

STATE = "{{ params.state }}"


def adpo(task_id, *args):
    """One ``adpo online ...`` step as a spark-submit of the shaded jar."""
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id=SPARK_CONN_ID,
        application="{{ params.jar }}",
        java_class=MAIN_CLASS,
        name="adpo-" + task_id.replace("_", "-"),
        conf=SPARK_CONF,
        application_args=["online", *args],
    )


with DAG(
    dag_id="adpo_online",
    description="Online ADPO rounds: select pairs, wait for people's labels, ingest, export",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=2)},
    params={
        "pool": Param("/data/adpo/pool", type="string", description="pool of pairs (Parquet, JSON Lines or CSV)"),
        "state": Param("/data/adpo/state", type="string", description="state dir of this campaign"),
        "config": Param("/data/adpo/online.conf", type="string", description="settings file (HOCON)"),
        "batch": Param(100, type="integer", minimum=1, description="pairs to label per round"),
        "output": Param("/data/adpo/labelled", type="string", description="export dir"),
        "jar": Param("/opt/adpo/adpo-spark-spark.jar", type="string", description="shaded jar"),
    },
    tags=["adpo", "active-learning"],
) as dag:
    previous = adpo("init", "init", "--pool", "{{ params.pool }}", "--state", STATE, "--config", "{{ params.config }}")
    for k in range(1, ROUNDS + 1):
        labels = STATE + "/incoming/round-%d.csv" % k
        step = adpo("next_%d" % k, "next", "--state", STATE, "--batch", "{{ params.batch }}", "--round", str(k))
        wait = FileSensor(
            task_id="wait_%d" % k,
            filepath=labels,
            fs_conn_id="fs_default",
            mode="reschedule",
            poke_interval=600,
            timeout=14 * 24 * 3600,
        )
        ingest = adpo("ingest_%d" % k, "ingest", "--state", STATE, "--labels", labels, "--round", str(k))
        previous >> step >> wait >> ingest
        previous = ingest
    previous >> adpo("export", "export", "--state", STATE, "--output", "{{ params.output }}", "--overwrite")
