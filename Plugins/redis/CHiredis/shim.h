// hiredis 0.14 (Debian's libhiredis-dev) for the bindings.redis driver.
//
// The driver runs hiredis's async API on its own thread with its own poll(2) loop. hiredis
// tells an event library which events it wants through the ac->ev hooks (async.h, "Event
// library data and hooks"); the adapter below records them in a bd_redis_events struct owned by
// the driver, which the loop reads to build its pollfd set. No hook ever blocks or allocates.
#include <stdlib.h>
#include <string.h>
#include <hiredis/hiredis.h>
#include <hiredis/async.h>

/** What hiredis wants for one context; owned by the driver, lives longer than the context. */
typedef struct bd_redis_events {
    /** 1 while hiredis wants POLLIN / POLLOUT on the context's fd. */
    int reading;
    int writing;
    /** Set by hiredis's cleanup hook, called once just before it frees the context. */
    int freed;
} bd_redis_events;

static void bd_redis_add_read(void *events) { ((bd_redis_events *)events)->reading = 1; }
static void bd_redis_del_read(void *events) { ((bd_redis_events *)events)->reading = 0; }
static void bd_redis_add_write(void *events) { ((bd_redis_events *)events)->writing = 1; }
static void bd_redis_del_write(void *events) { ((bd_redis_events *)events)->writing = 0; }

static void bd_redis_cleanup(void *events) {
    bd_redis_events *e = (bd_redis_events *)events;
    e->reading = 0;
    e->writing = 0;
    e->freed = 1;
}

/**
 * Plugs the poll adapter into a context made by redisAsyncConnect. Like hiredis's own
 * adapters (adapters/libevent.h) it starts with read and write wanted: the first writable
 * event completes the non-blocking connect(2). Returns REDIS_ERR if something is attached.
 */
static inline int bd_redis_attach(redisAsyncContext *ac, bd_redis_events *events) {
    if (ac->ev.data != NULL) return REDIS_ERR;
    events->reading = 1;
    events->writing = 1;
    events->freed = 0;
    ac->ev.addRead = bd_redis_add_read;
    ac->ev.delRead = bd_redis_del_read;
    ac->ev.addWrite = bd_redis_add_write;
    ac->ev.delWrite = bd_redis_del_write;
    ac->ev.cleanup = bd_redis_cleanup;
    ac->ev.data = events;
    return REDIS_OK;
}

/**
 * redisAsyncCommandArgv over one flat buffer: argument i is the lengths[i] bytes that follow
 * argument i-1 in `bytes`. hiredis formats (copies) the command before returning, so the
 * buffers are only borrowed for the call. Returns REDIS_ERR (and does not call `fn`) when the
 * context is disconnecting or memory runs out.
 */
static inline int bd_redis_command(redisAsyncContext *ac, redisCallbackFn *fn, void *privdata,
                                   int argc, const char *bytes, const size_t *lengths) {
    enum { INLINE_ARGS = 8 };
    const char *inline_argv[INLINE_ARGS];
    const char **argv = argc <= INLINE_ARGS ? inline_argv : (const char **)malloc(sizeof(char *) * (size_t)argc);
    if (argv == NULL) return REDIS_ERR;
    size_t offset = 0;
    for (int i = 0; i < argc; i++) {
        argv[i] = bytes + offset;
        offset += lengths[i];
    }
    int status = redisAsyncCommandArgv(ac, fn, privdata, argc, argv, lengths);
    if (argv != inline_argv) free((void *)argv);
    return status;
}

/**
 * The context's error text, or "" when there is none. Read from the embedded redisContext:
 * hiredis 0.14 sets c.err/c.errstr on connect and I/O errors without always copying them to
 * ac->err/ac->errstr.
 */
static inline const char *bd_redis_error(const redisAsyncContext *ac) {
    return ac->c.err != 0 ? ac->c.errstr : "";
}
