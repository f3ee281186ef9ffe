/* SPDX-License-Identifier: MIT */
/*
 * fixed_time.c - preloaded by tools/port-check.sh into a program and into
 * its reference when both seed rand() with time(NULL) (Rodinia lavaMD), so
 * the two draw the same inputs. time() returns one fixed instant; nothing
 * else changes. May call: nothing.
 */
#include <time.h>

time_t time(time_t *t)
{
	const time_t fixed = 1000000000;

	if (t)
		*t = fixed;
	return fixed;
}
