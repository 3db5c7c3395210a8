// librabbitmq (rabbitmq-c) 0.11 for the bindings.rabbitmq driver, plus the few helpers Swift
// cannot express: amqp_login is variadic, and properties and argument tables are C structs of
// unions and pointers that are simpler to fill here. Every function is called on the
// connection's own thread only (librabbitmq is not thread-safe per connection).
#include <amqp.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <stdio.h>
#include <string.h>

/** Method ids and frame types as plain numbers (the macros carry casts Swift does not import). */
static inline uint32_t bd_amqp_basic_deliver(void) { return AMQP_BASIC_DELIVER_METHOD; }
static inline uint32_t bd_amqp_basic_ack(void) { return AMQP_BASIC_ACK_METHOD; }
static inline uint32_t bd_amqp_basic_nack(void) { return AMQP_BASIC_NACK_METHOD; }
static inline uint32_t bd_amqp_basic_cancel(void) { return AMQP_BASIC_CANCEL_METHOD; }
static inline uint32_t bd_amqp_channel_close(void) { return AMQP_CHANNEL_CLOSE_METHOD; }
static inline uint32_t bd_amqp_connection_close(void) { return AMQP_CONNECTION_CLOSE_METHOD; }
static inline uint32_t bd_amqp_connection_blocked(void) { return AMQP_CONNECTION_BLOCKED_METHOD; }
static inline uint32_t bd_amqp_connection_unblocked(void) { return AMQP_CONNECTION_UNBLOCKED_METHOD; }

/**
 * Logs in with SASL PLAIN (`external` 0: `user`, `password`) or EXTERNAL (`external` 1: the
 * broker takes the identity from the TLS client certificate; `user` is sent as the response,
 * which must not be empty: librabbitmq 0.11 fails an empty one with "could not allocate
 * memory"). Asks for `heartbeat` seconds and a 128 KiB frame size.
 */
static inline amqp_rpc_reply_t bd_amqp_login(amqp_connection_state_t conn, const char *vhost, int heartbeat,
                                             int external, const char *user, const char *password) {
    if (external) return amqp_login(conn, vhost, 0, 131072, heartbeat, AMQP_SASL_METHOD_EXTERNAL, user);
    return amqp_login(conn, vhost, 0, 131072, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

/**
 * Writes why `reply` is not a success into `buffer`: librabbitmq's text for a library error,
 * or the broker's reply code and text for a connection.close/channel.close.
 */
static inline void bd_amqp_describe(amqp_rpc_reply_t reply, char *buffer, size_t size) {
    switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL: snprintf(buffer, size, "ok"); return;
    case AMQP_RESPONSE_NONE: snprintf(buffer, size, "no reply (missing RPC reply type)"); return;
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        snprintf(buffer, size, "%s", amqp_error_string2(reply.library_error));
        return;
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD && reply.reply.decoded) {
            amqp_connection_close_t *m = (amqp_connection_close_t *)reply.reply.decoded;
            snprintf(buffer, size, "the broker closed the connection: %u %.*s", m->reply_code,
                     (int)m->reply_text.len, (char *)m->reply_text.bytes);
        } else if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD && reply.reply.decoded) {
            amqp_channel_close_t *m = (amqp_channel_close_t *)reply.reply.decoded;
            snprintf(buffer, size, "the broker closed the channel: %u %.*s", m->reply_code,
                     (int)m->reply_text.len, (char *)m->reply_text.bytes);
        } else {
            snprintf(buffer, size, "unexpected method 0x%08X from the broker", reply.reply.id);
        }
        return;
    }
    snprintf(buffer, size, "unknown reply type %d", (int)reply.reply_type);
}

/** The reply code and text of a connection.close or channel.close method frame's body. */
static inline void bd_amqp_describe_close(amqp_method_t method, char *buffer, size_t size) {
    amqp_rpc_reply_t reply = {AMQP_RESPONSE_SERVER_EXCEPTION, method, 0};
    bd_amqp_describe(reply, buffer, size);
}

/**
 * queue.declare as Dapr's binding makes it: `ttl_ms` >= 0 adds x-message-ttl, `max_priority`
 * >= 0 adds x-max-priority (an unsigned byte, as Go's amqp091 encodes a uint8).
 */
static inline amqp_rpc_reply_t bd_amqp_declare(amqp_connection_state_t conn, amqp_channel_t channel,
                                               const char *queue, int durable, int exclusive, int auto_delete,
                                               int64_t ttl_ms, int max_priority) {
    amqp_table_entry_t entries[2];
    int count = 0;
    if (ttl_ms >= 0) {
        entries[count].key = amqp_cstring_bytes("x-message-ttl");
        entries[count].value.kind = AMQP_FIELD_KIND_I64;
        entries[count].value.value.i64 = ttl_ms;
        count++;
    }
    if (max_priority >= 0) {
        entries[count].key = amqp_cstring_bytes("x-max-priority");
        entries[count].value.kind = AMQP_FIELD_KIND_U8;
        entries[count].value.value.u8 = (uint8_t)max_priority;
        count++;
    }
    amqp_table_t arguments = {count, entries};
    amqp_queue_declare(conn, channel, amqp_cstring_bytes(queue), 0, durable, exclusive, auto_delete, arguments);
    return amqp_get_rpc_reply(conn);
}

/** One publication's properties; NULL strings and a negative priority are left out. */
typedef struct {
    const char *content_type;
    const char *expiration;
    const char *message_id;
    const char *correlation_id;
    const char *type;
    int priority;
    int persistent;
    int header_count;
    const char *const *header_keys;
    const char *const *header_values;
} bd_amqp_publication;

/** basic.publish to the default exchange with routing key `queue` (not mandatory, as Dapr). */
static inline int bd_amqp_publish(amqp_connection_state_t conn, amqp_channel_t channel, const char *queue,
                                  const void *body, size_t length, const bd_amqp_publication *p) {
    amqp_basic_properties_t props;
    memset(&props, 0, sizeof props);
    amqp_table_entry_t entries[p->header_count > 0 ? p->header_count : 1];
    for (int i = 0; i < p->header_count; i++) {
        entries[i].key = amqp_cstring_bytes(p->header_keys[i]);
        entries[i].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[i].value.value.bytes = amqp_cstring_bytes(p->header_values[i]);
    }
    if (p->header_count > 0) {
        props._flags |= AMQP_BASIC_HEADERS_FLAG;
        props.headers.num_entries = p->header_count;
        props.headers.entries = entries;
    }
#define BD_SET(field, flag)                                                                                         \
    if (p->field) {                                                                                                 \
        props._flags |= flag;                                                                                       \
        props.field = amqp_cstring_bytes(p->field);                                                                 \
    }
    BD_SET(content_type, AMQP_BASIC_CONTENT_TYPE_FLAG)
    BD_SET(expiration, AMQP_BASIC_EXPIRATION_FLAG)
    BD_SET(message_id, AMQP_BASIC_MESSAGE_ID_FLAG)
    BD_SET(correlation_id, AMQP_BASIC_CORRELATION_ID_FLAG)
    BD_SET(type, AMQP_BASIC_TYPE_FLAG)
#undef BD_SET
    if (p->priority >= 0) {
        props._flags |= AMQP_BASIC_PRIORITY_FLAG;
        props.priority = (uint8_t)p->priority;
    }
    props._flags |= AMQP_BASIC_DELIVERY_MODE_FLAG;
    props.delivery_mode = p->persistent ? AMQP_DELIVERY_PERSISTENT : AMQP_DELIVERY_NONPERSISTENT;
    amqp_bytes_t payload = {length, (void *)body};
    return amqp_basic_publish(conn, channel, amqp_cstring_bytes(""), amqp_cstring_bytes(queue), 0, 0, &props,
                              payload);
}

/** basic.consume on `queue` with manual acks, not exclusive (as Dapr's Read). */
static inline amqp_rpc_reply_t bd_amqp_consume(amqp_connection_state_t conn, amqp_channel_t channel,
                                               const char *queue) {
    amqp_basic_consume(conn, channel, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    return amqp_get_rpc_reply(conn);
}

/** The decoded basic properties of a content header frame. */
static inline const amqp_basic_properties_t *bd_amqp_frame_properties(const amqp_frame_t *frame) {
    return (const amqp_basic_properties_t *)frame->payload.properties.decoded;
}

/** The `index`th header of `props` if its value is a string ('S'), else 0. */
static inline int bd_amqp_string_header(const amqp_basic_properties_t *props, int index, amqp_bytes_t *key,
                                        amqp_bytes_t *value) {
    const amqp_table_entry_t *entry = &props->headers.entries[index];
    if (entry->value.kind != AMQP_FIELD_KIND_UTF8) return 0;
    *key = entry->key;
    *value = entry->value.value.bytes;
    return 1;
}
