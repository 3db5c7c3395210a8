// libFuzzer's entry for programs that have a main of their own (SwiftPM gives every executable
// one): runs the fuzzing loop over `callback` with the command line's options and corpus folders.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// Calls LLVMFuzzerRunDriver (here so that Swift sees a C declaration, not a guessed one).
int bindery_fuzz_run(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size));
