/*
 * hello: the smallest Cairn system. One process, one capability (the
 * kernel log), one line of output. Described by servers/hello/hello.mki.
 */
#include "cairn/cairn.h"

int main(uint64_t arg)
{
    cairn_printf("hello from user mode on Cairn (argument %llu)\n",
                 (unsigned long long)arg);
    return 0;
}
