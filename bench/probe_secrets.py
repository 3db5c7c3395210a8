"""The secrets part of bench/probe.py: components of every driver with a sensitive field (and a
secretKeyRef) set to values that make them fail, then a grep of the debug log, /v1.0/metadata
and every error answer for those values."""
import os
import random
import string
import subprocess
import time

from common import free_port


def secret(prefix, length=40):
    return prefix + "".join(random.choice(string.ascii_letters + string.digits) for _ in range(length))


def component(name, type_, metadata, store=None):
    items = "".join(f"    - name: {k}\n      value: \"{v}\"\n" for k, v in metadata)
    refs = "".join(f"    - name: {k}\n      secretKeyRef:\n        name: {v}\n        key: {v}\n"
                   for k, v in (store or []))
    auth = "auth:\n  secretStore: vault\n" if store else ""
    return (f"apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n"
            f"  type: {type_}\n  version: v1\n  metadata:\n{items}{refs}{auth}")


def run(binary, workdir, call, section):
    """Starts its own bindery at debug level, sends failing requests, greps what came back."""
    closed = free_port()
    key = "".join(random.choice(string.ascii_letters + string.digits + "+/") for _ in range(1800))
    values = {"redisPassword": secret("redis-pw-"), "clientKey": key, "MTLSClientKey": key,
              "securityToken": secret("token-"), "url password": secret("urlpw-"),
              "secretKeyRef url": f"http://127.0.0.1:{closed}/" + secret("vault-path-")}
    redis_port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--save", "", "--requirepass", "other"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = os.path.join(workdir, "secret-components")
    os.makedirs(folder)
    # A certificate that parses as PEM, so that each driver goes on to read (and reject) the key.
    pem = "-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n"
    cert = os.path.join(workdir, "client.crt")
    with open(cert, "w") as f:
        f.write(pem.replace("\\n", "\n"))
    files = {
        "vault": "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: vault\nspec:\n"
                 "  type: secretstores.local.env\n  version: v1\n",
        "cache": component("cache", "bindings.redis", [("redisHost", f"127.0.0.1:{redis_port}"),
                                                        ("redisPassword", values["redisPassword"])]),
        "broker": component("broker", "bindings.mqtt3", [("url", f"tcp://127.0.0.1:{closed}"), ("topic", "t"),
                                                          ("consumerID", "probe"), ("clientKey", key),
                                                          ("caCert", pem), ("clientCert", pem)]),
        "hook": component("hook", "bindings.http", [("url", f"http://probe:{values['url password']}@127.0.0.1:{closed}/"),
                                                    ("securityToken", values["securityToken"]),
                                                    ("securityTokenHeader", "X-Token")]),
        "keyed": component("keyed", "bindings.http", [("url", f"http://127.0.0.1:{closed}/"),
                                                      ("MTLSClientCert", cert), ("MTLSClientKey", key)]),
        "vaulted": component("vaulted", "bindings.http", [], store=[("url", "PROBE_VAULT_URL")]),
    }
    for name, text in files.items():
        with open(os.path.join(folder, name + ".yaml"), "w") as f:
            f.write(text)
    port = free_port()
    log_path = os.path.join(workdir, "secrets.log")
    env = dict(os.environ, PROBE_VAULT_URL=values["secretKeyRef url"])
    with open(log_path, "w") as log:
        host = subprocess.Popen([binary, "run", "--dapr-grpc-port", "0", "--dapr-http-port", str(port), "--log-level", "debug",
                                 "--resources-path", folder], env=env, stdout=log, stderr=log)
    answers = []
    try:
        time.sleep(3)
        for name in ("cache", "broker", "hook", "keyed", "vaulted"):
            for operation in ("get", "create", "post", "delete", "nope"):
                body = f'{{"operation":"{operation}","data":"x","metadata":{{"key":"k","path":"/p"}}}}'
                status, text, head = call(port, name, body)
                answers.append(head + text)
        answers.append(call(port, None, None)[1])
    finally:
        host.terminate()
        host.wait(timeout=30)
        redis.terminate()
    everything = open(log_path, "rb").read() + b"".join(answers)
    # The whole value and its last 16 characters (random in each; a URL begins like any other).
    hits = {name: everything.count(value.encode()) + everything.count(value[-16:].encode())
            for name, value in values.items()}
    counts = {"values": len(values), "answers": len(answers), "log bytes": len(open(log_path, "rb").read()),
              "hits": sum(hits.values())}
    section("secrets in log, /v1.0/metadata and error answers", counts, counts["hits"] == 0)
    for name, count in hits.items():
        if count:
            print(f"  {name}: {count} hits")
