// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target for the ring-buffer record decoder and the output
 * writers: arbitrary bytes as a kernel record must either be refused or
 * decode into something both the text and the JSON sinks format without
 * reading out of bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "output.h"
#include "sinks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct output o;
	struct hs_event ev;
	void *copy;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	copy = malloc(size ? size : 1); /* exact size: ASan sees any overread */
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (!hs_event_decode(copy, size, &ev)) {
		for (int json = 0; json < 2; json++) {
			struct sink *sk;

			memset(&o, 0, sizeof(o));
			o.f = devnull;
			o.json = json;
			sk = json ? sink_json_new(&o) : sink_text_new(&o);
			if (sk) {
				sk->ops->event(sk, &ev, hs_event_role_guess(&ev));
				sk->ops->free(sk);
			}
			sbuf_free(&o.line);
		}
	}
	free(copy);
	return 0;
}
