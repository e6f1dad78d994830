/*
 * The ABI table generator (asm-offsets style). Compiled to assembly with
 * the target compiler, never linked: each ABI_CONST leaves a marker line
 * "->NAME VALUE" in the assembly, and kernel/abi/abi.mk turns the markers
 * into build/<arch>/abi/cairn_abi.h (for libsys) and abi.txt (for
 * mkimage). The sizes come from the kernel's own structures, so nothing
 * states them a second time.
 */
#include "abi/abi.h"
#include "cap/cap.h"
#include "obj/cappage.h"
#include "obj/endpoint.h"
#include "obj/gpt.h"
#include "obj/notification.h"
#include "obj/page.h"
#include "obj/process.h"
#include "obj/untyped.h"

#define ABI_CONST(name, value) \
    __asm__ volatile("\n.ascii \"->" #name " %0\"" : : "i"((long)(value)))

void abi_constants(void);

void abi_constants(void)
{
    /* One line per object type: a new type must add its size here. */
    static_assert(OBJ_TYPE_COUNT == 8, "every object type's size is listed below");
    ABI_CONST(OBJ_SIZE_UNTYPED, sizeof(untyped_t));
    ABI_CONST(OBJ_SIZE_PAGE, 1u << PAGE_SIZE_BITS);
    ABI_CONST(OBJ_SIZE_CAPPAGE, CAIRN_CAPPAGE_SLOTS * sizeof(cap_t));
    ABI_CONST(OBJ_SIZE_GPT, sizeof(gpt_t));
    ABI_CONST(OBJ_SIZE_ENDPOINT, sizeof(endpoint_t));
    ABI_CONST(OBJ_SIZE_PROCESS, sizeof(process_t));
    ABI_CONST(OBJ_SIZE_NOTIFICATION, sizeof(notification_t));
    ABI_CONST(CAP_SIZE, sizeof(cap_t));
    ABI_CONST(CAP_REGS, CAIRN_CAP_REGS);
    ABI_CONST(CAPPAGE_SLOTS, CAIRN_CAPPAGE_SLOTS);
    ABI_CONST(PAGE_SIZE, CAIRN_PAGE_SIZE);
    ABI_CONST(PAGE_BITS, CAIRN_PAGE_BITS);
    ABI_CONST(MSG_WORDS_MAX, CAIRN_MSG_WORDS_MAX);
    ABI_CONST(MSG_CAPS_MAX, CAIRN_MSG_CAPS_MAX);
    ABI_CONST(PRIO_MAX, CAIRN_PRIO_MAX);
    ABI_CONST(ARCH_REG_WORDS, ARCH_REG_WORDS);
    ABI_CONST(RETYPE_MAX, CAIRN_RETYPE_MAX);
    ABI_CONST(GPT_SLOTS, CAIRN_GPT_SLOTS);
    ABI_CONST(L2V_MIN, CAIRN_L2V_MIN);
    ABI_CONST(L2V_MAX, CAIRN_L2V_MAX);
}
