// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Decoding and validation of ring-buffer records (user/event.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"

static struct hs_exec *mk_exec(const char *argv, size_t alen, __u16 flags)
{
	struct hs_exec *e = calloc(1, sizeof(*e) + alen);

	e->hdr.type = HS_EV_EXEC;
	e->hdr.size = (__u16)(sizeof(*e) + alen);
	e->hdr.role = HS_ROLE_LEAF;
	e->hdr.prev_role = HS_ROLE_RUNTIME;
	e->hdr.flags = flags;
	e->hdr.tgid = e->hdr.pid = 42;
	e->hdr.vpid = 42;
	memcpy(e->hdr.comm, "sh", 3);
	strcpy(e->filename, "/bin/sh");
	memcpy(e->argv, argv, alen);
	e->argv_len = (__u16)alen;
	e->argc = 3;
	return e;
}

static void test_exec_ok(void **state)
{
	const char a[] = "sh\0-c\0true";
	struct hs_exec *e = mk_exec(a, sizeof(a), 0);
	struct hs_event ev;

	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), 0);
	assert_int_equal(ev.type, HS_EV_EXEC);
	assert_string_equal(ev.filename, "/bin/sh");
	assert_int_equal(ev.argv_len, sizeof(a) - 1); /* trailing NUL dropped */
	assert_false(ev.argv_truncated);
	assert_int_equal(hs_event_role_guess(&ev), HS_UROLE_HOOK);
	free(e);
}

static void test_exec_truncated_flag(void **state)
{
	const char a[] = "sh\0-c\0xxxxxxxx"; /* cut by the kernel: no final NUL */
	struct hs_exec *e = mk_exec(a, sizeof(a) - 1, HS_F_ARGV_TRUNC);
	struct hs_event ev;

	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), 0);
	assert_true(ev.argv_truncated);
	assert_int_equal(ev.argv_len, sizeof(a) - 1);
	free(e);
}

static void test_size_mismatch(void **state)
{
	const char a[] = "sh";
	struct hs_exec *e = mk_exec(a, sizeof(a), 0);
	struct hs_event ev;

	/* declared size differs from delivered size */
	assert_int_equal(hs_event_decode(e, e->hdr.size - 1, &ev), -EINVAL);
	/* argv_len inconsistent with size */
	e->argv_len = 100;
	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), -EINVAL);
	e->argv_len = sizeof(a);
	/* short record */
	assert_int_equal(hs_event_decode(e, 10, &ev), -EINVAL);
	assert_int_equal(hs_event_decode(NULL, 0, &ev), -EINVAL);
	free(e);
}

static void test_bad_tag_and_roles(void **state)
{
	const char a[] = "sh";
	struct hs_exec *e = mk_exec(a, sizeof(a), 0);
	struct hs_event ev;

	e->hdr.type = 0;
	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), -EINVAL);
	e->hdr.type = HS_EV_MAX;
	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), -EINVAL);
	e->hdr.type = HS_EV_EXEC;
	e->hdr.role = 7;
	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), -EINVAL);
	e->hdr.role = HS_ROLE_LEAF;
	/* exec with an errno, or exec_failed without one, is inconsistent */
	e->err = 2;
	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), -EINVAL);
	e->hdr.type = HS_EV_EXEC_FAILED;
	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), 0);
	assert_int_equal(ev.err, 2);
	e->err = 0;
	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), -EINVAL);
	free(e);
}

static void test_unterminated_strings(void **state)
{
	const char a[] = "sh";
	struct hs_exec *e = mk_exec(a, sizeof(a), 0);
	struct hs_event ev;

	memset(e->filename, 'A', sizeof(e->filename));
	memset(e->hdr.comm, 'B', sizeof(e->hdr.comm));
	assert_int_equal(hs_event_decode(e, e->hdr.size, &ev), 0);
	assert_int_equal(strlen(ev.filename), HS_FILENAME_LEN - 1);
	assert_int_equal(strlen(ev.comm), HS_COMM_LEN - 1);
	free(e);
}

static void test_exit_and_fork(void **state)
{
	struct hs_exit x = { .hdr = { .type = HS_EV_EXIT, .size = sizeof(x), .role = HS_ROLE_LEAF,
				      .prev_role = HS_ROLE_LEAF },
			     .exit_code = 3, .signal = 0 };
	struct hs_fork f = { .hdr = { .type = HS_EV_FORK, .size = sizeof(f),
				      .role = HS_ROLE_RUNTIME },
			     .parent_pid = 7 };
	struct hs_event ev;

	assert_int_equal(hs_event_decode(&x, sizeof(x), &ev), 0);
	assert_int_equal(ev.exit_code, 3);
	assert_int_equal(hs_event_decode(&f, sizeof(f), &ev), 0);
	assert_int_equal(ev.parent_pid, 7);
	f.hdr.size = sizeof(f) + 8; /* a fork record has a fixed size */
	assert_int_equal(hs_event_decode(&f, sizeof(f) + 8, &ev), -EINVAL);
}

/* A hook's start, output and stdin records: sizes and lengths must agree. */
static void test_hook_io(void **state)
{
	union {
		struct hs_hook k;
		struct hs_output o;
		struct hs_input in;
		char raw[512];
	} u;
	struct hs_event ev;

	memset(&u, 0, sizeof(u));
	u.k.hdr = (struct hs_hdr){ .type = HS_EV_HOOK, .size = sizeof(u.k) + 8,
				   .role = HS_ROLE_LEAF, .flags = HS_F_ENV, .hook_pid = 9 };
	u.k.fd[2].mode = 020666;
	u.k.fd[2].rdev = (1u << 20) | 3;
	u.k.env_len = 8;
	memcpy(u.k.env, "A=1\0B=2\0", 8);
	assert_int_equal(hs_event_decode(&u, sizeof(u.k) + 8, &ev), 0);
	assert_true(ev.env_on);
	assert_int_equal(ev.env_len, 8);
	assert_int_equal(ev.fd[2].rdev, (1u << 20) | 3);
	u.k.env_len = 9; /* longer than the record */
	assert_int_equal(hs_event_decode(&u, sizeof(u.k) + 8, &ev), -EINVAL);

	memset(&u, 0, sizeof(u));
	u.o.hdr = (struct hs_hdr){ .type = HS_EV_OUTPUT, .size = sizeof(u.o) + 5,
				   .role = HS_ROLE_LEAF, .flags = HS_F_OUT_CAPTURED };
	u.o.bytes[0] = 2;
	u.o.bytes[1] = 1000;
	u.o.len[0] = 2;
	u.o.len[1] = 3;
	memcpy(u.o.data, "okerr", 5);
	assert_int_equal(hs_event_decode(&u, sizeof(u.o) + 5, &ev), 0);
	assert_true(ev.out_captured);
	assert_memory_equal(ev.out_tail[1], "err", 3);
	assert_int_equal(ev.out_bytes[1], 1000);
	u.o.bytes[0] = 1; /* a tail longer than what was written */
	assert_int_equal(hs_event_decode(&u, sizeof(u.o) + 5, &ev), -EINVAL);
	u.o.bytes[0] = 2;
	u.o.len[1] = 4; /* lengths that do not add up to the record */
	assert_int_equal(hs_event_decode(&u, sizeof(u.o) + 5, &ev), -EINVAL);

	memset(&u, 0, sizeof(u));
	u.in.hdr = (struct hs_hdr){ .type = HS_EV_INPUT, .size = sizeof(u.in) + 2,
				    .role = HS_ROLE_LEAF };
	u.in.len = 2;
	u.in.off = 10;
	assert_int_equal(hs_event_decode(&u, sizeof(u.in) + 2, &ev), 0);
	assert_int_equal(ev.in_off, 10);
	u.in.off = HS_STATE_MAX; /* past what the kernel ever sends */
	assert_int_equal(hs_event_decode(&u, sizeof(u.in) + 2, &ev), -EINVAL);
}

static void test_role_guess(void **state)
{
	const char a[] = "sh";
	struct hs_exec *e = mk_exec(a, sizeof(a), 0);
	struct hs_event ev;

	e->hdr.vpid = 1; /* pid 1 of its namespace: the container process */
	hs_event_decode(e, e->hdr.size, &ev);
	assert_int_equal(hs_event_role_guess(&ev), HS_UROLE_CONTAINER);
	e->hdr.role = HS_ROLE_RUNTIME;
	hs_event_decode(e, e->hdr.size, &ev);
	assert_int_equal(hs_event_role_guess(&ev), HS_UROLE_RUNTIME);
	e->hdr.role = HS_ROLE_LEAF;
	e->hdr.prev_role = HS_ROLE_LEAF; /* a leaf exec'ing again */
	hs_event_decode(e, e->hdr.size, &ev);
	assert_int_equal(hs_event_role_guess(&ev), HS_UROLE_OTHER);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_ok),
		cmocka_unit_test(test_exec_truncated_flag),
		cmocka_unit_test(test_size_mismatch),
		cmocka_unit_test(test_bad_tag_and_roles),
		cmocka_unit_test(test_unterminated_strings),
		cmocka_unit_test(test_exit_and_fork),
		cmocka_unit_test(test_hook_io),
		cmocka_unit_test(test_role_guess),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
