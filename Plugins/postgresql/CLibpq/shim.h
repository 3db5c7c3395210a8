// libpq 15 (Debian's libpq-dev) for the bindings.postgresql driver.
//
// Each pooled connection runs on its own thread with libpq's asynchronous API
// (PQconnectStartParams/PQconnectPoll, PQsendQueryParams, PQconsumeInput) and poll(2), so a
// stop or a deadline can interrupt a wait. The helper below only flattens the parameter arrays.
#include <stdlib.h>
#include <libpq-fe.h>

/**
 * PQsendQueryParams (or, with `prepared`, PQsendQueryPrepared of the unnamed statement) with
 * `count` text parameters taken from one buffer: parameter i starts
 * where parameter i-1's terminating NUL ended; lengths[i] < 0 makes it SQL NULL (it then takes
 * no bytes). Types are left to the server to infer (OID 0), results come in text format.
 * Returns libpq's result (1 sent, 0 failed: see PQerrorMessage), or 0 when memory
 * runs out. `bytes` and `lengths` are only borrowed for the call.
 */
static inline int bd_pq_send(PGconn *conn, const char *sql, int count, const char *bytes, const int *lengths,
                             int prepared) {
    enum { INLINE = 16 };
    const char *inline_values[INLINE];
    const char **values = count <= INLINE ? inline_values : (const char **)malloc(sizeof(char *) * (size_t)count);
    if (values == NULL) return 0;
    size_t offset = 0;
    for (int i = 0; i < count; i++) {
        if (lengths[i] < 0) {
            values[i] = NULL;
        } else {
            values[i] = bytes + offset;
            offset += (size_t)lengths[i] + 1;
        }
    }
    int sent = prepared ? PQsendQueryPrepared(conn, "", count, values, NULL, NULL, 0)
                        : PQsendQueryParams(conn, sql, count, NULL, values, NULL, NULL, 0);
    if (values != inline_values) free((void *)values);
    return sent;
}
