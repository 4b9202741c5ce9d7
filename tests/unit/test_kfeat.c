// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel feature probe (user/kfeat.c): the one line that names what a
 * kernel lacks and the minimum Linux version, from a probe result; the BTF
 * path knob; and the probes' answer for a BTF file that is absent or is not
 * BTF (no root needed for those).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kfeat.h"

static void test_nothing_missing(void **state)
{
	struct kfeat_result r = { .btf_path = "/sys/kernel/btf/vmlinux" };
	char buf[512] = "junk";

	assert_int_equal(kfeat__describe(&r, "6.1.0-57-amd64", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void test_btf_missing(void **state)
{
	struct kfeat_result r = { .btf_path = "/nope/vmlinux" };
	char buf[512];

	r.missing[KF_BTF] = true;
	assert_int_equal(kfeat__describe(&r, "5.3.0", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "this kernel (5.3.0) lacks kernel BTF at /nope/vmlinux (Linux 5.4): "
				 "hooksnoop needs Linux 5.17 or later built with "
				 "CONFIG_DEBUG_INFO_BTF=y (tested on 6.1 and 6.18)");
}

/* A 5.10 kernel: BTF and tp_btf and ringbuf, nothing newer. */
static void test_several_in_order(void **state)
{
	struct kfeat_result r = { .btf_path = "/sys/kernel/btf/vmlinux" };
	char buf[512];

	r.missing[KF_BPF_LOOP] = true;
	r.missing[KF_TASK_STORAGE] = true;
	r.missing[KF_TASK_PT_REGS] = true;
	assert_int_equal(kfeat__describe(&r, "5.10.0-28-amd64", buf, sizeof(buf)), 3);
	assert_non_null(strstr(buf, "this kernel (5.10.0-28-amd64) lacks task storage in tracing "
				    "programs (Linux 5.13), the bpf_task_pt_regs helper (Linux "
				    "5.15), the bpf_loop helper (Linux 5.17): hooksnoop needs "
				    "Linux 5.17 or later"));
	assert_null(strchr(buf, '\n'));
}

static void test_syscall_tracepoints_no_version(void **state)
{
	struct kfeat_result r = {};
	char buf[512];

	r.missing[KF_SYS_EXIT_TP] = true;
	assert_int_equal(kfeat__describe(&r, "", buf, sizeof(buf)), 1);
	assert_non_null(strstr(buf, "(unknown) lacks syscall tracepoints "
				    "(CONFIG_FTRACE_SYSCALLS): hooksnoop needs"));
}

static void test_small_buffer(void **state)
{
	struct kfeat_result r = { .btf_path = "/x" };
	char buf[24];
	int i;

	for (i = 0; i < KF_MAX; i++)
		r.missing[i] = true;
	assert_int_equal(kfeat__describe(&r, "4.19.0", buf, sizeof(buf)), KF_MAX);
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_int_equal(kfeat__describe(&r, "4.19.0", buf, 0), KF_MAX);
}

static void test_floor(void **state)
{
	assert_int_equal(kfeat__floor(), 5 * 256 + 17);
}

static void test_btf_path_knob(void **state)
{
	unsetenv("HOOKSNOOP_BTF");
	assert_string_equal(kfeat__btf_path(), "/sys/kernel/btf/vmlinux");
	setenv("HOOKSNOOP_BTF", "", 1);
	assert_string_equal(kfeat__btf_path(), "/sys/kernel/btf/vmlinux");
	setenv("HOOKSNOOP_BTF", "/tmp/other", 1);
	assert_string_equal(kfeat__btf_path(), "/tmp/other");
	unsetenv("HOOKSNOOP_BTF");
}

static void test_probe_absent_btf(void **state)
{
	struct kfeat_result r;

	kfeat__probe_cheap("/nonexistent/hooksnoop-btf", &r);
	assert_true(r.probed[KF_BTF]);
	assert_true(r.missing[KF_BTF]);
	kfeat__probe_btf("/nonexistent/hooksnoop-btf", &r);
	assert_false(r.probed[KF_TP_BTF]); /* nothing to find its type in */
}

static void test_probe_not_btf(void **state)
{
	char path[] = "/tmp/kfeat-XXXXXX";
	struct kfeat_result r;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not BTF at all\n", 15), 15);
	close(fd);
	kfeat__probe_cheap(path, &r);
	assert_false(r.missing[KF_BTF]); /* readable: the cheap probe cannot tell */
	kfeat__probe_btf(path, &r);
	assert_true(r.missing[KF_BTF]);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_missing),
		cmocka_unit_test(test_btf_missing),
		cmocka_unit_test(test_several_in_order),
		cmocka_unit_test(test_syscall_tracepoints_no_version),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_floor),
		cmocka_unit_test(test_btf_path_knob),
		cmocka_unit_test(test_probe_absent_btf),
		cmocka_unit_test(test_probe_not_btf),
	};

	return cmocka_run_group_tests_name("kfeat", tests, NULL, NULL);
}
