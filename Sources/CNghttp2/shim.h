// libnghttp2 for BinderyGRPC: HTTP/2 framing, HPACK and flow control, with no I/O of its own, so the
// host's epoll loops drive it (nghttp2_session_mem_recv / nghttp2_session_mem_send).
#include <nghttp2/nghttp2.h>
