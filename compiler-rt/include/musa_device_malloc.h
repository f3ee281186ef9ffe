/* SPDX-License-Identifier: MIT */
/*
 * musa_device_malloc.h - device malloc / free for the device pass, included
 * (through musa_device_printf.h) before any libc header.
 *
 * In device code malloc and free use the context's device heap, sized by
 * musaLimitMallocHeapSize (compiler-rt malloc.c); malloc returns NULL when
 * the heap is exhausted, and memory stays valid for later kernels of the
 * context until freed. C++ operator new / delete in device code use the
 * same heap (and return NULL instead of throwing, as in CUDA).
 */
#ifndef MUSA_DEVICE_MALLOC_H
#define MUSA_DEVICE_MALLOC_H

#pragma redefine_extname malloc __musa_malloc
#pragma redefine_extname free __musa_free

#endif /* MUSA_DEVICE_MALLOC_H */
