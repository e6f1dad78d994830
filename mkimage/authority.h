/*
 * The authority analysis: which capabilities each process could ever
 * come to hold, and where information could flow, computed from the
 * system model before the system runs. It checks the description's
 * assertions (assert no_path / path) and explains a failure with the
 * offending path.
 *
 * The analysis is conservative: every process is assumed to do anything
 * its capabilities allow, forever. The rules, and what they deliberately
 * leave out (timing channels), are written in docs/mkimage.md,
 * "Authority analysis".
 */
#pragma once

#include "model.h"

typedef struct authority authority_t;

/* Compute the closure of everything each process may obtain. */
authority_t *authority_analyse(mki_t *m, const model_t *md);

/*
 * Can information flow from process `from` to `to` (a process), or can
 * `from` obtain a capability to `to` (any other object)? If so and `path`
 * is not NULL, *path is the route, e.g.
 *   "receiver --reply(pipe)--> sender"
 * and *why explains any capability on it that was obtained rather than
 * given (may be "").
 */
bool authority_reaches(authority_t *a, const mobj_t *from, const mobj_t *to,
                       const char **path, const char **why);

/* Check every assertion of the model; fails the run on the first false one. */
void authority_check(mki_t *m, const model_t *md, authority_t *a);
