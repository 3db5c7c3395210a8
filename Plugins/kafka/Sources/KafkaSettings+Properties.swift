extension KafkaSettings {
    enum Role { case producer, consumer }

    /// The librdkafka properties (CONFIGURATION.md names) for a client in `role`, in the order
    /// they are set. Pure, so tests check the mapping without a cluster.
    func properties(for role: Role) -> [(String, String)] {
        var properties: [(String, String)] = [
            ("bootstrap.servers", brokers),
            ("client.id", clientID),
            ("broker.version.fallback", version),
            ("reconnect.backoff.ms", String(reconnectBackoffMilliseconds)),
            ("reconnect.backoff.max.ms", String(max(reconnectBackoffMilliseconds, 10_000))),
            ("topic.metadata.refresh.interval.ms", String(metadataRefreshMilliseconds)),
            ("socket.connection.setup.timeout.ms", String(dialTimeoutMilliseconds)),
            ("socket.timeout.ms", String(socketTimeoutMilliseconds)),
            ("socket.keepalive.enable", "true"),
            // librdkafka refuses a message.max.bytes below 1000; bindery checks the exact limit itself.
            ("message.max.bytes", String(max(maxMessageBytes + 512, 1000))),
            ("log_level", "4"),
        ]
        properties += securityProperties()
        switch role {
        case .producer:
            properties += [
                ("acks", acks),
                ("message.send.max.retries", String(producerRetries)),
                ("compression.codec", compression),
                // Sarama's hash partitioner (Dapr's): FNV-1a of the key, random without a key;
                // librdkafka documents fnv1a_random as equivalent, so a key lands where Dapr puts it.
                ("partitioner", "fnv1a_random"),
                // Sent at once, as Sarama (Dapr) sends: each request waits for its delivery report, so
                // lingering only adds latency (bench/kafka.py: 1 ms halved the requests per second).
                ("linger.ms", "0"),
                // How long a request waits for its delivery report at most (Dapr: 30 s write timeout).
                ("message.timeout.ms", String(socketTimeoutMilliseconds)),
            ]
        case .consumer:
            properties += [
                ("group.id", consumerGroup ?? ""),
                ("enable.auto.commit", "false"),
                ("enable.auto.offset.store", "false"),
                ("auto.offset.reset", offsetReset),
                ("heartbeat.interval.ms", String(heartbeatMilliseconds)),
                ("session.timeout.ms", String(sessionTimeoutMilliseconds)),
                ("partition.assignment.strategy", assignmentStrategy),
                ("fetch.min.bytes", String(fetchMinBytes)),
                ("fetch.message.max.bytes", String(fetchPartitionBytes)),
                ("enable.partition.eof", "false"),
            ]
        }
        return properties
    }

    private func securityProperties() -> [(String, String)] {
        let sasl = security.auth == .password
        let protocolName =
            switch (sasl, security.tls) {
            case (false, false): "plaintext"
            case (false, true): "ssl"
            case (true, false): "sasl_plaintext"
            case (true, true): "sasl_ssl"
            }
        var properties = [("security.protocol", protocolName)]
        if sasl {
            properties += [
                ("sasl.mechanisms", security.mechanism ?? "PLAIN"),
                ("sasl.username", security.username ?? ""),
                ("sasl.password", security.password ?? ""),
            ]
        }
        guard security.tls else { return properties }
        if let ca = security.caCert { properties.append(("ssl.ca.pem", ca)) }
        if let cert = security.clientCert { properties.append(("ssl.certificate.pem", cert)) }
        if let key = security.clientKey { properties.append(("ssl.key.pem", key)) }
        if security.skipVerify {
            properties += [
                ("enable.ssl.certificate.verification", "false"), ("ssl.endpoint.identification.algorithm", "none"),
            ]
        }
        return properties
    }

    /// Properties whose values must never appear in an error or a log.
    static let secretProperties: Set<String> = ["sasl.password", "ssl.key.pem"]
}
