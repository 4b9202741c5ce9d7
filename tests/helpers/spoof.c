// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A process that only looks like a container runtime, for the attack suite
 * (tests/integration/attack.bats): copied to a file named runc and started as
 * `runc run -b DIR ID`, it stays alive SPOOF_MS milliseconds (default 2000)
 * and exits 0, exec'ing nothing, so hooksnoop follows it as a runtime and
 * reads the configuration DIR names while a real runtime runs beside it.
 * Static, so a copy runs in any root.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

int main(void)
{
	const char *s = getenv("SPOOF_MS");
	long ms = s ? atol(s) : 2000;
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	return 0;
}
