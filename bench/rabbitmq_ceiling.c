// The ceiling for bench/rabbitmq.py: librabbitmq driven directly, as bindery's driver drives it.
//   rabbitmq_ceiling HOST PORT publish QUEUE COUNT WINDOW SIZE
//       publishes COUNT persistent messages of SIZE bytes to QUEUE (default exchange) on one
//       connection in confirm mode, keeping WINDOW unconfirmed at once (the same concurrency
//       as wrk's connections against bindery); prints messages per second. SIZE 0: each body
//       is its sequence number (0, 1, …), for the scale-out check.
//   rabbitmq_ceiling HOST PORT consume QUEUE COUNT PREFETCH
//       consumes COUNT messages with basic.qos PREFETCH, acking each as it arrives; prints
//       messages per second.
// Both declare QUEUE durable first (as the bench's component does).
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void check(amqp_rpc_reply_t reply, const char *what) {
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) return;
    fprintf(stderr, "rabbitmq_ceiling: %s failed (%d)\n", what, reply.reply_type);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: rabbitmq_ceiling HOST PORT publish|consume QUEUE COUNT WINDOW|PREFETCH [SIZE]\n");
        return 2;
    }
    long count = atol(argv[5]), window = atol(argv[6]);
    amqp_connection_state_t conn = amqp_new_connection();
    amqp_socket_t *socket = amqp_tcp_socket_new(conn);
    if (amqp_socket_open(socket, argv[1], atoi(argv[2])) != 0) return fprintf(stderr, "cannot connect\n"), 1;
    check(amqp_login(conn, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest", "guest"), "login");
    amqp_channel_open(conn, 1);
    check(amqp_get_rpc_reply(conn), "channel.open");
    amqp_bytes_t queue = amqp_cstring_bytes(argv[4]);
    amqp_queue_declare(conn, 1, queue, 0, 1, 0, 0, amqp_empty_table);
    check(amqp_get_rpc_reply(conn), "queue.declare");
    double start = now();
    if (strcmp(argv[3], "publish") == 0) {
        size_t size = argc > 7 ? (size_t)atol(argv[7]) : 16;
        char *body = malloc(size + 1);
        memset(body, 'x', size);
        amqp_confirm_select(conn, 1);
        check(amqp_get_rpc_reply(conn), "confirm.select");
        amqp_basic_properties_t props;
        memset(&props, 0, sizeof props);
        props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
        props.delivery_mode = 2;
        props.content_type = amqp_cstring_bytes("text/plain");
        long sent = 0, confirmed = 0;
        while (confirmed < count) {
            while (sent < count && sent - confirmed < window) {
                char number[32];
                amqp_bytes_t payload = {size, body};
                if (size == 0) payload = amqp_cstring_bytes((snprintf(number, sizeof number, "%ld", sent), number));
                if (amqp_basic_publish(conn, 1, amqp_empty_bytes, queue, 0, 0, &props, payload) != 0) return 1;
                sent++;
            }
            amqp_frame_t frame;
            if (amqp_simple_wait_frame(conn, &frame) != 0) return fprintf(stderr, "wait failed\n"), 1;
            if (frame.frame_type == AMQP_FRAME_METHOD && frame.payload.method.id == AMQP_BASIC_ACK_METHOD) {
                amqp_basic_ack_t *ack = frame.payload.method.decoded;
                confirmed = ack->multiple ? (long)ack->delivery_tag : confirmed + 1;
            }
            amqp_maybe_release_buffers(conn);
        }
    } else {
        amqp_basic_qos(conn, 1, 0, (uint16_t)window, 1);
        check(amqp_get_rpc_reply(conn), "basic.qos");
        amqp_basic_consume(conn, 1, queue, amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
        check(amqp_get_rpc_reply(conn), "basic.consume");
        for (long received = 0; received < count; received++) {
            amqp_envelope_t envelope;
            amqp_maybe_release_buffers(conn);
            check(amqp_consume_message(conn, &envelope, NULL, 0), "consume");
            amqp_basic_ack(conn, 1, envelope.delivery_tag, 0);
            amqp_destroy_envelope(&envelope);
        }
    }
    double elapsed = now() - start;
    printf("%.0f\n", count / elapsed);
    amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(conn);
    return 0;
}
