/*
 * The fuzz target for mkimage (make fuzz).
 *
 * An input that starts with the image magic goes to the boot image
 * validator, the code the kernel runs on untrusted input; anything else
 * is a description and goes through the whole front end: lexer, parser,
 * evaluator, checks, authority analysis and graph writer. Imports are
 * refused and no image is laid out, so a run touches no file.
 *
 * Built with clang -fsanitize=fuzzer when libFuzzer's runtime exists;
 * otherwise with -DMKI_FUZZ_STANDALONE, which adds a small bounded
 * mutation loop over the same corpus (see main below).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/image_validate.h"
#include "mkimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= IMG_MAGIC_LEN && memcmp(data, IMG_MAGIC_TEXT, IMG_MAGIC_LEN) == 0) {
        for (uint16_t arch = IMG_ARCH_X86_64; arch <= IMG_ARCH_RISCV64; arch++) {
            image_limits_t lim = { arch, 32, 256, 255, 64, 1ull << 47 };
            image_t im;
            if (image_validate(data, size, &lim, &im, NULL) == IMG_OK &&
                im.count[IMG_SEC_OBJECTS]) {
                image_object_t o;
                image_object(&im, im.count[IMG_SEC_OBJECTS] - 1, &o);
                (void)image_string(&im, o.name);
            }
        }
        return 0;
    }
    mki_options_t o = { .input = "fuzz.mki", .input_text = (const char *)data,
                        .input_len = size, .want_graph = true,
                        .no_imports = true };
    mki_result_t r;
    mkimage_run(&o, &r);
    mkimage_result_free(&r);
    return 0;
}

#ifdef MKI_FUZZ_STANDALONE
/*
 * A bounded mutation loop for hosts without libFuzzer: it accepts the
 * libFuzzer arguments make fuzz passes (-max_total_time=N and a corpus
 * directory; others are ignored), mutates corpus entries with bit flips,
 * byte insertions and deletions, splices and inserted keywords, and runs
 * each mutant. Sanitizers report any fault.
 */
#include <dirent.h>
#include <time.h>

#define FUZZ_SEEDS_MAX 1024
#define FUZZ_INPUT_MAX 16384

static uint8_t *seeds[FUZZ_SEEDS_MAX];
static size_t seed_len[FUZZ_SEEDS_MAX], nseeds;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void load_corpus(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && nseeds < FUZZ_SEEDS_MAX) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        uint8_t *buf = malloc(FUZZ_INPUT_MAX);
        size_t n = buf ? fread(buf, 1, FUZZ_INPUT_MAX, f) : 0;
        fclose(f);
        if (n) {
            seeds[nseeds] = buf;
            seed_len[nseeds++] = n;
        } else {
            free(buf);
        }
    }
    if (d)
        closedir(d);
}

static size_t mutate(uint8_t *buf, size_t n)
{
    static const char *const words[] = {
        "process", "endpoint", "caps", "entry(", "def", "instance", "(", ")",
        "{", "}", ";", "=", "->", "assert no_path(", "0xffffffffffffffff",
        "\"", "/*", "KiB", "read_only", "ram", "self", "map", " at ",
        "gpt", "l2v", "guard(", "irq", "signals", "page_table_pool",
    };
    int rounds = 1 + (int)(next_random() % 4);
    for (int k = 0; k < rounds; k++) {
        uint64_t r = next_random();
        size_t at = n ? (size_t)(r >> 8) % n : 0;
        switch (r % 5) {
        case 0:
            if (n)
                buf[at] ^= (uint8_t)(1u << (r >> 40 & 7));
            break;
        case 1:
            if (n < FUZZ_INPUT_MAX) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = (uint8_t)(r >> 32);
                n++;
            }
            break;
        case 2:
            if (n) {
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
            }
            break;
        case 3: {
            const char *w = words[(r >> 32) % (sizeof words / sizeof words[0])];
            size_t wl = strlen(w);
            if (n + wl <= FUZZ_INPUT_MAX) {
                memmove(buf + at + wl, buf + at, n - at);
                memcpy(buf + at, w, wl);
                n += wl;
            }
            break;
        }
        default: {
            size_t s = (size_t)(r >> 32) % nseeds, from = 0, len;
            if (seed_len[s] > 1)
                from = (size_t)(next_random() % seed_len[s]);
            len = seed_len[s] - from;
            if (at + len > FUZZ_INPUT_MAX)
                len = FUZZ_INPUT_MAX - at;
            memcpy(buf + at, seeds[s] + from, len);
            n = at + len;
            break;
        }
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    long seconds = 60;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-max_total_time=", 16) == 0)
            seconds = atol(argv[i] + 16);
        else if (argv[i][0] != '-')
            load_corpus(argv[i]);
    }
    if (!nseeds) {
        fprintf(stderr, "mkimage-fuzz: empty corpus\n");
        return 1;
    }
    static uint8_t buf[FUZZ_INPUT_MAX];
    time_t end = time(NULL) + seconds;
    unsigned long runs = 0;
    while (time(NULL) < end) {
        size_t s = (size_t)(next_random() % nseeds);
        memcpy(buf, seeds[s], seed_len[s]);
        size_t n = mutate(buf, seed_len[s]);
        LLVMFuzzerTestOneInput(buf, n);
        runs++;
    }
    printf("mkimage-fuzz: %lu runs in %ld s, no faults\n", runs, seconds);
    for (size_t i = 0; i < nseeds; i++)
        free(seeds[i]);
    return 0;
}
#endif
