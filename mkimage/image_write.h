/*
 * Serialisation of a laid-out image (layout.h) into the bytes of the
 * boot image format (image_format.h, docs/spec/boot-image.md).
 *
 * The output depends only on the layout: no time, no host pointer, no
 * uninitialised byte reaches it (every pad is written as zero), so equal
 * inputs give byte-identical images.
 */
#pragma once

#include "layout.h"

/* Append the image to `out` (which should be empty). Fails the run if
 * the image would exceed the format's 4 GiB limit. */
void image_write(mki_t *m, const ibuild_t *b, buf_t *out);
