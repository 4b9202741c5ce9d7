// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a hook said and saw: fd kinds, secret masking (-e), the kernel's
 * tail-ring arithmetic (bpf/hooksnoop.h) and stdin state assembly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "hookout.h"

#define KDEV(ma, mi) (((__u32)(ma) << 20) | (mi))

static void test_fd_kind(void **state)
{
	assert_int_equal(hookout_fd_kind(0, 0), OUT_TO_CLOSED);
	assert_int_equal(hookout_fd_kind(S_IFIFO | 0600, 0), OUT_TO_PIPE);
	assert_int_equal(hookout_fd_kind(S_IFSOCK | 0777, 0), OUT_TO_SOCKET);
	assert_int_equal(hookout_fd_kind(S_IFREG | 0644, 0), OUT_TO_FILE);
	assert_int_equal(hookout_fd_kind(S_IFCHR | 0666, KDEV(1, 3)), OUT_TO_NULL);
	/* /dev/zero and /dev/full are char devices of major 1 too, not null */
	assert_int_equal(hookout_fd_kind(S_IFCHR | 0666, KDEV(1, 5)), OUT_TO_OTHER);
	assert_int_equal(hookout_fd_kind(S_IFCHR | 0666, KDEV(1, 7)), OUT_TO_OTHER);
	assert_int_equal(hookout_fd_kind(S_IFCHR | 0620, KDEV(136, 2)), OUT_TO_TTY);
	assert_int_equal(hookout_fd_kind(S_IFCHR | 0620, KDEV(143, 9)), OUT_TO_TTY);
	assert_int_equal(hookout_fd_kind(S_IFCHR | 0666, KDEV(5, 0)), OUT_TO_TTY);
	assert_int_equal(hookout_fd_kind(S_IFCHR | 0620, KDEV(4, 1)), OUT_TO_TTY);
	assert_int_equal(hookout_fd_kind(S_IFCHR | 0620, KDEV(144, 0)), OUT_TO_OTHER);
	assert_int_equal(hookout_fd_kind(S_IFDIR | 0755, 0), OUT_TO_OTHER);
	/* an anonymous inode (eventfd, epoll) has no file type bits */
	assert_int_equal(hookout_fd_kind(0600, 0), OUT_TO_OTHER);
	assert_string_equal(out_to_name(OUT_TO_NULL), "null");
	assert_string_equal(out_to_name(OUT_TO_CLOSED), "closed");
	assert_string_equal(out_to_name(OUT_TO_PIPE), "pipe");
}

static void test_secret_names(void **state)
{
	static const char *yes[] = { "GITHUB_TOKEN", "token", "AWS_SECRET_ACCESS_KEY",
				     "db_password", "ApiKey", "MONKEY", "GOOGLE_CREDENTIALS",
				     "x_SeCrEt_y" };
	static const char *no[] = { "PATH", "HOME", "TOK", "SECRE", "PASSWD", "KE", "", "CRED" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(hookout_secret_name(yes[i], strlen(yes[i])));
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(hookout_secret_name(no[i], strlen(no[i])));
	/* only the name's bytes count, not what follows */
	assert_false(hookout_secret_name("PATHKEY", 4));
}

static void test_env_mask(void **state)
{
	static const char env[] = "PATH=/bin\0API_TOKEN=hunter2\0NOEQUALS\0my_key=a=b\0EMPTY=";
	static const char want[] = "PATH=/bin\0API_TOKEN=***\0NOEQUALS\0my_key=***\0EMPTY=";
	size_t n;
	char *m = hookout_env_mask(env, sizeof(env) - 1, &n);

	assert_non_null(m);
	assert_int_equal(n, sizeof(want)); /* NUL-terminated */
	assert_memory_equal(m, want, sizeof(want));
	free(m);
	/* a value never leaks, even one longer than the mask, nor a value with NUL tricks */
	m = hookout_env_mask("PASSWORD=xxxxxxxxxxxxxxxxxxxxxxxx", 33, &n);
	assert_non_null(m);
	assert_int_equal(n, strlen("PASSWORD=***") + 1);
	assert_string_equal(m, "PASSWORD=***");
	free(m);
	m = hookout_env_mask("", 0, &n);
	assert_non_null(m);
	assert_int_equal(n, 0);
	free(m);
}

/* The kernel's ring, written with hs_tail_span() and read with hs_tail_last(). */
struct ring {
	struct hs_tail t;
};

static void ring_write(struct ring *r, const char *buf, __u64 n, __u64 keep)
{
	__u64 skip, off, first, len, pos = r->t.bytes;

	r->t.bytes += n; /* the kernel's atomic reservation */
	len = hs_tail_span(pos, n, keep, &skip, &off, &first);
	assert_true(off < HS_OUTPUT_MAX && first <= HS_OUTPUT_MAX - off && len <= keep);
	memcpy(r->t.buf + off, buf + skip, first);
	memcpy(r->t.buf, buf + skip + first, len - first);
}

static size_t ring_read(const struct ring *r, __u64 keep, char *out)
{
	__u64 off, first, len = hs_tail_last(r->t.bytes, keep, &off, &first);

	memcpy(out, r->t.buf + off, first);
	memcpy(out + first, r->t.buf, len - first);
	return len;
}

static void check_ring(__u64 keep, const size_t *sizes, size_t nsizes, unsigned rounds)
{
	static char stream[1 << 20], got[HS_OUTPUT_MAX];
	struct ring *r = calloc(1, sizeof(*r));
	size_t total = 0, i, k, len;
	unsigned seed = 7;

	assert_non_null(r);
	for (k = 0; k < rounds; k++) {
		for (i = 0; i < nsizes; i++) {
			size_t n = sizes[i], j;

			assert_true(total + n <= sizeof(stream));
			for (j = 0; j < n; j++) {
				seed = seed * 1103515245 + 12345;
				stream[total + j] = (char)(seed >> 16);
			}
			ring_write(r, stream + total, n, keep);
			total += n;
			len = ring_read(r, keep, got);
			assert_int_equal(len, total < keep ? total : keep);
			assert_memory_equal(got, stream + total - len, len);
		}
	}
	free(r);
}

static void test_tail_ring(void **state)
{
	static const size_t small[] = { 1, 5, 13, 0, 100 };
	static const size_t big[] = { 8191, 1, 8192, 9000, 3, 20000 };
	static const size_t odd[] = { 1023, 1025, 1, 4096, 7 };

	check_ring(1024, small, 5, 50);
	check_ring(1024, big, 6, 3);
	check_ring(HS_OUTPUT_MAX, big, 6, 3);
	check_ring(HS_OUTPUT_MAX, odd, 5, 20);
	check_ring(1, odd, 5, 5);
	check_ring(3000, odd, 5, 20);
}

static void test_state_put(void **state)
{
	struct hook_rec h = {};
	static char big[HS_STATE_MAX + 10];

	assert_int_equal(hookout_state_put(&h, 0, "{\"id\":", 6, false), 0);
	assert_int_equal(hookout_state_put(&h, 6, "\"c1\"}", 5, false), 0);
	assert_int_equal(h.state_len, 11);
	assert_memory_equal(h.state, "{\"id\":\"c1\"}", 11);
	assert_false(h.state_trunc);
	/* a gap (a lost chunk) is never glued on */
	assert_int_equal(hookout_state_put(&h, 20, "x", 1, false), 0);
	assert_int_equal(h.state_len, 11);
	assert_true(h.state_trunc);
	hook_rec_free_fields(&h);

	memset(&h, 0, sizeof(h));
	memset(big, 'a', sizeof(big));
	assert_int_equal(hookout_state_put(&h, 0, big, sizeof(big), false), 0);
	assert_int_equal(h.state_len, HS_STATE_MAX);
	assert_true(h.state_trunc);
	hook_rec_free_fields(&h);

	memset(&h, 0, sizeof(h));
	assert_int_equal(hookout_state_put(&h, 0, "{}", 2, true), 0);
	assert_true(h.state_trunc);
	hook_rec_free_fields(&h);
}

static void test_children(void **state)
{
	struct hook_rec h = {};
	int i, a, b;

	a = hookout_child_add(&h, 10, 1, 100, "sh\0-c\0x", 8);
	b = hookout_child_add(&h, 11, 10, 110, NULL, 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(hookout_child_exec(&h, b, "sleep\0" "9", 7), 0);
	hookout_child_exit(&h, a, 200, 0, 9);
	hookout_hook_exit(&h);
	h.ended = true;
	assert_true(h.children[a].ended && !h.children[a].outlived);
	assert_int_equal(h.children[a].signal, 9);
	assert_true(h.children[b].outlived && !h.children[b].ended);
	assert_memory_equal(h.children[b].argv, "sleep\0" "9", 7);
	/* the record is frozen once the hook ended */
	hookout_child_exit(&h, b, 300, 1, 0);
	assert_false(h.children[b].ended);
	assert_int_equal(hookout_child_add(&h, 12, 10, 120, NULL, 0), -1);
	hook_rec_free_fields(&h);

	memset(&h, 0, sizeof(h));
	for (i = 0; i < HOOK_CHILDREN_MAX; i++)
		assert_int_equal(hookout_child_add(&h, 100 + i, 1, i, NULL, 0), i);
	assert_false(h.children_trunc);
	assert_int_equal(hookout_child_add(&h, 999, 1, 0, NULL, 0), -1);
	assert_true(h.children_trunc);
	hook_rec_free_fields(&h);
}

static void test_start_and_output(void **state)
{
	struct event_hook_start st = { .env_on = true, .env = "K=v\0MY_SECRET=s", .env_len = 16 };
	const __u64 bytes[2] = { 5, 4000 };
	const char *tail[2] = { "hello", "tail" };
	const size_t len[2] = { 5, 4 };
	struct hook_rec h = {};

	st.fd[1].mode = S_IFIFO;
	st.fd[2].mode = S_IFCHR;
	st.fd[2].rdev = KDEV(1, 3);
	assert_int_equal(hookout_start(&h, &st), 0);
	assert_true(h.children_known && h.io_seen && h.env_known);
	assert_int_equal(h.out[0].to, OUT_TO_PIPE);
	assert_int_equal(h.out[1].to, OUT_TO_NULL);
	assert_memory_equal(h.env, "K=v\0MY_SECRET=***", h.env_len);
	assert_int_equal(hookout_output(&h, true, bytes, tail, len, 2), 0);
	assert_true(h.out[1].known && h.out[1].truncated && !h.out[0].truncated);
	assert_true(h.children_trunc);
	hook_rec_free_fields(&h);

	/* the kernel kept nothing of this hook's I/O: its streams stay unknown */
	memset(&h, 0, sizeof(h));
	st.no_capture = true;
	st.env_on = false;
	assert_int_equal(hookout_start(&h, &st), 0);
	assert_int_equal(hookout_output(&h, true, bytes, tail, len, 0), 0);
	assert_false(h.out[0].known || h.out[1].known || h.env_known || h.children_known);
	hook_rec_free_fields(&h);

	/* captured from after its start: both streams late, neither whole */
	memset(&h, 0, sizeof(h));
	st.no_capture = false;
	st.capture_late = true;
	assert_int_equal(hookout_start(&h, &st), 0);
	assert_int_equal(hookout_output(&h, true, bytes, tail, len, 0), 0);
	assert_true(h.out[0].known && h.out[0].late && h.out[0].truncated);
	assert_true(h.out[1].known && h.out[1].late && h.out[1].truncated);
	assert_int_equal(h.out[0].bytes, 5);
	hook_rec_free_fields(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_kind),
		cmocka_unit_test(test_secret_names),
		cmocka_unit_test(test_env_mask),
		cmocka_unit_test(test_tail_ring),
		cmocka_unit_test(test_state_put),
		cmocka_unit_test(test_children),
		cmocka_unit_test(test_start_and_output),
	};

	return cmocka_run_group_tests_name("hookout", tests, NULL, NULL);
}
