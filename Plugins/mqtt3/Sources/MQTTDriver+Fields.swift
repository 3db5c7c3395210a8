import DriverKit

extension MQTTDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    static let fields: [MetadataField] = [
        MetadataField(
            MQTTKey.url, required: true,
            description:
                "Broker address: tcp:// or mqtt:// (plain), ssl://, mqtts://, tcps:// or tls:// (TLS), with optional user:password@ and :port (default 1883 or 8883)."
        ),
        MetadataField(
            MQTTKey.topic, required: true,
            description:
                "Topic filter the input subscribes to at QoS 1, and the topic output publishes to unless the request's metadata topic overrides it."
        ),
        MetadataField(
            MQTTKey.consumerID, required: true,
            description: "Client id prefix: output connects as <consumerID>-producer, input as <consumerID>-consumer."),
        MetadataField(
            MQTTKey.retain, .bool, default: "false",
            description:
                "Whether published messages are retained by the broker; the request metadata retain overrides it."),
        MetadataField(
            MQTTKey.cleanSession, .bool, default: "false",
            description:
                "Whether the broker discards the session on disconnect; false keeps unacknowledged messages for the consumer across reconnects."
        ),
        MetadataField(
            MQTTKey.backOffMaxRetries, .int, default: "0",
            description:
                "How many times a message the app failed is delivered again, 5 seconds apart: 0 never, -1 forever."),
        MetadataField(
            MQTTKey.qos,
            description: "Deprecated and ignored, as in Dapr: messages are always published and subscribed at QoS 1."),
        MetadataField(
            MQTTKey.caCert,
            description:
                "PEM text of the CA certificate(s) that signed the broker's certificate; default: the system store."),
        MetadataField(
            MQTTKey.clientCert,
            description: "PEM text of the client certificate for mutual TLS; needs clientKey."),
        MetadataField(
            MQTTKey.clientKey, sensitive: true,
            description: "PEM text of the private key of clientCert."),
    ]
}
