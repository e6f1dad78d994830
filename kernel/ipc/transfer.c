/*
 * Message transfer (see transfer.h). Everything is read and written in
 * saved register areas (arch_syscall_get/set) and in IPC buffer frames
 * (frame_virt); capabilities move by value through cspace_locate.
 */
#include "ipc/transfer.h"

#include "arch.h"
#include "cap/cspace.h"
#include "mem/frame.h"

cairn_ipc_buffer_t *ipc_buffer_of(process_t *p)
{
    const cap_t *c = &p->ipc_buffer;
    if (c->type != CAP_PAGE || cap_check(c) != ERR_OK ||
        (c->restr & (RESTR_READ_ONLY | RESTR_WEAK)))
        return NULL;
    return frame_virt(cap_obj_frame(c));
}

static unsigned info_words(uint64_t info)
{
    unsigned n = info & CAIRN_INFO_WORDS_MASK;
    return n < CAIRN_MSG_WORDS_MAX ? n : CAIRN_MSG_WORDS_MAX;
}

static unsigned info_count(uint64_t info, unsigned shift)
{
    unsigned n = (info >> shift) & CAIRN_INFO_COUNT_MASK;
    return n < CAIRN_MSG_CAPS_MAX ? n : CAIRN_MSG_CAPS_MAX;
}

static unsigned min_u(unsigned a, unsigned b)
{
    return a < b ? a : b;
}

/* ---- Checks (no side effects) ------------------------------------------------ */

static const char *const send_names[] = { "send_caps[0]", "send_caps[1]",
                                          "send_caps[2]", "send_caps[3]" };
static const char *const recv_names[] = { "recv_caps[0]", "recv_caps[1]",
                                          "recv_caps[2]", "recv_caps[3]" };

cairn_error_t transfer_check_send(process_t *p, uint64_t info)
{
    unsigned nwords = info & CAIRN_INFO_WORDS_MASK;
    unsigned ncaps = (info >> CAIRN_INFO_CAPS_SHIFT) & CAIRN_INFO_COUNT_MASK;
    if (nwords > CAIRN_MSG_WORDS_MAX || ncaps > CAIRN_MSG_CAPS_MAX)
        return REFUSE(ERR_INVALID_ARGUMENT, "control word sends %u words, %u capabilities",
                      nwords, ncaps);
    if (nwords <= CAIRN_REG_WORDS && ncaps == 0)
        return ERR_OK;
    const cairn_ipc_buffer_t *buf = ipc_buffer_of(p);
    if (!buf)
        return REFUSE(ERR_INVALID_ARGUMENT, "the message needs an IPC buffer and the "
                      "process has no writable one");
    for (unsigned i = 0; i < ncaps; i++) {
        cspace_slot_t s;
        cairn_error_t err = cspace_locate(p, buf->send_caps[i], false, send_names[i], &s);
        if (err != ERR_OK)
            return err;
    }
    return ERR_OK;
}

cairn_error_t transfer_check_recv(process_t *p, uint64_t info)
{
    unsigned nrecv = (info >> CAIRN_INFO_RECV_SHIFT) & CAIRN_INFO_COUNT_MASK;
    if (nrecv > CAIRN_MSG_CAPS_MAX)
        return REFUSE(ERR_INVALID_ARGUMENT, "control word names %u receive slots", nrecv);
    if (nrecv == 0)
        return ERR_OK;
    const cairn_ipc_buffer_t *buf = ipc_buffer_of(p);
    if (!buf)
        return REFUSE(ERR_INVALID_ARGUMENT, "receive slots are named in the IPC buffer "
                      "and the process has no writable one");
    for (unsigned i = 0; i < nrecv; i++) {
        cspace_slot_t s;
        cairn_error_t err = cspace_locate(p, buf->recv_caps[i], true, recv_names[i], &s);
        if (err != ERR_OK)
            return err;
    }
    return ERR_OK;
}

/* ---- Copying ------------------------------------------------------------------------ */

/* Copy up to `sent` words; returns how many arrived. Registers beyond the
 * count are zeroed. */
static unsigned copy_words(const uint64_t *fctx, const cairn_ipc_buffer_t *fbuf,
                           uint64_t *tctx, cairn_ipc_buffer_t *tbuf, unsigned sent)
{
    unsigned n = sent;
    if (n > CAIRN_REG_WORDS && (!fbuf || !tbuf))
        n = CAIRN_REG_WORDS;
    for (unsigned i = 0; i < CAIRN_REG_WORDS; i++)
        arch_syscall_set(tctx, ARCH_SYS_W0 + i,
                         i < n ? arch_syscall_get(fctx, ARCH_SYS_W0 + i) : 0);
    for (unsigned i = CAIRN_REG_WORDS; i < n; i++)
        tbuf->words[i] = fbuf->words[i];
    return n;
}

/* Read the k capabilities first (source and destination may share a
 * CapPage), then store them; returns how many slots were written. */
static unsigned copy_caps(process_t *from, const cairn_ipc_buffer_t *fbuf,
                          process_t *to, const cairn_ipc_buffer_t *tbuf, unsigned k)
{
    cap_t value[CAIRN_MSG_CAPS_MAX];
    for (unsigned i = 0; i < k; i++)
        if (cspace_fetch(from, fbuf->send_caps[i], send_names[i], &value[i]) != ERR_OK ||
            !cap_is_live(&value[i]))
            value[i] = cap_null();
    for (unsigned i = 0; i < k; i++) {
        cspace_slot_t s;
        if (cspace_locate(to, tbuf->recv_caps[i], true, recv_names[i], &s) != ERR_OK)
            return i;
        *s.slot = value[i];
    }
    return k;
}

static void set_result(uint64_t *ctx, unsigned words, unsigned caps, uint32_t flags,
                       cairn_error_t err)
{
    arch_syscall_set(ctx, ARCH_SYS_INFO,
                     (uint64_t)err << CAIRN_RESULT_ERROR_SHIFT | flags |
                     (uint64_t)caps << CAIRN_RESULT_CAPS_SHIFT | words);
}

void transfer_message(process_t *from, process_t *to, uint32_t flags, uint32_t payload)
{
    uint64_t *fctx = from->arch_regs, *tctx = to->arch_regs;
    uint64_t finfo = arch_syscall_get(fctx, ARCH_SYS_INFO);
    uint64_t tinfo = arch_syscall_get(tctx, ARCH_SYS_INFO);
    unsigned words = info_words(finfo);
    unsigned caps = info_count(finfo, CAIRN_INFO_CAPS_SHIFT);
    unsigned named = info_count(tinfo, CAIRN_INFO_RECV_SHIFT);
    const cairn_ipc_buffer_t *fbuf =
        words > CAIRN_REG_WORDS || caps ? ipc_buffer_of(from) : NULL;
    cairn_ipc_buffer_t *tbuf =
        words > CAIRN_REG_WORDS || (caps && named) ? ipc_buffer_of(to) : NULL;

    unsigned got_words = copy_words(fctx, fbuf, tctx, tbuf, words);
    unsigned k = fbuf && tbuf ? min_u(caps, named) : 0;
    unsigned got_caps = copy_caps(from, fbuf, to, tbuf, k);
    if (got_words < words || got_caps < caps)
        flags |= CAIRN_RESULT_TRUNCATED;
    set_result(tctx, got_words, got_caps, flags, ERR_OK);
    arch_syscall_set(tctx, ARCH_SYS_TARGET, payload);
    arch_syscall_set(tctx, ARCH_SYS_OPCODE, arch_syscall_get(fctx, ARCH_SYS_OPCODE));
}

void transfer_fault(process_t *from, process_t *to, uint32_t payload)
{
    uint64_t *tctx = to->arch_regs;
    arch_syscall_set(tctx, ARCH_SYS_W0 + CAIRN_FAULT_W_KIND, from->fault_code);
    arch_syscall_set(tctx, ARCH_SYS_W0 + CAIRN_FAULT_W_ADDR, from->ipc.u.fault.addr);
    arch_syscall_set(tctx, ARCH_SYS_W0 + CAIRN_FAULT_W_PC, arch_context_pc(from->arch_regs));
    arch_syscall_set(tctx, ARCH_SYS_W0 + CAIRN_FAULT_W_ACCESS, from->ipc.fault_access);
    set_result(tctx, CAIRN_FAULT_WORDS, 0,
               CAIRN_RESULT_RECV_CALL | CAIRN_RESULT_RECV_FAULT, ERR_OK);
    arch_syscall_set(tctx, ARCH_SYS_TARGET, payload);
    arch_syscall_set(tctx, ARCH_SYS_OPCODE, CAIRN_OP_FAULT);
}

static void set_words(uint64_t *ctx, unsigned n, uint64_t w0)
{
    arch_syscall_set(ctx, ARCH_SYS_W0, n ? w0 : 0);
    for (unsigned i = 1; i < CAIRN_REG_WORDS; i++)
        arch_syscall_set(ctx, ARCH_SYS_W0 + i, 0);
}

void transfer_bits(process_t *p, uint64_t bits)
{
    set_words(p->arch_regs, 1, bits);
    set_result(p->arch_regs, 1, 0, CAIRN_RESULT_RECV_NOTIFY, ERR_OK);
    arch_syscall_set(p->arch_regs, ARCH_SYS_TARGET, 0);
    arch_syscall_set(p->arch_regs, ARCH_SYS_OPCODE, 0);
}

void transfer_word(process_t *p, uint64_t word)
{
    set_words(p->arch_regs, 1, word);
    set_result(p->arch_regs, 1, 0, 0, ERR_OK);
}

void transfer_result(process_t *p, cairn_error_t err)
{
    set_words(p->arch_regs, 0, 0);
    set_result(p->arch_regs, 0, 0, 0, err);
}
