/*
 * abi_layout.c: pins the memory layout of every struct in bindery_driver.h on LP64 Linux
 * (x86_64 and aarch64, where the C ABIs lay these types out identically).
 *
 * The ABI is append-only within a major version: a field may be added at the end of a struct,
 * never moved, removed or retyped. These assertions turn a violation into a compile error of the
 * PluginABI target (and so of every build and test run), instead of a driver built against an
 * older header reading the wrong bytes. When a minor version appends a field, add an offset
 * assertion for it and update that struct's size; never change an existing offset.
 *
 * Numbers were computed with a C program against the header (offsetof/sizeof, gcc on x86_64) and
 * the file was also checked with clang --target=aarch64-linux-gnu.
 */
#include "bindery_driver.h"

#if defined(__LP64__) && (defined(__x86_64__) || defined(__aarch64__))

#define BD_PIN_SIZE(type, size) _Static_assert(sizeof(type) == (size), #type " must be " #size " bytes")
#define BD_PIN_FIELD(type, field, offset) \
    _Static_assert(offsetof(type, field) == (offset), #type "." #field " must be at offset " #offset)

BD_PIN_SIZE(bd_str, 16);
BD_PIN_FIELD(bd_str, ptr, 0);
BD_PIN_FIELD(bd_str, len, 8);

BD_PIN_SIZE(bd_bytes, 16);
BD_PIN_FIELD(bd_bytes, ptr, 0);
BD_PIN_FIELD(bd_bytes, len, 8);

BD_PIN_SIZE(bd_kv, 32);
BD_PIN_FIELD(bd_kv, key, 0);
BD_PIN_FIELD(bd_kv, value, 16);

BD_PIN_SIZE(bd_kv_list, 16);
BD_PIN_FIELD(bd_kv_list, items, 0);
BD_PIN_FIELD(bd_kv_list, count, 8);

BD_PIN_SIZE(bd_owned_bytes, 32);
BD_PIN_FIELD(bd_owned_bytes, ptr, 0);
BD_PIN_FIELD(bd_owned_bytes, len, 8);
BD_PIN_FIELD(bd_owned_bytes, release, 16);
BD_PIN_FIELD(bd_owned_bytes, release_ctx, 24);

BD_PIN_SIZE(bd_error, 32);
BD_PIN_FIELD(bd_error, struct_size, 0);
BD_PIN_FIELD(bd_error, code, 4);
BD_PIN_FIELD(bd_error, flags, 8);
BD_PIN_FIELD(bd_error, message, 16);

BD_PIN_SIZE(bd_error_buf, 40);
BD_PIN_FIELD(bd_error_buf, struct_size, 0);
BD_PIN_FIELD(bd_error_buf, code, 4);
BD_PIN_FIELD(bd_error_buf, flags, 8);
BD_PIN_FIELD(bd_error_buf, message, 16);
BD_PIN_FIELD(bd_error_buf, message_cap, 24);
BD_PIN_FIELD(bd_error_buf, message_len, 32);

BD_PIN_SIZE(bd_negotiation, 16);
BD_PIN_FIELD(bd_negotiation, struct_size, 0);
BD_PIN_FIELD(bd_negotiation, abi_major, 4);
BD_PIN_FIELD(bd_negotiation, host_minor_min, 6);
BD_PIN_FIELD(bd_negotiation, host_minor_max, 8);
BD_PIN_FIELD(bd_negotiation, driver_major, 10);
BD_PIN_FIELD(bd_negotiation, driver_minor, 12);
BD_PIN_FIELD(bd_negotiation, agreed_minor, 14);

/* bd_metadata_field: 64 bytes in ABI 1.0; 1.1 appended type (in 1.0's tail padding, hence
 * hosts test BD_HAS(..., allowed_count)), allowed_values and allowed_count. */
BD_PIN_SIZE(bd_metadata_field, 80);
BD_PIN_FIELD(bd_metadata_field, struct_size, 0);
BD_PIN_FIELD(bd_metadata_field, name, 8);
BD_PIN_FIELD(bd_metadata_field, description, 24);
BD_PIN_FIELD(bd_metadata_field, default_value, 40);
BD_PIN_FIELD(bd_metadata_field, flags, 56);
BD_PIN_FIELD(bd_metadata_field, type, 60);
BD_PIN_FIELD(bd_metadata_field, allowed_values, 64);
BD_PIN_FIELD(bd_metadata_field, allowed_count, 72);

BD_PIN_SIZE(bd_driver_descriptor, 136);
BD_PIN_FIELD(bd_driver_descriptor, struct_size, 0);
BD_PIN_FIELD(bd_driver_descriptor, type_name, 8);
BD_PIN_FIELD(bd_driver_descriptor, component_version, 24);
BD_PIN_FIELD(bd_driver_descriptor, driver_version, 40);
BD_PIN_FIELD(bd_driver_descriptor, directions, 56);
BD_PIN_FIELD(bd_driver_descriptor, operations, 64);
BD_PIN_FIELD(bd_driver_descriptor, operation_count, 72);
BD_PIN_FIELD(bd_driver_descriptor, features, 80);
BD_PIN_FIELD(bd_driver_descriptor, toolchain, 88);
BD_PIN_FIELD(bd_driver_descriptor, fields, 104);
BD_PIN_FIELD(bd_driver_descriptor, field_count, 112);
BD_PIN_FIELD(bd_driver_descriptor, summary, 120);

BD_PIN_SIZE(bd_create_params, 88);
BD_PIN_FIELD(bd_create_params, struct_size, 0);
BD_PIN_FIELD(bd_create_params, component_name, 8);
BD_PIN_FIELD(bd_create_params, type_name, 24);
BD_PIN_FIELD(bd_create_params, component_version, 40);
BD_PIN_FIELD(bd_create_params, directions, 56);
BD_PIN_FIELD(bd_create_params, metadata, 64);
BD_PIN_FIELD(bd_create_params, generation, 80);

/* bd_invoke_request: `error` was appended in ABI 1.1. A 1.0 host passes struct_size 80
 * (= offsetof(bd_invoke_request, error)); drivers check BD_HAS before touching `error`. */
BD_PIN_SIZE(bd_invoke_request, 88);
BD_PIN_FIELD(bd_invoke_request, struct_size, 0);
BD_PIN_FIELD(bd_invoke_request, operation, 8);
BD_PIN_FIELD(bd_invoke_request, data, 24);
BD_PIN_FIELD(bd_invoke_request, metadata, 40);
BD_PIN_FIELD(bd_invoke_request, deadline_mono_ns, 56);
BD_PIN_FIELD(bd_invoke_request, request_id, 64);
BD_PIN_FIELD(bd_invoke_request, error, 80);

BD_PIN_SIZE(bd_invoke_response, 88);
BD_PIN_FIELD(bd_invoke_response, struct_size, 0);
BD_PIN_FIELD(bd_invoke_response, data, 8);
BD_PIN_FIELD(bd_invoke_response, metadata, 24);
BD_PIN_FIELD(bd_invoke_response, content_type, 40);
BD_PIN_FIELD(bd_invoke_response, owned, 56);

BD_PIN_SIZE(bd_input_params, 8);
BD_PIN_FIELD(bd_input_params, struct_size, 0);
BD_PIN_FIELD(bd_input_params, max_unacked, 4);

BD_PIN_SIZE(bd_input_event, 64);
BD_PIN_FIELD(bd_input_event, struct_size, 0);
BD_PIN_FIELD(bd_input_event, delivery_id, 8);
BD_PIN_FIELD(bd_input_event, data, 16);
BD_PIN_FIELD(bd_input_event, metadata, 32);
BD_PIN_FIELD(bd_input_event, content_type, 48);

BD_PIN_SIZE(bd_host_api, 56);
BD_PIN_FIELD(bd_host_api, struct_size, 0);
BD_PIN_FIELD(bd_host_api, abi_major, 4);
BD_PIN_FIELD(bd_host_api, abi_minor, 6);
BD_PIN_FIELD(bd_host_api, log, 8);
BD_PIN_FIELD(bd_host_api, log_enabled, 16);
BD_PIN_FIELD(bd_host_api, op_complete, 24);
BD_PIN_FIELD(bd_host_api, invoke_complete, 32);
BD_PIN_FIELD(bd_host_api, emit_event, 40);
BD_PIN_FIELD(bd_host_api, now_mono_ns, 48);

BD_PIN_SIZE(bd_driver_api, 88);
BD_PIN_FIELD(bd_driver_api, struct_size, 0);
BD_PIN_FIELD(bd_driver_api, abi_major, 4);
BD_PIN_FIELD(bd_driver_api, abi_minor, 6);
BD_PIN_FIELD(bd_driver_api, descriptor, 8);
BD_PIN_FIELD(bd_driver_api, create, 16);
BD_PIN_FIELD(bd_driver_api, init, 24);
BD_PIN_FIELD(bd_driver_api, invoke, 32);
BD_PIN_FIELD(bd_driver_api, cancel, 40);
BD_PIN_FIELD(bd_driver_api, start_input, 48);
BD_PIN_FIELD(bd_driver_api, ack, 56);
BD_PIN_FIELD(bd_driver_api, stop, 64);
BD_PIN_FIELD(bd_driver_api, destroy, 72);
BD_PIN_FIELD(bd_driver_api, health, 80);

#endif /* LP64 x86_64 / aarch64 */

/* ISO C forbids an empty translation unit; on other targets nothing above is compiled. */
typedef int bd_abi_layout_unused;
