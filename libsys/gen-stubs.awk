# Generate libsys's method stubs from kernel/abi/methods.def, the same
# table the kernel dispatches on. One static inline function per method:
#
#   cairn_<type>_<name>(target, word arguments..., sent caplocs...,
#                       [uint64_t *out], [receive caplocs...])
#
# Methods with a variable tail (Log.write, Process.write_regs) get the
# fixed part only; send the tail with cairn_call directly.
BEGIN {
    print "/* Generated from kernel/abi/methods.def by libsys/gen-stubs.awk. */"
    print "#pragma once"
    print ""
    print "#include \"cairn/call.h\""
    print ""
}
/^METHOD\(/ {
    line = $0
    sub(/^METHOD\(/, "", line)
    n = split(line, f, ",")
    type = f[1]; name = f[2]; iw = f[4] + 0; ic = f[5] + 0; ow = f[6] + 0; oc = f[7] + 0
    gsub(/ /, "", type); gsub(/ /, "", name)
    doc = line
    for (i = 1; i <= 7; i++) sub(/^[^,]*,/, "", doc)
    sub(/\)[ \t]*$/, "", doc); sub(/^[ \t]*/, "", doc)
    lower = tolower(type)
    printf "/* %s.%s: %s */\n", type, name, substr(doc, 2, length(doc) - 2)
    printf "static inline cairn_error_t cairn_%s_%s(caploc_t target", lower, name
    for (i = 0; i < iw; i++) printf ", uint64_t w%d", i
    for (i = 0; i < ic; i++) printf ", caploc_t c%d", i
    if (ow > 0) printf ", uint64_t *out"
    for (i = 0; i < oc; i++) printf ", caploc_t r%d", i
    printf ")\n{\n"
    printf "    cairn_msg_t m = { .opcode = OP_%s_%s, .nwords = %d, .ncaps = %d, .nrecv = %d };\n", type, name, iw, ic, oc
    for (i = 0; i < iw; i++) printf "    m.words[%d] = w%d;\n", i, i
    for (i = 0; i < ic; i++) printf "    m.caps[%d] = c%d;\n", i, i
    for (i = 0; i < oc; i++) printf "    m.recv[%d] = r%d;\n", i, i
    printf "    cairn_error_t err = cairn_call(target, &m);\n"
    if (ow > 0) {
        printf "    for (unsigned i = 0; err == ERR_OK && i < m.nwords && i < %d; i++)\n", ow
        printf "        out[i] = m.words[i];\n"
    }
    printf "    return err;\n}\n\n"
}
