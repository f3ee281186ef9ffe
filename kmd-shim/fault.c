/* SPDX-License-Identifier: MIT */
/*
 * fault.c - the context status of an fd: the first fault of its work is
 * recorded (kind and address) and the context stays guilty until the fd is
 * closed; CTX_QUERY reports it. Calls nothing else of the shim.
 */
#include <errno.h>

#include "kmd.h"

void kmd_fault_record(struct kmd_file *f, uint32_t kind, uint64_t address)
{
	pthread_mutex_lock(&f->fault_lock);
	if (f->fault_kind == DRM_MUSA_FAULT_NONE) {
		f->fault_kind = kind;
		f->fault_address = address;
		kmd_log("fd %d: fault kind %u at 0x%llx", f->fd, kind,
			(unsigned long long)address);
	}
	pthread_mutex_unlock(&f->fault_lock);
}

bool kmd_fault_active(struct kmd_file *f)
{
	bool faulted;

	pthread_mutex_lock(&f->fault_lock);
	faulted = f->fault_kind != DRM_MUSA_FAULT_NONE;
	pthread_mutex_unlock(&f->fault_lock);
	return faulted;
}

int kmd_ioctl_ctx_query(struct kmd_file *f, void *data)
{
	struct drm_musa_ctx_query *a = data;

	if (a->flags || a->pad)
		return -EINVAL;
	pthread_mutex_lock(&f->fault_lock);
	a->fault_kind = f->fault_kind;
	a->fault_address = f->fault_address;
	a->status = f->fault_kind ? DRM_MUSA_CTX_STATUS_GUILTY : DRM_MUSA_CTX_STATUS_OK;
	pthread_mutex_unlock(&f->fault_lock);
	return 0;
}
