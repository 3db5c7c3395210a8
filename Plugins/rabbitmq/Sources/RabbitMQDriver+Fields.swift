import DriverKit

extension RabbitMQDriver {
    /// The component metadata, in the order of metadata.yaml (a test keeps them equal).
    static let fields: [MetadataField] = [
        MetadataField(
            RabbitMQKey.host, required: true, sensitive: true,
            description:
                "Broker URL: amqp://[user[:password]@]host[:port][/vhost] or amqps://… for TLS (default port 5672 or 5671, user guest, vhost /)."
        ),
        MetadataField(
            RabbitMQKey.queueName, required: true,
            description:
                "Queue the output publishes to (through the default exchange) and the input consumes from; declared on connect."
        ),
        MetadataField(
            RabbitMQKey.durable, .bool, default: "false",
            description:
                "Declare the queue durable: it and its persistent messages (all published messages are) survive a broker restart."
        ),
        MetadataField(
            RabbitMQKey.deleteWhenUnused, .bool, default: "false",
            description: "Declare the queue auto-delete: the broker deletes it when its last consumer goes."),
        MetadataField(
            RabbitMQKey.ttl, .duration,
            description:
                "The queue's message time to live (x-message-ttl), as a Go duration or seconds; default: messages do not expire."
        ),
        MetadataField(
            RabbitMQKey.ttlInSeconds, .duration,
            description: "Dapr's alias of ttl."),
        MetadataField(
            RabbitMQKey.prefetchCount, .int, default: "0",
            description:
                "Input: the channel's prefetch count (0: no limit, as Dapr); above 0 it is also how many messages the app may hold at once (default one at a time)."
        ),
        MetadataField(
            RabbitMQKey.exclusive, .bool, default: "false",
            description: "Declare the queue exclusive to the connection that declares it."),
        MetadataField(
            RabbitMQKey.maxPriority, .int,
            description:
                "Declare a priority queue (x-max-priority) with priorities up to this value (1–255; larger values count as 255)."
        ),
        MetadataField(
            RabbitMQKey.contentType, default: "text/plain",
            description: "Content type of published messages unless the request's metadata contentType says otherwise."
        ),
        MetadataField(
            RabbitMQKey.reconnectWaitInSeconds, .duration, default: "5",
            description:
                "How long to wait between reconnection attempts after the connection is lost (seconds or a Go duration)."
        ),
        MetadataField(
            RabbitMQKey.caCert,
            description:
                "amqps: PEM text of the CA certificate(s) that signed the broker's certificate; default: the system store."
        ),
        MetadataField(
            RabbitMQKey.clientCert,
            description: "amqps: PEM text of the client certificate for mutual TLS; needs clientKey."),
        MetadataField(
            RabbitMQKey.clientKey, sensitive: true,
            description: "amqps: PEM text of the private key of clientCert."),
        MetadataField(
            RabbitMQKey.externalSasl, default: "false",
            description:
                "Authenticate with SASL EXTERNAL (the broker takes the user from the TLS client certificate) instead of the URL's user and password."
        ),
    ]
}
