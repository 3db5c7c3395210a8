// openat2(2) for the bindings.localstorage driver. glibc has no wrapper for it, and Swift does
// not import the variadic syscall(2), so this header calls it with a fixed signature.
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#ifndef SYS_openat2
#define SYS_openat2 437 /* the same number on every architecture (Linux 5.6) */
#endif

/**
 * O_PATH (open(2)): a descriptor that only locates a file, without opening it for I/O, so a
 * FIFO's or device's open never runs. Swift's Glibc module does not show it (_GNU_SOURCE);
 * the value is asm-generic's, which x86_64 and arm64 use.
 */
#define BD_O_PATH 010000000
#if defined(__alpha__) || defined(__hppa__) || defined(__sparc__)
#error "O_PATH has another value on this architecture: set BD_O_PATH from its asm/fcntl.h"
#endif

/**
 * openat2(dirfd, path, {flags, mode, resolve}): a new descriptor, or -1 with errno set (ENOSYS
 * on kernels before 5.6; a seccomp filter may answer ENOSYS or EPERM). Never blocks longer than
 * open(2) with the same flags would.
 */
static inline int bd_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}
