/*
 * The ceiling for bench/kafka.py: librdkafka driven directly at bindery's concurrency. CLIENTS
 * callers each keep one record in flight: a record is produced, and when its delivery report
 * arrives the same caller produces the next (what wrk's connections do through bindery), with the
 * producer settings bindery's kafka driver uses (acks=all, linger.ms=0).
 *
 * Usage: kafka_producer BROKERS TOPIC CLIENTS SECONDS    prints "<records acknowledged per second>"
 * Build: cc -O2 -o kafka_producer kafka_producer.c $(pkg-config --cflags --libs rdkafka)
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long acknowledged = 0, failed = 0;
static const char *topic;
static int running = 1;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void produce(rd_kafka_t *rk) {
    while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_VALUE("\"x\"", 3), RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
        rd_kafka_poll(rk, 1);
}

/* Served by rd_kafka_poll on the main thread: each report lets its caller send the next record. */
static void delivered(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    (void)opaque;
    if (message->err) failed++; else acknowledged++;
    if (running) produce(rk);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: kafka_producer BROKERS TOPIC CLIENTS SECONDS\n");
        return 2;
    }
    topic = argv[2];
    int clients = atoi(argv[3]);
    double seconds = atof(argv[4]);
    char error[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    const char *settings[][2] = {{"bootstrap.servers", argv[1]}, {"acks", "-1"}, {"linger.ms", "0"},
                                 {"partitioner", "fnv1a_random"}};
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        if (rd_kafka_conf_set(conf, settings[i][0], settings[i][1], error, sizeof error) != RD_KAFKA_CONF_OK) {
            fprintf(stderr, "%s\n", error);
            return 1;
        }
    }
    rd_kafka_conf_set_dr_msg_cb(conf, delivered);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!rk) {
        fprintf(stderr, "%s\n", error);
        return 1;
    }
    /* Warm-up: one record to get metadata and connections before the clock starts. */
    produce(rk);
    rd_kafka_flush(rk, 10000);
    acknowledged = 0;
    double start = now();
    for (int i = 0; i < clients; i++) produce(rk);
    while (now() - start < seconds) rd_kafka_poll(rk, 100);
    running = 0;
    double elapsed = now() - start;
    long count = acknowledged;
    rd_kafka_flush(rk, 10000);
    printf("%.0f\n", count / elapsed);
    if (failed) fprintf(stderr, "%ld records failed\n", failed);
    rd_kafka_destroy(rk);
    return 0;
}
