/*
 * bindery_driver.h: the whole contract between the bindery host and a binding driver.
 *
 * A driver is a shared library that exports one function, bd_driver_entry. The host finds that
 * symbol by reading the file's dynamic symbol table, copies the file to a private path, loads the
 * copy with dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) and never unloads it. Everything else
 * crosses through two tables of function pointers: bd_host_api (host -> driver, passed in) and
 * bd_driver_api (driver -> host, returned by the entry function).
 *
 * Rules every driver follows (the host's stability depends on them):
 *   - Never block a thread the host calls you on. Blocking I/O belongs on your own threads.
 *   - Never write to stdout/stderr, install signal handlers, call exit(), or change process-wide
 *     state (cwd, locale, environment, rlimits). Log through bd_host_api.log.
 *   - Never crash or abort: a trap in a driver kills the host and every other binding with it.
 *   - Stop every thread, timer and event-loop registration you own before stop completes. The code
 *     stays mapped after destroy, but nothing of this instance may run any more.
 *   - Swift drivers: never add a conformance of a type you do not own to a protocol you do not own
 *     (the Swift runtime resolves such conformances process-wide, first loaded wins).
 *
 * Versioning. Major versions are incompatible. Within a major version the ABI only grows:
 * fields are appended to structs and never removed, reordered or retyped. Every struct that
 * crosses the boundary starts with struct_size, set by the side that allocated it to
 * sizeof(that struct) as it compiled it. Before reading a field that a later minor version
 * added, the reader checks BD_HAS(ptr, type, field). Optional functions are NULL when absent.
 * Unknown enum values must be tolerated; unknown flag bits must be zero.
 *
 * Ownership. A pointer received as an argument is borrowed: it is valid only until the call that
 * received it returns, and the receiver copies what it keeps. Each side allocates and frees only
 * its own memory; nothing is ever freed across the boundary. The only transfer of ownership is
 * bd_owned_bytes, whose receiver calls release() exactly once.
 *
 * Asynchronous calls. init, invoke, start_input and stop take a bd_call. If the function returns
 * BD_OK, the driver completes that call exactly once, from any thread, possibly before the
 * function returns (inline). If it returns anything else, the call is finished and the driver
 * must not complete it. A bd_call is an opaque host handle; never dereference it.
 *
 * Strings (bd_str) are UTF-8, not NUL-terminated, and may be empty ({NULL, 0}).
 *
 * Compiles as C11 and C++17 and includes only <stddef.h>, <stdint.h> and <stdbool.h>.
 */
#ifndef BINDERY_DRIVER_H
#define BINDERY_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions and helpers
 * ------------------------------------------------------------------------------------------- */

/** The ABI major version this header describes. A host and a driver must agree on it. */
#define BD_ABI_MAJOR 1
/** The newest minor version this header describes. */
#define BD_ABI_MINOR 1
/** The name of the one symbol a driver exports. */
#define BD_ENTRY_SYMBOL "bd_driver_entry"

/** True when the struct pointed to by ptr (of type `type`) is large enough to hold `field`. */
#define BD_HAS(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/** Marks the entry function as exported when building with -fvisibility=hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define BD_EXPORT __attribute__((visibility("default")))
#else
#define BD_EXPORT
#endif

/** Initialiser for a bd_str from a string literal: bd_str s = BD_STR("bindings.echo"); */
#define BD_STR(literal) { (literal), sizeof(literal) - 1 }

/* ---------------------------------------------------------------------------------------------
 * Status codes, flags and enumerations
 * ------------------------------------------------------------------------------------------- */

/** Result of every call. BD_OK is 0; errors are negative. */
typedef int32_t bd_status;
#define BD_OK 0
#define BD_E_INVALID_ARG (-1)  /* bad configuration or request (Dapr answers 400/500) */
#define BD_E_INCOMPATIBLE (-2) /* ABI versions do not match */
#define BD_E_UNSUPPORTED (-3)  /* operation or direction not supported */
#define BD_E_BUSY (-4)         /* emit_event: no credit left, retry after the next ack */
#define BD_E_UNAVAILABLE (-5)  /* instance stopping, or the remote system is down */
#define BD_E_TIMEOUT (-6)      /* a deadline passed */
#define BD_E_CANCELLED (-7)    /* the call was aborted by stop or cancel */
#define BD_E_NOT_FOUND (-8)    /* the addressed item does not exist */
#define BD_E_INTERNAL (-9)     /* anything else; the message says what */

/** Directions (bit flags) a driver serves and an instance is created for. */
#define BD_DIR_INPUT 0x1u
#define BD_DIR_OUTPUT 0x2u

/** Feature flags in bd_driver_descriptor.features. */
#define BD_FEAT_INPUT_OVERLAP_OK 0x1u /* two generations may run input at once during a swap */
#define BD_FEAT_CANCEL 0x2u           /* bd_driver_api.cancel is implemented */

/** Flags in bd_metadata_field.flags. */
#define BD_FIELD_REQUIRED 0x1u  /* a component must set this key */
#define BD_FIELD_SENSITIVE 0x2u /* the value is a secret: the host never prints it */

/** Flags in bd_error.flags. */
#define BD_ERR_RETRYABLE 0x1u /* the same request may succeed later */

/** Log levels for bd_host_api.log. */
typedef int32_t bd_log_level;
#define BD_LOG_TRACE 0
#define BD_LOG_DEBUG 1
#define BD_LOG_INFO 2
#define BD_LOG_WARN 3
#define BD_LOG_ERROR 4

/** What the app said about an input event, passed to bd_driver_api.ack. */
typedef int32_t bd_ack_kind;
#define BD_ACK 0        /* the app answered 2xx: the event is done */
#define BD_NACK_RETRY 1 /* the app failed: redeliver the event if the source can */
#define BD_NACK_DROP 2  /* the event cannot be delivered and must not be retried */

/* ---------------------------------------------------------------------------------------------
 * Plain data
 * ------------------------------------------------------------------------------------------- */

/** UTF-8 text, not NUL-terminated. */
typedef struct bd_str {
    const char *ptr;
    size_t len;
} bd_str;

/** Bytes. */
typedef struct bd_bytes {
    const uint8_t *ptr;
    size_t len;
} bd_bytes;

/** One metadata entry (component configuration, request metadata, event metadata). */
typedef struct bd_kv {
    bd_str key;
    bd_str value;
} bd_kv;

/** A list of metadata entries; keys are unique within one list. */
typedef struct bd_kv_list {
    const bd_kv *items;
    size_t count;
} bd_kv_list;

/**
 * Bytes whose ownership moves to the receiver. The receiver calls release(release_ctx) exactly
 * once, from any thread, when it no longer needs ptr. release == NULL means "not used".
 */
typedef struct bd_owned_bytes {
    const uint8_t *ptr;
    size_t len;
    void (*release)(void *release_ctx);
    void *release_ctx;
} bd_owned_bytes;

/**
 * An error reported by the side that allocated it, borrowed by the receiver for the duration of
 * the call it is passed to. message is shown to operators and, for invoke, becomes the text of
 * Dapr's ERR_INVOKE_OUTPUT_BINDING error.
 */
typedef struct bd_error {
    uint32_t struct_size;
    bd_status code;
    uint32_t flags; /* BD_ERR_* */
    bd_str message;
} bd_error;

/**
 * A buffer the host allocates for a synchronous call (entry, create, health) to describe its
 * failure. The driver writes code, flags and up to message_cap bytes of message, and sets
 * message_len. bd_error_buf_set does exactly that.
 */
typedef struct bd_error_buf {
    uint32_t struct_size;
    bd_status code;
    uint32_t flags;
    char *message;
    size_t message_cap;
    size_t message_len;
} bd_error_buf;

/** Fills buf with code and the NUL-terminated text msg (truncated to the buffer); returns code. */
static inline bd_status bd_error_buf_set(bd_error_buf *buf, bd_status code, const char *msg) {
    size_t n = 0;
    if (buf == NULL) return code;
    buf->code = code;
    while (msg != NULL && msg[n] != '\0' && n < buf->message_cap) {
        buf->message[n] = msg[n];
        n++;
    }
    buf->message_len = n;
    return code;
}

/* ---------------------------------------------------------------------------------------------
 * Handles
 * ------------------------------------------------------------------------------------------- */

/** Host-owned, one per driver instance; valid from create until destroy returns. */
typedef struct bd_host_ctx bd_host_ctx;
/** Host-owned, one per asynchronous call; valid until the driver completes it. */
typedef struct bd_call bd_call;
/** Driver-owned, one per instance; created by create, freed by destroy. */
typedef struct bd_instance bd_instance;

/* ---------------------------------------------------------------------------------------------
 * Negotiation and the descriptor
 * ------------------------------------------------------------------------------------------- */

/**
 * Version negotiation, allocated by the host and passed to bd_driver_entry.
 * In: abi_major, host_minor_min, host_minor_max. Out: driver_major, driver_minor (always, so
 * the host can name them in an error) and, on success, agreed_minor =
 * min(driver_minor, host_minor_max). The driver then uses only features of agreed_minor.
 */
typedef struct bd_negotiation {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t host_minor_min;
    uint16_t host_minor_max;
    uint16_t driver_major;
    uint16_t driver_minor;
    uint16_t agreed_minor;
} bd_negotiation;

/** One configuration key a driver reads from a component's spec.metadata. */
typedef struct bd_metadata_field {
    uint32_t struct_size;
    bd_str name;          /* the key as written in YAML, e.g. "redisHost" */
    bd_str description;   /* one sentence for `bindery inspect` */
    bd_str default_value; /* empty: no default */
    uint32_t flags;       /* BD_FIELD_* */
    /* Since ABI 1.1: read them only when BD_HAS(field, bd_metadata_field, allowed_count); a
     * 1.0 driver's fields are strings. */
    uint32_t type;                /* BD_FIELD_TYPE_*; an unknown type is read as a string */
    const bd_str *allowed_values; /* BD_FIELD_TYPE_ENUM: the values accepted, case-insensitively */
    size_t allowed_count;         /* entries in allowed_values; 0 for other types */
} bd_metadata_field;

/** Types in bd_metadata_field.type (ABI 1.1): what the host checks a value against. */
#define BD_FIELD_TYPE_STRING 0u    /* any text */
#define BD_FIELD_TYPE_BOOL 1u      /* true/false, yes/no, on/off, t/f, y/n, 1/0, any case */
#define BD_FIELD_TYPE_INT 2u       /* a decimal integer */
#define BD_FIELD_TYPE_DURATION 3u  /* a Go duration ("1m30s") or whole seconds ("30") */
#define BD_FIELD_TYPE_BYTE_SIZE 4u /* a Kubernetes quantity ("4Mi", "512Ki", "1000") */
#define BD_FIELD_TYPE_ENUM 5u      /* one of allowed_values */

/** What the driver is. Static data owned by the driver; valid for the life of the process. */
typedef struct bd_driver_descriptor {
    uint32_t struct_size;
    bd_str type_name;         /* the spec.type it serves, e.g. "bindings.redis"; not empty */
    bd_str component_version; /* the spec.version it serves, e.g. "v1" */
    bd_str driver_version;    /* this build's version, e.g. "1.4.2" */
    uint32_t directions;      /* BD_DIR_*; at least one, no other bits */
    const bd_str *operations; /* output operations, unique, e.g. "create", "get" */
    size_t operation_count;
    uint64_t features;        /* BD_FEAT_* */
    bd_str toolchain;         /* "c", "rust-1.85", "swift-6.3.1/shared", "swift-6.3.1/static" */
    const bd_metadata_field *const *fields; /* configuration keys, unique names */
    size_t field_count;
    bd_str summary;           /* one line: what this binding does */
} bd_driver_descriptor;

/* ---------------------------------------------------------------------------------------------
 * Lifecycle arguments
 * ------------------------------------------------------------------------------------------- */

/** Arguments of create; borrowed for the duration of create. */
typedef struct bd_create_params {
    uint32_t struct_size;
    bd_str component_name; /* metadata.name of the component */
    bd_str type_name;      /* spec.type as written (an alias resolves to this driver) */
    bd_str component_version;
    uint32_t directions;   /* the directions this instance serves (a subset of the driver's) */
    bd_kv_list metadata;   /* spec.metadata with secrets and templates resolved */
    uint64_t generation;   /* increases each time the component is re-created */
} bd_create_params;

/** An output request; borrowed for the duration of invoke. */
typedef struct bd_invoke_request {
    uint32_t struct_size;
    bd_str operation;          /* one of the descriptor's operations */
    bd_bytes data;             /* the request's data, as Dapr passes it */
    bd_kv_list metadata;       /* the request's metadata */
    uint64_t deadline_mono_ns; /* CLOCK_MONOTONIC nanoseconds; 0 = none */
    bd_str request_id;         /* for logs */
} bd_invoke_request;

/**
 * An output response, allocated by the driver and borrowed by the host for the duration of
 * invoke_complete. If owned.release is not NULL, owned is used instead of data and the host
 * calls owned.release exactly once when it is done with the bytes.
 */
typedef struct bd_invoke_response {
    uint32_t struct_size;
    bd_bytes data;
    bd_kv_list metadata; /* becomes "metadata.<key>" response headers */
    bd_str content_type; /* empty: application/json */
    bd_owned_bytes owned;
} bd_invoke_response;

/** Arguments of start_input. */
typedef struct bd_input_params {
    uint32_t struct_size;
    uint32_t max_unacked; /* at most this many emitted events may wait for their ack */
} bd_input_params;

/** An input event, allocated by the driver and borrowed by the host during emit_event. */
typedef struct bd_input_event {
    uint32_t struct_size;
    uint64_t delivery_id; /* chosen by the driver, unique per instance; echoed by ack */
    bd_bytes data;        /* the body POSTed to the app */
    bd_kv_list metadata;  /* sent to the app as headers */
    bd_str content_type;  /* empty: application/json */
} bd_input_event;

/* ---------------------------------------------------------------------------------------------
 * The host's table (host -> driver)
 * ------------------------------------------------------------------------------------------- */

/**
 * Functions the host provides. The table is valid for the life of the process, so a driver may
 * keep the pointer in a global. Every function may be called from any thread, including from
 * inside a driver function the host is running; the host never holds a lock while calling a
 * driver.
 */
typedef struct bd_host_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;

    /** Logs one line. ctx may be NULL (messages from entry); the host adds component, type,
     *  driver version and generation. message is borrowed. */
    void (*log)(bd_host_ctx *ctx, bd_log_level level, bd_str message);

    /** True when a message at level would be written; check before formatting. */
    bool (*log_enabled)(bd_host_ctx *ctx, bd_log_level level);

    /** Completes an init, start_input or stop call. status BD_OK, or an error with err (may be
     *  NULL) describing it. Exactly once per call. */
    void (*op_complete)(bd_call *call, bd_status status, const bd_error *err);

    /** Completes an invoke call. With status BD_OK, resp == NULL means "no response" (HTTP 204)
     *  and a response with empty data means an empty body (HTTP 200). With an error, resp may
     *  still carry metadata, which is sent as headers. Exactly once per call. */
    void (*invoke_complete)(bd_call *call, bd_status status, const bd_invoke_response *resp,
                            const bd_error *err);

    /** Hands an input event to the host, which copies it. Returns BD_OK (exactly one ack will
     *  follow for event->delivery_id), BD_E_BUSY (max_unacked events are waiting: keep the
     *  event and emit it again after the next ack) or BD_E_UNAVAILABLE (input is stopping or not
     *  started: no ack will follow). */
    bd_status (*emit_event)(bd_host_ctx *ctx, const bd_input_event *event);

    /** CLOCK_MONOTONIC in nanoseconds, the clock of every deadline in this ABI. */
    uint64_t (*now_mono_ns)(void);
} bd_host_api;

/* ---------------------------------------------------------------------------------------------
 * The driver's table (driver -> host)
 * ------------------------------------------------------------------------------------------- */

/**
 * Functions the driver provides, in a table with static storage that stays valid forever.
 * invoke, ack, cancel and health may be called concurrently for one instance, from any host
 * thread. init, start_input, stop and destroy are serialised per instance and never overlap one
 * another; destroy never overlaps anything. Every function must return quickly (well under a
 * millisecond): do slow work on your own threads and complete the call from there.
 */
typedef struct bd_driver_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    const bd_driver_descriptor *descriptor;

    /** Creates an instance for one component: validate params->metadata, copy what you keep,
     *  allocate, and return it in *out_instance. No I/O, no threads. On failure return an error
     *  and describe it in err (bd_error_buf_set). ctx identifies the instance to the host for
     *  log and emit_event until destroy. Called on any host thread. */
    bd_status (*create)(const bd_create_params *params, bd_host_ctx *ctx,
                        bd_instance **out_instance, bd_error_buf *err);

    /** Starts the instance: connect, authenticate, ping. Asynchronous: complete with
     *  op_complete. The host enforces a deadline; on timeout it calls stop, then destroy. */
    bd_status (*init)(bd_instance *inst, bd_call *call);

    /** Runs one output operation. req is borrowed until invoke returns: copy what you need.
     *  Complete with invoke_complete. Return BD_E_UNSUPPORTED (no completion) for an operation
     *  you do not serve. */
    bd_status (*invoke)(bd_instance *inst, const bd_invoke_request *req, bd_call *call);

    /** Optional (BD_FEAT_CANCEL): asks that an in-flight invoke finish early. Best effort; the
     *  call is still completed exactly once, typically with BD_E_CANCELLED. May be NULL. */
    bd_status (*cancel)(bd_instance *inst, bd_call *call);

    /** Begins emitting input events through emit_event. Complete call with op_complete once
     *  the source is running (events may be emitted before that). */
    bd_status (*start_input)(bd_instance *inst, const bd_input_params *params, bd_call *call);

    /** The app's answer to an emitted event: BD_ACK, BD_NACK_RETRY or BD_NACK_DROP, with the
     *  app's response body (borrowed) and, for a nack, err describing the failure (may be NULL).
     *  Called exactly once per event emit_event accepted, from any thread, before destroy. */
    void (*ack)(bd_instance *inst, uint64_t delivery_id, bd_ack_kind kind, bd_bytes response,
                const bd_error *err);

    /** Stops emitting and accepting work, completes every outstanding call exactly once
     *  (BD_E_CANCELLED if aborted), stops every thread and timer of this instance, then
     *  completes call. deadline_mono_ns says how long the host will wait. */
    bd_status (*stop)(bd_instance *inst, uint64_t deadline_mono_ns, bd_call *call);

    /** Frees the instance. Called once, after stop completed (or init failed) and after every
     *  call completed and every ack was delivered. Synchronous. */
    void (*destroy)(bd_instance *inst);

    /** Optional: a cheap liveness check (Dapr's Ping). BD_OK or an error described in err.
     *  Synchronous, must not block. May be NULL. */
    bd_status (*health)(bd_instance *inst, bd_error_buf *err);
} bd_driver_api;

/* ---------------------------------------------------------------------------------------------
 * The entry point
 * ------------------------------------------------------------------------------------------- */

/**
 * The only symbol a driver exports. The host calls it right after loading, on any thread, and
 * may call it again (a probe, then the real load): it must have no side effects (no threads, no
 * I/O, no global registration) and return the same table every time.
 *
 * Set io->driver_major and io->driver_minor to the version you were built against. If
 * io->abi_major differs from yours, return BD_E_INCOMPATIBLE. Otherwise set io->agreed_minor to
 * min(your minor, io->host_minor_max), store host (valid forever) if you need it, set *out_api
 * to your table and return BD_OK. On any other failure return an error and describe it in err.
 */
BD_EXPORT bd_status bd_driver_entry(const bd_host_api *host, bd_negotiation *io,
                                    const bd_driver_api **out_api, bd_error_buf *err);

/** The type of bd_driver_entry, for dlsym. */
typedef bd_status (*bd_driver_entry_fn)(const bd_host_api *host, bd_negotiation *io,
                                        const bd_driver_api **out_api, bd_error_buf *err);

#ifdef __cplusplus
}
#endif

#endif /* BINDERY_DRIVER_H */
