/* SPDX-License-Identifier: MIT */
/*
 * cpu.c - __musa_cpu_level(): the x86-64 ISA level (psABI "x86-64-v2" ..
 * "v4") of the CPU, which mcc's loop clones dispatch on (gen_loop.c).
 *
 * Asked with CPUID and XGETBV at the first call, not with gcc's
 * __builtin_cpu_supports: that brings libgcc's cpuinfo and its start-up
 * constructor into the code object, and a code object carries no code the
 * loader runs (docs/uapi.md, "The code-object trust boundary").
 */
#include "devrt.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

int __musa_cpu_level(void) DEVRT_HIDDEN;

#if defined(__x86_64__)
static int cpu_level_probe(void)
{
	const unsigned v2_c1 = bit_SSE3 | bit_SSSE3 | bit_CMPXCHG16B | bit_SSE4_1 | bit_SSE4_2 |
			       bit_POPCNT;
	const unsigned v3_c1 = bit_FMA | bit_MOVBE | bit_XSAVE | bit_OSXSAVE | bit_AVX | bit_F16C;
	const unsigned v3_b7 = bit_BMI | bit_AVX2 | bit_BMI2;
	const unsigned v4_b7 = bit_AVX512F | bit_AVX512DQ | bit_AVX512CD | bit_AVX512BW |
			       bit_AVX512VL;
	unsigned a, b, c1, d, b7 = 0, cx = 0, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c1, &d) || (c1 & v2_c1) != v2_c1)
		return 1;
	if (__get_cpuid(0x80000001u, &a, &b, &cx, &d) == 0 || !(cx & bit_LAHF_LM))
		return 1;
	if ((c1 & v3_c1) != v3_c1 || !(cx & bit_ABM))
		return 2;
	if (__get_cpuid_count(7, 0, &a, &b7, &c1, &d) == 0 || (b7 & v3_b7) != v3_b7)
		return 2;
	/* the OS saves the YMM state (XCR0 bits 1, 2) */
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	(void)hi;
	if ((lo & 0x6) != 0x6)
		return 2;
	/* ...and the opmask and ZMM state (bits 5..7) */
	if ((b7 & v4_b7) != v4_b7 || (lo & 0xe0) != 0xe0)
		return 3;
	return 4;
}
#else
static int cpu_level_probe(void)
{
	return 1;
}
#endif

int __musa_cpu_level(void)
{
	static int level;  /* 0: not asked yet */
	int l = __atomic_load_n(&level, __ATOMIC_RELAXED);

	if (!l) {
		l = cpu_level_probe();
		__atomic_store_n(&level, l, __ATOMIC_RELAXED);
	}
	return l;
}
