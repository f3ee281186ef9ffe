/* SPDX-License-Identifier: MIT */
/*
 * mem_peer.c - peer access between contexts of different devices
 * (muDeviceCanAccessPeer, muCtxEnablePeerAccess, muCtxDisablePeerAccess)
 * and copies between contexts (muMemcpyPeer, muMemcpyPeerAsync).
 *
 * Every device's memory is host memory of this process, so kernels of one
 * device can already read another's; enabling peer access is bookkeeping
 * that gives CUDA's errors. A peer copy runs on the current context's
 * stream; the copy engine reaches the other context's memory through a
 * transient userptr BO (copy.c), so it completes before the call returns.
 * May call: copy.c, memory.c, handle.c, context.c.
 */
#include <stdlib.h>

#include "musa_log.h"
#include "umd.h"

struct umd_peer_link {
	struct umd_peer_link *next;
	MUcontext ctx, peer;
};

static pthread_mutex_t umd_peer_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_peer_link *umd_peers;

/* The link slot of (ctx, peer), or the list's end. Lock held. */
static struct umd_peer_link **umd_peer_slot(MUcontext ctx, MUcontext peer)
{
	struct umd_peer_link **pp;

	for (pp = &umd_peers; *pp; pp = &(*pp)->next)
		if ((*pp)->ctx == ctx && (*pp)->peer == peer)
			break;
	return pp;
}

void umd_peer_forget_ctx(MUcontext ctx)
{
	struct umd_peer_link **pp, *l;

	pthread_mutex_lock(&umd_peer_lock);
	for (pp = &umd_peers; (l = *pp);) {
		if (l->ctx == ctx || l->peer == ctx) {
			*pp = l->next;
			free(l);
		} else {
			pp = &l->next;
		}
	}
	pthread_mutex_unlock(&umd_peer_lock);
}

UMD_API MUresult muDeviceCanAccessPeer(int *canAccessPeer, MUdevice dev, MUdevice peerDev)
{
	struct umd_dev *d;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!canAccessPeer, MUSA_ERROR_INVALID_VALUE);
	r = umd_dev_get(dev, &d);
	if (!r)
		r = umd_dev_get(peerDev, &d);
	if (r)
		return r;
	*canAccessPeer = dev != peerDev;
	return MUSA_SUCCESS;
}

/* Checks a peer context (held for the check) against the current one. */
static MUresult umd_peer_check_in(MUcontext ctx, MUcontext peer)
{
	MUcontext held = peer ? umd_ctx_lookup(peer) : NULL;
	MUresult r = MUSA_SUCCESS;

	CHECK(!held, MUSA_ERROR_INVALID_CONTEXT);
	if (held->ordinal == ctx->ordinal)
		r = MUSA_ERROR_INVALID_DEVICE;
	umd_ctx_put(held);
	return r;
}

/* Enters the current context (*ctx, held on success) and checks a peer. */
static MUresult umd_peer_check(MUcontext peer, MUcontext *ctx)
{
	MUresult r = umd_ctx_enter(ctx);

	if (r)
		return r;
	r = umd_peer_check_in(*ctx, peer);
	if (r)
		umd_ctx_put(*ctx);
	return r;
}

UMD_API MUresult muCtxEnablePeerAccess(MUcontext peerContext, unsigned int Flags)
{
	struct umd_peer_link **pp, *l;
	MUcontext ctx;
	MUresult r = umd_peer_check(peerContext, &ctx);

	if (r)
		return r;
	/* Both contexts are only keys of the link from here on. */
	umd_ctx_put(ctx);
	CHECK(Flags, MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_peer_lock);
	pp = umd_peer_slot(ctx, peerContext);
	if (*pp) {
		r = MUSA_ERROR_PEER_ACCESS_ALREADY_ENABLED;
	} else if (!(l = calloc(1, sizeof(*l)))) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
	} else {
		l->ctx = ctx;
		l->peer = peerContext;
		*pp = l;
	}
	pthread_mutex_unlock(&umd_peer_lock);
	return r;
}

UMD_API MUresult muCtxDisablePeerAccess(MUcontext peerContext)
{
	struct umd_peer_link **pp, *l;
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	if (r)
		return r;
	/* Both contexts are only keys of the link from here on. */
	umd_ctx_put(ctx);
	CHECK(!peerContext || !umd_handle_valid(peerContext, UMD_H_CTX),
	      MUSA_ERROR_INVALID_CONTEXT);
	pthread_mutex_lock(&umd_peer_lock);
	pp = umd_peer_slot(ctx, peerContext);
	if ((l = *pp)) {
		*pp = l->next;
		free(l);
	} else {
		r = MUSA_ERROR_PEER_ACCESS_NOT_ENABLED;
	}
	pthread_mutex_unlock(&umd_peer_lock);
	return r;
}

static MUresult umd_copy_peer_on(MUcontext ctx, struct MUstream_st *st, MUdeviceptr dst,
				 MUcontext dctx, MUdeviceptr src, MUcontext sctx, size_t n,
				 int sync)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_COPY };
	struct umd_range rg[2] = { 0 };
	struct umd_mem_info mi;
	MUresult r;

	CHECK(!dctx || !sctx || !umd_handle_valid(dctx, UMD_H_CTX) ||
	      !umd_handle_valid(sctx, UMD_H_CTX),
	      MUSA_ERROR_INVALID_CONTEXT);
	if (!n)
		return MUSA_SUCCESS;
	CHECK(umd_mem_lookup(dst, n, &mi) || mi.kind == UMD_MEM_HOST || mi.ctx != dctx ||
	      umd_mem_lookup(src, n, &mi) || mi.kind == UMD_MEM_HOST || mi.ctx != sctx,
	      MUSA_ERROR_INVALID_VALUE);
	r = umd_range_get(ctx, src, n, UMD_SIDE_DEVICE, 1, &rg[0]);
	if (r)
		return r;
	r = umd_range_get(ctx, dst, n, UMD_SIDE_DEVICE, 0, &rg[1]);
	if (r) {
		umd_range_put(ctx, &rg[0]);
		return r;
	}
	p.copy.src = rg[0].addr;
	p.copy.dst = rg[1].addr;
	p.copy.width = n;
	p.copy.height = 1;
	p.copy.src_pitch = n;
	p.copy.dst_pitch = n;
	return umd_op_finish(ctx, st, &p, 1, sync, rg, 2);
}

static MUresult umd_copy_peer(MUdeviceptr dst, MUcontext dctx, MUdeviceptr src, MUcontext sctx,
			      size_t n, MUstream h, int sync)
{
	struct MUstream_st *st;
	MUcontext ctx;
	MUresult r = umd_op_begin(h, &ctx, &st);

	if (r)
		return r;
	r = umd_copy_peer_on(ctx, st, dst, dctx, src, sctx, n, sync);
	umd_stream_put(st);
	return r;
}

UMD_API MUresult muMemcpyPeer(MUdeviceptr dstDevice, MUcontext dstContext, MUdeviceptr srcDevice,
			      MUcontext srcContext, size_t ByteCount)
{
	return umd_copy_peer(dstDevice, dstContext, srcDevice, srcContext, ByteCount, NULL, 1);
}

UMD_API MUresult muMemcpyPeerAsync(MUdeviceptr dstDevice, MUcontext dstContext,
				   MUdeviceptr srcDevice, MUcontext srcContext, size_t ByteCount,
				   MUstream hStream)
{
	return umd_copy_peer(dstDevice, dstContext, srcDevice, srcContext, ByteCount, hStream, 0);
}
