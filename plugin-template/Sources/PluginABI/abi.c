/* SwiftPM needs one source file in a C target; the ABI itself is the header in include/. */
#include "bindery_driver.h"
