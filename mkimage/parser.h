/*
 * The .mki parser: hand-written recursive descent over the token array,
 * one function per grammar rule of docs/mkimage.md. It builds the syntax
 * tree (ast.h) and fails the run on the first syntax error.
 *
 * Recursion is bounded: expressions nest at most MKI_DEPTH_MAX deep, and
 * the statement grammar has a fixed depth (definitions do not nest), so
 * no input can exhaust the stack.
 */
#pragma once

#include "ast.h"

#define MKI_DEPTH_MAX 64

/* Parse one file's text. `file` is the name used in positions. */
file_ast_t *parse_file(mki_t *m, const char *file, const char *text,
                       size_t len);
