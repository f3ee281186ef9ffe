/* SPDX-License-Identifier: MIT */
/*
 * crt.c - what a code object needs in place of the C start files.
 *
 * Code objects are linked without crti/crtn/crtbeginS/crtendS
 * (-nostartfiles): those would give the image DT_INIT, DT_FINI and
 * .init_array/.fini_array entries, code the loader runs, which the KMD
 * refuses (docs/uapi.md, "The code-object trust boundary"). What the
 * start files provided and device code may still reference:
 *
 *  - __dso_handle, the identity of this object for __cxa_atexit and
 *    __cxa_thread_atexit_impl (thread_local destructors, the fiber stack
 *    pool): glibc finds the object that contains the address. Weak, so a
 *    link that does bring crtbeginS.o keeps its own.
 *  - __cxa_atexit, bound inside the object: a code object has no
 *    finalizers, so the destructors of its static objects (function-local
 *    statics, atexit handlers) are not registered; registering them would
 *    leave calls into the object in the process's exit list after it is
 *    unloaded.
 */
#include "devrt.h"

__attribute__((weak, visibility("hidden"))) void *__dso_handle = &__dso_handle;

__attribute__((visibility("hidden"))) int __cxa_atexit(void (*fn)(void *), void *arg, void *dso);

int __cxa_atexit(void (*fn)(void *), void *arg, void *dso)
{
	(void)fn;
	(void)arg;
	(void)dso;
	return 0;
}
