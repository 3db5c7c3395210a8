// libmosquitto 2.0 for the bindings.mqtt3 driver, plus the few helpers Swift cannot express.
#include <mosquitto.h>
#include <sys/socket.h>

/**
 * Cuts the TCP connection of `mosq` under libmosquitto's feet without closing the descriptor
 * (libmosquitto still owns it and closes it when it notices the error).
 *
 * Called only on the loop thread, from inside the message callback, when the app did not
 * acknowledge the message: in threaded mode libmosquitto has queued the QoS 1 PUBACK but not
 * written it yet (only the loop thread writes, and it is in our callback). After the shutdown
 * the write fails, the broker never sees the PUBACK and redelivers the message to the next
 * session with this client id. SIGPIPE cannot fire: mosquitto_new sets it to SIG_IGN.
 */
static inline void bd_mosq_abort_connection(struct mosquitto *mosq) {
    int fd = mosquitto_socket(mosq);
    if (fd >= 0) shutdown(fd, SHUT_RDWR);
}

/** mosq_err_t values as plain ints (the enum imports as a struct in Swift). */
static inline int bd_mosq_success(void) { return MOSQ_ERR_SUCCESS; }
static inline int bd_mosq_err_errno(void) { return MOSQ_ERR_ERRNO; }
static inline int bd_mosq_err_no_conn(void) { return MOSQ_ERR_NO_CONN; }
static inline int bd_mosq_err_conn_pending(void) { return MOSQ_ERR_CONN_PENDING; }

#include <errno.h>
#include <poll.h>

/**
 * mosquitto_loop, which waits with select(): select() cannot watch a descriptor numbered
 * FD_SETSIZE (1024) or more, and libmosquitto's loop then fails with MOSQ_ERR_INVAL, so the
 * driver lost its broker in a host holding more than 1,024 descriptors (seen in the test suite).
 * Then this waits with poll() instead, on the socket alone: it cannot see libmosquitto's private
 * wake-up pipe, so a publish queued by another thread waits at most 10 ms for the loop.
 * Called on the loop thread only.
 */
static inline int bd_mosq_loop(struct mosquitto *mosq, int timeout_ms) {
    int rc = mosquitto_loop(mosq, timeout_ms, 1);
    if (rc != MOSQ_ERR_INVAL) return rc;
    int fd = mosquitto_socket(mosq);
    if (fd < 0) return MOSQ_ERR_NO_CONN;
    struct pollfd watched = {fd, (short)(POLLIN | (mosquitto_want_write(mosq) ? POLLOUT : 0)), 0};
    int ready = poll(&watched, 1, timeout_ms < 10 ? timeout_ms : 10);
    if (ready < 0) return errno == EINTR ? MOSQ_ERR_SUCCESS : MOSQ_ERR_ERRNO;
    if (watched.revents & (POLLIN | POLLERR | POLLHUP)) {
        rc = mosquitto_loop_read(mosq, 1);
        if (rc != MOSQ_ERR_SUCCESS) return rc;
    }
    if ((watched.revents & POLLOUT) && mosquitto_want_write(mosq)) {
        rc = mosquitto_loop_write(mosq, 1);
        if (rc != MOSQ_ERR_SUCCESS) return rc;
    }
    return mosquitto_loop_misc(mosq);
}
