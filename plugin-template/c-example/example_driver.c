/*
 * bindings.example-c: a bindery driver in plain C. Output only: operation "echo" returns the
 * request's data and adds metadata.length; "reverse" returns the bytes reversed.
 *
 * Build (one line, from plugin-template/):
 *   cc -std=c11 -O2 -shared -fPIC -fvisibility=hidden -I Sources/PluginABI/include c-example/example_driver.c -o libexample_c.so
 */
#include <bindery_driver.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const bd_host_api *host; /* valid for the life of the process */

struct bd_instance {
    bd_host_ctx *ctx;
};

static bd_status ex_create(const bd_create_params *params, bd_host_ctx *ctx, bd_instance **out,
                           bd_error_buf *err) {
    (void)params; /* a real driver reads params->metadata here, and copies what it keeps */
    bd_instance *inst = calloc(1, sizeof *inst);
    if (inst == NULL) return bd_error_buf_set(err, BD_E_INTERNAL, "out of memory");
    inst->ctx = ctx;
    *out = inst;
    return BD_OK;
}

static bd_status ex_init(bd_instance *inst, bd_call *call) {
    (void)inst; /* a real driver connects here, on its own thread, and completes later */
    host->op_complete(call, BD_OK, NULL);
    return BD_OK;
}

static bd_status ex_invoke(bd_instance *inst, const bd_invoke_request *req, bd_call *call) {
    (void)inst;
    char length[24];
    int n = snprintf(length, sizeof length, "%zu", req->data.len);
    bd_kv meta[] = {{BD_STR("length"), {length, (size_t)n}}};
    bd_invoke_response resp = {sizeof resp, req->data, {meta, 1}, BD_STR(""), {0}};
    if (req->operation.len == 4 && memcmp(req->operation.ptr, "echo", 4) == 0) {
        host->invoke_complete(call, BD_OK, &resp, NULL); /* inline completion is allowed */
        return BD_OK;
    }
    if (req->operation.len == 7 && memcmp(req->operation.ptr, "reverse", 7) == 0) {
        uint8_t *copy = malloc(req->data.len + 1);
        if (copy == NULL) return BD_E_INTERNAL;
        for (size_t i = 0; i < req->data.len; i++) copy[i] = req->data.ptr[req->data.len - 1 - i];
        resp.data.ptr = copy;
        host->invoke_complete(call, BD_OK, &resp, NULL); /* the host copies before returning */
        free(copy);
        return BD_OK;
    }
    return BD_E_UNSUPPORTED; /* no completion follows a non-OK return */
}

static bd_status ex_stop(bd_instance *inst, uint64_t deadline, bd_call *call) {
    (void)inst, (void)deadline;
    host->op_complete(call, BD_OK, NULL);
    return BD_OK;
}

static void ex_destroy(bd_instance *inst) { free(inst); }

static const bd_str operations[] = {BD_STR("echo"), BD_STR("reverse")};

static const bd_driver_descriptor descriptor = {
    .struct_size = sizeof(bd_driver_descriptor),
    .type_name = BD_STR("bindings.example-c"),
    .component_version = BD_STR("v1"),
    .driver_version = BD_STR("1.0.0"),
    .directions = BD_DIR_OUTPUT,
    .operations = operations,
    .operation_count = 2,
    .features = 0,
    .toolchain = BD_STR("c"),
    .fields = NULL,
    .field_count = 0,
    .summary = BD_STR("Echoes or reverses the request data."),
};

static const bd_driver_api api = {
    .struct_size = sizeof(bd_driver_api),
    .abi_major = BD_ABI_MAJOR,
    .abi_minor = BD_ABI_MINOR,
    .descriptor = &descriptor,
    .create = ex_create,
    .init = ex_init,
    .invoke = ex_invoke,
    .stop = ex_stop,
    .destroy = ex_destroy,
    /* cancel, start_input, ack and health stay NULL: output only, no cancellation. */
};

BD_EXPORT bd_status bd_driver_entry(const bd_host_api *h, bd_negotiation *io,
                                    const bd_driver_api **out, bd_error_buf *err) {
    (void)err;
    io->driver_major = BD_ABI_MAJOR;
    io->driver_minor = BD_ABI_MINOR;
    if (io->abi_major != BD_ABI_MAJOR) return BD_E_INCOMPATIBLE;
    io->agreed_minor = BD_ABI_MINOR < io->host_minor_max ? BD_ABI_MINOR : io->host_minor_max;
    host = h;
    *out = &api;
    return BD_OK;
}
