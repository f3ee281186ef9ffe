/* SPDX-License-Identifier: MIT */
/*
 * port_test.h - shared by the porting-target rewrites (tests/ports/): the
 * Check boilerplate and device-buffer helpers of the device-language tests,
 * plus a deterministic generator so every test builds its own input.
 */
#ifndef PORT_TEST_H
#define PORT_TEST_H

#include "../device/dev_test.h"

/* A small LCG: the inputs are the same on every run and every host. */
static inline unsigned port_rand(unsigned *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

#endif /* PORT_TEST_H */
