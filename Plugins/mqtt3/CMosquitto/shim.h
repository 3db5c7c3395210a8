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
