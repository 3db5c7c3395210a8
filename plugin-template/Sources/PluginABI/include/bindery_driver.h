/*
 * bindery_driver.h: the whole contract between the bindery host and a binding driver.
 *
 * A driver is a shared library that exports one function, bd_driver_entry. The host finds that
 * symbol by reading the file's dynamic symbol table, copies the file to a private path, loads the
 * copy with dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) and never unloads it. Everything else
 * crosses through two tables of function pointers: bd_host_api (host -> driver, passed in) and
 * bd_driver_api (driver -> host, returned by the entry function).
 *
 * This header is meant to be enough to write a driver in C. Each function below says, in this
 * order where it applies:
 *   Called:    when the host calls it (or when the driver may call it), and how often;
 *   Thread:    which thread it runs on;
 *   Blocking:  what it may wait for;
 *   Returns:   what each result means and what follows from it;
 *   Ownership: who owns each pointer argument and until when.
 * "The host does ..." statements describe what the bindery host does, as a promise to drivers.
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
 * Unknown enum values must be tolerated; unknown flag bits must be zero. Struct sizes and field
 * offsets of every v1 struct on LP64 (x86_64, aarch64) are pinned by _Static_asserts in bindery's
 * Sources/PluginABI/abi_layout.c: a change that moves one fails to compile.
 *
 * Ownership. A pointer received as an argument is borrowed: it is valid only until the call that
 * received it returns, and the receiver copies what it keeps. Each side allocates and frees only
 * its own memory; nothing is ever freed across the boundary. The only transfer of ownership is
 * bd_owned_bytes, whose receiver calls release() exactly once.
 *
 * Asynchronous calls. init, invoke, start_input and stop take a bd_call. If the function returns
 * BD_OK, the driver completes that call exactly once, from any thread, possibly before the
 * function returns (inline). If it returns anything else, the call is finished and the driver
 * must not complete it. A bd_call is an opaque host handle; never dereference it. The host gives
 * up waiting on some calls (init after spec.initTimeout, stop after its deadline); a completion
 * that arrives after that is ignored, so completing late is harmless, but still exactly once.
 *
 * Strings (bd_str) are UTF-8, not NUL-terminated, and may be empty ({NULL, 0}).
 *
 * ---------------------------------------------------------------------------------------------
 * Instances and the order of calls
 * ---------------------------------------------------------------------------------------------
 *
 *   entry -> create -> init -+-> invoke, invoke, ...          (output) -+-> stop -> destroy
 *                            +-> start_input -> ack, ack, ... (input)  -+
 *
 * One instance per direction. A component gets one instance per direction it uses: a component
 * served in both directions gets two independent instances, created by two create calls (first
 * params->directions == BD_DIR_OUTPUT, then BD_DIR_INPUT), each with its own ctx, init, stop and
 * destroy. directions never has both bits set. (Dapr does the same.) The `direction` metadata
 * key limits a component to one of them.
 *
 * Generations. Every change of a component (its YAML, or the driver's .so file) makes a new
 * generation of instances beside the old one (params->generation increases). The old generation
 * keeps serving until the new one's init completed, then drains and is stopped. So two instances
 * of the same component and direction, in the same or in different images of the driver, run
 * at the same time: keep no per-component state in globals.
 *
 * The host, for one generation:
 *   1. Checks the component's metadata against the descriptor's fields (a required field that is
 *      missing and has no default is an error; create is not called). From ABI 1.1 on, it then
 *      adds every declared field the component leaves out and that has a non-empty
 *      default_value, with that default, before calling create: create sees declared defaults
 *      as if they were written in the YAML. A driver that also runs under a 1.0 host
 *      (bd_host_api.abi_minor == 0) applies its own.
 *   2. Calls create for each direction (output first), then init for all of them at once.
 *   3. If a create fails, or an init fails or does not complete within spec.initTimeout (5 s by
 *      default), the generation is abandoned: every instance already created gets stop (with a
 *      2 s deadline), then destroy. That includes an instance whose init was never called (the
 *      other direction's create failed) and one whose init is still pending (it timed out).
 *      The previous generation, if any, keeps serving.
 *   4. Output: once every init completed with BD_OK, requests are routed to the new instance;
 *      invoke is never called before that.
 *   5. Input: start_input is called only once the app is reachable: its port accepts connections
 *      and its OPTIONS /<route> probe answered 2xx or 405 (the probe is skipped when the
 *      component's `direction` metadata names input). With no --app-port, or when the app does
 *      not subscribe (probe answered 404 or another 4xx), start_input is never called; the
 *      instance still gets stop and destroy. When a generation replaces another, input of a
 *      driver without BD_FEAT_INPUT_OVERLAP_OK (in either generation) is stopped in the old
 *      generation before start_input is called in the new one; with it, the new one starts first.
 *   6. Retiring (replaced, removed, or host shutting down):
 *        a. input instance: stop (5 s deadline), then the host waits until every event emit_event
 *           accepted has been acked (acks keep arriving after stop completed);
 *        b. output instance: no new invoke is admitted; the host waits up to 30 s for invokes in
 *           flight to complete, then calls stop (5 s deadline). stop is called for output-only
 *           instances too, even one that never served a request, and it must complete every
 *           invoke still in flight;
 *        c. destroy, input instance first.
 *   Every instance that create returned gets exactly one stop and then exactly one destroy, and
 *   nothing after destroy. Drivers should still treat a second stop as already done (complete it
 *   at once with BD_OK): the conformance suite calls stop twice.
 *
 * "Serialised". init, start_input, stop and destroy of one instance are called one at a time:
 * the host never runs two of these functions for one instance at once (serialised until each
 * function returns). Beyond that, the host waits for a call to complete before the next one in
 * the normal order (start_input only after init completed with BD_OK), with two exceptions: stop
 * may be called while init is still pending (init timed out) and while start_input is still
 * pending (start_input has no deadline; shutdown does not wait for it). stop must then complete
 * the pending call too, typically with BD_E_CANCELLED. After stop, no lifecycle call but destroy
 * follows (no init, no start_input, no invoke; only the acks still owed). invoke, ack, cancel
 * and health may run concurrently with each other and with the lifecycle calls, except that
 * destroy overlaps nothing.
 *
 * Stop and its deadline. stop is asynchronous: return BD_OK from stop quickly and complete the
 * call (op_complete) once everything of the instance has stopped. To complete stop from a
 * thread you are stopping (your I/O thread is the one that notices it should exit), make
 * op_complete(call, ...) the last thing that thread does with the instance: destroy may be
 * called on another thread as soon as op_complete is entered, so after it the thread may only
 * return and exit (the code stays mapped, so returning through driver code is safe). Detach such
 * a thread, or join it in destroy (it has nothing left to do but exit). If stop has not completed
 * by deadline_mono_ns, the host logs a warning, stops waiting and carries on as if it had: it
 * waits for pending acks and calls destroy. destroy may therefore run while a stop is still in
 * progress; it must then finish the stop itself (signal and join the instance's threads) before
 * freeing memory they use: the one case in which destroy may wait. A late completion of that
 * stop is ignored.
 *
 * Threads the host calls on (as the bindery host does it; a driver must accept any thread):
 *   entry            the thread scanning the drivers path (start-up, or a hot reload);
 *   create, init, start_input, stop, destroy
 *                    a thread of the host's shared task pool, which also runs every other
 *                    component's lifecycle and every Swift driver's tasks: blocking it delays all;
 *   invoke           the API server event-loop thread that read the HTTP request: blocking it
 *                    stalls every connection served by that loop;
 *   ack              the delivery thread that POSTed the event to the app (at most
 *                    --app-max-concurrency of them, 64 when unlimited): blocking it delays other
 *                    deliveries.
 * The host never holds a lock while it calls a driver, so a driver may call any host function
 * from inside any driver function, on any thread. No host function calls into the driver before
 * it returns, so a driver may hold its own locks while calling one. Other threads do not wait:
 * an event's ack may run on a delivery thread before emit_event has returned (see emit_event).
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

/**
 * Result of every call. BD_OK is 0; errors are negative. For invoke, the error's message (not the
 * code) is what a Dapr client sees: the HTTP API answers every invoke error with 500
 * ERR_INVOKE_OUTPUT_BINDING and the message as its text, or the code's name (e.g.
 * "BD_E_INVALID_ARG") when there is no message.
 */
typedef int32_t bd_status;
#define BD_OK 0
#define BD_E_INVALID_ARG (-1)  /* bad configuration or request */
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

/**
 * What the app said about an input event, passed to bd_driver_api.ack. The host sends BD_ACK
 * when the app answered 2xx and BD_NACK_RETRY for any other answer or a failed delivery (as
 * daprd does); it does not send BD_NACK_DROP today. Whether a nacked event is redelivered is the
 * driver's decision.
 */
typedef int32_t bd_ack_kind;
#define BD_ACK 0        /* the app answered 2xx: the event is done */
#define BD_NACK_RETRY 1 /* the app failed: redeliver the event if the source can */
#define BD_NACK_DROP 2  /* the event cannot be delivered and must not be retried */

/* ---------------------------------------------------------------------------------------------
 * Plain data
 * ------------------------------------------------------------------------------------------- */

/** UTF-8 text, not NUL-terminated. ptr may be NULL when len is 0. */
typedef struct bd_str {
    const char *ptr;
    size_t len;
} bd_str;

/** Bytes. ptr may be NULL when len is 0. */
typedef struct bd_bytes {
    const uint8_t *ptr;
    size_t len;
} bd_bytes;

/** One metadata entry (component configuration, request metadata, event metadata). */
typedef struct bd_kv {
    bd_str key;
    bd_str value;
} bd_kv;

/**
 * A list of metadata entries; keys are unique within one list (the host keeps the last of
 * duplicate keys). Keys are as written by the user, case preserved. items may be NULL when count
 * is 0. Ownership: the side that passes the list owns items and every string in them.
 */
typedef struct bd_kv_list {
    const bd_kv *items;
    size_t count;
} bd_kv_list;

/**
 * Bytes whose ownership moves to the receiver. The receiver calls release(release_ctx) exactly
 * once, from any thread, when it no longer needs ptr. release == NULL means "not used".
 * The bindery host copies owned bytes and releases them before invoke_complete returns, on the
 * thread that called invoke_complete; a driver must not rely on that and must accept a release
 * from any thread, later.
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
 * Dapr's ERR_INVOKE_OUTPUT_BINDING error. code repeats the status it accompanies; flags are
 * BD_ERR_*. Set struct_size to sizeof(bd_error).
 */
typedef struct bd_error {
    uint32_t struct_size;
    bd_status code;
    uint32_t flags; /* BD_ERR_* */
    bd_str message;
} bd_error;

/**
 * A buffer the host allocates for a synchronous failure (entry, create, health, and an invoke
 * that returns an error directly: bd_invoke_request.error) to describe it. The driver writes
 * code, flags and up to message_cap bytes of message, and sets message_len. bd_error_buf_set
 * does exactly that (it leaves flags alone).
 *
 * Ownership: the host owns the struct and message; both are valid only until the function that
 * received the buffer returns. The driver writes into it only during that call, and only when it
 * returns an error. The host's message_cap is 1024 bytes; longer messages are cut (possibly in
 * the middle of a UTF-8 sequence, which the host shows as U+FFFD).
 */
typedef struct bd_error_buf {
    uint32_t struct_size;
    bd_status code;
    uint32_t flags;
    char *message;
    size_t message_cap;
    size_t message_len;
} bd_error_buf;

/** Fills buf with code and the NUL-terminated text msg (truncated to the buffer); returns code.
 *  buf may be NULL (nothing is written). */
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

/**
 * Host-owned, one per driver instance; valid from the moment create is called until destroy
 * returns, and usable with log, log_enabled and emit_event during that whole time, including
 * inside create and inside destroy. Opaque: never dereference it. (The bindery host uses ids,
 * not addresses, so a stale ctx finds nothing instead of freed memory; do not rely on it.)
 */
typedef struct bd_host_ctx bd_host_ctx;
/** Host-owned, one per asynchronous call; valid until the driver completes it. Opaque. */
typedef struct bd_call bd_call;
/** Driver-owned, one per instance; created by create, freed by destroy. The host only passes it
 *  back to the driver's functions and never dereferences it. */
typedef struct bd_instance bd_instance;

/* ---------------------------------------------------------------------------------------------
 * Negotiation and the descriptor
 * ------------------------------------------------------------------------------------------- */

/**
 * Version negotiation, allocated by the host and passed to bd_driver_entry; borrowed until entry
 * returns. In: abi_major, host_minor_min, host_minor_max. Out: driver_major, driver_minor
 * (always, so the host can name them in an error) and, on success, agreed_minor =
 * min(driver_minor, host_minor_max). The driver then uses only features of agreed_minor. The
 * host refuses a driver whose agreed_minor is below host_minor_min.
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

/**
 * One configuration key a driver reads from a component's spec.metadata. Static data owned by
 * the driver, valid for the life of the process. The host reads the fields once, right after
 * entry: names must be non-empty and unique. It uses them before create: a BD_FIELD_REQUIRED
 * field without a default that the component leaves out is an error (create is not called), an
 * unknown key is a warning naming the closest field, and from ABI 1.1 on a field left out gets
 * its non-empty default_value (see "The host, for one generation" above); it also checks each
 * value against the field's type (ABI 1.1) before create. Later minor versions append members
 * (check BD_HAS before reading one). Declare fields with designated initializers
 * ({.struct_size = sizeof(bd_metadata_field), .name = ...}): members appended later then start
 * zeroed, and -Wextra does not warn about the ones left out.
 */
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

/**
 * What the driver is. Static data owned by the driver; valid for the life of the process. The
 * host copies and checks it right after entry (type_name non-empty without white space,
 * directions non-zero with no unknown bits, operation names non-empty and unique, fields as
 * above) and refuses the file if it is wrong. It never changes afterwards: entry returns the
 * same one every time.
 */
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

/**
 * Arguments of create. Ownership: host-owned, borrowed until create returns (the struct, the
 * strings and the metadata list): copy what you keep.
 */
typedef struct bd_create_params {
    uint32_t struct_size;
    bd_str component_name; /* metadata.name of the component */
    bd_str type_name;      /* spec.type as written (an alias resolves to this driver) */
    bd_str component_version;
    uint32_t directions;   /* exactly one of BD_DIR_INPUT, BD_DIR_OUTPUT: one instance each */
    bd_kv_list metadata;   /* spec.metadata with secrets and templates resolved and, from ABI
                              1.1 on, declared defaults added for keys the component leaves out */
    uint64_t generation;   /* increases each time the component is re-created */
} bd_create_params;

/**
 * An output request. Ownership: host-owned, borrowed until invoke returns (the struct, every
 * string and byte it points to, and error): copy what you need before you return, even when you
 * complete the call later.
 *
 * data is the request body's "data" value re-encoded exactly as daprd's Go json.Marshal encodes
 * it (Dapr compatibility), so it is always JSON text and never empty over the HTTP API:
 *   - "data" absent or null         -> the 4 bytes  null
 *   - a JSON string "hello"         -> "hello" with its quotes and JSON escapes, 7 bytes; Go's
 *                                      HTML escaping applies: <, >, & become \u003c, \u003e,
 *                                      \u0026 (a driver that wants the text decodes the string)
 *   - an object                     -> compact, keys sorted byte-wise, last duplicate key wins
 *   - a number                      -> through float64, shortest form (1.0 -> 1, 1e2 -> 100)
 *   - true / false / an array       -> compact JSON
 * metadata is the request's "metadata" object (string values only; the last of duplicate keys
 * wins). operation is always one of the descriptor's operations: the host answers a request for
 * any other operation itself.
 */
typedef struct bd_invoke_request {
    uint32_t struct_size;
    bd_str operation;          /* one of the descriptor's operations */
    bd_bytes data;             /* the request's data, as Dapr passes it (JSON, see above) */
    bd_kv_list metadata;       /* the request's metadata */
    uint64_t deadline_mono_ns; /* CLOCK_MONOTONIC nanoseconds; 0 = none (what the host passes
                                  today: Dapr's HTTP API sets no deadline) */
    bd_str request_id;         /* for logs; may be empty (it is, today) */
    /* ABI 1.1. Check BD_HAS(req, bd_invoke_request, error) and error != NULL before use.
     * Where an invoke that returns an error directly (not BD_OK, so no completion follows)
     * describes it: bd_error_buf_set(req->error, status, "why") before returning status. The
     * host then shows that message to the caller, as it shows err->message of invoke_complete;
     * without it the caller sees only "invoke returned BD_E_...". Host-owned, valid until
     * invoke returns; never write to it when returning BD_OK. */
    bd_error_buf *error;
} bd_invoke_request;

/**
 * An output response, allocated by the driver and borrowed by the host for the duration of
 * invoke_complete (the struct, data, metadata and content_type). If owned.release is not NULL,
 * owned is used instead of data and the host calls owned.release exactly once when it is done
 * with the bytes. The HTTP API answers 200 with the bytes as the body and
 * Content-Type: application/json (as daprd does, whatever content_type says).
 */
typedef struct bd_invoke_response {
    uint32_t struct_size;
    bd_bytes data;
    bd_kv_list metadata; /* becomes "metadata.<key>" response headers */
    bd_str content_type; /* empty: application/json */
    bd_owned_bytes owned;
} bd_invoke_response;

/** Arguments of start_input; host-owned, borrowed until start_input returns. */
typedef struct bd_input_params {
    uint32_t struct_size;
    /* At most this many events emit_event accepted may wait for their ack at once; beyond it
     * emit_event answers BD_E_BUSY. Always >= 1. The host passes twice --app-max-concurrency
     * when that flag is set (> 0), and 256 when it is not. A source that can fetch ahead (a
     * prefetch count, a consumer window) may size it from this. */
    uint32_t max_unacked;
} bd_input_params;

/**
 * An input event, allocated by the driver and borrowed by the host during emit_event (the host
 * copies everything before emit_event returns). The host POSTs data to the app's route as the
 * body, with each metadata entry as a request header and Content-Type: application/json (as
 * daprd does; content_type is not sent today).
 */
typedef struct bd_input_event {
    uint32_t struct_size;
    /* Chosen by the driver and echoed by ack; the host does not interpret it. Unique among this
     * instance's events still waiting for their ack. 0 is reserved: use non-zero ids (a 1.x
     * host still delivers an event with id 0, but may give 0 a meaning in a later version). */
    uint64_t delivery_id;
    bd_bytes data;        /* the body POSTed to the app */
    bd_kv_list metadata;  /* sent to the app as headers */
    bd_str content_type;  /* empty: application/json */
} bd_input_event;

/* ---------------------------------------------------------------------------------------------
 * The host's table (host -> driver)
 * ------------------------------------------------------------------------------------------- */

/**
 * Functions the host provides. Host-owned; the table is valid for the life of the process, so a
 * driver may keep the pointer in a global. Every function may be called from any thread,
 * including from inside a driver function the host is running (the host never holds a lock
 * while calling a driver), returns quickly, and never calls into the driver before it returns.
 * abi_minor is the newest minor version the host implements.
 */
typedef struct bd_host_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;

    /**
     * Writes one log line.
     * Called:    by the driver at any time. ctx is the one passed to create, valid from inside
     *            create until destroy returns (log may be called during create and during
     *            destroy with it), or NULL for messages not about one instance (from entry).
     * Thread:    any.  Blocking: a short lock around the write to the host's log stream.
     * Ownership: message is borrowed for the call; the host copies it. The host prefixes the
     *            line with the level and the instance: component name, type, driver version and
     *            generation. Write one line without a trailing newline.
     */
    void (*log)(bd_host_ctx *ctx, bd_log_level level, bd_str message);

    /**
     * True when a message at level would be written; check before formatting an expensive one.
     * Same ctx, thread and blocking rules as log; never blocks.
     */
    bool (*log_enabled)(bd_host_ctx *ctx, bd_log_level level);

    /**
     * Completes an init, start_input or stop call.
     * Called:    by the driver, exactly once per call for which init/start_input/stop returned
     *            BD_OK: inline (inside that function) or later.
     * Thread:    any.  Blocking: none (the host wakes whoever waits for the call).
     * Returns:   nothing. A completion after the host gave up waiting (init timed out, stop past
     *            its deadline) is ignored; a second completion of one call is logged as an ABI
     *            violation and otherwise ignored.
     * Ownership: err is borrowed for the call (NULL, or an error whose message the host copies
     *            into its log and /v1.0/metadata); status BD_OK with err NULL for success.
     */
    void (*op_complete)(bd_call *call, bd_status status, const bd_error *err);

    /**
     * Completes an invoke call.
     * Called:    by the driver, exactly once per invoke that returned BD_OK: inline or later.
     * Thread:    any.  Blocking: none: the host copies the response and queues the HTTP answer.
     * Returns:   nothing. With status BD_OK, resp == NULL means "no response" (HTTP 204) and a
     *            response with empty data means an empty body (HTTP 200). With an error, the
     *            caller gets 500 ERR_INVOKE_OUTPUT_BINDING with err->message as its text (the
     *            status name when err is NULL or its message empty); resp may still carry
     *            metadata, which is sent as headers.
     * Ownership: resp and err are borrowed for the call; the host copies them before returning.
     *            resp->owned, if set, passes to the host (released exactly once).
     */
    void (*invoke_complete)(bd_call *call, bd_status status, const bd_invoke_response *resp,
                            const bd_error *err);

    /**
     * Hands one input event to the host for delivery to the app.
     * Called:    by the driver, for an input instance, from the moment start_input is called
     *            (even before it completes) until stop is called. Calls before that or after stop
     *            began answer BD_E_UNAVAILABLE.
     * Thread:    any.  Blocking: never (a short lock; the POST runs on a delivery thread).
     * Returns:   BD_OK: the host copied the event and exactly one ack will follow for
     *            event->delivery_id. That ack may arrive on another thread before emit_event has
     *            returned, so record the event as outstanding before you call emit_event. Acks
     *            may also arrive during and after stop (until destroy).
     *            BD_E_BUSY: max_unacked events are waiting for their ack; nothing was taken. Keep
     *            the event and emit it again after the next ack has returned (the host returns
     *            the credit after ack returns, so emitting from inside ack may still be busy).
     *            BD_E_UNAVAILABLE: input is not started or is stopping; no ack will follow.
     * Ownership: event and everything it points to are borrowed for the call.
     */
    bd_status (*emit_event)(bd_host_ctx *ctx, const bd_input_event *event);

    /** CLOCK_MONOTONIC in nanoseconds, the clock of every deadline in this ABI. Any thread;
     *  never blocks. */
    uint64_t (*now_mono_ns)(void);
} bd_host_api;

/* ---------------------------------------------------------------------------------------------
 * The driver's table (driver -> host)
 * ------------------------------------------------------------------------------------------- */

/**
 * Functions the driver provides, in a table with static storage that stays valid forever.
 * create, init, stop and destroy are required; invoke for a driver with BD_DIR_OUTPUT,
 * start_input and ack for one with BD_DIR_INPUT; cancel and health are optional (NULL).
 * invoke, ack, cancel and health may be called concurrently for one instance, from any host
 * thread. init, start_input, stop and destroy are serialised per instance (see "Serialised" at
 * the top: until each function returns; stop may come while init or start_input is still
 * pending); destroy never overlaps anything. Every function must return quickly (well under a
 * millisecond): do slow work on your own threads and complete the call from there.
 */
typedef struct bd_driver_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    const bd_driver_descriptor *descriptor;

    /**
     * Creates an instance for one direction of one component.
     * Called:    once per instance, before anything else for it (see "The host, for one
     *            generation"); params->directions is exactly one direction. Declared defaults are
     *            already in params->metadata (ABI 1.1 host).
     * Thread:    a host task-pool thread.  Blocking: none allowed: no I/O, no threads, no
     *            waiting. Validate params->metadata, copy what you keep, allocate.
     * Returns:   BD_OK with *out_instance set (not NULL): the host will call stop then destroy
     *            on it, whatever happens next. Any error (BD_E_INVALID_ARG for bad
     *            configuration): no instance exists, nothing more is called for it, and the
     *            message written with bd_error_buf_set(err, ...) becomes the component's error
     *            ("<type> create failed: <message>", logged and shown in /v1.0/metadata).
     * Ownership: params is borrowed until create returns. ctx is host-owned and identifies this
     *            instance to log and emit_event until destroy returns; keep it. log may be called
     *            with ctx already inside create. err is host-owned, valid until create returns.
     */
    bd_status (*create)(const bd_create_params *params, bd_host_ctx *ctx,
                        bd_instance **out_instance, bd_error_buf *err);

    /**
     * Starts the instance: connect, authenticate, ping.
     * Called:    at most once, after every create of the generation succeeded, for all its
     *            instances at once (never, when the other direction's create failed).
     * Thread:    a host task-pool thread.  Blocking: none; do the I/O on your own threads.
     * Returns:   BD_OK: complete call with op_complete (BD_OK when ready, or an error with its
     *            message) within spec.initTimeout (5 s by default). If it does not, the host
     *            gives up on it (a later completion is ignored) and stop must complete it. An
     *            error, completed or returned directly (then with only the status name as its
     *            message), fails the generation: every instance of it gets stop, then destroy,
     *            and the message is logged and shown in /v1.0/metadata.
     * Ownership: call is valid until you complete it.
     */
    bd_status (*init)(bd_instance *inst, bd_call *call);

    /**
     * Runs one output operation.
     * Called:    for an output instance, after its init completed with BD_OK, once per request,
     *            concurrently; never after stop was called.
     * Thread:    the API event-loop thread that read the request.  Blocking: none, not even a
     *            short wait on I/O: it stalls every connection on that loop.
     * Returns:   BD_OK: complete call with invoke_complete, inline or later, exactly once (stop
     *            completes it if it is still in flight then, e.g. with BD_E_CANCELLED).
     *            Any other status: the request failed, no completion follows. Describe it in
     *            req->error (ABI 1.1, when BD_HAS says it is there and it is not NULL) with
     *            bd_error_buf_set before returning; otherwise the caller reads only
     *            "invoke returned <status name>". BD_E_UNSUPPORTED for an operation you do not
     *            serve (the host filters those already).
     * Ownership: req and everything it points to are borrowed until invoke returns, even if
     *            you complete later: copy what you need. call is valid until you complete it.
     *            There is no per-request deadline today (req->deadline_mono_ns is 0); the host
     *            does not time invokes out, so a request you never complete holds its caller
     *            and, when the generation retires, delays stop by up to 30 s.
     */
    bd_status (*invoke)(bd_instance *inst, const bd_invoke_request *req, bd_call *call);

    /**
     * Optional (BD_FEAT_CANCEL): asks that an in-flight invoke finish early. Best effort; the
     * call is still completed exactly once, typically with BD_E_CANCELLED. May be NULL. The
     * bindery host does not call it today; when it does: any thread, must not block.
     */
    bd_status (*cancel)(bd_instance *inst, bd_call *call);

    /**
     * Begins emitting input events through emit_event.
     * Called:    at most once, for an input instance, after its init completed with BD_OK and
     *            only once the app is reachable and subscribed (see the order of calls above);
     *            possibly never.
     * Thread:    a host task-pool thread.  Blocking: none.
     * Returns:   BD_OK: complete call with op_complete once the source is running; events may be
     *            emitted before that, even inside start_input. There is no deadline, but stop may
     *            come while the call is still pending, and must then complete it. An error
     *            (returned, or completed) means input did not start: it is logged and nothing is
     *            delivered; the instance still gets stop and destroy.
     * Ownership: params is borrowed until start_input returns (copy max_unacked); call is valid
     *            until you complete it.
     */
    bd_status (*start_input)(bd_instance *inst, const bd_input_params *params, bd_call *call);

    /**
     * The app's answer to one emitted event.
     * Called:    exactly once per event emit_event accepted (BD_OK), never for others; possibly
     *            before that emit_event returned, concurrently with other acks, invoke and the
     *            lifecycle calls, during and after stop, always before destroy (the host waits
     *            for every ack, with no time limit since a delivery has none, before destroy).
     * Thread:    the delivery thread that POSTed the event.  Blocking: none; it holds back other
     *            deliveries.
     * Returns:   nothing. kind is BD_ACK (app answered 2xx) or BD_NACK_RETRY (any other status,
     *            or the app could not be reached): redeliver if the source can, as in Dapr.
     *            After ack returns, the event's credit is free for emit_event again.
     * Ownership: response (the app's response body) and err (for a nack: daprd's text, e.g.
     *            "fails to send binding event to http app channel, status code: 500 body: ...";
     *            NULL for BD_ACK) are borrowed until ack returns.
     */
    void (*ack)(bd_instance *inst, uint64_t delivery_id, bd_ack_kind kind, bd_bytes response,
                const bd_error *err);

    /**
     * Stops the instance: stop emitting and accepting work, complete every outstanding call
     * exactly once (BD_E_CANCELLED if aborted, including a pending init or start_input), stop
     * every thread, timer and connection of this instance, then complete call.
     * Called:    exactly once per instance that create returned, before destroy: for input and
     *            output instances, whether or not init succeeded, was called at all, or
     *            start_input was ever called (see the order of calls above). emit_event answers
     *            BD_E_UNAVAILABLE from the moment stop is called; invoke is not called any more.
     * Thread:    a host task-pool thread.  Blocking: none; signal your threads and return.
     * Returns:   BD_OK: complete call with op_complete when everything has stopped, from any
     *            thread, also from a thread being stopped (make it the last thing that thread
     *            does with the instance; see "Stop and its deadline" above). An error: the host
     *            logs it and proceeds as if stop had completed.
     *            deadline_mono_ns (CLOCK_MONOTONIC) is when the host stops waiting: 5 s after
     *            the call when retiring, 2 s after a failed create or init. Past it the host logs
     *            a warning, waits for outstanding acks and calls destroy, even though this stop
     *            has not completed.
     * Ownership: call is valid until you complete it.
     */
    bd_status (*stop)(bd_instance *inst, uint64_t deadline_mono_ns, bd_call *call);

    /**
     * Frees the instance.
     * Called:    exactly once, last, after stop completed (or its deadline passed) and every ack
     *            was delivered; when stop completed, every call of the instance has been
     *            completed too. No other function runs for this instance during or after it.
     *            log may still be called with the instance's ctx during destroy; after destroy
     *            returns, ctx and every call of this instance are gone.
     * Thread:    a host task-pool thread.  Blocking: synchronous; it may wait only to finish a
     *            stop whose deadline passed (join the instance's threads).
     * Ownership: inst is yours to free.
     */
    void (*destroy)(bd_instance *inst);

    /**
     * Optional: a cheap liveness check (Dapr's Ping). BD_OK or an error described in err.
     * Synchronous, must not block. May be NULL. The bindery host does not call it today; when it
     * does: any thread, between init's completion and stop, err valid until health returns.
     */
    bd_status (*health)(bd_instance *inst, bd_error_buf *err);
} bd_driver_api;

/* ---------------------------------------------------------------------------------------------
 * The entry point
 * ------------------------------------------------------------------------------------------- */

/**
 * The only symbol a driver exports.
 * Called:    right after the host loads the library (at start-up and when a hot reload finds a
 *            new or changed file), and possibly more than once for one image (a probe, then the
 *            real load). It must have no side effects (no threads, no I/O, no global
 *            registration) and return the same table every time.
 * Thread:    the host thread scanning the drivers path.  Blocking: none.
 * Does:      set io->driver_major and io->driver_minor to the version you were built against.
 *            If io->abi_major differs from yours, return BD_E_INCOMPATIBLE. Otherwise set
 *            io->agreed_minor to min(your minor, io->host_minor_max), store host if you need it,
 *            set *out_api to your table and return BD_OK.
 * Returns:   BD_OK, BD_E_INCOMPATIBLE, or any other error described in err (bd_error_buf_set):
 *            the file is then not used and the message is logged with its path.
 * Ownership: host is host-owned and valid forever (keep it in a global); io and err are valid
 *            until entry returns; *out_api and the descriptor are driver-owned and must stay
 *            valid forever (static storage). log may be called with ctx NULL.
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
