/* Storage for the stacks described in stacks.h. */
#include "stacks.h"

x86_stack_t x86_stacks[STACK_COUNT];
