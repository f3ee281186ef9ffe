/* SPDX-License-Identifier: MIT */
/*
 * san.h - which sanitizer a test program was built with.
 *
 * UNDER_TSAN: ThreadSanitizer delivers an asynchronous signal only when the
 * thread next calls an intercepted function, which a spinning kernel never
 * does (the watchdog's signal never lands), and it keeps counting a handler
 * left by siglongjmp from a fiber that overflowed onto the alternate signal
 * stack as running (every later malloc is reported). The fault tests leave
 * those two cases out under it; every other fault escape runs there.
 */
#ifndef TESTS_COMMON_SAN_H
#define TESTS_COMMON_SAN_H

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

#endif
