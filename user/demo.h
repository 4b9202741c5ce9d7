/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `hooksnoop demo`: real containers with hooks under runc and crun, traced. */
#ifndef HS_DEMO_H
#define HS_DEMO_H

/* argv[0] is "demo" (or the internal "__demo-run"). Returns the exit status. */
int demo_main(int argc, char **argv);

#endif
