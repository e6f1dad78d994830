/*
 * System suite `scale`: connections cost a capability, not a buffer.
 *
 * The test builds 4096 servers at run time, each a Process made from
 * parts (all sharing one address space: a GPT with one code page holding
 * a few instructions, no stack, no IPC buffer) waiting on an Endpoint of
 * its own. It holds an Entry capability to every one of them, 4096 in
 * all, in sixteen CapPages, and calls each one; each answers with the
 * protected payload it was called through and its own number, so every
 * answer is checked to come from the right server.
 *
 * What a connection costs is computed from the real object sizes (the
 * generated ABI header, the same source as build/<arch>/abi/abi.txt) and
 * printed; the Untyped's watermark shows that making the 4096 Entry
 * capabilities and making the 4096 calls took no kernel memory at all:
 * a connection is its 16-byte capability and nothing else.
 */
#include "systest.h"

#include "cairn_abi.h"

#define SERVERS   4096u
#define PER_PAGE  CAIRN_ABI_CAPPAGE_SLOTS
#define CAPPAGES  (SERVERS / PER_PAGE)

#define SCHED      R(12)
#define ENTRIES    R(13)         /* GPT: 16 CapPages of Entry capabilities */
#define ENDPOINTS  R(14)         /* GPT: 16 CapPages of Endpoint capabilities */
#define PROC       R(20)
#define SPACE      R(21)
#define CODE       R(22)
#define GSPACE     R(23)
#define PAGE       R(24)

#define ENTRIES_VA   0x41000000ull
#define ENDPOINTS_VA 0x42000000ull

/* Slot i of the CapPages a GPT at va holds: CapPage i / 256, slot i % 256. */
static caploc_t slot_at(uint64_t va, unsigned i)
{
    return CAPLOC_MEM(va + (i / PER_PAGE) * 4096ull +
                      (i % PER_PAGE) * CAIRN_ABI_CAP_SIZE);
}

static_assert(SERVERS % PER_PAGE == 0 && CAPPAGES <= CAIRN_ABI_GPT_SLOTS,
              "the Entry capabilities fill whole CapPages of one GPT");

/*
 * The server, copied into the code page at 0x1000: receive on capability
 * register 8, then answer every call with one word, the payload it came
 * through (TARGET), and its own number (a register the test set), by
 * reply-and-receive. Position independent, no stack, no memory touched.
 */
#if defined(__x86_64__)
__asm__(".pushsection .rodata\n"
        "server_code:\n"
        "    mov $0x20000, %eax\n"          /* RECEIVE */
        "    mov $16, %edi\n"               /* CAPLOC_REG(8) */
        "    syscall\n"
        "1:  mov %rdi, %rdx\n"              /* W0 = the payload */
        "    mov %rbx, %r10\n"              /* W1 = its own number */
        "    mov $0x120002, %eax\n"         /* REPLY | RECEIVE, two words */
        "    mov $16, %edi\n"
        "    xor %esi, %esi\n"
        "    syscall\n"
        "    jmp 1b\n"
        "server_code_end:\n"
        ".popsection\n");
#define PC_INDEX 16                 /* rip (arch/x86_64/README.md) */
#define ID_INDEX 1                  /* rbx */
#else
__asm__(".pushsection .rodata\n"
        "server_code:\n"
        "    lui a0, 0x20\n"                /* RECEIVE */
        "    li a1, 16\n"                   /* CAPLOC_REG(8) */
        "    ecall\n"
        "1:  mv a3, a1\n"                   /* W0 = the payload */
        "    mv a4, s1\n"                   /* W1 = its own number */
        "    lui a0, 0x120\n"               /* REPLY | RECEIVE, two words */
        "    addi a0, a0, 2\n"
        "    li a1, 16\n"
        "    li a2, 0\n"
        "    ecall\n"
        "    j 1b\n"
        "server_code_end:\n"
        ".popsection\n");
#define PC_INDEX 31                 /* pc (arch/riscv64/README.md) */
#define ID_INDEX 8                  /* s1 (x9) */
#endif
extern const char server_code[], server_code_end[];

static_assert(CAIRN_IPC_OP_RECEIVE == 0x20000 &&
              (CAIRN_IPC_OP_REPLY_RECEIVE | 2) == 0x120002,
              "the server's control words");

/* Bytes of the pool retyped so far (Untyped.info's watermark). */
static uint64_t watermark(void)
{
    cairn_msg_t m = { .opcode = OP_UNTYPED_info };
    return cairn_call(POOL, &m) == ERR_OK ? m.words[1] : ~0ull;
}

/* 16 CapPages into the GPT `gpt`. */
static cairn_error_t fill_with_cappages(caploc_t gpt)
{
    cairn_error_t e;
    for (unsigned k = 0; k < CAPPAGES; k++)
        if ((e = cairn_untyped_retype(POOL, OBJ_CAPPAGE, 0, 1, PAGE)) ||
            (e = cairn_gpt_set_slot(gpt, k, PAGE)) ||
            (e = cairn_process_cap_delete(SELF, PAGE)))
            return e;
    return ERR_OK;
}

/* The shared space: the code page at 0x1000 of a 64 KiB GPT space. */
static cairn_error_t build_space(void)
{
    cairn_error_t e;
    if ((e = cairn_untyped_retype(POOL, OBJ_GPT, 0, 1, SPACE)) ||
        (e = cairn_untyped_retype(POOL, OBJ_PAGE, 0, 1, CODE)) ||
        (e = cairn_gpt_set_slot(WINDOW, 0, CODE)))
        return e;
    memcpy((void *)(uintptr_t)WINDOW_VA, server_code,
           (size_t)(server_code_end - server_code));
    if ((e = cairn_gpt_set_slot(WINDOW, 0, R(0))) ||
        (e = cairn_gpt_set_slot(SPACE, 1, CODE)) ||
        (e = cairn_gpt_make_guarded(SPACE, 0, 16, GSPACE)))
        return e;
    return ERR_OK;
}

/* Server i: a Process waiting on Endpoint i (slot i of ENDPOINTS). At
 * priority 20 it runs as soon as it is started and waits in its receive. */
static cairn_error_t build_server(unsigned i)
{
    caploc_t ep = slot_at(ENDPOINTS_VA, i);
    cairn_error_t e;
    if ((e = cairn_untyped_retype(POOL, OBJ_PROCESS, 0, 1, PROC)) ||
        (e = cairn_process_set_space(PROC, GSPACE)) ||
        (e = cairn_process_set_cap_reg(PROC, 8, ep)) ||
        (e = cairn_process_set_priority(PROC, 20, SCHED)))
        return e;
    cairn_msg_t pc = { .opcode = OP_PROCESS_write_regs, .nwords = 3,
                       .words = { PC_INDEX, 1, 0x1000 } };
    cairn_msg_t id = { .opcode = OP_PROCESS_write_regs, .nwords = 3,
                       .words = { ID_INDEX, 1, i } };
    if ((e = cairn_call(PROC, &pc)) || (e = cairn_call(PROC, &id)) ||
        (e = cairn_process_start(PROC)))
        return e;
    return cairn_process_cap_delete(SELF, PROC);   /* it lives on */
}

#define UCHECK_EACH(i, call)                                                 \
    do { cairn_error_t e_ = (call);                                          \
         if (e_ != ERR_OK) { utest_fail(ut_self_, __FILE__, __LINE__,        \
             "%s for %u gave %s", #call, (i), cairn_error_name(e_)); return; } \
    } while (0)

UTEST(one_client_calls_4096_servers)
{
    UCHECK_OK(build_space());
    UCHECK_OK(fill_with_cappages(ENTRIES));
    UCHECK_OK(fill_with_cappages(ENDPOINTS));
    uint64_t start = watermark();
    for (unsigned k = 0; k < CAPPAGES; k++)      /* 256 Endpoints at a time */
        UCHECK_EACH(k, cairn_untyped_retype(POOL, OBJ_ENDPOINT, 0, PER_PAGE,
                                            slot_at(ENDPOINTS_VA, k * PER_PAGE)));
    for (unsigned i = 0; i < SERVERS; i++)
        UCHECK_EACH(i, build_server(i));
    uint64_t servers = watermark() - start;

    /* The connections: an Entry to each server, payload i. */
    uint64_t before = watermark();
    for (unsigned i = 0; i < SERVERS; i++)
        UCHECK_EACH(i, cairn_endpoint_make_entry(slot_at(ENDPOINTS_VA, i), i,
                                                 slot_at(ENTRIES_VA, i)));
    uint64_t connections = watermark() - before;

    /* Every server, called through its own Entry, answers with the
     * payload it was called through and its own number: call i reached
     * server i. */
    before = watermark();
    for (unsigned i = 0; i < SERVERS; i++) {
        cairn_regs_t r = { CAIRN_IPC_OP_CALL | cairn_info(1, 0, 0),
                           slot_at(ENTRIES_VA, i), 0, { 0xabc } };
        cairn_syscall(&r);
        if (cairn_result_error(r.info) != ERR_OK || r.w[0] != i || r.w[1] != i) {
            utest_fail(ut_self_, __FILE__, __LINE__, "call %u: %s, answer %llu "
                       "from server %llu", i,
                       cairn_error_name(cairn_result_error(r.info)),
                       (unsigned long long)r.w[0], (unsigned long long)r.w[1]);
            return;
        }
    }
    uint64_t calls = watermark() - before;
    UCHECK_EQ(connections, 0);
    UCHECK_EQ(calls, 0);
    UCHECK(servers >= SERVERS * (uint64_t)(CAIRN_ABI_OBJ_SIZE_PROCESS +
                                           CAIRN_ABI_OBJ_SIZE_ENDPOINT));

    cairn_printf("scale: %u servers answered %u calls through %u Entry capabilities\n",
                 SERVERS, SERVERS, SERVERS);
    cairn_printf("scale: kernel memory per connection: %u bytes (one Entry "
                 "capability, a CapPage slot); %u connections fill %u CapPages "
                 "(%u bytes)\n", CAIRN_ABI_CAP_SIZE, SERVERS, CAPPAGES,
                 CAPPAGES * CAIRN_ABI_OBJ_SIZE_CAPPAGE);
    cairn_printf("scale: Untyped memory retyped to make the %u connections: %llu "
                 "bytes; to make the %u calls: %llu bytes (no per-pair buffer, "
                 "no kernel heap)\n", SERVERS, (unsigned long long)connections,
                 SERVERS, (unsigned long long)calls);
    cairn_printf("scale: per server, not per connection: Process %u + Endpoint %u "
                 "bytes (%llu bytes for all %u, alignment included)\n",
                 CAIRN_ABI_OBJ_SIZE_PROCESS, CAIRN_ABI_OBJ_SIZE_ENDPOINT,
                 (unsigned long long)servers, SERVERS);
}

int main(uint64_t arg)
{
    (void)arg;
    return utest_run("scale");
}
