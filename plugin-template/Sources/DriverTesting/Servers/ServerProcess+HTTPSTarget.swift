import Foundation

extension ServerProcess {
    /// The Twilio account the SaaS target accepts (Basic auth user and the path's account).
    public static let twilioAccountSid = "AC0123456789abcdef0123456789abcdef"
    /// The auth token it accepts for that account.
    public static let twilioAuthToken = "twilio-token-7f3a9c"
    /// The SendGrid API key it accepts (`Authorization: Bearer …`).
    public static let sendGridAPIKey = "SG.bindery-test.sendgrid-key-4d2e8b"
    /// The InfluxDB token it accepts (`Authorization: Token …`), its organisation and buckets.
    public static let influxToken = "influx-token-5b1c0e"
    public static let influxOrg = "bindery"
    public static let influxBuckets = ["metrics", "events"]

    /// A started local stand-in for the SaaS APIs no server here can run (Python's http.server,
    /// `python3` from PATH): Twilio's `POST /2010-04-01/Accounts/{sid}/Messages.json`, SendGrid's
    /// `POST /v3/mail/send`, and InfluxDB 2's `POST /api/v2/write` and `POST /api/v2/query`.
    ///
    /// It checks each request as the real service does (method, content type, the credentials
    /// above, the fields), answers with that service's success and error bodies, and appends every
    /// request it saw to `requests.jsonl` (`targetRequests()`). With `tls` it serves HTTPS with a
    /// self-signed certificate for 127.0.0.1 made by `openssl req` (`certificatePath`), which a
    /// client must be told to trust. InfluxDB points written are kept in memory per bucket, and a
    /// Flux `from(bucket: "…")` query returns them as InfluxDB 2's annotated CSV. It exits with the
    /// test process.
    public static func saasTarget(tls: Bool = true) async throws -> ServerProcess {
        try await started {
            try ServerProcess(name: tls ? "https-target" : "http-target", program: "/usr/bin/env") { port, directory in
                try saasTargetScript.write(toFile: "\(directory)/saas_target.py", atomically: true, encoding: .utf8)
                if tls {
                    let openssl = try run(
                        "/usr/bin/env",
                        [
                            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-keyout", "\(directory)/server.key", "-out", "\(directory)/server.pem", "-days",
                            "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        ])
                    guard openssl.status == 0 else { throw TestFailure("openssl req failed: \(openssl.stderr)") }
                }
                let settings: [String: Any] = [
                    "twilio": ["sid": twilioAccountSid, "token": twilioAuthToken],
                    "sendgrid": ["key": sendGridAPIKey],
                    "influx": ["token": influxToken, "org": influxOrg, "buckets": influxBuckets],
                ]
                try JSONSerialization.data(withJSONObject: settings).write(
                    to: URL(fileURLWithPath: "\(directory)/settings.json"))
                return [
                    "python3", "\(directory)/saas_target.py", String(port), directory, tls ? "tls" : "plain",
                    String(getpid()),
                ]
            }
        }
    }

    /// The target's base URL: `https://127.0.0.1:PORT` (or http:// without TLS), no slash.
    public var targetURL: String { (name == "https-target" ? "https" : "http") + "://127.0.0.1:\(port)" }

    /// The PEM file of the target's self-signed certificate (TLS only).
    public var certificatePath: String { "\(directory)/server.pem" }

    /// Every request the target received so far, oldest first.
    public func targetRequests() throws -> [TargetRequest] {
        guard let data = FileManager.default.contents(atPath: "\(directory)/requests.jsonl") else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(TargetRequest.self, from: Data($0))
        }
    }

    /// Waits until the target holds `count` requests (30 s at most: it is Python, and the tests
    /// share two cores) and returns them all.
    public func targetRequests(count: Int, timeout: Duration = .seconds(30)) async throws -> [TargetRequest] {
        try await eventually("\(count) request(s) at \(name)", timeout: timeout) {
            try targetRequests().count >= count
        }
        return try targetRequests()
    }
}

/// One request as the SaaS target received it, and what it answered.
public struct TargetRequest: Decodable, Sendable {
    public var method: String
    /// The path without the query.
    public var path: String
    /// The query parameters, each with its values in order (percent-decoding undone).
    public var query: [String: [String]]
    /// The raw query string, as sent.
    public var rawQuery: String
    /// Every header in order, names as sent.
    public var headers: [[String]]
    /// The body, decoded as UTF-8 (after gzip, when it was gzipped).
    public var body: String
    /// The form fields of a form-encoded body, each with its values in order.
    public var form: [String: [String]]?
    /// The status the target answered with.
    public var status: Int
    /// Whether it came over TLS.
    public var tls: Bool

    /// The values of header `name`, matched case-insensitively.
    public func header(_ name: String) -> [String] {
        headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.count > 1 ? $0[1] : nil }
    }

    /// The body parsed as JSON (nil when it is not JSON).
    public var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
}

/// The target: arguments port, directory (with settings.json, and server.pem/server.key for
/// TLS), "tls" or "plain", and the pid to outlive no longer than (checked twice a second).
let saasTargetScript = #"""
    import base64, gzip, json, os, re, secrets, ssl, sys, threading, time
    from email.utils import formatdate
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlsplit

    port, directory, mode, parent = sys.argv[1:5]
    settings = json.load(open(os.path.join(directory, "settings.json")))
    lock = threading.Lock()
    points = {}  # bucket -> list of (measurement, tags, fields, timestamp ns)

    # ---- Twilio: /2010-04-01/Accounts/{sid}/Messages.json -----------------------------------

    def twilio_error(code, message, status, **extra):
        body = {"code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                "status": status}
        body.update(extra)
        return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body).encode()

    def twilio(handler, path, body):
        match = re.fullmatch(r"/2010-04-01/Accounts/([^/]+)/Messages\.json", path)
        if handler.command != "POST" or not match:
            return twilio_error(20404, "The requested resource %s was not found" % path, 404)
        auth = handler.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(
            ("%s:%s" % (settings["twilio"]["sid"], settings["twilio"]["token"])).encode()).decode()
        if auth != expected:
            return twilio_error(20003, "Authenticate", 401, detail="Your AccountSid or AuthToken was incorrect.")
        if match.group(1) != settings["twilio"]["sid"]:
            return twilio_error(20404, "The requested resource %s was not found" % path, 404)
        if handler.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
            return twilio_error(21601, "bindery target: Content-Type is %r, expected a form" %
                                handler.headers.get("Content-Type"), 400)
        form = parse_qs(body.decode(), keep_blank_values=True)
        to, sender, text = (form.get(k, [""])[0] for k in ("To", "From", "Body"))
        if not to:
            return twilio_error(21604, "A 'To' phone number is required.", 400)
        if not sender:
            return twilio_error(21603, "A 'From' phone number is required.", 400)
        if to == "+15005550001":  # Twilio's magic test number for an invalid 'To'
            return twilio_error(21211, "The 'To' number %s is not a valid phone number." % to, 400)
        if to == "+15005550009":
            return twilio_error(21614, "'To' number is not a valid mobile number", 400)
        if not text:
            return twilio_error(21602, "Message body is required.", 400)
        if len(text) > 1600:
            return twilio_error(21617, "The concatenated message body exceeds the 1600 character limit.", 400)
        sid = "SM" + secrets.token_hex(16)
        account = settings["twilio"]["sid"]
        now = formatdate(usegmt=False).replace("-0000", "+0000")
        uri = "/2010-04-01/Accounts/%s/Messages/%s" % (account, sid)
        message = {
            "account_sid": account, "api_version": "2010-04-01", "body": text, "date_created": now,
            "date_sent": None, "date_updated": now, "direction": "outbound-api", "error_code": None,
            "error_message": None, "from": sender, "messaging_service_sid": None, "num_media": "0",
            "num_segments": "1", "price": None, "price_unit": "USD", "sid": sid, "status": "queued",
            "subresource_uris": {"media": uri + "/Media.json"}, "to": to, "uri": uri + ".json",
        }
        return 201, {"Content-Type": "application/json; charset=utf-8", "Twilio-Request-Id": "RQ" + secrets.token_hex(16)}, \
            json.dumps(message).encode()

    # ---- SendGrid: /v3/mail/send --------------------------------------------------------------

    HELP = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message."

    def sendgrid_errors(status, *errors):
        body = {"errors": [{"message": m, "field": f, "help": h} for m, f, h in errors]}
        return status, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def valid_address(value):
        return isinstance(value, str) and re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", value) is not None

    def sendgrid(handler, path, body):
        if path != "/v3/mail/send" or handler.command != "POST":
            return sendgrid_errors(404, ("Not Found", None, None))
        auth = handler.headers.get("Authorization")
        if auth is None:
            return sendgrid_errors(401, ("Permission denied, wrong credentials", None, None))
        if auth != "Bearer " + settings["sendgrid"]["key"]:
            return sendgrid_errors(401, ("The provided authorization grant is invalid, expired, or revoked", None, None))
        if handler.headers.get("Content-Type", "").split(";")[0] != "application/json":
            return sendgrid_errors(415, ("Content-Type should be application/json.", None, None))
        try:
            mail = json.loads(body)
        except ValueError:
            return sendgrid_errors(400, ("Bad Request", None, None))
        errors = []
        sender = mail.get("from") or {}
        if not valid_address(sender.get("email")):
            errors.append(("The from email does not contain a valid address.", "from.email", HELP + "from"))
        people = mail.get("personalizations") or []
        if not people:
            errors.append(("The personalizations field is required and must have at least one personalization.",
                           "personalizations", HELP + "personalizations"))
        for i, person in enumerate(people):
            for kind in ("to", "cc", "bcc"):
                for j, address in enumerate(person.get(kind) or []):
                    if not valid_address(address.get("email")):
                        errors.append(("Does not contain a valid address.",
                                       "personalizations.%d.%s.%d.email" % (i, kind, j), HELP + "personalizations." + kind))
        template = mail.get("template_id")
        if template is not None and not re.fullmatch(r"d-[0-9a-f]{32}", template):
            errors.append(("The template_id must be a valid GUID, you provided '%s'." % template, "template_id",
                           HELP + "template_id"))
        for i, content in enumerate(mail.get("content") or []):
            if not content.get("value") and template is None:
                errors.append(("The content value must be a string at least one character in length.",
                               "content.%d.value" % i, HELP + "content.value"))
        if errors:
            return sendgrid_errors(400, *errors)
        return 202, {"X-Message-Id": secrets.token_urlsafe(16)}, b""

    # ---- InfluxDB 2: /api/v2/write and /api/v2/query -------------------------------------------

    def influx_error(status, code, message):
        return status, {"Content-Type": "application/json; charset=utf-8", "X-Platform-Error-Code": code}, \
            json.dumps({"code": code, "message": message}).encode()

    def split_unescaped(text, separators, limit=-1):
        parts, current, quoted, i = [], "", False, 0
        while i < len(text):
            c = text[i]
            if c == "\\" and i + 1 < len(text):
                current += text[i:i + 2]
                i += 2
                continue
            if c == '"':
                quoted = not quoted
            if c in separators and not quoted and (limit < 0 or len(parts) < limit):
                parts.append(current)
                current = ""
            else:
                current += c
            i += 1
        parts.append(current)
        return parts

    def unescape(text):
        return re.sub(r"\\(.)", r"\1", text)

    def parse_line(line):
        """One line of line protocol -> (measurement, tags, fields, timestamp) or raises ValueError."""
        head_fields = split_unescaped(line, " ", 2)
        if len(head_fields) < 2 or not head_fields[1]:
            raise ValueError("missing fields")
        series = split_unescaped(head_fields[0], ",")
        measurement = unescape(series[0])
        if not measurement:
            raise ValueError("missing measurement")
        tags = {}
        for pair in series[1:]:
            kv = split_unescaped(pair, "=")
            if len(kv) != 2 or not kv[0]:
                raise ValueError("missing tag key")
            if not kv[1]:
                raise ValueError("missing tag value")
            tags[unescape(kv[0])] = unescape(kv[1])
        fields = {}
        for pair in split_unescaped(head_fields[1], ","):
            kv = split_unescaped(pair, "=", 1)
            if len(kv) != 2 or not kv[0]:
                raise ValueError("missing field key")
            key, raw = unescape(kv[0]), kv[1]
            if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
                fields[key] = ("string", re.sub(r'\\(["\\])', r"\1", raw[1:-1]))
            elif raw in ("t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE"):
                fields[key] = ("boolean", raw.lower().startswith("t"))
            elif re.fullmatch(r"-?\d+i", raw):
                fields[key] = ("long", int(raw[:-1]))
            elif re.fullmatch(r"\d+u", raw):
                fields[key] = ("unsignedLong", int(raw[:-1]))
            else:
                try:
                    fields[key] = ("double", float(raw))
                except ValueError:
                    raise ValueError("invalid field format")
        timestamp = time.time_ns()
        if len(head_fields) == 3 and head_fields[2]:
            if not re.fullmatch(r"-?\d+", head_fields[2]):
                raise ValueError("bad timestamp")
            timestamp = int(head_fields[2])
        return measurement, tags, fields, timestamp

    def influx_auth(handler):
        if handler.headers.get("Authorization") != "Token " + settings["influx"]["token"]:
            return influx_error(401, "unauthorized", "unauthorized access")
        return None

    def influx_write(handler, query, body):
        refused = influx_auth(handler)
        if refused:
            return refused
        org, bucket = query.get("org", [""])[0], query.get("bucket", [""])[0]
        precision = query.get("precision", ["ns"])[0]
        if not bucket:
            return influx_error(400, "invalid", "bucket is required")
        if org != settings["influx"]["org"]:
            return influx_error(404, "not found", 'organization name "%s" not found' % org)
        if bucket not in settings["influx"]["buckets"]:
            return influx_error(404, "not found", 'bucket "%s" not found' % bucket)
        if precision not in ("ns", "us", "ms", "s"):
            return influx_error(400, "invalid", 'invalid precision "%s"' % precision)
        parsed = []
        for line in body.decode().split("\n"):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                parsed.append(parse_line(line))
            except ValueError as reason:
                return influx_error(400, "invalid", "unable to parse '%s': %s" % (line, reason))
        with lock:
            points.setdefault(bucket, []).extend(parsed)
        return 204, {}, b""

    def rfc3339(ns):
        seconds, rest = divmod(ns, 1_000_000_000)
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
        return text + ("." + ("%09d" % rest).rstrip("0") if rest else "") + "Z"

    def csv_cell(value):
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float):
            text = repr(value)[:-2] if repr(value).endswith(".0") else repr(value)  # Go's 'f', -1 for these
        else:
            text = str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text

    def annotated_csv(series_list):
        """InfluxDB 2's annotated CSV for the default dialect: one table per series."""
        out, table = [], 0
        start, stop = rfc3339(0), rfc3339(time.time_ns())
        for (measurement, tag_items, field, kind), rows in series_list:
            tag_keys = [k for k, _ in tag_items]
            columns = ["result", "table", "_start", "_stop", "_time", "_value", "_field", "_measurement"] + tag_keys
            types = ["string", "long", "dateTime:RFC3339", "dateTime:RFC3339", "dateTime:RFC3339", kind, "string",
                     "string"] + ["string"] * len(tag_keys)
            groups = ["false", "false", "true", "true", "false", "false", "true", "true"] + ["true"] * len(tag_keys)
            out.append("#datatype," + ",".join(types))
            out.append("#group," + ",".join(groups))
            out.append("#default,_result" + "," * (len(columns) - 1))
            out.append("," + ",".join(columns))
            for timestamp, value in rows:
                cells = ["", str(table), start, stop, rfc3339(timestamp), value, field, measurement]
                cells += [v for _, v in tag_items]
                out.append("," + ",".join(csv_cell(c) for c in cells))
            out.append("")
            table += 1
        return ("\r\n".join(out) + "\r\n").encode() if out else b"\r\n"

    def influx_query(handler, query, body):
        refused = influx_auth(handler)
        if refused:
            return refused
        org = query.get("org", [""])[0]
        if org != settings["influx"]["org"]:
            return influx_error(404, "not found", 'organization name "%s" not found' % org)
        if handler.headers.get("Content-Type", "").split(";")[0] != "application/json":
            return influx_error(400, "invalid", "bindery target: a Flux query is sent as application/json")
        try:
            request = json.loads(body)
        except ValueError as reason:
            return influx_error(400, "invalid", "failed to decode request body: %s" % reason)
        flux = request.get("query", "")
        if request.get("type", "flux") != "flux":
            return influx_error(400, "invalid", 'unsupported query type "%s"' % request.get("type"))
        match = re.match(r'\s*from\(\s*bucket\s*:\s*"([^"]*)"\s*\)', flux)
        if not match:
            word = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", flux)
            name = word.group(1) if word else flux[:1]
            return influx_error(400, "invalid", "compilation failed: error @1:1-1:%d: undefined identifier %s"
                                % (len(name) + 1, name))
        bucket = match.group(1)
        if bucket not in settings["influx"]["buckets"]:
            return influx_error(404, "not found",
                                'failed to initialize execute state: could not find bucket "%s"' % bucket)
        series = {}
        with lock:
            for measurement, tags, fields, timestamp in points.get(bucket, []):
                for field, (kind, value) in sorted(fields.items()):
                    key = (measurement, tuple(sorted(tags.items())), field, kind)
                    series.setdefault(key, []).append((timestamp, value))
        answer = annotated_csv(sorted(series.items(), key=lambda item: item[0]))
        headers = {"Content-Type": "text/csv; charset=utf-8"}
        if "gzip" in handler.headers.get("Accept-Encoding", ""):
            answer = gzip.compress(answer)
            headers["Content-Encoding"] = "gzip"
        return 200, headers, answer

    # ---- the server ---------------------------------------------------------------------------

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            pass

        def do_POST(self):
            self.handle_request()

        def do_GET(self):
            self.handle_request()

        def handle_request(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            parts = urlsplit(self.path)
            query = parse_qs(parts.query, keep_blank_values=True)
            try:
                if parts.path.startswith("/2010-04-01/"):
                    status, headers, answer = twilio(self, parts.path, body)
                elif parts.path.startswith("/v3/"):
                    status, headers, answer = sendgrid(self, parts.path, body)
                elif parts.path == "/api/v2/write" and self.command == "POST":
                    status, headers, answer = influx_write(self, query, body)
                elif parts.path == "/api/v2/query" and self.command == "POST":
                    status, headers, answer = influx_query(self, query, body)
                else:
                    status, headers, answer = 404, {"Content-Type": "text/plain"}, b"404 page not found\n"
            except Exception as error:
                # A request the checks did not expect fails the test with a clear answer, not a hang.
                status, headers = 500, {"Content-Type": "text/plain"}
                answer = ("target raised %s: %s\n" % (type(error).__name__, error)).encode()
            form = None
            if self.headers.get("Content-Type", "").split(";")[0] == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            record = {
                "method": self.command, "path": parts.path, "query": query, "rawQuery": parts.query,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"), "form": form, "status": status, "tls": mode == "tls",
            }
            with lock, open(os.path.join(directory, "requests.jsonl"), "a") as out:
                out.write(json.dumps(record) + "\n")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
    server.daemon_threads = True
    if mode == "tls":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(os.path.join(directory, "server.pem"), os.path.join(directory, "server.key"))
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("listening on", port, "mode", mode, flush=True)
    while os.getppid() == int(parent) or int(parent) == 0:
        time.sleep(0.5)
    os._exit(0)
    """#
