// A tiny AMQP client on librabbitmq for the rabbitmq driver's tests: it reads what the driver
// published with all its properties, and publishes what the driver must consume.
//   amqp_tool HOST PORT get QUEUE            basic.get one message (acked); prints it as lines:
//                                            body, content_type, delivery_mode, priority,
//                                            expiration, message_id, correlation_id, type,
//                                            then "header K=V" per string header; "empty" if none
//   amqp_tool HOST PORT publish QUEUE BODY [K=V…]  basic.publish to the default exchange with
//                                            string headers K=V and one integer header "number"
//   amqp_tool HOST PORT count QUEUE          prints the queue's message count (passive declare)
// Compiled by the tests with gcc; exits 1 with a message on stderr on any failure.
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(amqp_rpc_reply_t reply, const char *what) {
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) return;
    fprintf(stderr, "amqp_tool: %s failed (reply type %d, library error %s)\n", what, reply.reply_type,
            amqp_error_string2(reply.library_error));
    exit(1);
}

static void print_bytes(const char *label, int set, amqp_bytes_t bytes) {
    if (set) printf("%s %.*s\n", label, (int)bytes.len, (char *)bytes.bytes);
    else printf("%s -\n", label);
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: amqp_tool HOST PORT get|publish|count QUEUE [BODY [K=V...]]\n");
        return 2;
    }
    amqp_connection_state_t conn = amqp_new_connection();
    amqp_socket_t *socket = amqp_tcp_socket_new(conn);
    if (amqp_socket_open(socket, argv[1], atoi(argv[2])) != 0) {
        fprintf(stderr, "amqp_tool: cannot connect to %s:%s\n", argv[1], argv[2]);
        return 1;
    }
    check(amqp_login(conn, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest", "guest"), "login");
    amqp_channel_open(conn, 1);
    check(amqp_get_rpc_reply(conn), "channel.open");
    amqp_bytes_t queue = amqp_cstring_bytes(argv[4]);
    if (strcmp(argv[3], "count") == 0) {
        amqp_queue_declare_ok_t *ok = amqp_queue_declare(conn, 1, queue, 1, 0, 0, 0, amqp_empty_table);
        check(amqp_get_rpc_reply(conn), "queue.declare (passive)");
        printf("%u\n", ok->message_count);
    } else if (strcmp(argv[3], "get") == 0) {
        amqp_rpc_reply_t reply = amqp_basic_get(conn, 1, queue, 1);
        check(reply, "basic.get");
        if (reply.reply.id == AMQP_BASIC_GET_EMPTY_METHOD) {
            printf("empty\n");
        } else {
            amqp_message_t message;
            check(amqp_read_message(conn, 1, &message, 0), "read message");
            amqp_basic_properties_t *p = &message.properties;
            print_bytes("body", 1, message.body);
            print_bytes("content_type", p->_flags & AMQP_BASIC_CONTENT_TYPE_FLAG, p->content_type);
            printf("delivery_mode %d\n", p->_flags & AMQP_BASIC_DELIVERY_MODE_FLAG ? p->delivery_mode : -1);
            printf("priority %d\n", p->_flags & AMQP_BASIC_PRIORITY_FLAG ? p->priority : -1);
            print_bytes("expiration", p->_flags & AMQP_BASIC_EXPIRATION_FLAG, p->expiration);
            print_bytes("message_id", p->_flags & AMQP_BASIC_MESSAGE_ID_FLAG, p->message_id);
            print_bytes("correlation_id", p->_flags & AMQP_BASIC_CORRELATION_ID_FLAG, p->correlation_id);
            print_bytes("type", p->_flags & AMQP_BASIC_TYPE_FLAG, p->type);
            for (int i = 0; (p->_flags & AMQP_BASIC_HEADERS_FLAG) && i < p->headers.num_entries; i++) {
                amqp_table_entry_t *e = &p->headers.entries[i];
                if (e->value.kind == AMQP_FIELD_KIND_UTF8)
                    printf("header %.*s=%.*s\n", (int)e->key.len, (char *)e->key.bytes, (int)e->value.value.bytes.len,
                           (char *)e->value.value.bytes.bytes);
            }
            amqp_destroy_message(&message);
        }
    } else if (strcmp(argv[3], "publish") == 0 && argc >= 6) {
        int count = argc - 6;
        amqp_table_entry_t entries[count + 1];
        for (int i = 0; i < count; i++) {
            char *eq = strchr(argv[6 + i], '=');
            if (!eq) { fprintf(stderr, "amqp_tool: header %s is not K=V\n", argv[6 + i]); return 2; }
            *eq = 0;
            entries[i].key = amqp_cstring_bytes(argv[6 + i]);
            entries[i].value.kind = AMQP_FIELD_KIND_UTF8;
            entries[i].value.value.bytes = amqp_cstring_bytes(eq + 1);
        }
        entries[count].key = amqp_cstring_bytes("number");
        entries[count].value.kind = AMQP_FIELD_KIND_I32;
        entries[count].value.value.i32 = 42;
        amqp_basic_properties_t props;
        memset(&props, 0, sizeof props);
        props._flags = AMQP_BASIC_HEADERS_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
        props.delivery_mode = 2;
        props.headers.num_entries = count + 1;
        props.headers.entries = entries;
        if (amqp_basic_publish(conn, 1, amqp_empty_bytes, queue, 0, 0, &props, amqp_cstring_bytes(argv[5])) != 0) {
            fprintf(stderr, "amqp_tool: basic.publish failed\n");
            return 1;
        }
    } else {
        fprintf(stderr, "amqp_tool: unknown command %s\n", argv[3]);
        return 2;
    }
    amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(conn);
    return 0;
}
