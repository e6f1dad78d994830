/* The smallest Cairn program: print through the log capability. */
#include "cairn/cairn.h"

int main(uint64_t arg)
{
    cairn_printf("hello from user mode (arg %llu)\n", (unsigned long long)arg);
    return 0;
}
