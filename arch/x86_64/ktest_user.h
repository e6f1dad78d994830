/*
 * The ring-3 code the x86_64 tests run (ktest_user.S). The code fills
 * one page of its own in the kernel text, so the tests can map exactly
 * that frame for ring 3; each entry point is described in the .S file.
 */
#pragma once

#define KTEST_USER_DATA_SELECTOR 0x23      /* SEL_USER_DATA | RPL_USER */
#define KTEST_USER_SPIN_FLAGS    0x40400   /* AC | DF */

#ifndef __ASSEMBLY__
extern const char ktest_user_page[];
extern const char ktest_user_syscall2[], ktest_user_syscall1[];
extern const char ktest_user_probe[], ktest_user_load_selectors[];
extern const char ktest_user_store[], ktest_user_load[], ktest_user_jump[];
extern const char ktest_user_touch[], ktest_user_nops[];
extern const char ktest_user_spin_flags[], ktest_user_spin[];
extern const char ktest_user_ud2[], ktest_user_int3[];
extern const char ktest_user_x87[], ktest_user_sse[];
#endif
