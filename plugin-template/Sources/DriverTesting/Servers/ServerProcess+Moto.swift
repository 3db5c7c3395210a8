import Foundation

extension ServerProcess {
    /// A started moto server (an AWS API server from PyPI: S3, SQS, SNS, DynamoDB, Kinesis, IAM…)
    /// on a free port. Without `checkingSignatures` any key and secret are accepted. With it, the
    /// server creates an IAM user allowed everything and checks SigV4 on every later request:
    /// `motoCredentials()` returns that user's key and secret (moto's
    /// INITIAL_NO_AUTH_ACTION_COUNT, spent on the three IAM calls). State lives in memory: a
    /// restart (`stop`, `start`) forgets every bucket, queue, table and stream. It exits with the
    /// test process.
    public static func moto(checkingSignatures: Bool = false) async throws -> ServerProcess {
        try await started {
            try ServerProcess(name: checkingSignatures ? "moto-auth" : "moto", program: "/usr/bin/env") {
                port, directory in
                try motoServerScript.write(toFile: "\(directory)/moto_server.py", atomically: true, encoding: .utf8)
                return [
                    "python3", "\(directory)/moto_server.py", String(port), directory, String(getpid()),
                    checkingSignatures ? "auth" : "open",
                ]
            } isReady: { server in
                isListening(port: server.port)
                    && (server.name == "moto"
                        || FileManager.default.fileExists(atPath: "\(server.directory)/keys.json"))
            }
        }
    }

    /// One moto (no signature checks) for every test in the process that only creates resources
    /// with names of its own (`uniqueName`) and never stops the server: moto's start costs a few
    /// seconds of CPU, which tests running side by side on 2 cores pay once instead of each.
    public static func sharedMoto() async throws -> ServerProcess {
        try await sharedMotoServer.value
    }

    private static let sharedMotoServer = Task { try await moto() }

    /// A name for a bucket, queue, table or stream that no other test uses (lowercase letters,
    /// digits and `-`, which every AWS service accepts): `prefix` and a random suffix.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }

    /// `http://127.0.0.1:PORT`, the `endpoint` a component gives to reach this server.
    public var endpointURL: String { "http://127.0.0.1:\(port)" }

    /// The access key and secret a signature-checking moto accepts (see `moto(checkingSignatures:)`).
    public func motoCredentials() throws -> (accessKey: String, secretKey: String) {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/keys.json"))
        guard let keys = try JSONSerialization.jsonObject(with: data) as? [String: String],
            let access = keys["accessKeyId"], let secret = keys["secretAccessKey"]
        else { throw TestFailure("\(directory)/keys.json holds no keys") }
        return (access, secret)
    }

    /// Runs Python with boto3 against this server: `script` sees `client(service)` (a boto3
    /// client for this server, region us-east-1, with the accepted keys) and `json`; what it
    /// prints is returned. For setting up and inspecting buckets, queues, tables and streams.
    public func boto3(_ script: String) throws -> String {
        let keys = name == "moto-auth" ? try motoCredentials() : ("testing", "testing")
        let prelude = """
            import json, boto3
            def client(service):
                return boto3.client(service, endpoint_url="\(endpointURL)", region_name="us-east-1",
                                    aws_access_key_id="\(keys.0)", aws_secret_access_key="\(keys.1)")

            """
        let result = try run("/usr/bin/env", ["python3", "-c", prelude + script])
        guard result.status == 0 else { throw TestFailure("boto3 script failed: \(result.stderr)\n\(script)") }
        return result.stdout
    }

    /// Receives and deletes every visible message of SQS queue `queue` (boto3); their bodies in
    /// the order received. Ends at the first receive that finds nothing within 1 s.
    public func sqsDrain(_ queue: String) throws -> [String] {
        let script = """
            sqs = client('sqs'); url = sqs.get_queue_url(QueueName='\(queue)')['QueueUrl']; bodies = []
            while True:
                messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get('Messages', [])
                if not messages: break
                for m in messages:
                    bodies.append(m['Body']); sqs.delete_message(QueueUrl=url, ReceiptHandle=m['ReceiptHandle'])
            print(json.dumps(bodies))
            """
        let printed = try boto3(script)
        guard let bodies = try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String] else {
            throw TestFailure("draining queue \(queue) printed \(printed)")
        }
        return bodies
    }

    /// The visible plus in-flight messages of SQS queue `queue` (boto3, GetQueueAttributes).
    public func sqsCount(_ queue: String) throws -> Int {
        let script = """
            sqs = client('sqs'); url = sqs.get_queue_url(QueueName='\(queue)')['QueueUrl']
            names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']
            print(sum(int(v) for v in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)['Attributes'].values()))
            """
        let printed = try boto3(script).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let count = Int(printed) else { throw TestFailure("counting queue \(queue) printed \(printed)") }
        return count
    }
}

/// Runs moto's threaded server; arguments port, directory, the pid to outlive no longer than
/// (checked twice a second) and `auth` or `open`.
let motoServerScript = #"""
    import json, os, sys, time
    port, directory, parent, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    keys = os.path.join(directory, "keys.json")
    if os.path.exists(keys):
        os.remove(keys)  # a restart makes a new user and keys: readiness waits for them
    if mode == "auth":
        # Exactly the three IAM calls below go unchecked; every later request must be signed.
        os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
    from moto.server import ThreadedMotoServer
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(port), verbose=False)
    server.start()
    if mode == "auth":
        import boto3
        iam = boto3.client("iam", endpoint_url="http://127.0.0.1:%s" % port, region_name="us-east-1",
                           aws_access_key_id="setup", aws_secret_access_key="setup")
        iam.create_user(UserName="bindery")
        iam.put_user_policy(UserName="bindery", PolicyName="everything", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="bindery")["AccessKey"]
        partial = os.path.join(directory, "keys.json.partial")
        with open(partial, "w") as out:
            json.dump({"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}, out)
        os.replace(partial, keys)
    print("moto listening on", port, mode, flush=True)
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)
    """#
