// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The configuration cache (confsrc.c): one parse per file shared by the
 * containers that read it, and entries that live exactly as long as a
 * container holds them - also past CONFSRC_MAX cached files (a node with
 * a hundred live containers). Run under ASan: a use after free fails here.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "confsrc.h"
#include "saferead.h"

static char dir[64];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test_confsrc.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Bundle i: a config.json with one prestart hook whose argv names i. */
static void bundle(int i, char *path, size_t sz)
{
	char file[160];
	FILE *f;

	snprintf(path, sz, "%s/b%d", dir, i);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(file, sizeof(file), "%s/config.json", path);
	f = fopen(file, "w");
	assert_non_null(f);
	fprintf(f, "{\"ociVersion\":\"1.0.2\",\"hooks\":{\"prestart\":"
		   "[{\"path\":\"/bin/true\",\"args\":[\"true\",\"%d\"]}]}}\n", i);
	fclose(f);
}

#define LIVE 150 /* more live containers than CONFSRC_MAX (64) cached files */

static void test_many_live(void **state)
{
	struct confsrc *cs = confsrc__new();
	struct sr_root root = SR_ROOT_INIT;
	static struct ctr_conf cc[LIVE], twin;
	const struct oci_hooks *h;
	char path[128], want[16];
	int i;

	assert_non_null(cs);
	assert_int_equal(sr_root_of_path(&root, "/"), 0);
	for (i = 0; i < LIVE; i++) {
		bundle(i, path, sizeof(path));
		assert_true(confsrc__from_bundle(cs, &cc[i], &root, RT_RUNC, path, NULL));
	}
	/* every one still holds its own file's hooks */
	for (i = 0; i < LIVE; i++) {
		h = ctr_conf_hooks(&cc[i]);
		assert_non_null(h);
		assert_int_equal(h->n[OCI_PRESTART], 1);
		snprintf(want, sizeof(want), "%d", i);
		assert_string_equal(h->v[OCI_PRESTART][0].args[1], want);
	}
	/* a second container from a file already loaded shares or reparses it: same hooks */
	snprintf(path, sizeof(path), "%s/b7", dir);
	assert_true(confsrc__from_bundle(cs, &twin, &root, RT_RUNC, path, NULL));
	assert_string_equal(ctr_conf_hooks(&twin)->v[OCI_PRESTART][0].args[1], "7");
	confsrc__release(cs, &twin);
	for (i = 0; i < LIVE; i++)
		confsrc__release(cs, &cc[i]);
	sr_root_close(&root);
	confsrc__free(cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_many_live, setup, teardown),
	};

	return cmocka_run_group_tests_name("confsrc", tests, NULL, NULL);
}
