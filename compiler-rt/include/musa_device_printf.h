/* SPDX-License-Identifier: MIT */
/*
 * musa_device_printf.h - device printf for the device pass, included by
 * musa_device_pass.h before any libc header (with musa_device_malloc.h).
 *
 * In device code printf, puts, putchar and vprintf write to the context's
 * printf FIFO, flushed to stdout at synchronization points (compiler-rt
 * printf.c). The libc names are kept, so <stdio.h> declares them as usual;
 * the pragmas give those declarations the device runtime's symbols.
 */
#ifndef MUSA_DEVICE_PRINTF_H
#define MUSA_DEVICE_PRINTF_H

#pragma redefine_extname printf __musa_printf
#pragma redefine_extname vprintf __musa_vprintf
#pragma redefine_extname puts __musa_puts
#pragma redefine_extname putchar __musa_putchar
#include "musa_device_malloc.h"

#endif /* MUSA_DEVICE_PRINTF_H */
