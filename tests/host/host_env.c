/* Host test environment (see host_env.h). */
#include "host_env.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "mem/frame.h"
#include "obj/endpoint.h"
#include "obj/gpt.h"
#include "obj/notification.h"
#include "obj/page.h"
#include "obj/untyped.h"

void host_console_clear(void);

#define TABLE_ENTRIES (1 + 16 + HOST_RAM_SIZE / 4096 + HOST_DEV_SIZE / 4096)

static frame_t table[TABLE_ENTRIES];
static uint64_t ram_next, dev_next;

void host_env_reset(void)
{
    uint64_t kbytes;
    host_ram();
    untyped_roots_storage(&kbytes);
    frame_segment_t segs[] = {
        { HOST_RAM_BASE, HOST_RAM_SIZE / 4096, 0 },
        { HOST_KIMG_BASE, kbytes / 4096, FRAME_KERNEL },
        { HOST_DEV_BASE, HOST_DEV_SIZE / 4096, FRAME_DEVICE },
    };
    if (!frame_table_init(segs, 3, table, TABLE_ENTRIES))
        abort();
    untyped_roots_reset();
    page_set_teardown_hook(NULL);
    gpt_set_invalidate_hook(NULL);
    endpoint_set_teardown_hook(NULL);
    notification_set_teardown_hook(NULL);
    process_set_hooks(NULL);
    process_set_context_ops(HOST_CONTEXT_REGS, host_context_get, host_context_set);
    ram_next = dev_next = 0;
    host_console_clear();
}

static cap_t carve(uint64_t base, uint64_t size, uint64_t *next, unsigned bits, bool device)
{
    uint64_t align = 1ull << bits;
    uint64_t off = (*next + align - 1) & ~(align - 1);
    cap_t c;
    if (off + align > size ||
        untyped_root_create(base + off, bits, device, &c) != ERR_OK) {
        fprintf(stderr, "host_env: cannot carve a 2^%u root\n", bits);
        abort();
    }
    *next = off + align;
    return c;
}

cap_t host_untyped(unsigned size_bits)
{
    return carve(HOST_RAM_BASE, HOST_RAM_SIZE, &ram_next, size_bits, false);
}

cap_t host_device_untyped(unsigned size_bits)
{
    return carve(HOST_DEV_BASE, HOST_DEV_SIZE, &dev_next, size_bits, true);
}

process_t *host_process(const cap_t *ut, cap_t *self)
{
    *self = cap_null();
    if (untyped_retype(ut, OBJ_PROCESS, 0, 1, self) != ERR_OK)
        abort();
    return obj_ptr(self->obj);
}

msg_t host_msg(uint64_t opcode, unsigned nwords, ...)
{
    msg_t m = { .opcode = opcode, .nwords = nwords };
    va_list ap;
    va_start(ap, nwords);
    for (unsigned i = 0; i < nwords; i++)
        m.words[i] = va_arg(ap, uint64_t);
    va_end(ap);
    return m;
}

cairn_error_t host_invoke(process_t *p, caploc_t target, msg_t *m, unsigned *restarts)
{
    unsigned n = 0;
    while (kernel_invoke(p, target, m) == INVOKE_RESTART)
        n++;
    if (restarts)
        *restarts = n;
    return (cairn_error_t)m->error;
}

cairn_error_t host_call(process_t *p, unsigned reg, uint64_t opcode,
                        unsigned nwords, const uint64_t *words, msg_t *out)
{
    msg_t m = { .opcode = opcode, .nwords = nwords };
    for (unsigned i = 0; i < nwords; i++)
        m.words[i] = words[i];
    cairn_error_t err = host_invoke(p, CAPLOC_REG(reg), &m, NULL);
    if (out)
        *out = m;
    return err;
}

cairn_error_t host_revoke(process_t *p, unsigned reg, unsigned *restarts)
{
    msg_t m = host_msg(OP_UNTYPED_revoke, 0);
    return host_invoke(p, CAPLOC_REG(reg), &m, restarts);
}

cairn_error_t host_retype(process_t *p, unsigned ut_reg, obj_type_t type,
                          unsigned size_bits, unsigned count, caploc_t dest)
{
    msg_t m = host_msg(OP_UNTYPED_retype, 4, (uint64_t)type, (uint64_t)size_bits,
                       (uint64_t)count, (uint64_t)dest);
    return host_invoke(p, CAPLOC_REG(ut_reg), &m, NULL);
}

void host_space(process_t *p, unsigned ut_reg, unsigned first_reg)
{
    cap_t *r = p->cap_regs;
    if (untyped_retype(&r[ut_reg], OBJ_GPT, 0, 1, &r[first_reg]) != ERR_OK ||
        untyped_retype(&r[ut_reg], OBJ_CAPPAGE, 0, 1, &r[first_reg + 1]) != ERR_OK ||
        untyped_retype(&r[ut_reg], OBJ_PAGE, 0, 1, &r[first_reg + 2]) != ERR_OK)
        abort();
    gpt_t *g = obj_ptr(r[first_reg].obj);
    g->l2v = 12;
    gpt_set_slot(g, 0, r[first_reg + 1]);
    gpt_set_slot(g, 1, r[first_reg + 2]);
    p->space = r[first_reg];
}

cap_t *host_cappage(const cap_t *c)
{
    return obj_ptr(c->obj);
}
