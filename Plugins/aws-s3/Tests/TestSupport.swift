import DriverKit
import DriverTesting
import Foundation

@testable import S3Driver

/// One moto server for this test process (it starts in about a second); each test makes its own
/// bucket on it. Tests that stop the server or check signatures start their own.
enum SharedMoto {
    private static let server = Task { try await ServerProcess.moto() }

    static func get() async throws -> ServerProcess { try await server.value }
}

/// A fresh bucket name (S3's rules: 3–63 lower-case letters, digits, hyphens).
func bucketName(_ label: String) -> String {
    "\(label)-\(UInt32.random(in: 0...UInt32.max))"
}

extension ServerProcess {
    /// Creates `bucket` with boto3.
    func createBucket(_ bucket: String) throws {
        _ = try boto3("client('s3').create_bucket(Bucket=\(pythonString(bucket)))")
    }

    /// The bytes stored under `key`, read with boto3 (nil when there is no such object).
    func objectBytes(_ bucket: String, _ key: String) throws -> [UInt8]? {
        let out = try boto3(
            """
            import botocore
            try:
                print(client('s3').get_object(Bucket=\(pythonString(bucket)), Key=\(pythonString(key)))['Body'].read().hex())
            except botocore.exceptions.ClientError as e:
                print('missing' if e.response['Error']['Code'] == 'NoSuchKey' else 'error ' + str(e))
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        if out == "missing" { return nil }
        guard !out.hasPrefix("error") else { throw TestFailure(out) }
        return hexBytes(out)
    }

    /// The keys in `bucket`, listed with boto3.
    func keys(_ bucket: String) throws -> [String] {
        let out = try boto3(
            """
            r = client('s3').list_objects_v2(Bucket=\(pythonString(bucket)))
            print(json.dumps([o['Key'] for o in r.get('Contents', [])]))
            """)
        return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String] ?? []
    }

    /// HeadObject's answer for `key` as JSON (ContentType, StorageClass, …) and the object's tags.
    func head(_ bucket: String, _ key: String) throws -> [String: Any] {
        let out = try boto3(
            """
            s3 = client('s3')
            h = s3.head_object(Bucket=\(pythonString(bucket)), Key=\(pythonString(key)))
            t = s3.get_object_tagging(Bucket=\(pythonString(bucket)), Key=\(pythonString(key)))['TagSet']
            print(json.dumps({'ContentType': h.get('ContentType'), 'StorageClass': h.get('StorageClass', 'STANDARD'),
                              'Tags': {x['Key']: x['Value'] for x in t}}))
            """)
        return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
    }

    /// Stores `bytes` under `key` with boto3.
    func putObject(_ bucket: String, _ key: String, _ bytes: [UInt8]) throws {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        _ = try boto3(
            "client('s3').put_object(Bucket=\(pythonString(bucket)), Key=\(pythonString(key)), Body=bytes.fromhex('\(hex)'))"
        )
    }
}

/// `text` as a Python string literal: quoted, with backslashes, quotes and control characters escaped.
func pythonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\", "\"": out += "\\" + String(scalar)
        case _ where scalar.value < 0x20:
            out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
        if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
        index = next
    }
    return bytes
}

/// An instance of component `component` for `metadata`, not started.
func makeDriver(_ metadata: [String: String], component: String = "files") throws -> S3Driver {
    let configuration = DriverConfiguration(
        componentName: component, type: "bindings.aws.s3", directions: .output, metadata: metadata)
    return try S3Driver(configuration: configuration, log: nil, environment: [:])
}

/// Metadata that reaches `server`'s `bucket` with any keys (moto's default mode); `extra` over it.
func metadata(_ server: ServerProcess, bucket: String, _ extra: [String: String] = [:]) -> [String: String] {
    [
        "bucket": bucket, "endpoint": server.endpointURL, "region": "us-east-1", "accessKey": "testing",
        "secretKey": "testing",
    ].merging(extra) { $1 }
}

/// A started driver for `bucket` on `server`; the caller stops it.
func startedDriver(_ server: ServerProcess, bucket: String, _ extra: [String: String] = [:]) async throws -> S3Driver {
    let driver = try makeDriver(metadata(server, bucket: bucket, extra))
    try await driver.start()
    return driver
}

extension S3Driver {
    /// Runs `operation` with `data` (text) and `metadata`.
    func call(_ operation: String, _ data: String = "", _ metadata: [String: String] = [:]) async throws
        -> InvokeResponse?
    {
        try await invoke(InvokeRequest(operation: operation, data: Array(data.utf8), metadata: metadata))
    }

    /// The message of the error `operation` fails with, or nil when it succeeds.
    func failure(_ operation: String, _ data: String = "", _ metadata: [String: String] = [:]) async -> String? {
        do {
            _ = try await call(operation, data, metadata)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

extension InvokeResponse {
    var text: String { String(decoding: data, as: UTF8.self) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(data)) }
}

/// Fetches `url` with plain curl (no AWS signing of its own); returns the status and body.
func curl(_ url: String) throws -> (status: Int, body: String) {
    let result = try run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", url])
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let status = Int(lines.last ?? "") ?? 0
    return (status, lines.dropLast().joined(separator: "\n"))
}
