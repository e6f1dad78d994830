/*
 * The evaluator: from parsed files to the system model (model.h).
 *
 * It loads the top description and its imports, binds every name,
 * instantiates definitions, evaluates expressions and checks every
 * object. It reports the first error and unwinds (mki.h). Evaluation
 * always terminates: imports are loaded once and cycles are refused,
 * definitions may not instantiate themselves, constants may not depend
 * on themselves, and the numbers of files, instances and objects are
 * bounded (the limits below).
 */
#pragma once

#include "abi_table.h"
#include "model.h"

#define MKI_MAX_FILES      256
#define MKI_MAX_INSTANCES  65536
#define MKI_MAX_OBJECTS    65536
#define MKI_MAX_EXPANSION  32      /* definitions inside definitions */

typedef struct {
    const char *const *module_dirs;   /* -I: where imports are searched */
    size_t nmodule_dirs;
    const abi_table_t *abi;           /* NULL: no ABI table given */
    bool no_imports;                  /* refuse imports (fuzzing) */
} eval_options_t;

/* Evaluate the description in file `path`. Fails the run on error. */
model_t *eval_file(mki_t *m, const char *path, const eval_options_t *opt);

/* Evaluate a description held in memory; `name` is used in positions. */
model_t *eval_text(mki_t *m, const char *name, const char *text, size_t len,
                   const eval_options_t *opt);
