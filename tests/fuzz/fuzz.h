/* SPDX-License-Identifier: ISC */
/*
 * Shared by the libFuzzer targets in tests/fuzz/: the entry point's
 * prototype (the build insists on one) and an assertion that survives
 * -DNDEBUG and tells libFuzzer about a broken invariant by aborting.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

#endif
