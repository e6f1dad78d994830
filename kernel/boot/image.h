/*
 * Building the initial system from the boot image (docs/spec/boot-image.md).
 *
 * The image, made by mkimage from a .mki description, arrives as boot
 * module 0. The kernel trusts none of it: image_validate (shared with
 * mkimage, kernel/abi/image_validate.c) checks every field and every
 * cross-reference first, and a bad image stops the boot with a clear
 * message. Then, in three steps:
 *
 *   boot_image_plan   reads what the image needs from RAM before any
 *                     root Untyped exists: its device regions (frame
 *                     table segments), its Untyped grants (each carved
 *                     at its natural alignment) and one region for all
 *                     its other objects;
 *   (boot_memory_setup carves those and makes root Untypeds of the rest)
 *   boot_image_build  retypes every object from the carved regions,
 *                     writes every capability, sets up each process and
 *                     starts those marked to run. The RAM CapPage, if the
 *                     image has one, receives every remaining root
 *                     Untyped (normally for the space bank).
 *
 * The objects of the image are permanent: the Untypeds they came from are
 * kept by the kernel and given to no one, so no process can revoke the
 * initial system from under itself.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/image_validate.h"
#include "boot/memory.h"

#define BOOT_IMAGE_MAX_CARVES  64u     /* Untyped grants plus one */
#define BOOT_IMAGE_MAX_DEVICES 16u

typedef struct boot_image_plan {
    image_t        image;
    frame_segment_t devices[BOOT_IMAGE_MAX_DEVICES];
    unsigned       ndevices;
    boot_carve_t   carves[BOOT_IMAGE_MAX_CARVES];  /* grants, then objects, then scratch */
    unsigned       ncarves;
    uint32_t       pool_frames;     /* hardware-map pool the image wants */
} boot_image_plan_t;

/*
 * Validate the image at [base, base + size) (a kernel pointer) and plan
 * its memory. Returns false with a message in *why (static text plus the
 * validator's offset and record, formatted into a static buffer).
 */
bool boot_image_plan(const void *base, uint64_t size, boot_image_plan_t *plan,
                     const char **why);

/* Build and start the system. Pre: boot_memory_setup served plan->carves.
 * Returns false with *why if the image asks for something the kernel
 * cannot make (never for a valid image on enough RAM). */
bool boot_image_build(boot_image_plan_t *plan, boot_memory_t *mem,
                      const char **why);
