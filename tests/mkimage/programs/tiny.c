/*
 * A tiny freestanding program for the mkimage tests: built for x86_64
 * and riscv64 with each port's compiler, it gives the ELF loader real
 * linker output with text, read-only data, data and bss segments.
 */
static const char greeting[] = "hello from a tiny Cairn program";
static volatile unsigned long counter = 7;
static volatile unsigned char scratch[3 * 4096];

void _start(void)
{
    for (;;) {
        counter += greeting[counter % sizeof greeting];
        scratch[counter % sizeof scratch] = (unsigned char)counter;
    }
}
