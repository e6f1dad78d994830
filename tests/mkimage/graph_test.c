/*
 * mkimage graph tests: the DOT output, parsed back for the edges a
 * description implies (who holds what, with which restrictions).
 */
#include "mki_test.h"

#include <string.h>

HOST_TEST(mkimage, graph_diode_edges)
{
    mki_result_t r;
    mt_run_file("../../servers/diode/diode.mki", MT_GRAPH, &r);
    CHECK_MSG(r.status == 0, "%s", r.diag.message);
    const char *g = r.graph;
    CHECK(strncmp(g, "digraph \"diode\" {", 17) == 0);
    CHECK(mt_dot_edge(g, "sender", "to_diode", "8 out: entry no_call"));
    CHECK(mt_dot_edge(g, "sender", "#log", "3 log: log"));
    CHECK(!mt_dot_edge(g, "sender", "sender", NULL));
    CHECK(mt_dot_edge(g, "diode", "to_diode", "8 in: endpoint read_only"));
    CHECK(mt_dot_edge(g, "diode", "to_receiver", "9 out: entry no_call"));
    CHECK(mt_dot_edge(g, "receiver", "to_receiver", "8 in: endpoint read_only"));
    CHECK(mt_dot_edge(g, "receiver", "receiver", "2 self: process"));
    CHECK(!mt_dot_edge(g, "receiver", "to_diode", NULL));
    CHECK_EQ(mt_dot_edges(g), 7);
    CHECK(strstr(g, "\"sender\" [shape=box"));
    CHECK(strstr(g, "\"to_diode\" [shape=ellipse"));
    CHECK(strstr(g, "\"#log\" [shape=hexagon"));
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, graph_labels_payloads_maps_and_slots)
{
    mki_result_t r;
    mt_run("system s;\n"
           "endpoint ep;\nnotification n;\npage buf;\n"
           "irq i line 3 signals signal(n, 2);\n"
           "cappage cp { 4 = entry(ep, 9); }\n"
           "process p { keeper entry(ep, 1);\n"
           "            caps { 12 e = entry(ep, 42); s = signal(n, 0x10);\n"
           "                   c = cp weak; sc = schedule(7); }\n"
           "            map buf read_only at 0x10000; }\n", MT_GRAPH, &r);
    CHECK_MSG(r.status == 0, "%s", r.diag.message);
    const char *g = r.graph;
    CHECK(mt_dot_edge(g, "p", "ep", "12 e: entry payload 42"));
    CHECK(mt_dot_edge(g, "p", "n", "13 s: notification bits 0x10"));
    CHECK(mt_dot_edge(g, "p", "cp", "14 c: cappage read_only,weak"));
    CHECK(mt_dot_edge(g, "p", "#schedule", "15 sc: schedule up to 7"));
    CHECK(mt_dot_edge(g, "p", "ep", "keeper: entry payload 1"));
    CHECK(mt_dot_edge(g, "p", "buf", "map 0x10000: page read_only"));
    CHECK(mt_dot_edge(g, "cp", "ep", "slot 4: entry payload 9"));
    CHECK(mt_dot_edge(g, "i", "n", "signals: notification bits 0x2"));
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, graph_instances_are_qualified)
{
    mki_result_t r;
    mt_run("system s;\n"
           "def svc() { endpoint ep; process srv { caps { in = ep; } } }\n"
           "instance a = svc();\ninstance b = svc();\n"
           "process c { caps { x = entry(a.ep); y = entry(b.ep); } }\n",
           MT_GRAPH, &r);
    CHECK_MSG(r.status == 0, "%s", r.diag.message);
    CHECK(mt_dot_edge(r.graph, "a.srv", "a.ep", "in: endpoint"));
    CHECK(mt_dot_edge(r.graph, "b.srv", "b.ep", "in: endpoint"));
    CHECK(mt_dot_edge(r.graph, "c", "a.ep", "x: entry"));
    CHECK(mt_dot_edge(r.graph, "c", "b.ep", "y: entry"));
    mkimage_result_free(&r);
}

HOST_TEST(mkimage, graph_is_deterministic)
{
    mki_result_t a, b;
    mt_run_file("good/features.mki", MT_GRAPH, &a);
    mt_run_file("good/features.mki", MT_GRAPH, &b);
    bool same = a.status == 0 && b.status == 0 && strcmp(a.graph, b.graph) == 0;
    mkimage_result_free(&a);
    mkimage_result_free(&b);
    CHECK(same);
}

HOST_TEST(mkimage, graph_file_written_without_programs)
{
    mki_options_t o = { .input = MT_DIODE_MKI,
                        .graph = MKI_TEST_TMP "/diode.dot" };
    mki_result_t r;
    mkimage_run(&o, &r);
    bool ok = r.status == 0;
    mkimage_result_free(&r);
    CHECK(ok);
    FILE *f = fopen(MKI_TEST_TMP "/diode.dot", "r");
    CHECK(f);
    char head[32] = "";
    CHECK(fgets(head, sizeof head, f));
    fclose(f);
    CHECK(strncmp(head, "digraph \"diode\"", 15) == 0);
}
