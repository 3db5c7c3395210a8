"""Shared helpers for bindery's benchmarks: processes, ports, wrk, RSS."""
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sh(command, **kwargs):
    subprocess.run(command, shell=True, check=True, **kwargs)


def build_release():
    sh("swift build -c release", cwd=ROOT)
    return os.path.join(ROOT, ".build", "release")


def build_fixture_driver(directory):
    """The C test driver (Tests/HostTests/Fixtures): its `echo` completes inline, in memory."""
    include = os.path.join(ROOT, "Sources", "PluginABI", "include")
    source = os.path.join(ROOT, "Tests", "HostTests", "Fixtures", "fixture_driver.c")
    out = os.path.join(directory, "libfixture.so")
    sh(f"cc -std=c11 -O2 -shared -fPIC -fvisibility=hidden -pthread -I {include} -DFAULT_NONE {source} -o {out}")
    return out


def write_component(directory, name, type_, metadata):
    items = "".join(f"    - name: {k}\n      value: \"{v}\"\n" for k, v in metadata.items())
    with open(os.path.join(directory, f"{name}.yaml"), "w") as f:
        f.write(f"apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n"
                f"  type: {type_}\n  version: v1\n  metadata:\n{items}")


def start_bindery(binary, port, *flags):
    """`bindery run` on `port` with `flags`, quiet but for warnings."""
    return subprocess.Popen([binary, "run", "--dapr-grpc-port", "0", "--dapr-http-port", str(port), "--log-level", "warn", *flags],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_status(url, status, timeout=10.0, interval=0.001):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == status:
                    return True
        except Exception:
            pass
        time.sleep(interval)
    return False


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def wrk(url, body, connections=32, seconds=10, threads=2):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' % body)
    script.write('done = function(summary, latency, requests)\n'
                 '  io.write(string.format("non2xx=%d errors=%d\\n", summary.errors.status, '
                 'summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\nend\n')
    script.close()
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
                         check=True, capture_output=True, text=True).stdout
    os.unlink(script.name)
    return parse_wrk(out)


def _duration_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(out):
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "99"):
        result[f"p{pct}"] = _duration_ms(re.search(rf"\s{pct}(?:\.000)?%\s+([\d.]+\w+)", out).group(1))
    counts = re.search(r"non2xx=(\d+) errors=(\d+)", out)
    result["non2xx"], result["errors"] = int(counts.group(1)), int(counts.group(2))
    return result


def start_nginx(port, directory):
    conf = os.path.join(directory, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 2; daemon off; pid {directory}/nginx.pid; error_log {directory}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {directory}; proxy_temp_path {directory};
  fastcgi_temp_path {directory}; uwsgi_temp_path {directory}; scgi_temp_path {directory};
  server {{ listen 127.0.0.1:{port}; location / {{ default_type application/json; return 200 '{{"a":1}}'; }} }} }}
""")
    process = subprocess.Popen(["nginx", "-c", conf, "-p", directory], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_status(f"http://127.0.0.1:{port}/", 200):
        process.kill()
        raise RuntimeError("nginx did not start")
    return process
