/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * YAML documents as jsonloc node arrays (jsonloc.h), with the line and
 * column of every key and value, so one decoder and one set of lint checks
 * serve YAML and JSON alike. podman's CDI loader (container-device-interface
 * v0.5, sigs.k8s.io/yaml on go-yaml v2, a port of libyaml) reads JSON spec
 * files as YAML too, so CDI specs of both kinds are parsed here, with
 * libyaml, the parser go-yaml was ported from.
 *
 * Plain scalars are typed as go-yaml v2 resolves them: null (~, null, empty),
 * booleans (true/false, yes/no, on/off, y/n in their three casings), numbers
 * (decimal, 0x, 0o and 0b integers, floats, .inf, .nan); anything quoted or
 * block-styled is a string. A number's or boolean's `str` is its text.
 * Only the first document is read, as go-yaml's Unmarshal does. Aliases are
 * refused, not expanded: a hostile file could make them grow exponentially.
 */
#ifndef HS_YAMLLOC_H
#define HS_YAMLLOC_H

#include <stddef.h>

#include "jsonloc.h"

/*
 * Parse buf[0..len) into doc (free with jloc_free()). 0; -EINVAL on a syntax
 * error (doc->err, err_line, err_col say what and where); -ENOTSUP for an
 * alias; -E2BIG when nested deeper than JLOC_MAX_DEPTH or len exceeds
 * JLOC_MAX_LEN; -ENODATA for a stream without a document; -ENOMEM.
 */
int yloc_parse(struct jloc_doc *doc, const char *buf, size_t len);

#endif
