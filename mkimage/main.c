/*
 * mkimage: build a Cairn boot image from a system description.
 *
 *   mkimage [options] DESCRIPTION.mki -o IMAGE
 *
 * Exit status: 0 success, 1 an error in the description or its inputs,
 * 2 a usage error. See docs/mkimage.md.
 */
#include <stdio.h>
#include <string.h>

#include "mkimage.h"

static const char usage[] =
    "usage: mkimage [options] DESCRIPTION.mki\n"
    "       mkimage --dump IMAGE\n"
    "options:\n"
    "  -o FILE        write the boot image to FILE\n"
    "  --graph FILE   write the capability graph as Graphviz DOT\n"
    "  --arch ARCH    x86_64 or riscv64 (default: the programs' own)\n"
    "  --abi FILE     the kernel's ABI table (build/<arch>/abi/abi.txt)\n"
    "  -I DIR         search DIR for imported modules (repeatable)\n"
    "  -L DIR         search DIR for programs (repeatable)\n"
    "  --check        check the description and its assertions only\n"
    "  --stats        print the objects and the kernel memory they need\n"
    "                 (needs --abi)\n"
    "  --dump IMAGE   validate an image and print its contents\n"
    "  -h, --help     this text\n";

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "mkimage: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

static int add_dir(const char **dirs, size_t *n, const char *dir)
{
    if (*n == MKI_MAX_DIRS)
        return bad_usage("too many directories (the limit is 32): %s", dir);
    dirs[(*n)++] = dir;
    return 0;
}

int main(int argc, char **argv)
{
    mki_options_t opt = { .errout = stderr };
    const char *dump = NULL;
    bool check = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = !strcmp(a, "-o") || !strcmp(a, "--graph") ||
                     !strcmp(a, "--arch") || !strcmp(a, "--abi") ||
                     !strcmp(a, "-I") || !strcmp(a, "-L") ||
                     !strcmp(a, "--dump");
        if (takes && !next)
            return bad_usage("%s needs an argument", a);
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "-o")) {
            opt.output = argv[++i];
        } else if (!strcmp(a, "--graph")) {
            opt.graph = argv[++i];
        } else if (!strcmp(a, "--arch")) {
            opt.arch = argv[++i];
        } else if (!strcmp(a, "--abi")) {
            opt.abi = argv[++i];
        } else if (!strcmp(a, "--dump")) {
            dump = argv[++i];
        } else if (!strcmp(a, "-I")) {
            if (add_dir(opt.module_dirs, &opt.nmodule_dirs, argv[++i]))
                return 2;
        } else if (!strcmp(a, "-L")) {
            if (add_dir(opt.program_dirs, &opt.nprogram_dirs, argv[++i]))
                return 2;
        } else if (!strcmp(a, "--check")) {
            check = true;
        } else if (!strcmp(a, "--stats")) {
            opt.stats = true;
        } else if (a[0] == '-' && a[1]) {
            return bad_usage("unknown option %s", a);
        } else if (opt.input) {
            return bad_usage("more than one description (%s)", a);
        } else {
            opt.input = a;
        }
    }
    if (dump)
        return mkimage_dump(dump, stdout, stderr);
    if (!opt.input)
        return bad_usage("%s", "no description given");
    if (!check && !opt.output && !opt.graph && !opt.stats)
        return bad_usage("%s", "nothing to do: give -o IMAGE, --graph FILE, "
                         "--stats or --check");
    return mkimage_run(&opt, NULL);
}
