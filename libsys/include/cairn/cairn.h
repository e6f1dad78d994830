/*
 * Everything a Cairn program needs: the call interface, the generated
 * method stubs, IPC, the error vocabulary, the runtime and the conventions
 * for capability registers.
 */
#pragma once

#include "cairn/call.h"
#include "cairn/capregs.h"
#include "cairn/errors.h"
#include "cairn/ipc.h"
#include "cairn/methods.h"
#include "cairn/runtime.h"
