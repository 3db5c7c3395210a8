/*
 * The input ceiling for bench/kafka_input.py: librdkafka's balanced consumer driven directly, with
 * the delivery semantics bindery's kafka input first had (one record at a time, its offset
 * committed synchronously before the next; it now overlaps partitions and commits asynchronously)
 * but no app, kept as the baseline: reads COUNT records of TOPIC in a fresh group from
 * the oldest offset and prints records per second from the first record to the last.
 *
 * Usage: kafka_consumer BROKERS TOPIC COUNT
 * Build: cc -O2 -o kafka_consumer kafka_consumer.c $(pkg-config --cflags --libs rdkafka)
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: kafka_consumer BROKERS TOPIC COUNT\n");
        return 2;
    }
    long count = atol(argv[3]);
    char error[512], group[64];
    snprintf(group, sizeof group, "ceiling-%ld", (long)time(NULL));
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    const char *settings[][2] = {{"bootstrap.servers", argv[1]}, {"group.id", group},
                                 {"enable.auto.commit", "false"}, {"enable.auto.offset.store", "false"},
                                 {"auto.offset.reset", "earliest"}, {"enable.partition.eof", "false"}};
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        if (rd_kafka_conf_set(conf, settings[i][0], settings[i][1], error, sizeof error) != RD_KAFKA_CONF_OK) {
            fprintf(stderr, "%s\n", error);
            return 1;
        }
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    if (!rk) {
        fprintf(stderr, "%s\n", error);
        return 1;
    }
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, argv[2], -1);
    rd_kafka_subscribe(rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    long seen = 0;
    double first = 0, last = 0;
    while (seen < count) {
        rd_kafka_message_t *message = rd_kafka_consumer_poll(rk, 1000);
        if (!message) continue;
        if (!message->err) {
            if (seen++ == 0) first = now();
            rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(1);
            rd_kafka_topic_partition_list_add(offsets, rd_kafka_topic_name(message->rkt), message->partition)->offset =
                message->offset + 1;
            rd_kafka_commit(rk, offsets, 0);
            rd_kafka_topic_partition_list_destroy(offsets);
            last = now();
        }
        rd_kafka_message_destroy(message);
    }
    printf("%.0f\n", (seen - 1) / (last - first));
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return 0;
}
