/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ioctl.c - libFuzzer harness for the ioctl door of kmd-shim.
 *
 * An input is a program: each step picks an operation (an ioctl through
 * musa_kmd_ioctl, an mmap of a BO, closing and reopening a device fd, or
 * loading the trusted code object) and fills its argument struct from the
 * input. Handles, device addresses, fds and mmap offsets that earlier steps
 * got back are patched into later arguments, so sequences reach deep paths
 * (SUBMIT of every packet type against mapped BOs, syncobj timelines, PRIME
 * round trips). Arrays named by pointer fields live in a harness arena that
 * ends at a PROT_NONE page, so an oversized count is a deterministic EFAULT;
 * some pointers are NULL, read-only, point into the guard or are raw.
 *
 * Every fd is closed at the end of each input, and the harness then checks
 * that nothing outlived it: no fd left open, no device memory charged.
 * Only kernels of tests/fuzz/kernels.kern.c are ever loaded (built next to
 * the harness, path in FUZZ_KERNELS_SO); fuzzed bytes never reach a loaded
 * image, see load_trusted().
 *
 * Calls only the public door include/uapi/musa_kmd.h with the structs of
 * musa_drm.h and drm.h, like the UMD.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/musa_drm.h"
#include "uapi/musa_kmd.h"

#ifndef FUZZ_KERNELS_SO
#error "build with -DFUZZ_KERNELS_SO=\"path/to/fuzz_kernels.so\" (tools/fuzz.sh does)"
#endif

/* Small devices: ENOMEM is cheap to reach and RSS stays bounded. */
#define FZ_SWDEV "count=2,arch=mp_31,cus=2,mem=64M"
#define FZ_MAX_STEPS 48
#define FZ_RING 8            /* remembered values per kind and fd */
#define FZ_PAGE 4096u
#define FZ_ARENA_PAGES 16u   /* argument arrays; a guard page follows */
#define FZ_SCRATCH_PAGES 8u  /* host memory for userptr BOs */

/* Input reader */

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static void in_bytes(struct fz_in *in, void *dst, size_t len)
{
	size_t k = len < in->n ? len : in->n;

	memcpy(dst, in->p, k);
	memset((uint8_t *)dst + k, 0, len - k);
	in->p += k;
	in->n -= k;
}

static uint8_t in_u8(struct fz_in *in)
{
	uint8_t v;

	in_bytes(in, &v, 1);
	return v;
}

static uint16_t in_u16(struct fz_in *in)
{
	uint16_t v;

	in_bytes(in, &v, 2);
	return v;
}

static uint32_t in_u32(struct fz_in *in)
{
	uint32_t v;

	in_bytes(in, &v, 4);
	return v;
}

static uint64_t in_u64(struct fz_in *in)
{
	uint64_t v;

	in_bytes(in, &v, 8);
	return v;
}

/* Harness state */

enum fz_kind { K_BO, K_SYNCOBJ, K_QUEUE, K_MODULE, K_KERNEL, K_COUNT };

struct fz_ring {
	uint64_t v[FZ_RING];
	uint64_t extra[FZ_RING];  /* VA: the BO size; mmap offset: the BO size */
	unsigned int n;           /* values pushed (the ring keeps the last FZ_RING) */
};

struct fz_fd {
	int fd;
	unsigned int dev;
	struct fz_ring h[K_COUNT];
	struct fz_ring va;
	struct fz_ring mmap_off;
};

struct fz_state {
	struct fz_fd f[2];
	int prime_fds[64];         /* every fd an ioctl handed out */
	unsigned int nprime;
	unsigned int arena_used;
};

static uint8_t *arena;         /* FZ_ARENA_PAGES RW, then a PROT_NONE page */
static uint8_t *ro_page;       /* readable, not writable */
static uint8_t *scratch;       /* FZ_SCRATCH_PAGES RW, userptr targets */
static void *trusted_image;
static size_t trusted_size;
static struct drm_musa_device_info dev_info;

static void ring_push(struct fz_ring *r, uint64_t v, uint64_t extra)
{
	r->v[r->n % FZ_RING] = v;
	r->extra[r->n % FZ_RING] = extra;
	r->n++;
}

static unsigned int ring_len(const struct fz_ring *r)
{
	return r->n < FZ_RING ? r->n : FZ_RING;
}

__attribute__((noreturn)) static void die(const char *what)
{
	fprintf(stderr, "fuzz_ioctl: invariant broken: %s\n", what);
	abort();
}

/*
 * A handle for field `kind` of fd `fi`: mostly one the driver handed out,
 * sometimes the other fd's (handles are per fd), 0, or raw input.
 */
static uint32_t pick_handle(struct fz_state *s, struct fz_in *in, int fi, enum fz_kind kind)
{
	uint8_t sel = in_u8(in);
	const struct fz_ring *r = &s->f[(sel & 0x80) ? !fi : fi].h[kind];
	unsigned int n = ring_len(r);

	switch (sel & 0x7) {
	case 0:
		return in_u32(in);
	case 1:
		return 0;
	default:
		return n ? (uint32_t)r->v[(sel >> 3) % n] : in_u8(in) % 4;
	}
}

/* A device address: inside, at the end of, or past a mapping; or raw. */
static uint64_t pick_va(struct fz_state *s, struct fz_in *in, int fi)
{
	uint8_t sel = in_u8(in);
	const struct fz_ring *r = &s->f[fi].va;
	unsigned int n = ring_len(r), i;

	if (!n || (sel & 0x7) == 0)
		return (sel & 0x8) ? in_u64(in) : (uint64_t)(uintptr_t)scratch + in_u16(in);
	i = (sel >> 4) % n;
	switch (sel & 0x7) {
	case 1:  /* the last bytes, and just past them */
		return r->v[i] + r->extra[i] - (in_u8(in) % 16);
	case 2:
		return r->v[i] - (in_u8(in) % 16) - 1;
	default:
		return r->v[i] + in_u16(in) % (r->extra[i] ? r->extra[i] : 1);
	}
}

/* Sizes of copies and fills: small, around a BO size, or raw. */
static uint64_t pick_len(struct fz_in *in)
{
	uint8_t sel = in_u8(in);

	switch (sel & 0x7) {
	case 0:
		return in_u64(in);
	case 1:
		return 0;
	case 2:
		return FZ_PAGE * (1 + in_u8(in) % 16);
	default:
		return 1 + in_u16(in) % 8192;
	}
}

/* Absolute CLOCK_MONOTONIC timeouts; never more than 0.5 ms ahead. */
static int64_t pick_timeout(struct fz_in *in)
{
	struct timespec ts;
	int64_t now, v;
	uint8_t sel = in_u8(in);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	switch (sel & 0x3) {
	case 0:
		return 0;
	case 1:
		return now - in_u16(in);
	case 2:
		return now + (int64_t)(in_u16(in) % 500) * 1000;
	default:
		v = (int64_t)in_u64(in);
		return v > now + 500000 ? now + 500000 : v;
	}
}

/*
 * Room for an array of `len` bytes: in the arena (filled by the caller),
 * optionally flush against the guard page so one element too many faults.
 */
static uint8_t *arena_alloc(struct fz_state *s, size_t len, bool at_guard)
{
	size_t cap = (size_t)FZ_ARENA_PAGES * FZ_PAGE;
	uint8_t *p;

	if (len > cap - s->arena_used)
		return NULL;
	if (at_guard)
		return arena + cap - len;
	p = arena + s->arena_used;
	s->arena_used += (unsigned int)((len + 7) & ~(size_t)7);
	return p;
}

/*
 * A pointer nothing of this process can be at: the kernel half of the
 * address space or the unmapped first 64 KiB. libFuzzer learns real
 * addresses from the driver's comparisons; a raw one could name the
 * harness's own heap, and a write there is a wild write of the caller that
 * no driver (nor kernel) can tell from a good one.
 */
static uint64_t bad_ptr(struct fz_in *in)
{
	uint64_t v = in_u64(in);

	return (v & 1) ? v | (1ull << 63) : v % 65536;
}

enum fz_ptr { P_ARENA, P_GUARD_END, P_NULL, P_GUARD, P_RO, P_BAD };

static enum fz_ptr pick_ptr_mode(struct fz_in *in)
{
	uint8_t sel = in_u8(in);

	if (sel < 200)
		return sel & 1 ? P_GUARD_END : P_ARENA;
	return (enum fz_ptr)(P_NULL + (sel - 200) % 4);
}

/*
 * A user pointer to `count` elements of `esize` bytes. `fill` writes the
 * elements (for inputs); outputs get arena room only. `avail` elements
 * fit; a count beyond that reads into the guard page.
 */
typedef void (*fz_fill_fn)(struct fz_state *s, struct fz_in *in, int fi, void *elem, void *ctx);

static uint64_t make_array(struct fz_state *s, struct fz_in *in, int fi, uint64_t count,
			   size_t esize, fz_fill_fn fill, void *ctx)
{
	enum fz_ptr mode = pick_ptr_mode(in);
	size_t n = count > 64 ? 64 : (size_t)count;
	uint8_t *p;

	switch (mode) {
	case P_NULL:
		return 0;
	case P_GUARD:
		return (uint64_t)(uintptr_t)(arena + (size_t)FZ_ARENA_PAGES * FZ_PAGE);
	case P_RO:
		return (uint64_t)(uintptr_t)ro_page;
	case P_BAD:
		return bad_ptr(in);
	default:
		break;
	}
	/* Arrays longer than what we fill run into the guard page. */
	p = arena_alloc(s, n * esize, mode == P_GUARD_END || count > n);
	if (!p)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (fill)
			fill(s, in, fi, p + i * esize, ctx);
		else
			memset(p + i * esize, 0, esize);
	}
	return (uint64_t)(uintptr_t)p;
}

static void fill_handle(struct fz_state *s, struct fz_in *in, int fi, void *elem, void *ctx)
{
	uint32_t h = pick_handle(s, in, fi, *(enum fz_kind *)ctx);

	memcpy(elem, &h, sizeof(h));
}

static void fill_point(struct fz_state *s, struct fz_in *in, int fi, void *elem, void *ctx)
{
	uint8_t sel = in_u8(in);
	uint64_t v = sel < 240 ? sel % 8 : in_u64(in);

	memcpy(elem, &v, sizeof(v));
}

static uint32_t small_count(struct fz_in *in)
{
	uint8_t sel = in_u8(in);

	return sel < 240 ? sel % 5 : in_u32(in);
}

/* SUBMIT packets */

/* Grid and block: small and valid, or with exactly one dimension bad. */
static void pick_dims(struct fz_in *in, uint32_t grid[3], uint32_t block[3])
{
	uint8_t sel = in_u8(in);

	for (int i = 0; i < 3; i++) {
		grid[i] = 1 + in_u8(in) % 4;
		block[i] = 1 + in_u8(in) % 8;
	}
	switch (sel & 0x7) {
	case 0:
		grid[sel % 3] = 0;
		break;
	case 1:
		block[sel % 3] = 0;
		break;
	case 2:
		grid[(sel >> 3) % 3] = dev_info.max_grid_dim[(sel >> 3) % 3] + 1 + in_u8(in);
		break;
	case 3:
		block[(sel >> 3) % 3] = dev_info.max_block_dim[(sel >> 3) % 3] + 1 + in_u8(in);
		break;
	case 4:  /* threads per block over the kernel's or the device's limit */
		block[0] = 32 + in_u16(in) % 1024;
		block[1] = 1;
		block[2] = 1;
		break;
	default:
		break;
	}
}

static void fill_packet(struct fz_state *s, struct fz_in *in, int fi, void *elem, void *ctx)
{
	struct drm_musa_packet *p = elem;
	uint8_t sel = in_u8(in);
	enum fz_kind kk = K_KERNEL, ks = K_SYNCOBJ;

	memset(p, 0, sizeof(*p));
	p->type = sel < 248 ? sel % DRM_MUSA_PKT_COUNT : in_u32(in);
	if (in_u8(in) >= 250)
		p->flags = in_u32(in);
	switch (p->type) {
	case DRM_MUSA_PKT_KERNEL_DISPATCH:
		fill_handle(s, in, fi, &p->dispatch.kernel, &kk);
		p->dispatch.shared_bytes = in_u8(in) < 224 ? in_u16(in) % 2048 : in_u32(in);
		pick_dims(in, p->dispatch.grid, p->dispatch.block);
		p->dispatch.kernarg = pick_va(s, in, fi);
		p->dispatch.kernarg_size = in_u8(in) < 224 ? in_u8(in) % 40 : in_u32(in);
		if (in_u8(in) >= 250)
			p->dispatch.pad = in_u32(in);
		break;
	case DRM_MUSA_PKT_COPY:
		p->copy.src = pick_va(s, in, fi);
		p->copy.dst = pick_va(s, in, fi);
		p->copy.width = pick_len(in);
		p->copy.height = in_u8(in) < 200 ? 1 : (in_u8(in) < 250 ? in_u8(in) % 5 : in_u64(in));
		p->copy.src_pitch = in_u8(in) < 200 ? p->copy.width + in_u8(in) % 64 : in_u64(in);
		p->copy.dst_pitch = in_u8(in) < 200 ? p->copy.width + in_u8(in) % 64 : in_u64(in);
		break;
	case DRM_MUSA_PKT_FILL:
		p->fill.dst = pick_va(s, in, fi);
		p->fill.count = pick_len(in);
		p->fill.value = in_u32(in);
		p->fill.elem_size = in_u8(in) < 224 ? 1u << (in_u8(in) % 3) : in_u32(in);
		break;
	case DRM_MUSA_PKT_WAIT:
	case DRM_MUSA_PKT_SIGNAL:
		fill_handle(s, in, fi, &p->sync.syncobj, &ks);
		fill_point(s, in, fi, &p->sync.point, NULL);
		if (in_u8(in) >= 250)
			p->sync.pad = in_u32(in);
		break;
	case DRM_MUSA_PKT_TIMESTAMP:
		p->timestamp.dst = pick_va(s, in, fi);
		break;
	default:
		break;
	}
	/* Bytes past the body must be zero: sometimes they are not. */
	if (in_u8(in) >= 250)
		p->raw[6] = in_u64(in);
}

/* A wait or signal of SUBMIT's in_syncs / out_syncs. */
static void fill_sync(struct fz_state *s, struct fz_in *in, int fi, void *elem, void *ctx)
{
	struct drm_musa_sync *y = elem;
	enum fz_kind k = K_SYNCOBJ;
	uint8_t sel = in_u8(in);

	fill_handle(s, in, fi, &y->handle, &k);
	y->flags = sel < 240 ? sel % 2 * DRM_MUSA_SYNC_WAIT_FOR_SUBMIT : in_u32(in);
	fill_point(s, in, fi, &y->point, NULL);
}

/* Ioctl argument builders */

/*
 * One builder per ioctl: fills the fields that name objects, pointers,
 * sizes or deadlines (the rest of the struct is raw input), so that most
 * calls are valid or wrong in exactly one place.
 */
typedef void (*fz_build_fn)(struct fz_state *s, struct fz_in *in, int fi, void *arg);

static void b_version(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_version *v = arg;

	v->name_len = in_u8(in) % 16;
	v->date_len = in_u8(in) % 16;
	v->desc_len = in_u8(in) % 32;
	v->name = (char *)(uintptr_t)make_array(s, in, fi, v->name_len, 1, NULL, NULL);
	v->date = (char *)(uintptr_t)make_array(s, in, fi, v->date_len, 1, NULL, NULL);
	v->desc = (char *)(uintptr_t)make_array(s, in, fi, v->desc_len, 1, NULL, NULL);
}

static void b_get_cap(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_get_cap *c = arg;
	uint8_t sel = in_u8(in);

	c->capability = sel < 200 ? sel % 0x16 : in_u64(in);
}

static void b_gem_close(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_gem_close *c = arg;

	c->handle = pick_handle(s, in, fi, K_BO);
	c->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static int pick_fd(struct fz_state *s, struct fz_in *in)
{
	uint8_t sel = in_u8(in);

	if (sel < 160 && s->nprime)
		return s->prime_fds[sel % s->nprime];
	if (sel < 200)
		return s->f[sel & 1].fd;
	if (sel < 240)
		return -1;
	return (int)in_u32(in);
}

static void b_prime_h2fd(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_prime_handle *p = arg;
	uint8_t sel = in_u8(in);

	p->handle = pick_handle(s, in, fi, K_BO);
	p->flags = sel < 224 ? (sel & 1 ? DRM_CLOEXEC : 0) | (sel & 2 ? DRM_RDWR : 0) : in_u32(in);
	p->fd = -1;
}

static void b_prime_fd2h(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_prime_handle *p = arg;

	p->fd = pick_fd(s, in);
	p->flags = in_u8(in) < 240 ? 0 : in_u32(in);
}

static void b_syncobj_create(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_syncobj_create *c = arg;
	uint8_t sel = in_u8(in);

	c->flags = sel < 240 ? (sel & 1) * DRM_SYNCOBJ_CREATE_SIGNALED : in_u32(in);
}

static void b_syncobj_destroy(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_syncobj_destroy *d = arg;

	d->handle = pick_handle(s, in, fi, K_SYNCOBJ);
	d->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_syncobj_handle(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_syncobj_handle *h = arg;
	uint8_t sel = in_u8(in);

	h->handle = pick_handle(s, in, fi, K_SYNCOBJ);
	h->flags = sel < 224 ? sel % 4 : in_u32(in);
	h->fd = pick_fd(s, in);
	h->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static uint32_t pick_wait_flags(struct fz_in *in)
{
	uint8_t sel = in_u8(in);

	return sel < 240 ? sel % 8 : in_u32(in);
}

static void b_syncobj_wait(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_syncobj_wait *w = arg;
	enum fz_kind k = K_SYNCOBJ;

	w->count_handles = small_count(in);
	w->handles = make_array(s, in, fi, w->count_handles, 4, fill_handle, &k);
	w->flags = pick_wait_flags(in);
	w->timeout_nsec = pick_timeout(in);
	w->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_syncobj_timeline_wait(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_syncobj_timeline_wait *w = arg;
	enum fz_kind k = K_SYNCOBJ;

	w->count_handles = small_count(in);
	w->handles = make_array(s, in, fi, w->count_handles, 4, fill_handle, &k);
	w->points = make_array(s, in, fi, w->count_handles, 8, fill_point, NULL);
	w->flags = pick_wait_flags(in);
	w->timeout_nsec = pick_timeout(in);
	w->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_syncobj_array(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_syncobj_array *a = arg;
	enum fz_kind k = K_SYNCOBJ;

	a->count_handles = small_count(in);
	a->handles = make_array(s, in, fi, a->count_handles, 4, fill_handle, &k);
	a->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_syncobj_timeline_array(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_syncobj_timeline_array *a = arg;
	enum fz_kind k = K_SYNCOBJ;
	uint8_t sel;

	a->count_handles = small_count(in);
	a->handles = make_array(s, in, fi, a->count_handles, 4, fill_handle, &k);
	a->points = make_array(s, in, fi, a->count_handles, 8, fill_point, NULL);
	sel = in_u8(in);
	a->flags = sel < 224 ? sel % 2 : in_u32(in);
}

static void b_syncobj_transfer(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_syncobj_transfer *t = arg;

	t->src_handle = pick_handle(s, in, fi, K_SYNCOBJ);
	t->dst_handle = pick_handle(s, in, fi, K_SYNCOBJ);
	fill_point(s, in, fi, &t->src_point, NULL);
	fill_point(s, in, fi, &t->dst_point, NULL);
	/*
	 * WAIT_FOR_SUBMIT on a point nobody submits blocks for the DRM core's
	 * fixed 5 s (DRM_SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT): never asked for, or
	 * every input that reaches it would cost 5 s.
	 */
	t->flags = pick_wait_flags(in) & ~(uint32_t)DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	t->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_device_query(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_device_query *q = arg;
	uint8_t sel = in_u8(in);

	q->query = sel < 224 ? sel % 2 : in_u32(in);
	sel = in_u8(in);
	q->size = sel < 64 ? 0 : sel < 192 ? (uint32_t)sizeof(struct drm_musa_device_info) + sel % 3 * 8
				: in_u32(in) % 512;
	q->data = make_array(s, in, fi, q->size, 1, NULL, NULL);
	q->flags = in_u8(in) < 250 ? 0 : in_u32(in);
	q->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_bo_create(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_bo_create *c = arg;
	uint8_t sel = in_u8(in);

	switch (sel & 0x7) {
	case 0:
		c->size = in_u64(in);
		break;
	case 1:
		c->size = 0;
		break;
	case 2:
		c->size = (1ull << 20) * (1 + in_u8(in) % 32);
		break;
	default:
		c->size = 1 + in_u16(in) % (4 * FZ_PAGE);
		break;
	}
	c->flags = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_bo_mmap_offset(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_bo_mmap_offset *m = arg;

	m->handle = pick_handle(s, in, fi, K_BO);
	m->flags = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_bo_userptr(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_bo_userptr *u = arg;
	uint8_t sel = in_u8(in);
	unsigned int first = in_u8(in) % FZ_SCRATCH_PAGES;

	switch (sel & 0x7) {
	case 0:
		u->user_ptr = bad_ptr(in);
		u->size = in_u64(in);
		break;
	case 1:  /* read-only memory */
		u->user_ptr = (uintptr_t)ro_page;
		u->size = FZ_PAGE;
		break;
	case 2:  /* runs into the arena's guard page */
		u->user_ptr = (uintptr_t)arena + (size_t)(FZ_ARENA_PAGES - 1) * FZ_PAGE;
		u->size = 2 * FZ_PAGE;
		break;
	case 3:  /* misaligned */
		u->user_ptr = (uintptr_t)scratch + 1 + in_u8(in);
		u->size = FZ_PAGE;
		break;
	default:
		u->user_ptr = (uintptr_t)scratch + (size_t)first * FZ_PAGE;
		u->size = (uint64_t)(1 + in_u8(in) % (FZ_SCRATCH_PAGES - first)) * FZ_PAGE;
		break;
	}
	sel = in_u8(in);
	u->flags = sel < 240 ? (sel & 1) * DRM_MUSA_USERPTR_READ_ONLY : in_u32(in);
}

static void b_vm_map(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_vm_map *m = arg;

	m->handle = pick_handle(s, in, fi, K_BO);
	m->flags = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_vm_unmap(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_vm_unmap *u = arg;

	u->handle = pick_handle(s, in, fi, K_BO);
	u->va = pick_va(s, in, fi);
	u->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

/* CODE_LOAD on fuzzer-named BOs: they never hold an image (see load_trusted). */
static void b_code_load(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_code_load *c = arg;

	c->bo_handle = pick_handle(s, in, fi, K_BO);
	c->flags = in_u8(in) < 250 ? 0 : in_u32(in);
	c->size = in_u8(in) < 200 ? 1u + in_u16(in) : in_u64(in);
	c->kernel_count = small_count(in);
	c->kernels = make_array(s, in, fi, c->kernel_count, 4, NULL, NULL);
}

static void b_code_unload(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_code_unload *u = arg;

	u->module = pick_handle(s, in, fi, K_MODULE);
	u->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_queue_create(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_queue_create *q = arg;
	uint8_t sel = in_u8(in);

	q->flags = sel < 250 ? 0 : in_u32(in);
	q->priority = in_u8(in) % 4;
	q->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_queue_destroy(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_queue_destroy *d = arg;

	d->handle = pick_handle(s, in, fi, K_QUEUE);
	d->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

static void b_submit(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_submit *a = arg;
	enum fz_kind k = K_SYNCOBJ;
	uint8_t sel;

	a->queue = pick_handle(s, in, fi, K_QUEUE);
	a->flags = in_u8(in) < 250 ? 0 : in_u32(in);
	sel = in_u8(in);
	a->packet_count = sel < 240 ? 1u + sel % 6 : (sel < 248 ? 0 : in_u32(in));
	a->packet_size = in_u8(in) < 245 ? (uint32_t)sizeof(struct drm_musa_packet) : in_u32(in);
	a->packets = make_array(s, in, fi, a->packet_count, sizeof(struct drm_musa_packet),
				fill_packet, NULL);
	sel = in_u8(in);
	if (sel & 1)
		fill_handle(s, in, fi, &a->signal_syncobj, &k);
	fill_point(s, in, fi, &a->signal_point, NULL);
	a->pad = in_u8(in) < 250 ? 0 : in_u32(in);
	a->num_in_syncs = small_count(in);
	a->in_syncs = make_array(s, in, fi, a->num_in_syncs, sizeof(struct drm_musa_sync),
				 fill_sync, NULL);
	a->num_out_syncs = small_count(in);
	a->out_syncs = make_array(s, in, fi, a->num_out_syncs, sizeof(struct drm_musa_sync),
				  fill_sync, NULL);
}

static void b_ctx_query(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_ctx_query *q = arg;

	q->flags = in_u8(in) < 250 ? 0 : in_u32(in);
	q->pad = in_u8(in) < 250 ? 0 : in_u32(in);
}

/* Mostly known keys with small indices, sometimes any word. */
static void b_get_param(struct fz_state *s, struct fz_in *in, int fi, void *arg)
{
	struct drm_musa_get_param *g = arg;
	uint8_t sel = in_u8(in);

	g->param = sel < 240 ? sel % (DRM_MUSA_PARAM_COUNT + 1) : in_u32(in);
	sel = in_u8(in);
	g->index = sel < 240 ? sel % (DRM_MUSA_PARAM_NAME_WORDS + 1) : in_u32(in);
	g->value = in_u64(in);
}

/* Results: what later steps can name */

typedef void (*fz_record_fn)(struct fz_state *s, int fi, const void *arg);

static void push_handle(struct fz_state *s, int fi, enum fz_kind k, uint32_t h)
{
	ring_push(&s->f[fi].h[k], h, 0);
}

static void keep_fd(struct fz_state *s, int fd)
{
	if (fd < 0)
		die("ioctl succeeded with a negative fd");
	if (s->nprime == sizeof(s->prime_fds) / sizeof(s->prime_fds[0])) {
		close(fd);
		return;
	}
	s->prime_fds[s->nprime++] = fd;
}

static void r_prime_h2fd(struct fz_state *s, int fi, const void *arg)
{
	keep_fd(s, ((const struct drm_prime_handle *)arg)->fd);
}

static void r_prime_fd2h(struct fz_state *s, int fi, const void *arg)
{
	push_handle(s, fi, K_BO, ((const struct drm_prime_handle *)arg)->handle);
}

static void r_syncobj_create(struct fz_state *s, int fi, const void *arg)
{
	push_handle(s, fi, K_SYNCOBJ, ((const struct drm_syncobj_create *)arg)->handle);
}

static void r_syncobj_h2fd(struct fz_state *s, int fi, const void *arg)
{
	const struct drm_syncobj_handle *h = arg;

	/* EXPORT_SYNC_FILE or not, success hands out an fd. */
	keep_fd(s, h->fd);
}

static void r_syncobj_fd2h(struct fz_state *s, int fi, const void *arg)
{
	push_handle(s, fi, K_SYNCOBJ, ((const struct drm_syncobj_handle *)arg)->handle);
}

static void r_bo_create(struct fz_state *s, int fi, const void *arg)
{
	push_handle(s, fi, K_BO, ((const struct drm_musa_bo_create *)arg)->handle);
}

static void r_bo_userptr(struct fz_state *s, int fi, const void *arg)
{
	push_handle(s, fi, K_BO, ((const struct drm_musa_bo_userptr *)arg)->handle);
}

static void r_bo_mmap_offset(struct fz_state *s, int fi, const void *arg)
{
	ring_push(&s->f[fi].mmap_off, ((const struct drm_musa_bo_mmap_offset *)arg)->offset,
		  FZ_PAGE);
}

static void r_vm_map(struct fz_state *s, int fi, const void *arg)
{
	const struct drm_musa_vm_map *m = arg;

	/* The BO's size is not known here: a page is inside every BO. */
	ring_push(&s->f[fi].va, m->va, FZ_PAGE);
}

static void r_queue_create(struct fz_state *s, int fi, const void *arg)
{
	push_handle(s, fi, K_QUEUE, ((const struct drm_musa_queue_create *)arg)->handle);
}

static void r_code_load(struct fz_state *s, int fi, const void *arg)
{
	const struct drm_musa_code_load *c = arg;

	if (c->module)
		push_handle(s, fi, K_MODULE, c->module);
}

/* The table */

struct fz_ioctl {
	unsigned long request;
	fz_build_fn build;
	fz_record_fn record;
	/* Hands out an fd: a shorter or write-only struct would lose it (a real
	 * kernel leaks it the same way), so only a longer one is tried. */
	bool returns_fd;
};

/*
 * Every ioctl the driver serves or will serve, plus generic DRM numbers it
 * does not serve (the DRM core's answer is EINVAL).
 */
static const struct fz_ioctl fz_ioctls[] = {
	{ DRM_IOCTL_VERSION, b_version, NULL, false },
	{ DRM_IOCTL_GET_CAP, b_get_cap, NULL, false },
	{ DRM_IOCTL_GEM_CLOSE, b_gem_close, NULL, false },
	{ DRM_IOCTL_PRIME_HANDLE_TO_FD, b_prime_h2fd, r_prime_h2fd, true },
	{ DRM_IOCTL_PRIME_FD_TO_HANDLE, b_prime_fd2h, r_prime_fd2h, false },
	{ DRM_IOCTL_SYNCOBJ_CREATE, b_syncobj_create, r_syncobj_create, false },
	{ DRM_IOCTL_SYNCOBJ_DESTROY, b_syncobj_destroy, NULL, false },
	{ DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, b_syncobj_handle, r_syncobj_h2fd, true },
	{ DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, b_syncobj_handle, r_syncobj_fd2h, false },
	{ DRM_IOCTL_SYNCOBJ_WAIT, b_syncobj_wait, NULL, false },
	{ DRM_IOCTL_SYNCOBJ_RESET, b_syncobj_array, NULL, false },
	{ DRM_IOCTL_SYNCOBJ_SIGNAL, b_syncobj_array, NULL, false },
	{ DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, b_syncobj_timeline_wait, NULL, false },
	{ DRM_IOCTL_SYNCOBJ_QUERY, b_syncobj_timeline_array, NULL, false },
	{ DRM_IOCTL_SYNCOBJ_TRANSFER, b_syncobj_transfer, NULL, false },
	{ DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, b_syncobj_timeline_array, NULL, false },
	{ DRM_IOCTL_MUSA_DEVICE_QUERY, b_device_query, NULL, false },
	{ DRM_IOCTL_MUSA_BO_CREATE, b_bo_create, r_bo_create, false },
	{ DRM_IOCTL_MUSA_BO_MMAP_OFFSET, b_bo_mmap_offset, r_bo_mmap_offset, false },
	{ DRM_IOCTL_MUSA_BO_USERPTR, b_bo_userptr, r_bo_userptr, false },
	{ DRM_IOCTL_MUSA_VM_MAP, b_vm_map, r_vm_map, false },
	{ DRM_IOCTL_MUSA_VM_UNMAP, b_vm_unmap, NULL, false },
	{ DRM_IOCTL_MUSA_CODE_LOAD, b_code_load, r_code_load, false },
	{ DRM_IOCTL_MUSA_CODE_UNLOAD, b_code_unload, NULL, false },
	{ DRM_IOCTL_MUSA_QUEUE_CREATE, b_queue_create, r_queue_create, false },
	{ DRM_IOCTL_MUSA_QUEUE_DESTROY, b_queue_destroy, NULL, false },
	{ DRM_IOCTL_MUSA_SUBMIT, b_submit, NULL, false },
	{ DRM_IOCTL_MUSA_CTX_QUERY, b_ctx_query, NULL, false },
	{ DRM_IOCTL_MUSA_GET_PARAM, b_get_param, NULL, false },
	/* served by the DRM core of a real kernel, not by this driver */
	{ DRM_IOCTL_GET_UNIQUE, NULL, NULL, false },
	{ DRM_IOCTL_SET_VERSION, NULL, NULL, false },
	{ DRM_IOCTL_GEM_FLINK, NULL, NULL, false },
	{ DRM_IOCTL_GEM_OPEN, NULL, NULL, false },
	{ DRM_IOCTL_SET_CLIENT_CAP, NULL, NULL, false },
	{ DRM_IOCTL_MODE_CREATE_DUMB, NULL, NULL, false },
	{ DRM_IOCTL_MODE_GETRESOURCES, NULL, NULL, false },
};

#define FZ_NIOCTLS (sizeof(fz_ioctls) / sizeof(fz_ioctls[0]))

/* Errnos a failing ioctl may report; anything else is a driver bug. */
static bool errno_allowed(int e)
{
	static const int ok[] = {
		EINVAL, ENOENT, EFAULT, ENOMEM, ETIME, ENOTTY, EBADF, ENOSPC, ENOEXEC,
		EPERM, EBUSY, EAGAIN, EMFILE, EOPNOTSUPP, E2BIG, EOVERFLOW, EACCES,
		ENODEV, EIO, EDEADLK, ECANCELED, ETIMEDOUT,
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (ok[i] == e)
			return true;
	return false;
}

static int checked_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	errno = 0;
	ret = musa_kmd_ioctl(fd, request, arg);
	if (ret != 0 && ret != -1)
		die("musa_kmd_ioctl returned neither 0 nor -1");
	if (ret == -1 && !errno_allowed(errno)) {
		fprintf(stderr, "fuzz_ioctl: request 0x%lx failed with errno %d\n", request, errno);
		die("unexpected errno");
	}
	return ret;
}

/* A request number that differs from the canonical one in size or direction. */
static unsigned long vary_request(struct fz_in *in, unsigned long req, bool grow_only,
				  size_t *usize)
{
	uint8_t sel = in_u8(in);
	unsigned long dir = _IOC_DIR(req), size = _IOC_SIZE(req);

	if (grow_only && (sel & 0xf) != 1)
		sel = 0xf;
	switch (sel & 0xf) {
	case 0:  /* an older, shorter struct: zero-extended */
		size = size ? size - 1 - in_u8(in) % size : 0;
		break;
	case 1:  /* a newer, longer struct: extra bytes must be zero */
		size += 8 * (1 + in_u8(in) % 8);
		break;
	case 2:
		dir ^= 1u + in_u8(in) % 3;
		break;
	default:
		*usize = size;
		return req;
	}
	*usize = size;
	return _IOC(dir, _IOC_TYPE(req), _IOC_NR(req), size);
}

static int step_fd(struct fz_state *s, struct fz_in *in, int *fi)
{
	uint8_t sel = in_u8(in);

	*fi = sel & 1;
	if (sel < 250)
		return s->f[*fi].fd;
	/* fds that are not devices: EBADF */
	return sel & 2 ? -1 : 0;
}

static void op_ioctl(struct fz_state *s, struct fz_in *in)
{
	unsigned char argbuf[512] __attribute__((aligned(8)));
	uint8_t sel = in_u8(in);
	const struct fz_ioctl *d = NULL;
	unsigned long req;
	size_t usize;
	void *argp = argbuf;
	int fi, fd = step_fd(s, in, &fi);

	memset(argbuf, 0, sizeof(argbuf));
	if (sel < 240) {
		d = &fz_ioctls[sel % FZ_NIOCTLS];
		req = d->request;
		in_bytes(in, argbuf, _IOC_SIZE(req));
		if (d->build)
			d->build(s, in, fi, argbuf);
		req = vary_request(in, req, d->returns_fd, &usize);
		if (usize > _IOC_SIZE(d->request) && in_u8(in) >= 224)
			argbuf[usize - 1] = in_u8(in) | 1;
	} else {
		/* any number: another ioctl type, an unserved nr, an odd size */
		uint8_t t = in_u8(in);
		unsigned long type = t < 128 ? DRM_IOCTL_BASE : in_u8(in);
		unsigned long dir = in_u8(in) % 4, nr = in_u8(in);

		usize = in_u16(in) % sizeof(argbuf);
		req = _IOC(dir, type, nr, usize);
		in_bytes(in, argbuf, usize);
		/* A served number still gets its pointers from the builder. */
		for (size_t i = 0; type == DRM_IOCTL_BASE && i < FZ_NIOCTLS; i++)
			if (_IOC_NR(fz_ioctls[i].request) == nr && fz_ioctls[i].build)
				fz_ioctls[i].build(s, in, fi, argbuf);
	}
	switch (in_u8(in)) {
	case 250:
		argp = NULL;
		break;
	case 251:
		argp = arena + (size_t)FZ_ARENA_PAGES * FZ_PAGE;
		break;
	case 252:  /* readable but not writable: an _IOR copy-out must fail */
		argp = ro_page;
		break;
	default:
		break;
	}
	/* Outputs the caller saw: a struct at least as long as the driver's. */
	if (checked_ioctl(fd, req, argp) == 0 && d && d->record && argp == argbuf &&
	    fd == s->f[fi].fd && (_IOC_DIR(req) & _IOC_READ) &&
	    _IOC_SIZE(req) >= _IOC_SIZE(d->request))
		d->record(s, fi, argbuf);
}

/* mmap of a BO through an offset BO_MMAP_OFFSET returned (or a wrong one). */
static void op_mmap(struct fz_state *s, struct fz_in *in)
{
	uint8_t sel = in_u8(in);
	int fi = sel & 1;
	const struct fz_ring *r = &s->f[fi].mmap_off;
	unsigned int n = ring_len(r);
	uint64_t off = n ? r->v[(sel >> 1) % n] : in_u64(in);
	size_t len;
	int prot = (sel & 0x40) ? PROT_READ : PROT_READ | PROT_WRITE;
	volatile uint8_t *p;

	switch (in_u8(in) & 0x3) {
	case 0:
		off += (uint64_t)(in_u8(in) % 4) * FZ_PAGE;
		break;
	case 1:
		off = in_u64(in);
		break;
	default:
		break;
	}
	len = in_u8(in) < 200 ? FZ_PAGE * (1 + in_u8(in) % 4) : (size_t)in_u64(in) % (1u << 30);
	p = musa_kmd_mmap(NULL, len, prot, (sel & 0x80) ? MAP_PRIVATE : MAP_SHARED,
			  s->f[fi].fd, (off_t)off);
	if (p == MAP_FAILED)
		return;
	(void)p[0];  /* reading is safe; fuzzed bytes are never written to a BO */
	munmap((void *)p, len);
}

/* Closes a device fd with whatever it still owns and opens the device again. */
static void op_reopen(struct fz_state *s, struct fz_in *in)
{
	uint8_t sel = in_u8(in);
	struct fz_fd *f = &s->f[sel & 1];

	if (musa_kmd_close(f->fd))
		die("close of a device fd failed");
	f->dev = (sel >> 1) & 1;
	f->fd = musa_kmd_open(f->dev, (sel & 4) ? O_CLOEXEC : 0);
	if (f->fd < 0)
		die("reopen failed");
	memset(f->h, 0, sizeof(f->h));
	memset(&f->va, 0, sizeof(f->va));
	memset(&f->mmap_off, 0, sizeof(f->mmap_off));
}

/*
 * The only path to a successful CODE_LOAD: a fresh BO gets the trusted
 * image through the harness's own CPU mapping, is loaded at once (so no
 * packet can have modified it) and closed again. The fuzzer picks the
 * image size (truncations fail validation), the two-call kernel count and
 * the kernels pointer.
 */
static void op_load_trusted_on(struct fz_state *s, struct fz_in *in, int fi)
{
	uint8_t sel = in_u8(in);
	int fd = s->f[fi].fd;
	struct drm_musa_bo_create bc = { .size = trusted_size };
	struct drm_musa_bo_mmap_offset mo = { 0 };
	struct drm_musa_code_load cl = { 0 };
	struct drm_gem_close gc = { 0 };
	void *p;

	if (checked_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &bc))
		return;
	mo.handle = bc.handle;
	if (checked_ioctl(fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &mo))
		goto out;
	p = musa_kmd_mmap(NULL, trusted_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			  (off_t)mo.offset);
	if (p == MAP_FAILED)
		die("mmap of a fresh BO failed");
	memcpy(p, trusted_image, trusted_size);
	munmap(p, trusted_size);

	cl.bo_handle = bc.handle;
	cl.size = (sel & 0x6) ? trusted_size : in_u16(in) % trusted_size;
	sel = in_u8(in);
	cl.kernel_count = sel < 32 ? 0 : sel < 224 ? 4u + sel % 3 : in_u32(in);
	cl.kernels = make_array(s, in, fi, cl.kernel_count, 4, NULL, NULL);
	if (checked_ioctl(fd, DRM_IOCTL_MUSA_CODE_LOAD, &cl) == 0 && cl.module) {
		const uint32_t *k = (const uint32_t *)(uintptr_t)cl.kernels;
		uintptr_t end = (uintptr_t)arena + (size_t)FZ_ARENA_PAGES * FZ_PAGE;

		push_handle(s, fi, K_MODULE, cl.module);
		if (cl.kernel_count != 4)
			die("CODE_LOAD reported a kernel count the image does not have");
		if ((uintptr_t)k >= (uintptr_t)arena && (uintptr_t)(k + 4) <= end)
			for (uint32_t i = 0; i < cl.kernel_count; i++)
				push_handle(s, fi, K_KERNEL, k[i]);
	}
out:
	gc.handle = bc.handle;
	if (checked_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc))
		die("GEM_CLOSE of a fresh BO failed");
}

static void op_load_trusted(struct fz_state *s, struct fz_in *in)
{
	op_load_trusted_on(s, in, in_u8(in) & 1);
}

/*
 * Objects an input may start with (one bit each of its first byte), so
 * that short inputs already reach SUBMIT with valid packets: a queue, two
 * syncobjs (one signalled), a 64 KiB BO mapped on the device, a mapped
 * userptr BO of scratch memory, and the trusted code object.
 */
static void prologue(struct fz_state *s, struct fz_in *in, int fi)
{
	uint8_t bits = in_u8(in);
	int fd = s->f[fi].fd;

	if (bits & 1) {
		struct drm_musa_queue_create q = { 0 };

		if (checked_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q))
			die("prologue: QUEUE_CREATE failed");
		push_handle(s, fi, K_QUEUE, q.handle);
	}
	if (bits & 2) {
		for (uint32_t flags = 0; flags < 2; flags++) {
			struct drm_syncobj_create c = { .flags = flags };

			if (checked_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c))
				die("prologue: SYNCOBJ_CREATE failed");
			push_handle(s, fi, K_SYNCOBJ, c.handle);
		}
	}
	if (bits & 4) {
		struct drm_musa_bo_create c = { .size = 16 * FZ_PAGE };
		struct drm_musa_vm_map m = { 0 };

		if (checked_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &c))
			die("prologue: BO_CREATE failed");
		push_handle(s, fi, K_BO, c.handle);
		m.handle = c.handle;
		if (checked_ioctl(fd, DRM_IOCTL_MUSA_VM_MAP, &m))
			die("prologue: VM_MAP failed");
		ring_push(&s->f[fi].va, m.va, c.size);
	}
	if (bits & 8) {
		struct drm_musa_bo_userptr u = {
			.user_ptr = (uintptr_t)scratch,
			.size = (size_t)FZ_SCRATCH_PAGES * FZ_PAGE,
		};
		struct drm_musa_vm_map m = { 0 };

		if (checked_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u))
			die("prologue: BO_USERPTR failed");
		push_handle(s, fi, K_BO, u.handle);
		m.handle = u.handle;
		if (checked_ioctl(fd, DRM_IOCTL_MUSA_VM_MAP, &m))
			die("prologue: VM_MAP of a userptr BO failed");
		ring_push(&s->f[fi].va, m.va, u.size);
	}
	if (bits & 16) {
		static const uint8_t load_all[] = { 0xff, 200, 0x00 };
		struct fz_in fixed = { load_all, sizeof(load_all) };
		unsigned int before = s->f[fi].h[K_KERNEL].n;

		op_load_trusted_on(s, &fixed, fi);
		if (s->f[fi].h[K_KERNEL].n != before + 4)
			die("prologue: loading the trusted code object failed");
	}
}

typedef void (*fz_op_fn)(struct fz_state *s, struct fz_in *in);

/* Operation mix: mostly ioctls. */
static const fz_op_fn fz_ops[16] = {
	op_ioctl, op_ioctl, op_ioctl, op_ioctl, op_ioctl, op_ioctl, op_ioctl, op_ioctl,
	op_ioctl, op_ioctl, op_ioctl, op_ioctl, op_mmap, op_reopen, op_load_trusted,
	op_load_trusted,
};

/* Leak checks */

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		die("cannot read /proc/self/fd");
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* After every fd is closed, no BO may still be charged to a device. */
static void check_memory_released(void)
{
	for (unsigned int i = 0; i < 2; i++) {
		struct drm_musa_device_info info;
		struct drm_musa_device_query q = {
			.query = DRM_MUSA_QUERY_DEVICE_INFO,
			.size = sizeof(info),
			.data = (uintptr_t)&info,
		};
		int fd = musa_kmd_open(i, O_CLOEXEC);

		if (fd < 0)
			die("open failed");
		if (musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q))
			die("DEVICE_QUERY failed");
		musa_kmd_close(fd);
		if (info.memory_used) {
			fprintf(stderr, "fuzz_ioctl: device %u: %llu bytes still charged\n", i,
				(unsigned long long)info.memory_used);
			die("device memory leaked past close");
		}
	}
}

/* LibFuzzer entry points */

static void *map_or_die(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *fp;
	long len;
	int fd;
	struct drm_musa_device_query q = { .query = DRM_MUSA_QUERY_DEVICE_INFO };

	setenv("MUSA_SWDEV", FZ_SWDEV, 1);
	arena = map_or_die((size_t)(FZ_ARENA_PAGES + 1) * FZ_PAGE, PROT_READ | PROT_WRITE);
	mprotect(arena + (size_t)FZ_ARENA_PAGES * FZ_PAGE, FZ_PAGE, PROT_NONE);
	ro_page = map_or_die(FZ_PAGE, PROT_READ);
	scratch = map_or_die((size_t)FZ_SCRATCH_PAGES * FZ_PAGE, PROT_READ | PROT_WRITE);

	fp = fopen(FUZZ_KERNELS_SO, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) || (len = ftell(fp)) <= 0 || fseek(fp, 0, SEEK_SET))
		die("cannot read " FUZZ_KERNELS_SO);
	trusted_size = (size_t)len;
	trusted_image = malloc(trusted_size);
	if (!trusted_image || fread(trusted_image, 1, trusted_size, fp) != trusted_size)
		die("cannot read " FUZZ_KERNELS_SO);
	fclose(fp);

	fd = musa_kmd_open(0, O_CLOEXEC);
	q.size = sizeof(dev_info);
	q.data = (uintptr_t)&dev_info;
	if (fd < 0 || musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q))
		die("device 0 does not answer DEVICE_QUERY");
	musa_kmd_close(fd);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct fz_state s;
	int fds_before = count_fds();

	memset(&s, 0, sizeof(s));
	memset(arena, 0, (size_t)FZ_ARENA_PAGES * FZ_PAGE);
	memset(scratch, 0, (size_t)FZ_SCRATCH_PAGES * FZ_PAGE);
	s.f[0].dev = 0;
	s.f[1].dev = in_u8(&in) & 1;
	for (int i = 0; i < 2; i++) {
		s.f[i].fd = musa_kmd_open(s.f[i].dev, O_CLOEXEC);
		if (s.f[i].fd < 0)
			die("open failed");
	}
	prologue(&s, &in, 0);
	for (int step = 0; step < FZ_MAX_STEPS && in.n; step++) {
		s.arena_used = 0;
		fz_ops[in_u8(&in) % 16](&s, &in);
	}
	for (int i = 0; i < 2; i++)
		if (musa_kmd_close(s.f[i].fd))
			die("close of a device fd failed");
	for (unsigned int i = 0; i < s.nprime; i++)
		close(s.prime_fds[i]);
	if (count_fds() != fds_before)
		die("an fd outlived its input (leaked by the driver?)");
	check_memory_released();
	return 0;
}
