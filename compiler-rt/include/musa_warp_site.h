/* SPDX-License-Identifier: MIT */
/*
 * musa_warp_site.h - a warp operation of a kernel that mcc runs as loops
 * (fission, docs/design.md "Warp operations as regions"). Each warp call
 * of such a kernel has one of these on the group's stack. The thread loop
 * before the call's statement runs the call once per thread in deposit
 * mode: the lane's value, mask, lane argument and width go into the site,
 * stamped with the site's epoch. The statement's own loop then runs the
 * call again in result mode, and the device runtime answers it from the
 * deposits as the fiber scheduler would from waiting fibers: a lane with
 * no deposit of this epoch (past the block, predicated off, returned)
 * takes no part.
 */
#ifndef MUSA_WARP_SITE_H
#define MUSA_WARP_SITE_H

#define __MUSA_WSITE_MAX 1024   /* threads in a group */

struct __musa_wsite {
	unsigned t;             /* the calling thread's linear index */
	unsigned epoch;         /* this execution of the call; stamps equal to it are deposits */
	unsigned put;           /* 1: deposit mode, 0: result mode */
	unsigned warp_size;     /* the image's warpSize */
	unsigned n;             /* threads in the group */
	unsigned stamp[__MUSA_WSITE_MAX];
	unsigned mask[__MUSA_WSITE_MAX];
	int arg[__MUSA_WSITE_MAX];
	int width[__MUSA_WSITE_MAX];
	unsigned long long val[__MUSA_WSITE_MAX];
};

#endif /* MUSA_WARP_SITE_H */
