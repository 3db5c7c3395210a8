/*
 * A Kafka protocol peer for bindings.kafka's tests: librdkafka's mock cluster (rdkafka_mock.h),
 * which implements produce, fetch, metadata, balanced consumer groups and offset commits. No
 * Kafka broker can be installed on the test machines; this is the same library the driver links.
 *
 * Usage: kafka-mock CONTROL_PORT BROKERS TOPIC:PARTITIONS...
 *   Creates a cluster of BROKERS brokers on ephemeral loopback ports with each TOPIC, prints the
 *   bootstrap list as one line on stdout, then listens on 127.0.0.1:CONTROL_PORT for one-line
 *   commands, each answered "ok\n":
 *     down   every broker closes its connections and refuses new ones (a cluster outage)
 *     up     every broker accepts connections again, on the same ports
 *     topic NAME PARTITIONS   creates a topic
 * Exits on SIGTERM or SIGINT, and when its parent dies (PR_SET_PDEATHSIG), so a crashed test
 * process leaves no cluster behind.
 *
 * Build: gcc -O1 -o kafka-mock kafka-mock.c $(pkg-config --cflags --libs rdkafka)
 */
#define _GNU_SOURCE
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stopping = 0;
static void on_signal(int sig) { (void)sig; stopping = 1; }

static int create_topic(rd_kafka_mock_cluster_t *cluster, const char *spec) {
    char name[256];
    int partitions = 3;
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    if (len == 0 || len >= sizeof name) return -1;
    memcpy(name, spec, len);
    name[len] = 0;
    if (colon) partitions = atoi(colon + 1);
    if (partitions < 1) return -1;
    return rd_kafka_mock_topic_create(cluster, name, partitions, 1) == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

/* Runs one command line; returns the reply. */
static const char *command(rd_kafka_mock_cluster_t *cluster, int brokers, char *line) {
    line[strcspn(line, "\r\n")] = 0;
    if (strcmp(line, "down") == 0 || strcmp(line, "up") == 0) {
        for (int id = 1; id <= brokers; id++) {
            if (line[0] == 'd') rd_kafka_mock_broker_set_down(cluster, id);
            else rd_kafka_mock_broker_set_up(cluster, id);
        }
        return "ok\n";
    }
    if (strncmp(line, "topic ", 6) == 0) {
        char *space = strchr(line + 6, ' ');
        if (!space) return "error: topic NAME PARTITIONS\n";
        *space = ':';
        return create_topic(cluster, line + 6) == 0 ? "ok\n" : "error: cannot create topic\n";
    }
    return "error: unknown command\n";
}

static int listen_on(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 16) != 0) {
        fprintf(stderr, "kafka-mock: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
        exit(3);
    }
    return fd;
}

/* Serves one control connection: reads lines, answers each. */
static void serve(rd_kafka_mock_cluster_t *cluster, int brokers, int client) {
    char buffer[512];
    size_t used = 0;
    while (!stopping) {
        ssize_t got = read(client, buffer + used, sizeof buffer - 1 - used);
        if (got <= 0) break;
        used += (size_t)got;
        buffer[used] = 0;
        char *newline;
        while ((newline = strchr(buffer, '\n')) != NULL) {
            *newline = 0;
            const char *reply = command(cluster, brokers, buffer);
            if (write(client, reply, strlen(reply)) < 0) return;
            used -= (size_t)(newline + 1 - buffer);
            memmove(buffer, newline + 1, used + 1);
        }
        if (used == sizeof buffer - 1) break;
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: kafka-mock CONTROL_PORT BROKERS [TOPIC:PARTITIONS...]\n");
        return 2;
    }
    pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) return 0; /* the parent died before prctl */
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);

    int brokers = atoi(argv[2]);
    char errstr[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        fprintf(stderr, "kafka-mock: %s\n", errstr);
        return 1;
    }
    rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, brokers < 1 ? 1 : brokers);
    if (!cluster) {
        fprintf(stderr, "kafka-mock: cannot create the mock cluster\n");
        return 1;
    }
    for (int i = 3; i < argc; i++) {
        if (create_topic(cluster, argv[i]) != 0) {
            fprintf(stderr, "kafka-mock: cannot create topic %s\n", argv[i]);
            return 1;
        }
    }
    int listener = listen_on(atoi(argv[1]));
    printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
    fflush(stdout);

    while (!stopping) {
        struct pollfd fd = {.fd = listener, .events = POLLIN};
        if (poll(&fd, 1, 200) <= 0) continue;
        int client = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (client < 0) continue;
        serve(cluster, brokers, client);
        close(client);
    }
    close(listener);
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(rk);
    return 0;
}
