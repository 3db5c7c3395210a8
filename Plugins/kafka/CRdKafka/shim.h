// librdkafka 2.0 for the bindings.kafka driver, plus the helpers Swift cannot express
// (rd_kafka_producev is variadic; Swift cannot call C variadic functions).
#include <librdkafka/rdkafka.h>

/**
 * Queues one message for `topic` on producer `rk`, copying key, value and nothing else:
 * librdkafka takes ownership of `headers` (may be NULL) on success only; on failure the caller
 * still owns and must destroy them. `partition` is RD_KAFKA_PARTITION_UA to let the partitioner
 * choose (by key hash). `value` NULL with `value_len` 0 is a tombstone (a null record value).
 * `opaque` comes back as the delivery report's `_private`. Any thread; never blocks
 * (queue.buffering.max.* full answers RD_KAFKA_RESP_ERR__QUEUE_FULL at once).
 */
static inline rd_kafka_resp_err_t bd_kafka_produce(
    rd_kafka_t *rk, const char *topic, int32_t partition, const void *key, size_t key_len,
    const void *value, size_t value_len, rd_kafka_headers_t *headers, void *opaque) {
    return rd_kafka_producev(
        rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, key_len),
        RD_KAFKA_V_VALUE((void *)value, value_len), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
}

/** RD_KAFKA_PARTITION_UA (a macro Swift does not import). */
static inline int32_t bd_kafka_partition_unassigned(void) { return RD_KAFKA_PARTITION_UA; }
