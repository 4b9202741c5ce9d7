/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a hook said and saw, as pure functions over the kernel's facts: the
 * kind of file its fd 1 / fd 2 pointed to (from inode mode and device),
 * secret masking of its environment (-e), and the assembly of what it read
 * on stdin (the state JSON) from HS_EV_INPUT chunks.
 */
#ifndef HS_HOOKOUT_H
#define HS_HOOKOUT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "record.h"

/* The kind of an open file from its inode's mode and device (mode 0 = closed). */
enum out_to hookout_fd_kind(__u32 mode, __u32 rdev);

/*
 * Does an environment variable's name look secret (contains TOKEN, SECRET,
 * PASSWORD, KEY or CREDENTIAL, in any case)?
 */
bool hookout_secret_name(const char *name, size_t n);

/*
 * A copy of a NUL-separated NAME=VALUE list (len bytes, trailing NUL
 * optional) with the value of every secret-looking name replaced by ***.
 * The copy is NUL-separated and ends with a NUL; *out_len is its length.
 * NULL on allocation failure.
 */
char *hookout_env_mask(const char *env, size_t len, size_t *out_len);

/*
 * Put len bytes read on the hook's stdin at stream offset off into h->state,
 * keeping at most HS_STATE_MAX bytes (more, or a gap, sets state_trunc).
 * 0 or -ENOMEM.
 */
int hookout_state_put(struct hook_rec *h, __u64 off, const char *data, size_t len, bool trunc);

#endif
