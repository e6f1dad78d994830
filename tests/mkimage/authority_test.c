/*
 * mkimage authority tests: assertions that must hold, assertions that
 * must fail with the offending path, and one test per transfer rule of
 * docs/mkimage.md ("Authority analysis").
 */
#include "mki_test.h"

#include <string.h>

/* Run `text`; it must succeed. */
#define HOLDS(text)                                                           \
    do { mki_result_t r_;                                                     \
         mt_run((text), 0, &r_);                                              \
         char m_[300];                                                        \
         snprintf(m_, sizeof m_, "%u:%u: %.250s", r_.diag.loc.line,               \
                  r_.diag.loc.col, r_.diag.message);                          \
         int st_ = r_.status;                                                 \
         mkimage_result_free(&r_);                                            \
         CHECK_MSG(st_ == 0, "%s", m_); } while (0)

/* Run `text`; it must fail at line:col with these words. */
#define FAILS(text, line, col, frags)                                         \
    do { mki_result_t r_;                                                     \
         mt_run((text), 0, &r_);                                              \
         const char *why_ = mt_error_mismatch(&r_, line, col, frags);         \
         char m_[600] = "";                                                   \
         if (why_) snprintf(m_, sizeof m_, "%.500s", why_);                       \
         mkimage_result_free(&r_);                                            \
         CHECK_MSG(!why_, "%s", m_); } while (0)

/* The data diode of servers/diode/ as it is, and as it would be with one
 * change: its text with `from` replaced by `to` (which must occur once) in
 * out, and the line of `assertion` in it. False if that cannot be made. */
static bool diode_variant(const char *from, const char *to, const char *assertion,
                          char *out, size_t size, unsigned *line)
{
    char text[4096];
    FILE *f = fopen(MT_DIODE_MKI, "r");
    if (!f)
        return false;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    const char *at = strstr(text, from);
    if (!at || strstr(at + 1, from) ||
        snprintf(out, size, "%.*s%s%s", (int)(at - text), text, to,
                 at + strlen(from)) >= (int)size)
        return false;
    const char *a = strstr(out, assertion);
    if (!a)
        return false;
    *line = 1;
    for (const char *p = out; p < a; p++)
        *line += *p == '\n';
    return true;
}

HOST_TEST(mkimage, authority_diode_holds)
{
    mki_result_t r;
    mt_run_file("../../servers/diode/diode.mki", 0, &r);
    char m[300];
    snprintf(m, sizeof m, "%u:%u: %.250s", r.diag.loc.line, r.diag.loc.col,
             r.diag.message);
    int st = r.status;
    mkimage_result_free(&r);
    CHECK_MSG(st == 0, "%s", m);
}

/* The diode with a back channel: the sender's Entry may be called, so a
 * diode could answer, or pass its endpoint on for the receiver to. */
HOST_TEST(mkimage, authority_leaky_diode_fails_with_path)
{
    static char leaky[4096];
    unsigned line;
    CHECK(diode_variant("entry(to_diode) no_call", "entry(to_diode)",
                        "assert no_path(diode -> sender);", leaky, sizeof leaky,
                        &line));
    FAILS(leaky, line, 1,
          "assertion failed: diode can reach sender: "
          "diode --reply(to_diode)--> sender | "
          "no_call cannot be replied to");
    /* And the receiver, through the diode, on the same path. */
    CHECK(diode_variant("entry(to_diode) no_call", "entry(to_diode)",
                        "assert no_path(receiver -> sender);", leaky,
                        sizeof leaky, &line));
    char *cut = strstr(leaky, "assert no_path(diode -> sender);");
    CHECK(cut);
    memset(cut, ' ', strlen("assert no_path(diode -> sender);"));
    FAILS(leaky, line, 1,
          "assertion failed: receiver can reach sender: "
          "receiver --reply(to_diode)--> sender | receiver obtains "
          "endpoint(to_diode) read_only: diode is given it");
}

/* A sender holding its own Process capability could send it downstream:
 * whoever gets it writes into the sender. */
HOST_TEST(mkimage, authority_diode_sender_with_self_fails)
{
    static char leaky[4096];
    unsigned line;
    CHECK(diode_variant("caps { 3 log = log; 8 out",
                        "caps { 2 self = self; 3 log = log; 8 out",
                        "assert no_path(diode -> sender);", leaky, sizeof leaky,
                        &line));
    FAILS(leaky, line, 1,
          "diode can reach sender: diode --process(sender)--> sender | "
          "diode obtains process(sender): sender is given it");
}

HOST_TEST(mkimage, authority_one_no_call_cuts_the_path)
{
    HOLDS("system s;\nendpoint e;\n"
          "process a { caps { out = entry(e) no_call; } }\n"
          "process b { caps { in = e read_only; } }\n"
          "assert path(a -> b);\nassert no_path(b -> a);\n");
}

HOST_TEST(mkimage, authority_endpoint_holder_mints_entries)
{
    /* Two receivers on one endpoint: either can make an entry and send
     * to the other, unless its endpoint capability is read_only. */
    FAILS("system s;\nendpoint e;\n"
          "process a { caps { in = e; } }\n"
          "process b { caps { in = e; } }\n"
          "assert no_path(a -> b);\n", 5, 1,
          "a can reach b: a --entry(e)--> b | a makes it from its endpoint "
          "capability");
    HOLDS("system s;\nendpoint e;\n"
          "process a { caps { in = e read_only; } }\n"
          "process b { caps { in = e read_only; } }\n"
          "assert no_path(a -> b);\n");
}

HOST_TEST(mkimage, authority_capabilities_travel_through_servers)
{
    FAILS("system s;\nendpoint svc;\nendpoint secret;\n"
          "process server { caps { in = svc read_only; keep = entry(secret); } }\n"
          "process client { caps { out = entry(svc); } }\n"
          "assert no_path(client -> secret);\n", 6, 1,
          "client can reach secret: client holds entry(secret) | "
          "server replies with it to client's call on entry(svc)");
    HOLDS("system s;\nendpoint svc;\nendpoint secret;\n"
          "process server { caps { in = svc read_only; keep = entry(secret); } }\n"
          "process client { caps { out = entry(svc) no_call; } }\n"
          "assert no_path(client -> secret);\n");
}

HOST_TEST(mkimage, authority_weak_read_drops_entries)
{
    static const char base[] =
        "system s;\nendpoint e;\ncappage box { 0 = entry(e); }\n"
        "process b { caps { in = e read_only; } }\n"
        "process a { caps { box = box%s; } }\n"
        "assert no_path(a -> b);\n";
    char text[512];
    snprintf(text, sizeof text, base, " weak");
    HOLDS(text);
    snprintf(text, sizeof text, base, "");
    FAILS(text, 6, 1, "a --entry(e)--> b | a loads it from box");
}

HOST_TEST(mkimage, authority_writable_cappage_carries_capabilities)
{
    /* a stores its entry into the shared cappage; c loads it. */
    FAILS("system s;\nendpoint e;\ncappage shared { }\n"
          "process a { caps { out = entry(e); s = shared; } }\n"
          "process b { caps { in = e read_only; } }\n"
          "process c { caps { s = shared read_only; } }\n"
          "assert no_path(c -> b);\n", 7, 1,
          "c --entry(e)--> b | a stores it into shared; then c loads it");
}

HOST_TEST(mkimage, authority_opaque_gpt_hides_its_slots)
{
    static const char base[] =
        "system s;\nendpoint e;\ngpt g { l2v 12; 0 = entry(e); }\n"
        "process b { caps { in = e read_only; } }\n"
        "process a { caps { g = g%s; } }\n"
        "assert no_path(a -> b);\n";
    char text[512];
    snprintf(text, sizeof text, base, " opaque");
    HOLDS(text);
    snprintf(text, sizeof text, base, "");
    FAILS(text, 6, 1, "a --entry(e)--> b");
}

HOST_TEST(mkimage, authority_shared_page_direction)
{
    HOLDS("system s;\npage buf;\n"
          "process w { map buf at 0x10000; }\n"
          "process r { map buf read_only at 0x10000; }\n"
          "assert path(w -> r);\nassert no_path(r -> w);\n");
    FAILS("system s;\npage buf;\n"
          "process w { map buf at 0x10000; }\n"
          "process r { map buf at 0x20000; }\n"
          "assert no_path(r -> w);\n", 5, 1, "r --page(buf)--> w");
}

HOST_TEST(mkimage, authority_notification_direction)
{
    HOLDS("system s;\nnotification n;\n"
          "process sig { caps { n = signal(n, 1); } }\n"
          "process w { caps { n = n read_only; } }\n"
          "assert path(sig -> w);\nassert no_path(w -> sig);\n");
}

HOST_TEST(mkimage, authority_process_capability)
{
    HOLDS("system s;\n"
          "process watcher { caps { t = target read_only; } }\n"
          "process target { }\n"
          "assert path(target -> watcher);\nassert no_path(watcher -> target);\n");
    FAILS("system s;\n"
          "process boss { caps { t = target; } }\n"
          "process target { }\n"
          "assert no_path(boss -> target);\n", 4, 1,
          "boss --process(target)--> target");
}

HOST_TEST(mkimage, authority_irq_control_reaches_drivers)
{
    FAILS("system s;\nirq uart line 4;\n"
          "process driver { caps { i = uart; } }\n"
          "process admin { caps { c = irq_control; } }\n"
          "assert no_path(admin -> driver);\n", 5, 1,
          "admin --irq(uart)--> driver | admin makes it with irq_control");
}

HOST_TEST(mkimage, authority_keeper_talks_both_ways)
{
    static const char text[] =
        "system s;\nendpoint faults;\n"
        "process keeper { caps { in = faults read_only; } }\n"
        "process worker { keeper entry(faults); }\n"
        "assert path(worker -> keeper);\nassert path(keeper -> worker);\n";
    HOLDS(text);
}

HOST_TEST(mkimage, authority_untyped_sharing)
{
    HOLDS("system s;\nuntyped u size 64 KiB;\n"
          "process owner { caps { u = u; } }\n"
          "process auditor { caps { u = u read_only; } }\n"
          "assert path(owner -> auditor);\nassert no_path(auditor -> owner);\n");
}

HOST_TEST(mkimage, authority_same_process)
{
    FAILS("system s;\nprocess a { }\nassert no_path(a -> a);\n", 3, 1,
          "a can reach a: it is the same process");
}

HOST_TEST(mkimage, authority_positive_assertion_fails)
{
    FAILS("system s;\nprocess a { }\nprocess b { }\nassert path(a -> b);\n",
          4, 1, "assertion failed: a cannot reach b");
}

HOST_TEST(mkimage, authority_assertions_inside_definitions)
{
    FAILS("system s;\nendpoint shared;\n"
          "def pair() {\n"
          "    process x { caps { out = entry(shared); } }\n"
          "    process y { caps { in = shared; } }\n"
          "    assert no_path(y -> x);\n"
          "}\ninstance one = pair();\n", 6, 5,
          "one.y can reach one.x: one.y --reply(shared)--> one.x");
}
