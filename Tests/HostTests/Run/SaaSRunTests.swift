import DriverTesting
import Foundation
import HostTestSupport
import Testing

/// bindings.twilio.sms, bindings.twilio.sendgrid and bindings.influx through `bindery run` (the
/// built .so files, component files as a Dapr user writes them plus the endpoint override),
/// through Dapr's HTTP API and the Python SDK over gRPC, against the local target that stands in
/// for Twilio, SendGrid (HTTPS) and InfluxDB 2 (HTTP) (issue 13); and `bindery validate`.
@Suite struct SaaSRunTests {
    /// The three secrets, none of which may reach a log line or an answer.
    private static let secrets = [
        ServerProcess.twilioAuthToken, ServerProcess.sendGridAPIKey, ServerProcess.influxToken,
    ]

    /// A resources folder with `sms` and `mail` on `https` and `influx` on `http`; the Twilio
    /// auth token comes from the environment (`TWILIO_TEST_TOKEN`), the other secrets as values.
    private func components(https: ServerProcess, http: ServerProcess) throws -> String {
        let directory = try temporaryDirectory("saas-components")
        let sms = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: sms
            spec:
              type: bindings.twilio.sms
              version: v1
              metadata:
                - name: accountSid
                  value: "\(ServerProcess.twilioAccountSid)"
                - name: authToken
                  envRef: TWILIO_TEST_TOKEN
                - name: fromNumber
                  value: "+15005550006"
                - name: endpoint
                  value: "\(https.targetURL)"
                - name: caCert
                  value: "\(https.certificatePath)"

            """
        try sms.write(toFile: "\(directory)/sms.yaml", atomically: true, encoding: .utf8)
        try writeComponent(
            directory, name: "mail", type: "bindings.twilio.sendgrid",
            metadata: [
                ("apiKey", ServerProcess.sendGridAPIKey), ("emailFrom", "orders@example.com"),
                ("emailFromName", "Orders"), ("emailTo", "team@example.com"), ("subject", "Order received"),
                ("endpoint", https.targetURL), ("caCert", https.certificatePath),
            ])
        try writeComponent(
            directory, name: "influx", type: "bindings.influx",
            metadata: [
                ("url", http.targetURL), ("token", ServerProcess.influxToken), ("org", ServerProcess.influxOrg),
                ("bucket", ServerProcess.influxBuckets[0]),
            ])
        return directory
    }

    @Test func theThreeBindingsWorkThroughTheHTTPAPIAndNoSecretIsShown() async throws {
        let https = try await ServerProcess.saasTarget()
        let http = try await ServerProcess.saasTarget(tls: false)
        let bindery = try await BinderyProcess(
            ["--resources-path", try components(https: https, http: http)],
            environment: ["TWILIO_TEST_TOKEN": ServerProcess.twilioAuthToken])
        defer { bindery.stop() }
        var answers: [String] = []

        let sms = try await bindery.invoke(
            "sms", "create", data: "\"Your order shipped\"", metadata: ["toNumber": "+15551234567"])
        #expect(sms.status == 204, "\(sms.text)")
        let refused = try await bindery.invoke("sms", "create", data: "\"x\"", metadata: ["toNumber": "+15005550001"])
        #expect(refused.status == 500)
        #expect(
            refused.json?["message"] as? String
                == "error invoking output binding sms: error from Twilio (400): 400 Bad Request: Twilio error 21211: The 'To' number +15005550001 is not a valid phone number. (more info: https://www.twilio.com/docs/errors/21211)"
        )
        #expect(refused.header("metadata.twilioErrorCode") == "21211")
        let twilio = try await https.targetRequests(count: 2)
        #expect(
            twilio.first?.form == ["Body": ["Your order shipped"], "From": ["+15005550006"], "To": ["+15551234567"]])

        let mail = try await bindery.invoke(
            "mail", "create", data: "\"<p>Shipped</p>\"",
            metadata: ["emailTo": "ann@example.com", "emailToName": "Ann"])
        #expect(mail.status == 204, "\(mail.text)")
        let badMail = try await bindery.invoke("mail", "create", data: "\"x\"", metadata: ["emailTo": "nobody"])
        #expect(badMail.status == 500)
        #expect(
            (badMail.json?["message"] as? String ?? "").hasPrefix(
                "error invoking output binding mail: error from SendGrid: sending email failed: 400 {Errors:[{Field:personalizations.0.to.0.email "
            ),
            "\(badMail.text)")
        let sendgrid = try await https.targetRequests(count: 4).filter { $0.path == "/v3/mail/send" }
        #expect(
            sendgrid.first?.body
                == #"{"from":{"name":"Orders","email":"orders@example.com"},"personalizations":[{"to":[{"name":"Ann","email":"ann@example.com"}],"subject":"Order received"}],"content":[{"type":"text/html","value":"\u003cp\u003eShipped\u003c/p\u003e"}]}"#
        )

        let point = try await bindery.invoke(
            "influx", "create", data: #"{"measurement":"orders","tags":{"shop":"eu 1"},"values":{"count":3}}"#)
        #expect(point.status == 204, "\(point.text)")
        let flux = #"from(bucket: "metrics") |> range(start: -1h)"#
        let query = try await bindery.invoke("influx", "query", metadata: ["raw": flux])
        #expect(query.status == 200, "\(query.text)")
        #expect(query.header("metadata.operation") == "query" && query.header("metadata.raw") == flux)
        #expect(query.text.contains(",3,count,orders,eu 1\r\n"), "\(query.text)")
        #expect(try http.targetRequests().first?.body == "orders,shop=eu\\ 1 count=3\n")

        answers += [sms, refused, mail, badMail, point, query].map(\.text)
        answers.append(try await bindery.request("GET", "/v1.0/metadata").text)
        for secret in SaaSRunTests.secrets {
            #expect(!bindery.log.contains(secret), "a secret reached bindery's log")
            #expect(!answers.contains { $0.contains(secret) }, "a secret reached an answer")
        }
    }

    @Test(.timeLimit(.minutes(2))) func thePythonSDKsInvokeBindingReachesAllThreeThroughGRPC() async throws {
        let https = try await ServerProcess.saasTarget()
        let http = try await ServerProcess.saasTarget(tls: false)
        let steps: [[String: Any]] = [
            [
                "label": "sms", "binding": "sms", "operation": "create", "data": "from the sdk",
                "metadata": ["toNumber": "+15551234567"],
            ],
            [
                "label": "smsRefused", "binding": "sms", "operation": "create", "data": "x",
                "metadata": ["toNumber": "+15005550009"],
            ],
            [
                "label": "mail", "binding": "mail", "operation": "create", "data": "<b>sdk</b>",
                "metadata": ["subject": "From Python"],
            ],
            [
                "label": "write", "binding": "influx", "operation": "create",
                "data": #"{"measurement":"sdk","tags":"lang=python","values":"n=1i"}"#,
            ],
            [
                "label": "query", "binding": "influx", "operation": "query",
                "metadata": ["raw": #"from(bucket: "metrics")"#],
            ],
        ]
        let stepsText = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
        let out = "\(try temporaryDirectory("saas-sdk"))/out.json"
        let bindery = try await BinderyProcess(
            [
                "--resources-path", try components(https: https, http: http), "--", "python3",
                "\(Paths.fixtures)/apps/saas_sdk_client.py", out, stepsText,
            ], environment: ["TWILIO_TEST_TOKEN": ServerProcess.twilioAuthToken], waitReady: false)
        defer { bindery.stop() }
        try await eventually("the SDK app to write \(out); log:\n\(bindery.log)", timeout: .seconds(60)) {
            FileManager.default.fileExists(atPath: out)
        }
        let written = try #require(FileManager.default.contents(atPath: out))
        let seen = try #require(try JSONSerialization.jsonObject(with: written) as? [String: [String: Any]])
        for label in ["sms", "mail", "write", "query"] {
            #expect(seen[label]?["error"] == nil, "\(label): \(seen[label] ?? [:])")
        }
        let refused = seen["smsRefused"]?["error"] as? String ?? ""
        #expect(refused.contains("Twilio error 21614: 'To' number is not a valid mobile number"), "\(refused)")
        #expect((seen["query"]?["data"] as? String ?? "").contains(",1,n,sdk,python\r\n"), "\(seen["query"] ?? [:])")
        #expect(
            seen["query"]?["metadata"] as? [String: String] == [
                "operation": "query", "raw": #"from(bucket: "metrics")"#,
            ])

        let received = try https.targetRequests()
        #expect(received.compactMap { $0.form?["Body"]?.first } == ["from the sdk", "x"])
        let mail = try #require(received.first { $0.path == "/v3/mail/send" })
        #expect(
            mail.status == 202 && mail.body.contains(#""subject":"From Python""#)
                && mail.body.contains(#""value":"\u003cb\u003esdk\u003c/b\u003e""#))
        #expect(try http.targetRequests().first?.body == "sdk,lang=python n=1i\n")
        for secret in SaaSRunTests.secrets {
            #expect(!bindery.log.contains(secret), "a secret reached bindery's log")
            #expect(!String(decoding: written, as: UTF8.self).contains(secret), "a secret reached the app")
        }
    }

    @Test func validateCatchesEachMissingRequiredField() throws {
        let components = try temporaryDirectory("saas-validate")
        try writeComponent(
            components, name: "sms", type: "bindings.twilio.sms",
            metadata: [("accountSid", "AC1"), ("fromNumber", "+15005550006")])
        try writeComponent(
            components, name: "mail", type: "bindings.twilio.sendgrid", metadata: [("emailFrom", "a@example.com")])
        try writeComponent(
            components, name: "influx", type: "bindings.influx",
            metadata: [("url", "http://localhost:8086"), ("token", "t"), ("org", "o")])
        let result = try run(try Paths.bindery, ["validate", "--resources-path", components])
        #expect(result.status != 0)
        for (name, type, field) in [
            ("sms", "bindings.twilio.sms", "authToken"), ("mail", "bindings.twilio.sendgrid", "apiKey"),
            ("influx", "bindings.influx", "bucket"),
        ] {
            #expect(
                result.stdout.contains(
                    "component \"\(name)\" (\(type)): required metadata field \"\(field)\" is missing"),
                "\(result.stdout)\(result.stderr)")
        }
        #expect(result.stdout.contains("3 components, 3 errors"), "\(result.stdout)")
    }
}
