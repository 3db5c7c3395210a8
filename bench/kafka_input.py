"""Kafka input benchmark (issue 11): records per second that bindery's kafka input delivers to a
trivial app (bench/kafka_input_app.py, answers 200 at once), versus librdkafka's consumer driven
directly with no app (bench/kafka_consumer.c: one record at a time, its offset committed before the
next, the semantics bindery's input first had; it now delivers the 3 partitions side by side, one
record of each in the app, commits asynchronously and never past an unanswered record), over the
same records of the same mock cluster in the same run.

    python3 bench/kafka_input.py [--records 20000]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, build_release, free_port, start_bindery, write_component
from kafka import compile_c, start_mock


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20000)
    args = parser.parse_args()
    release = build_release()
    work = tempfile.mkdtemp(prefix="bindery-kafka-input-bench-")
    mock = compile_c(os.path.join(ROOT, "Plugins", "kafka", "mock", "kafka-mock.c"), os.path.join(work, "kafka-mock"))
    consumer = compile_c(os.path.join(ROOT, "bench", "kafka_consumer.c"), os.path.join(work, "kafka_consumer"))
    cluster, brokers = start_mock(mock, work)
    records = os.path.join(work, "records")
    with open(records, "w") as f:
        f.writelines(f'{{"id":{i}}}\n' for i in range(args.records))
    subprocess.run(["kcat", "-P", "-b", brokers, "-t", "bench", "-l", records], check=True)
    components = os.path.join(work, "components")
    os.makedirs(components)
    write_component(components, "events", "bindings.kafka",
                    {"brokers": brokers, "topics": "bench", "consumerGroup": "bench", "authType": "none",
                     "initialOffset": "oldest"})
    port, app_port = free_port(), free_port()
    bindery = start_bindery(os.path.join(release, "bindery"), port, "--resources-path", components,
                            "--app-port", str(app_port), "--", "python3",
                            os.path.join(ROOT, "bench", "kafka_input_app.py"), str(app_port))
    try:
        deadline = time.monotonic() + 300
        stats = {"count": 0}
        while stats["count"] < args.records and time.monotonic() < deadline:
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{app_port}/stats", timeout=2) as response:
                    stats = json.load(response)
            except OSError:
                pass
        if stats["count"] < args.records:
            raise RuntimeError(f"only {stats['count']} of {args.records} records reached the app")
        ours = (stats["count"] - 1) / (stats["last"] - stats["first"])
    finally:
        bindery.terminate()
        bindery.wait()
    try:
        baseline = float(subprocess.run([consumer, brokers, "bench", str(args.records)], capture_output=True,
                                        text=True, check=True, timeout=300).stdout)
    finally:
        cluster.terminate()
        cluster.wait()
    ratio = ours / baseline
    print(f"C consumer on librdkafka (commit per record):  {baseline:10.0f} records/s")
    print(f"bindery input to a trivial app:                {ours:10.0f} records/s  ({args.records} records)")
    print(f"ratio bindery/librdkafka: {ratio:.2f}   (target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'})")


if __name__ == "__main__":
    main()
