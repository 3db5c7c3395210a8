"""RabbitMQ benchmark (issue 11), against one rabbitmq-server started here on loopback ports:

- output: `create` through bindery under wrk (32 connections; every 204 is a publisher confirm)
  versus bench/rabbitmq_ceiling.c publishing with confirms, 32 unconfirmed at once, on librabbitmq;
- input: messages per second drained from a pre-filled durable queue by bindery delivering to a
  trivial app (nginx answering 200; prefetchCount 32, or --prefetch) versus the same C program
  consuming and acking with the same prefetch;
- with --scale-out: two bindery processes consume one queue into one app while 10,000 messages
  are published; one is stopped (SIGTERM) and started again mid-run; every message must reach
  the app exactly once across the pair.

    python3 bench/rabbitmq.py [--seconds 10] [--messages 20000] [--scale-out]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, build_release, free_port, start_bindery, start_nginx, wait_status, wrk, write_component

SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


def start_rabbitmq(directory):
    """A node on free loopback ports with its own epmd (both stopped by stop_rabbitmq)."""
    port, dist, epmd_port = free_port(), free_port(), free_port()
    with open(os.path.join(directory, "rabbitmq.conf"), "w") as f:
        f.write(f"listeners.tcp.default = 127.0.0.1:{port}\nloopback_users = none\n")
    with open(os.path.join(directory, "enabled_plugins"), "w") as f:
        f.write("[].\n")
    env = dict(os.environ, HOME=directory, RABBITMQ_NODENAME=f"bench{port}@localhost",
               RABBITMQ_NODE_IP_ADDRESS="127.0.0.1", RABBITMQ_NODE_PORT=str(port), RABBITMQ_DIST_PORT=str(dist),
               ERL_EPMD_ADDRESS="127.0.0.1", ERL_EPMD_PORT=str(epmd_port),
               RABBITMQ_MNESIA_BASE=f"{directory}/mnesia", RABBITMQ_LOG_BASE=f"{directory}/log",
               RABBITMQ_CONFIG_FILE=f"{directory}/rabbitmq",
               RABBITMQ_ENABLED_PLUGINS_FILE=f"{directory}/enabled_plugins",
               RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}")
    epmd = subprocess.Popen(["epmd", "-port", str(epmd_port), "-address", "127.0.0.1"], env=env)
    node = subprocess.Popen([SERVER], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    import socket
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return port, (node, epmd)
        except OSError:
            time.sleep(0.1)
    stop_rabbitmq((node, epmd))
    raise RuntimeError("rabbitmq-server did not start")


def stop_rabbitmq(processes):
    for process in processes:
        process.terminate()
        process.wait()


def compile_c(source, name, work):
    binary = os.path.join(work, name)
    subprocess.run(["gcc", "-O2", "-o", binary, source, "-lrabbitmq"], check=True)
    return binary


def ceiling(binary, port, *args):
    out = subprocess.run([binary, "127.0.0.1", str(port), *map(str, args)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def queue_count(tool, port, queue):
    out = subprocess.run([tool, "127.0.0.1", str(port), "count", queue], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def drain_rate(tool, port, queue, total):
    """Messages per second leaving `queue` between 10% and 90% drained (start-up left out)."""
    start = None
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        count = queue_count(tool, port, queue)
        if start is None and count <= total * 0.9:
            start = (time.monotonic(), count)
        if start is not None and count <= total * 0.1:
            elapsed = time.monotonic() - start[0]
            return (start[1] - count) / elapsed
        time.sleep(0.05)
    raise RuntimeError(f"queue {queue} did not drain")


def component(directory, name, port, queue, prefetch="32"):
    write_component(directory, name, "bindings.rabbitmq",
                    {"host": f"amqp://guest:guest@127.0.0.1:{port}", "queueName": queue, "durable": "true",
                     "prefetchCount": prefetch})


def bench(args, release, work, port, tool, ceiling_bin):
    components = os.path.join(work, "components")
    os.makedirs(components)
    component(components, "out", port, "bench-out")
    http = free_port()
    bindery = start_bindery(os.path.join(release, "bindery"), http, "--resources-path", components)
    try:
        if not wait_status(f"http://127.0.0.1:{http}/v1.0/healthz/outbound", 204):
            raise RuntimeError("bindery did not become ready")
        ours = wrk(f"http://127.0.0.1:{http}/v1.0/bindings/out", '{"operation":"create","data":"x"}',
                   seconds=args.seconds, threads=args.threads)
    finally:
        bindery.terminate()
        bindery.wait()
    baseline = ceiling(ceiling_bin, port, "publish", "bench-ceiling-out", 100000, 32, 3)
    ratio = ours["rps"] / baseline
    print(f"C publisher, confirms, 32 in flight:    {baseline:10.0f} msg/s")
    print(f"bindery create, wrk -t{args.threads} -c32 -d{args.seconds}s:  {ours['rps']:10.0f} req/s  "
          f"(p50 {ours['p50']:.2f} ms, p99 {ours['p99']:.2f} ms, non-2xx {ours['non2xx']}, errors {ours['errors']})")
    print(f"output ratio bindery/C: {ratio:.2f}   (target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'})")

    n = args.messages
    ceiling(ceiling_bin, port, "publish", "bench-in-c", n, 256, 16)
    ceiling(ceiling_bin, port, "publish", "bench-in-b", n, 256, 16)
    c_rate = ceiling(ceiling_bin, port, "consume", "bench-in-c", n, args.prefetch)
    inputs = os.path.join(work, "inputs")
    os.makedirs(inputs)
    component(inputs, "bench-in", port, "bench-in-b", prefetch=str(args.prefetch))
    app_port = free_port()
    nginx = start_nginx(app_port, work)
    bindery = start_bindery(os.path.join(release, "bindery"), free_port(), "--resources-path", inputs,
                            "--app-port", str(app_port))
    try:
        b_rate = drain_rate(tool, port, "bench-in-b", n)
    finally:
        bindery.terminate()
        bindery.wait()
        nginx.terminate()
        nginx.wait()
    print(f"C consumer, ack each, prefetch {args.prefetch}:      {c_rate:10.0f} msg/s")
    print(f"bindery input to nginx, prefetch {args.prefetch}:    {b_rate:10.0f} msg/s")
    print(f"input ratio bindery/C: {b_rate / c_rate:.2f}   (target >= 0.5: {'met' if b_rate / c_rate >= 0.5 else 'MISSED'})")


def scale_out(release, work, port, ceiling_bin):
    components = os.path.join(work, "scale")
    os.makedirs(components)
    component(components, "scale", port, "bench-scale", prefetch="20")
    app_port = free_port()
    app = subprocess.Popen(["python3", os.path.join(ROOT, "Tests/HostTests/Fixtures/apps/flask_app.py")],
                           env=dict(os.environ, APP_PORT=str(app_port)), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    binary = os.path.join(release, "bindery")

    def start():
        return start_bindery(binary, free_port(), "--resources-path", components, "--app-port", str(app_port))

    def seen():
        with urllib.request.urlopen(f"http://127.0.0.1:{app_port}/seen") as response:
            return [int(e["body"]) for e in json.load(response) if e["path"] == "/scale" and e["method"] == "POST"]

    first, second = None, None
    try:
        if not wait_status(f"http://127.0.0.1:{app_port}/seen", 200):
            raise RuntimeError("the app did not start")
        first, second = start(), start()
        time.sleep(3)  # both subscribed (the queue is declared by the first to connect)
        total = 10000
        publisher = subprocess.Popen([ceiling_bin, "127.0.0.1", str(port), "publish", "bench-scale", str(total),
                                      "32", "0"], stdout=subprocess.DEVNULL)
        while len(seen()) < total // 3:
            time.sleep(0.05)
        second.send_signal(signal.SIGTERM)
        second.wait()
        stopped_at = len(seen())
        second = start()
        publisher.wait()
        deadline = time.monotonic() + 300
        while len(set(seen())) < total and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # anything delivered twice would have arrived by now
        ids = seen()
        duplicates = len(ids) - len(set(ids))
        missing = total - len(set(ids) & set(range(total)))
        print(f"scale-out: {total} messages, 2 bindery processes on one queue, one stopped at {stopped_at} "
              f"deliveries and started again: {len(set(ids))} distinct delivered, {missing} missing, "
              f"{duplicates} delivered twice")
    finally:
        for process in (first, second, app):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (the machine has 2 cores)")
    parser.add_argument("--prefetch", type=int, default=32, help="input: prefetchCount and the C consumer's prefetch")
    parser.add_argument("--scale-out", action="store_true", help="also run the two-process scale-out check")
    parser.add_argument("--only-scale-out", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(SERVER):
        sys.exit("rabbitmq-server is missing: run scripts/install-deps")
    release = build_release()
    work = tempfile.mkdtemp(prefix="bindery-rabbitmq-bench-")
    tool = compile_c(os.path.join(ROOT, "Plugins/rabbitmq/Tools/amqp_tool.c"), "amqp_tool", work)
    ceiling_bin = compile_c(os.path.join(ROOT, "bench/rabbitmq_ceiling.c"), "rabbitmq_ceiling", work)
    port, node = start_rabbitmq(os.path.join(work))
    try:
        if not args.only_scale_out:
            bench(args, release, work, port, tool, ceiling_bin)
        if args.scale_out or args.only_scale_out:
            scale_out(release, work, port, ceiling_bin)
    finally:
        stop_rabbitmq(node)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
