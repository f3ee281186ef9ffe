/* SPDX-License-Identifier: MIT */
/*
 * stream_util.h - helpers of the stream and event conformance tests: a
 * "gate" host function that holds its stream until the test opens it (so
 * work stays pending for NotReady checks), and an ordered log of host
 * function runs. Header-only, static functions.
 */
#ifndef CTS_STREAM_UTIL_H
#define CTS_STREAM_UTIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

struct cts_gate {
	atomic_int open;
	atomic_int entered;
	atomic_int timed_out;
};

static inline void cts_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000l };

	nanosleep(&ts, NULL);
}

/* Host function: waits (at most about 10 s) until the gate is opened. */
static inline void cts_gate_fn(void *arg)
{
	struct cts_gate *g = (struct cts_gate *)arg;
	int waited = 0;

	atomic_store(&g->entered, 1);
	while (!atomic_load(&g->open)) {
		if (waited++ > 10000) {
			atomic_store(&g->timed_out, 1);
			return;
		}
		cts_sleep_ms(1);
	}
}

static inline void cts_gate_open(struct cts_gate *g)
{
	atomic_store(&g->open, 1);
}

/* An ordered record of host function runs. */
struct cts_log {
	atomic_int n;
	int seq[64];
	pthread_t who[64];
};

struct cts_log_entry {
	struct cts_log *log;
	int id;
};

static inline void cts_log_fn(void *arg)
{
	struct cts_log_entry *e = (struct cts_log_entry *)arg;
	int i = atomic_fetch_add(&e->log->n, 1);

	if (i < 64) {
		e->log->seq[i] = e->id;
		e->log->who[i] = pthread_self();
	}
}

/* Host function: sets *flag. */
static inline void cts_set_fn(void *arg)
{
	atomic_store((atomic_int *)arg, 1);
}

/* Host function: waits (at most about 5 s) for *flag; records whether it
 * was seen in flag[1]. */
static inline void cts_wait_fn(void *arg)
{
	atomic_int *flag = (atomic_int *)arg;

	for (int i = 0; i < 5000 && !atomic_load(&flag[0]); i++)
		cts_sleep_ms(1);
	atomic_store(&flag[1], atomic_load(&flag[0]));
}

#endif /* CTS_STREAM_UTIL_H */
