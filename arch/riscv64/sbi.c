/*
 * SBI calls. The calling convention: a7 = extension ID, a6 = function ID,
 * arguments in a0..a5; the firmware returns an error code in a0 and a
 * value in a1, and preserves every other register.
 *
 * State: which extensions the firmware has, written once by sbi_init
 * on the boot hart before interrupts are on.
 */
#include "sbi.h"

enum {
    SBI_EXT_LEGACY_SET_TIMER = 0x00,
    SBI_EXT_LEGACY_SHUTDOWN  = 0x08,
    SBI_EXT_BASE = 0x10,
    SBI_EXT_TIME = 0x54494D45,          /* "TIME" */
    SBI_EXT_SRST = 0x53525354,          /* "SRST" */
};

enum {
    SBI_BASE_GET_SPEC_VERSION = 0,
    SBI_BASE_PROBE_EXTENSION  = 3,
    SBI_TIME_SET_TIMER = 0,
    SBI_SRST_RESET = 0,
    SBI_SRST_TYPE_SHUTDOWN = 0,
    SBI_SRST_REASON_NONE = 0,
    SBI_SRST_REASON_FAILURE = 1,
};

typedef struct {
    long error;
    long value;
} sbi_ret_t;

static bool has_time, has_srst;

static sbi_ret_t sbi_call(uint64_t ext, uint64_t fn, uint64_t arg0,
                          uint64_t arg1)
{
    register uint64_t a0 __asm__("a0") = arg0;
    register uint64_t a1 __asm__("a1") = arg1;
    register uint64_t a6 __asm__("a6") = fn;
    register uint64_t a7 __asm__("a7") = ext;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1)
                     : "r"(a6), "r"(a7)
                     : "memory");
    return (sbi_ret_t){ (long)a0, (long)a1 };
}

static bool sbi_probe(uint64_t ext)
{
    sbi_ret_t r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext, 0);
    return r.error == 0 && r.value != 0;
}

void sbi_init(void)
{
    /*
     * A v0.1 firmware does not know the base extension and returns an
     * error; the spec version's major number is 0 there as well.
     */
    sbi_ret_t v = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0);
    if (v.error != 0 || (v.value >> 24) == 0)
        return;
    has_time = sbi_probe(SBI_EXT_TIME);
    has_srst = sbi_probe(SBI_EXT_SRST);
}

void sbi_set_timer(uint64_t time)
{
    if (has_time)
        sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, time, 0);
    else
        sbi_call(SBI_EXT_LEGACY_SET_TIMER, 0, time, 0);
}

void sbi_shutdown(bool failed)
{
    if (has_srst)
        sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN,
                 failed ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE);
    sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0);
}
