// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * When the library may use a second thread of its own: TCE_INSPECT_THREADS=1 never,
 * =2 wherever it can (the tests compare the two), else for work big enough, when this
 * process may run on two processors or more.  And a search of a big buffer in two
 * halves at once.
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

bool tce_second_thread(uint64_t size, uint64_t min)
{
	const char *env = getenv("TCE_INSPECT_THREADS");
	cpu_set_t cpus;

	if (env && !strcmp(env, "1"))
		return false;
	if (env && !strcmp(env, "2"))
		return true;
	return size >= min && !sched_getaffinity(0, sizeof(cpus), &cpus) &&
	       CPU_COUNT(&cpus) >= 2;
}

/* One half of a search, in a thread of its own */
struct half_search {
	const char *buf;
	size_t size;
	const void *needle;
	size_t len;
	bool found;
};

static void *search_half(void *data)
{
	struct half_search *h = data;

	h->found = memmem(h->buf, h->size, h->needle, h->len) != NULL;
	return NULL;
}

/* buffers this big are searched in two halves at once */
#define HALVES_MIN (16u << 20)

bool tce_holds(const void *buf, size_t size, const void *needle, size_t len)
{
	struct half_search h;
	size_t half = size / 2;
	pthread_t t;
	bool found;

	if (!len || len > half || !tce_second_thread(size, HALVES_MIN))
		return memmem(buf, size, needle, len) != NULL;
	h = (struct half_search){ (const char *)buf + half, size - half, needle, len, false };
	if (pthread_create(&t, NULL, search_half, &h))
		return memmem(buf, size, needle, len) != NULL;
	/* the first half, and len - 1 bytes past it: a match across the middle */
	found = memmem(buf, half + len - 1, needle, len) != NULL;
	pthread_join(t, NULL);
	return found || h.found;
}
