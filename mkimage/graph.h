/*
 * The capability graph as Graphviz DOT: one node per object (processes
 * as boxes), one node per kind of kernel capability used, and one edge
 * per capability held, from the holder to the object, labelled with the
 * register or slot, the capability type, its payload and restrictions.
 * The output depends only on the model, so it is deterministic.
 *
 * Node ids are the objects' qualified names; kernel capabilities are
 * "#log", "#discrim", "#irq_control", "#schedule". Edge labels read
 * "REGISTER: TYPE [payload N] [restrictions]".
 */
#pragma once

#include "model.h"

/* Write the DOT text of `md` into `out`. */
void graph_write(const model_t *md, buf_t *out);
