# The IPC layer (issue 4): endpoints, replies, abandonable calls,
# notifications, faults to keepers. kernel/kernel.mk links KERNEL_IPC_SRCS
# into the kernel; tests/tests.mk compiles KERNEL_IPC_HOST_SRCS (which
# includes them, with the other portable files the host suites drive)
# and links IPC_HOST_TEST_SRCS into build/host/kernel-tests.

KERNEL_IPC_SRCS := \
    kernel/ipc/ipc.c \
    kernel/ipc/fastpath.c \
    kernel/ipc/transfer.c \
    kernel/ipc/reply.c \
    kernel/ipc/timeout.c \
    kernel/ipc/watch.c \
    kernel/ipc/notify.c \
    kernel/ipc/cancel.c \
    kernel/ipc/fault.c

KERNEL_IPC_HOST_SRCS := \
    $(KERNEL_IPC_SRCS) \
    kernel/sched/sched.c \
    kernel/syscall.c \
    kernel/vm/hwmap.c

IPC_HOST_TEST_SRCS := \
    tests/host/ipc_sim.c \
    tests/host/ipc_test.c \
    tests/host/reply_test.c \
    tests/host/abandon_test.c \
    tests/host/notify_test.c \
    tests/host/sched_test.c \
    tests/host/fault_test.c \
    tests/host/fastpath_test.c
