/*
 * The ring-3 code the x86_64 tests run (ktest_user.S), and the values it
 * exchanges with the kernel. The code fills one page of its own in the
 * kernel text, so the tests can map exactly that frame for ring 3.
 */
#pragma once

#define KTEST_USER_FIRST 0x5ca1ab1e0001ull   /* rdi of the first syscall */
#define KTEST_USER_REPLY 0x0dd0000000f0ull   /* rax the kernel returns */

#ifndef __ASSEMBLY__
/* Entry points inside the page; each is described in ktest_user.S. */
extern const char ktest_user_page[];
extern const char ktest_user_syscall_twice[];
extern const char ktest_user_spin[];
extern const char ktest_user_undefined[];
extern const char ktest_user_syscall_once[];
#endif
