/*
 * A C test driver, "bindings.fixture". Built once per failure mode with -DFAULT_<MODE>; built
 * with no FAULT_ it is a complete driver whose every path the lifecycle tests exercise:
 * -DTYPE_NAME and -DDRIVER_VERSION set the type it serves and its version (two providers, or
 * rebuilt versions, for hot-reload tests); echo reports both as response metadata.
 *   operations: echo (response, completed inline), none (no response), fail (error completion;
 *               with request metadata direct=true, BD_E_INVALID_ARG returned directly with its
 *               message in req->error), async (completed from another thread), acks (counts of
 *               acks and nacks so far)
 *   input: emits `events` events (metadata key, default 3) from its own thread
 *   init: fails when metadata initFail=true (from another thread), never completes when
 *         initHang=true (until stop)
 */
#define _POSIX_C_SOURCE 200809L
#include <bindery_driver.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef DRIVER_VERSION
#define DRIVER_VERSION "1.0.0"
#endif
#ifndef TYPE_NAME
#define TYPE_NAME "bindings.fixture"
#endif

static const bd_host_api *host;

struct bd_instance {
    bd_host_ctx *ctx;
    int events;
    int init_fail;
    int init_hang;
    bd_call *pending_init;
    pthread_t input_thread;
    int input_running;
    pthread_mutex_t lock;
    int acked, nacked;
};

static int meta_int(const bd_kv_list *list, const char *key, int fallback) {
    for (size_t i = 0; i < list->count; i++) {
        const bd_kv *kv = &list->items[i];
        if (kv->key.len == strlen(key) && memcmp(kv->key.ptr, key, kv->key.len) == 0) {
            char text[32] = {0};
            size_t n = kv->value.len < sizeof text - 1 ? kv->value.len : sizeof text - 1;
            memcpy(text, kv->value.ptr, n);
            if (strcmp(text, "true") == 0) return 1;
            return atoi(text);
        }
    }
    return fallback;
}

static bool str_is(bd_str s, const char *text) {
    return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

static bd_status fx_create(const bd_create_params *params, bd_host_ctx *ctx, bd_instance **out,
                           bd_error_buf *err) {
    if (meta_int(&params->metadata, "createFail", 0))
        return bd_error_buf_set(err, BD_E_INVALID_ARG, "metadata createFail is set");
    bd_instance *inst = calloc(1, sizeof *inst);
    if (inst == NULL) return bd_error_buf_set(err, BD_E_INTERNAL, "out of memory");
    inst->ctx = ctx;
    inst->events = meta_int(&params->metadata, "events", 3);
    inst->init_fail = meta_int(&params->metadata, "initFail", 0);
    inst->init_hang = meta_int(&params->metadata, "initHang", 0);
    pthread_mutex_init(&inst->lock, NULL);
    *out = inst;
    return BD_OK;
}

static void *fail_init_later(void *arg) {
    bd_call *call = arg;
    bd_error e = {sizeof e, BD_E_UNAVAILABLE, 0, BD_STR("cannot reach fixture server")};
    host->op_complete(call, BD_E_UNAVAILABLE, &e);
    return NULL;
}

static bd_status fx_init(bd_instance *inst, bd_call *call) {
    if (inst->init_hang) {
        inst->pending_init = call; /* completed by stop */
        return BD_OK;
    }
    if (inst->init_fail) {
        pthread_t t;
        if (pthread_create(&t, NULL, fail_init_later, call) != 0) return BD_E_INTERNAL;
        pthread_detach(t);
        return BD_OK;
    }
    bd_str msg = BD_STR("fixture initialised");
    host->log(inst->ctx, BD_LOG_INFO, msg);
    host->op_complete(call, BD_OK, NULL);
    return BD_OK;
}

struct async_job {
    bd_call *call;
    size_t len;
    uint8_t data[];
};

static void *complete_async(void *arg) {
    struct async_job *job = arg;
    bd_kv meta[] = {{BD_STR("thread"), BD_STR("other")}};
    bd_invoke_response resp = {sizeof resp, {job->data, job->len}, {meta, 1}, BD_STR(""), {0}};
    host->invoke_complete(job->call, BD_OK, &resp, NULL);
    free(job);
    return NULL;
}

static bd_status fx_invoke(bd_instance *inst, const bd_invoke_request *req, bd_call *call) {
    if (str_is(req->operation, "echo")) {
        bd_kv meta[] = {{BD_STR("op"), BD_STR("echo")}, {BD_STR("provider"), BD_STR(TYPE_NAME)},
                        {BD_STR("version"), BD_STR(DRIVER_VERSION)}};
        bd_invoke_response resp = {sizeof resp, req->data, {meta, 3}, BD_STR(""), {0}};
        host->invoke_complete(call, BD_OK, &resp, NULL);
        return BD_OK;
    }
    if (str_is(req->operation, "none")) {
        host->invoke_complete(call, BD_OK, NULL, NULL);
        return BD_OK;
    }
    if (str_is(req->operation, "fail") && meta_int(&req->metadata, "direct", 0)) {
        /* Fails without a completion, describing the failure in req->error (ABI 1.1). */
        if (BD_HAS(req, bd_invoke_request, error))
            bd_error_buf_set(req->error, BD_E_INVALID_ARG, "fixture rejected the request directly");
        return BD_E_INVALID_ARG;
    }
    if (str_is(req->operation, "fail")) {
        bd_kv meta[] = {{BD_STR("reason"), BD_STR("asked")}};
        bd_invoke_response resp = {sizeof resp, {NULL, 0}, {meta, 1}, BD_STR(""), {0}};
        bd_error e = {sizeof e, BD_E_INVALID_ARG, 0, BD_STR("fixture failure as requested")};
        host->invoke_complete(call, BD_E_INVALID_ARG, &resp, &e);
        return BD_OK;
    }
    if (str_is(req->operation, "async")) {
        struct async_job *job = malloc(sizeof *job + req->data.len + 1);
        if (job == NULL) return BD_E_INTERNAL;
        job->call = call;
        job->len = req->data.len;
        if (req->data.len > 0) memcpy(job->data, req->data.ptr, req->data.len);
        pthread_t t;
        if (pthread_create(&t, NULL, complete_async, job) != 0) {
            free(job);
            return BD_E_INTERNAL;
        }
        pthread_detach(t);
        return BD_OK;
    }
    if (str_is(req->operation, "acks")) {
        char text[64];
        pthread_mutex_lock(&inst->lock);
        int n = snprintf(text, sizeof text, "acked=%d nacked=%d", inst->acked, inst->nacked);
        pthread_mutex_unlock(&inst->lock);
        bd_invoke_response resp = {sizeof resp, {(const uint8_t *)text, (size_t)n}, {NULL, 0},
                                   BD_STR("text/plain"), {0}};
        host->invoke_complete(call, BD_OK, &resp, NULL);
        return BD_OK;
    }
    return BD_E_UNSUPPORTED;
}

static void *emit_events(void *arg) {
    bd_instance *inst = arg;
    for (int i = 0; i < inst->events; i++) {
        char body[32], seq[16];
        int n = snprintf(body, sizeof body, "{\"n\":%d}", i);
        int m = snprintf(seq, sizeof seq, "%d", i);
        bd_kv meta[] = {{BD_STR("seq"), {seq, (size_t)m}}};
        bd_input_event ev = {sizeof ev, (uint64_t)i + 1, {(const uint8_t *)body, (size_t)n}, {meta, 1},
                             BD_STR("")};
        bd_status s;
        while ((s = host->emit_event(inst->ctx, &ev)) == BD_E_BUSY) {
            struct timespec pause = {0, 1000000};
            nanosleep(&pause, NULL);
        }
        if (s != BD_OK) break;
    }
    return NULL;
}

static bd_status fx_start_input(bd_instance *inst, const bd_input_params *params, bd_call *call) {
    (void)params;
    if (pthread_create(&inst->input_thread, NULL, emit_events, inst) != 0) return BD_E_INTERNAL;
    inst->input_running = 1;
    host->op_complete(call, BD_OK, NULL);
    return BD_OK;
}

static void fx_ack(bd_instance *inst, uint64_t id, bd_ack_kind kind, bd_bytes response,
                   const bd_error *err) {
    (void)id, (void)response, (void)err;
    pthread_mutex_lock(&inst->lock);
    if (kind == BD_ACK) inst->acked++;
    else inst->nacked++;
    pthread_mutex_unlock(&inst->lock);
}

static bd_status fx_stop(bd_instance *inst, uint64_t deadline, bd_call *call) {
    (void)deadline;
    if (inst->input_running) {
        pthread_join(inst->input_thread, NULL);
        inst->input_running = 0;
    }
    if (inst->pending_init != NULL) {
        host->op_complete(inst->pending_init, BD_E_CANCELLED, NULL);
        inst->pending_init = NULL;
    }
    host->op_complete(call, BD_OK, NULL);
    return BD_OK;
}

static void fx_destroy(bd_instance *inst) {
    pthread_mutex_destroy(&inst->lock);
    free(inst);
}

static const bd_str operations[] = {BD_STR("echo"), BD_STR("none"), BD_STR("fail"), BD_STR("async"),
                                    BD_STR("acks")
#ifdef FAULT_DUP_OPS
                                    , BD_STR("echo")
#endif
};

static const bd_metadata_field events_field = {sizeof(bd_metadata_field), BD_STR("events"),
    BD_STR("How many input events to emit."), BD_STR("3"), 0, BD_FIELD_TYPE_INT, NULL, 0};
static const bd_metadata_field token_field = {sizeof(bd_metadata_field), BD_STR("token"),
    BD_STR("A secret the fixture ignores."), BD_STR(""), BD_FIELD_REQUIRED | BD_FIELD_SENSITIVE, BD_FIELD_TYPE_STRING, NULL, 0};
static const bd_metadata_field *const fields[] = {&events_field, &token_field};

static const bd_driver_descriptor descriptor = {
    sizeof(bd_driver_descriptor),
#ifdef FAULT_EMPTY_TYPE
    BD_STR(""),
#else
    BD_STR(TYPE_NAME),
#endif
    BD_STR("v1"),
    BD_STR(DRIVER_VERSION),
#ifdef FAULT_BAD_DIRECTIONS
    BD_DIR_INPUT | BD_DIR_OUTPUT | 0x4u,
#else
    BD_DIR_INPUT | BD_DIR_OUTPUT,
#endif
    operations,
    sizeof operations / sizeof operations[0],
    0,
#ifdef FAULT_SWIFT_TOOLCHAIN
    BD_STR("swift-5.10.0/shared"),
#else
    BD_STR("c"),
#endif
    fields,
    2,
    BD_STR("A test driver that echoes, fails and emits events on request."),
};

static const bd_driver_api api = {
    sizeof(bd_driver_api), BD_ABI_MAJOR, BD_ABI_MINOR, &descriptor, fx_create, fx_init, fx_invoke,
    NULL, fx_start_input, fx_ack, fx_stop, fx_destroy, NULL,
};

#ifdef FAULT_NO_ENTRY
#define ENTRY_NAME bd_driver_entry_misspelt
#else
#define ENTRY_NAME bd_driver_entry
#endif

BD_EXPORT bd_status ENTRY_NAME(const bd_host_api *h, bd_negotiation *io, const bd_driver_api **out,
                               bd_error_buf *err) {
#ifdef FAULT_ABI_MAJOR
    io->driver_major = 2;
    io->driver_minor = 0;
    return BD_E_INCOMPATIBLE;
#endif
#ifdef FAULT_ENTRY_ERROR
    return bd_error_buf_set(err, BD_E_INTERNAL, "license file /etc/fixture.lic is missing");
#endif
    (void)err;
    io->driver_major = BD_ABI_MAJOR;
    io->driver_minor = BD_ABI_MINOR;
    if (io->abi_major != BD_ABI_MAJOR) return BD_E_INCOMPATIBLE;
    io->agreed_minor = BD_ABI_MINOR < io->host_minor_max ? BD_ABI_MINOR : io->host_minor_max;
    host = h;
    *out = &api;
    return BD_OK;
}
