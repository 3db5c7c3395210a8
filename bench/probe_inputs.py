"""The hostile inputs bench/probe.py sends: generated, deterministic for a given random seed."""
import glob
import os
import random

from common import ROOT

# Requests whose well-formed answer is never a 5xx, so that a 5xx always means bindery failed.
BASES = [
    b"GET /v1.0/metadata HTTP/1.1\r\nHost: localhost\r\ndapr-api-token: probe-token-7f3a\r\n\r\n",
    b"POST /v1.0/bindings/files HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n",
    b"PUT /v1.0/metadata/probe HTTP/1.1\r\nHost: localhost\r\ndapr-api-token: probe-token-7f3a\r\n"
    b"Content-Length: 5\r\n\r\nhello",
]

HANDWRITTEN = [
    b"GET / HTTP/1.2\r\n\r\n", b"GET / HTTP/2.0\r\n\r\n", b"GET / HTTP/0.9\r\n\r\n", b"GET /\r\n\r\n",
    b"get /v1.0/metadata HTTP/1.1\r\n\r\n", b"G\x00T / HTTP/1.1\r\n\r\n", b"GET  / HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", b"GET / HTTP/1.1\r\n: empty-name\r\n\r\n",
    b"GET / HTTP/1.1\r\nNo-Colon\r\n\r\n", b"GET / HTTP/1.1\r\nName : v\r\n\r\n",
    b"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", b"GET / HTTP/1.1\r\nA: b\x00c\r\n\r\n",
    b"GET / HTTP/1.1\r\nA: b\rInjected: 1\r\n\r\n", b"GET / HTTP/1.1\nHost: x\n\n",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n\r\n",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;" + b"e" * 70000 + b"\r\n",
    b"POST /v1.0/metadata/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello",
    b"GET http://evil/v1.0/metadata HTTP/1.1\r\n\r\n", b"CONNECT evil:443 HTTP/1.1\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\n\r\n", b"GET /" + b"a" * 200000 + b" HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\n" + b"A: b\r\n" * 20000 + b"\r\n", b"GET / HTTP/1.1\r\nA: " + b"b" * 2_000_000 + b"\r\n\r\n",
    b"\r\n\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    b"GET /%zz HTTP/1.1\r\n\r\n", b"GET /v1.0/bindings/%00 HTTP/1.1\r\n\r\n", b"\xff\xfe\xfd\r\n\r\n",
]


def malformed_requests(count=2100):
    """Handwritten cases, every truncation and CR/LF/NUL/space substitution of each base, then
    random byte mutations, up to `count` requests."""
    out = list(HANDWRITTEN)
    for base in BASES:
        out += [base[:i] for i in range(1, len(base), 3)]
        for i in range(0, len(base), 4):
            for byte in (b"\r", b"\n", b"\x00", b" ", b"\xff"):
                out.append(base[:i] + byte + base[i + 1:])
    while len(out) < count:
        base = bytearray(random.choice(BASES))
        for _ in range(random.randint(1, 6)):
            base[random.randrange(len(base))] = random.randrange(256)
        out.append(bytes(base))
    return out[:count]


def token_attempts(token):
    """Requests that must all be refused: every protected route under path tricks and header
    tricks, none of which carries the right token in a form HTTP reads as that header."""
    paths = ["/v1.0/metadata", "/v1.0/bindings/files", "/v1.0/metadata/x", "//v1.0/metadata", "/v1.0//metadata",
             "/v1.0/healthz/../metadata", "/v1.0/healthz/%2e%2e/metadata", "/V1.0/metadata", "/v1.0/metadata/",
             "/v1.0/metadata?x=1", "/v1.0/healthz;/../metadata", "/v1.0/healthz/outbound/../../bindings/files",
             "/%761.0/metadata", "/./v1.0/metadata", "/v1.0/./bindings/files", "/v1.0/bindings/files%00",
             "/v1.0/bindings/../metadata", "/v1.0/healthz%2f..%2fmetadata", "/v1.0/bindings//files",
             "http://x/v1.0/metadata", "/v1.0/bindings/files?dapr-api-token=" + token,
             "/v1.0/metadata#" + token, "/v1.0/healthz/../../v1.0/metadata", "/v1.0/Metadata"]
    headers = ["", "dapr-api-token: wrong\r\n", "dapr-api-token: " + token.upper() + "\r\n",
               "dapr-api-token: " + token[:-1] + "\r\n", "dapr-api-token: " + token + "x\r\n",
               "dapr-api-token:\r\n", "dapr_api_token: " + token + "\r\n", "dapr-api-token : " + token + "\r\n",
               "dapr-api-token: wrong\r\ndapr-api-token: " + token + "\r\n",
               "dapr-api-token: " + token[:4] + "\r\n " + token[4:] + "\r\n",
               "x-dapr-api-token: " + token + "\r\n", "authorization: Bearer " + token + "\r\n",
               "dapr-api-token: " + token + "\x00\r\n", "dapr-api-token\x00: " + token + "\r\n"]
    paths = [p + suffix for p in paths for suffix in ("", "?", "?a=b", "/.")]
    methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]
    return [(m, p, h) for m in methods for p in paths for h in headers]


def traversal_names():
    """File names aimed outside the root (`outside/secret` beside it, `link-out` a symlink to it)."""
    prefixes = ["../", "../../", "..\\", "%2e%2e/", "..%2f", "....//", "/", "//", "./../", "a/../../", "a/b/../../../",
                "link-out/", "link-out/../", "./link-out/", "link-out//", ".../", "..;/", "\u2024\u2024/", "..\0/",
                "a/..\0/../", "link-out/./", "../root/../"]
    targets = ["outside/secret", "secret", "etc/passwd", "proc/self/environ", "", ".", "..", "outside",
               "outside/new-file", "link-out", "secret\0.txt", "x" * 300, "outside/../outside/secret", "secret%00"]
    names = [p + t for p in prefixes for t in targets]
    names += ["/tmp", "/etc/passwd", "link-out", "link-out/secret", "\0", "a\0b", "\n", "C:\\x", "~/x", "$HOME"]
    return names


def component_mutations(count=433):
    """Real component files (the examples and every driver's example.yaml), mutated."""
    files = sorted(glob.glob(os.path.join(ROOT, "Plugins", "*", "example.yaml")))
    files += sorted(glob.glob(os.path.join(ROOT, "examples", "components", "*.yaml")))
    bases = [open(f, "rb").read() for f in files]
    out = [b"\x00", b"\xef\xbb\xbf" + bases[0], b"[" * 100000, b"{" * 100000, b"a: &x [*x]\n", b"- " * 50000,
           b"kind: Comp\x00onent\n", b'metadata: {name: "' + b"\\u0041" * 600000 + b'"}\n',
           b'x: "' + b"a" * 3_000_000 + b'"\n', b"x: '" + b"''" * 1_000_000 + b"'\n", b"x: |\n" + b"  l\n" * 200000,
           bases[0].replace(b"value:", b"value: " + b"{uuid}" * 100000, 1), b"\t" * 1000, b"---\n" * 100000]
    while len(out) < count:
        base = bytearray(random.choice(bases))
        kind = random.randrange(4)
        if kind == 0:
            base = base[:random.randrange(len(base))]
        elif kind == 1:
            for _ in range(random.randint(1, 8)):
                base[random.randrange(len(base))] = random.randrange(256)
        elif kind == 2:
            at = random.randrange(len(base))
            base[at:at] = random.choice([b"\x00", b"\t", b"\r", b"&a ", b"*a", b"!!binary ", b"? ", b"\xc3", b"{"])
        else:
            lines = base.split(b"\n")
            random.shuffle(lines)
            base = bytearray(b"\n".join(lines))
        out.append(bytes(base))
    return out[:count]
