/* SPDX-License-Identifier: MIT */
/*
 * trace.c - the device's record of what it ran (DRM_MUSA_TRACE): per fd, a
 * buffer of records that the command processor fills for each packet it
 * runs while recording is on, and the compute units for each run of
 * work-groups they take from a recorded dispatch. The ioctl hands the
 * oldest records out and starts or stops recording.
 *
 * Recording costs one load of the file's flag per packet when it is off;
 * a dispatch that is not recorded carries a NULL `trace`, which the compute
 * units test once per run of groups. Times come from the device clock, the
 * one TIMESTAMP packets write.
 * Calls cp.c's packet table and kmd_copy_to_user().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kmd.h"

uint64_t kmd_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void kmd_trace_init(struct kmd_trace *t)
{
	memset(t, 0, sizeof(*t));
	atomic_init(&t->on, false);
	pthread_mutex_init(&t->lock, NULL);
}

void kmd_trace_fini(struct kmd_trace *t)
{
	free(t->rec);
	t->rec = NULL;
	pthread_mutex_destroy(&t->lock);
}

/* Appends one record; a full buffer (or no memory to grow it) counts it
 * as dropped. */
static void trace_add(struct kmd_trace *t, const struct drm_musa_trace_record *rec)
{
	pthread_mutex_lock(&t->lock);
	if (t->count == t->cap) {
		uint64_t cap = t->cap ? t->cap * 2 : 1024;
		struct drm_musa_trace_record *n = NULL;

		if (cap > DRM_MUSA_TRACE_MAX_RECORDS)
			cap = DRM_MUSA_TRACE_MAX_RECORDS;
		if (cap > t->cap)
			n = realloc(t->rec, cap * sizeof(*n));
		if (!n) {
			t->dropped++;
			pthread_mutex_unlock(&t->lock);
			return;
		}
		t->rec = n;
		t->cap = cap;
	}
	t->rec[t->count++] = *rec;
	pthread_mutex_unlock(&t->lock);
}

static uint64_t trace_next_seq(struct kmd_trace *t)
{
	uint64_t seq;

	pthread_mutex_lock(&t->lock);
	seq = ++t->seq;
	pthread_mutex_unlock(&t->lock);
	return seq;
}

static void trace_packet_record(struct kmd_queue *q, const struct drm_musa_packet *p,
				uint64_t seq, uint64_t start)
{
	struct drm_musa_trace_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.kind = DRM_MUSA_TRACE_PACKET;
	rec.queue = q->handle;
	rec.seq = seq;
	rec.start_ns = start;
	rec.end_ns = kmd_clock_ns();
	rec.packet = *p;
	trace_add(&q->file->trace, &rec);
}

void kmd_trace_packet(struct kmd_queue *q, const struct drm_musa_packet *p,
		      struct kmd_pkt_res *r)
{
	uint64_t seq = trace_next_seq(&q->file->trace), start = kmd_clock_ns();

	/* dispatches, copies and fills see it and record their groups */
	q->trace_seq = seq;
	kmd_cp_packet_ops[p->type].run(q, p, r);
	q->trace_seq = 0;
	trace_packet_record(q, p, seq, start);
}

void kmd_trace_wait_done(struct kmd_queue *q, const struct drm_musa_packet *p)
{
	trace_packet_record(q, p, trace_next_seq(&q->file->trace), q->trace_wait_start);
	q->trace_wait_start = 0;
}

void kmd_trace_cu_run(const struct kmd_dispatch *d, uint32_t cu, uint64_t start,
		      uint64_t groups)
{
	const struct kmd_queue *q = d->trace;
	struct drm_musa_trace_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.kind = DRM_MUSA_TRACE_CU_RUN;
	rec.queue = q->handle;
	rec.seq = q->trace_seq;
	rec.start_ns = start;
	rec.end_ns = kmd_clock_ns();
	rec.cu = cu;
	rec.groups = groups;
	/* the CP waits in this packet until every run of it is over */
	rec.packet = q->cur->pkts[q->pc];
	trace_add(&q->file->trace, &rec);
}

int kmd_ioctl_trace(struct kmd_file *f, void *data)
{
	struct drm_musa_trace *a = data;
	struct kmd_trace *t = &f->trace;
	uint64_t n;

	if (a->pad || (a->flags & ~(DRM_MUSA_TRACE_START | DRM_MUSA_TRACE_STOP)) ||
	    a->flags == (DRM_MUSA_TRACE_START | DRM_MUSA_TRACE_STOP))
		return -EINVAL;
	if (a->count && a->record_size != sizeof(struct drm_musa_trace_record))
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	n = a->count < t->count ? a->count : t->count;
	if (n && kmd_copy_to_user(a->records, t->rec, n * sizeof(*t->rec))) {
		pthread_mutex_unlock(&t->lock);
		return -EFAULT;
	}
	if (n && n < t->count)
		memmove(t->rec, t->rec + n, (t->count - n) * sizeof(*t->rec));
	t->count -= n;
	a->count = (uint32_t)n;
	a->pending = t->count;
	a->dropped = t->dropped;
	t->dropped = 0;
	if (a->flags & DRM_MUSA_TRACE_START)
		atomic_store(&t->on, true);
	if (a->flags & DRM_MUSA_TRACE_STOP)
		atomic_store(&t->on, false);
	pthread_mutex_unlock(&t->lock);
	return 0;
}
