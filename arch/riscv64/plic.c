/*
 * The PLIC driver (see plic.h). Register layout (PLIC spec 1.0.0):
 *
 *   base + 4 * s                      priority of source s
 *   base + 0x2000 + 0x80 * c          enable bits of context c, 32 a word
 *   base + 0x200000 + 0x1000 * c      threshold of context c
 *   base + 0x200004 + 0x1000 * c      claim (read) / complete (write)
 *
 * State: the mapped register addresses and the claims left open, written
 * by plic_init (boot) and then only with interrupts off (the hooks run in
 * kernel code, plic_interrupt in interrupt context). One hart.
 */
#include "plic.h"

#include "arch.h"
#include "csr.h"
#include "layout.h"
#include "mmu.h"

#define PLIC_ENABLE_BASE   0x2000u
#define PLIC_ENABLE_STRIDE 0x80u
#define PLIC_CONTEXT_BASE  0x200000u
#define PLIC_CONTEXT_STRIDE 0x1000u
#define PLIC_CLAIM         4u
#define IRQ_S_EXTERNAL     9u

static volatile uint32_t *priority;   /* [0..sources] */
static volatile uint32_t *enable;     /* the context's enable words */
static volatile uint32_t *threshold;  /* the context's threshold */
static volatile uint32_t *claim;      /* the context's claim/complete */
static uint32_t sources;              /* 0 until plic_init succeeds */
static uint32_t open_claims[(PLIC_MAX_SOURCES + 1) / 32];

/* ---- Probing the device tree ------------------------------------------------ */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static bool is_plic(const fdt_t *f, const fdt_node_t *n)
{
    fdt_prop_t p;
    return fdt_get_prop(f, n->node[n->depth], "compatible", &p) &&
           (fdt_prop_has_string(&p, "riscv,plic0") ||
            fdt_prop_has_string(&p, "sifive,plic-1.0.0"));
}

/* The phandle of hart `hart`'s interrupt controller (riscv,cpu-intc). */
static bool hart_intc(const fdt_t *f, uint64_t hart, uint32_t *phandle)
{
    fdt_node_t n;
    fdt_prop_t p;
    uint64_t reg;
    if (!fdt_find_path(f, "/cpus", &n))
        return false;
    uint32_t cpus = n.depth;
    while (fdt_next_child(f, &n, cpus)) {
        if (!fdt_get_prop(f, n.node[n.depth], "reg", &p) || !fdt_prop_uint(&p, &reg) ||
            reg != hart)
            continue;
        uint32_t cpu = n.depth;
        while (fdt_next_child(f, &n, cpu)) {
            if (!fdt_get_prop(f, n.node[n.depth], "compatible", &p) ||
                !fdt_prop_has_string(&p, "riscv,cpu-intc"))
                continue;
            if (!fdt_get_prop(f, n.node[n.depth], "phandle", &p) &&
                !fdt_get_prop(f, n.node[n.depth], "linux,phandle", &p))
                return false;
            uint64_t v;
            if (!fdt_prop_uint(&p, &v) || v > UINT32_MAX)
                return false;
            *phandle = (uint32_t)v;
            return true;
        }
        return false;
    }
    return false;
}

const char *plic_probe(const fdt_t *f, uint64_t hart, plic_info_t *out)
{
    fdt_node_t n;
    fdt_prop_t p;
    uint64_t size, ndev;
    uint32_t intc;
    bool found = false;
    if (!fdt_root(f, &n))
        return "no root node";
    while (!found && fdt_next_node(f, &n))
        found = is_plic(f, &n);
    if (!found)
        return "no riscv,plic0 or sifive,plic-1.0.0 node";
    uint32_t node = n.node[n.depth];
    if (!fdt_reg(f, &n, 0, &out->phys, &size))
        return "the PLIC has no usable reg";
    if (!fdt_get_prop(f, node, "riscv,ndev", &p) || !fdt_prop_uint(&p, &ndev) ||
        ndev == 0 || ndev > PLIC_MAX_SOURCES)
        return "the PLIC's riscv,ndev is missing or not 1..1023";
    out->sources = (uint32_t)ndev;
    if (!hart_intc(f, hart, &intc))
        return "the boot hart has no riscv,cpu-intc with a phandle";
    /* Pairs (controller phandle, cause): the cpu-intc has one cell. */
    if (!fdt_get_prop(f, node, "interrupts-extended", &p) || p.len % 8 != 0)
        return "the PLIC's interrupts-extended is missing or not in pairs";
    for (uint32_t c = 0; c < p.len / 8; c++) {
        if (be32(p.data + 8 * c) == intc && be32(p.data + 8 * c + 4) == IRQ_S_EXTERNAL) {
            out->context = c;
            uint64_t last = PLIC_CONTEXT_BASE + (uint64_t)c * PLIC_CONTEXT_STRIDE +
                            PLIC_CLAIM + 4;
            return last <= size ? NULL : "the PLIC's reg is too small for its contexts";
        }
    }
    return "no PLIC context is the boot hart's S-mode external interrupt";
}

/* ---- Driving it --------------------------------------------------------------- */

static volatile uint32_t *map(uint64_t phys, uint64_t size)
{
    return (volatile uint32_t *)(uintptr_t)mmu_map_device(phys, size);
}

const char *plic_init(const plic_info_t *info)
{
    uint32_t words = info->sources / 32 + 1;
    priority = map(info->phys, 4ull * (info->sources + 1));
    enable = map(info->phys + PLIC_ENABLE_BASE +
                 (uint64_t)info->context * PLIC_ENABLE_STRIDE, 4ull * words);
    threshold = map(info->phys + PLIC_CONTEXT_BASE +
                    (uint64_t)info->context * PLIC_CONTEXT_STRIDE, 8);
    if (!priority || !enable || !threshold)
        return "its registers lie outside the device window";
    claim = threshold + PLIC_CLAIM / 4;
    for (uint32_t s = 1; s <= info->sources; s++)
        priority[s] = 0;
    for (uint32_t w = 0; w < words; w++) {
        uint32_t bits = ~0u;
        if (w == 0)
            bits &= ~1u;                      /* source 0 does not exist */
        if (w == words - 1)
            bits &= (uint32_t)((2ull << (info->sources % 32)) - 1);
        enable[w] = bits;
    }
    *threshold = 0;
    sources = info->sources;
    csr_set(sie, SIE_SEIE);
    return NULL;
}

static bool claim_open(unsigned s)
{
    return open_claims[s / 32] & (1u << (s % 32));
}

void plic_interrupt(void)
{
    uint32_t s;
    while (claim && (s = *claim) != 0) {
        if (s > sources) {
            *claim = s;                    /* no such line: finish it */
            continue;
        }
        open_claims[s / 32] |= 1u << (s % 32);
        kernel_irq(s);                     /* masks it; the claim stays open */
    }
}

/* ---- The seam ------------------------------------------------------------------ */

unsigned arch_irq_line_count(void)
{
    return sources ? sources + 1 : 0;
}

bool arch_irq_line_reserved(unsigned line)
{
    return line == 0 || line > sources;
}

void arch_irq_mask(unsigned line)
{
    priority[line] = 0;
}

void arch_irq_unmask(unsigned line)
{
    if (claim_open(line)) {
        open_claims[line / 32] &= ~(1u << (line % 32));
        *claim = line;                     /* complete: the gateway reopens */
    }
    priority[line] = 1;
}
