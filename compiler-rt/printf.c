/* SPDX-License-Identifier: MIT */
/*
 * printf.c - device printf: kernels format their output on the device and
 * append it as one record to the context's printf FIFO (layout in
 * musa_codeobj.h); the UMD prints the records at synchronization points.
 *
 * The FIFO's address reaches each code object through the variable record
 * __musa_printf_fifo, which the UMD binds right after loading. This file is
 * only linked into a code object whose code calls printf (the device pass
 * header renames printf/puts/putchar/vprintf to the functions below), and
 * the record is kept only when a kept function references it, so kernels
 * without printf pay nothing: no record, no FIFO. A record that does not
 * fit is dropped, as CUDA drops output when its FIFO is full.
 * Calls libc (vsnprintf) only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "devrt.h"

/* The context's FIFO; set by the UMD through the variable record below. */
DEVRT_HIDDEN struct musa_printf_fifo *__musa_printf_fifo;

/* The pointer cell the record names: exported, so the kmd can dlsym it. */
__attribute__((visibility("default"))) void *__musa_var___musa_printf_fifo =
	&__musa_printf_fifo;

static const struct __attribute__((aligned(8))) {
	struct musa_meta_var hdr;
	char name[sizeof(MUSA_DEVRT_PRINTF_VAR)];
	char sym[sizeof("__musa_var___musa_printf_fifo")];
} devrt_printf_record __attribute__((section(".musa_meta"), used, aligned(8))) = {
	{ MUSA_META_VAR_MAGIC, MUSA_META_VERSION, sizeof(devrt_printf_record), 0u,
	  sizeof(void *), sizeof(MUSA_DEVRT_PRINTF_VAR) - 1,
	  sizeof("__musa_var___musa_printf_fifo") - 1 },
	MUSA_DEVRT_PRINTF_VAR,
	"__musa_var___musa_printf_fifo",
};

DEVRT_HIDDEN int __musa_vprintf(const char *fmt, va_list ap)
{
	struct musa_printf_fifo *f = __musa_printf_fifo;
	struct musa_printf_rec *rec;
	uint64_t len, off;
	va_list aq;
	int n;

	/* Keeps the record in the object exactly when this function is kept. */
	__asm__ volatile("" : : "r"(&devrt_printf_record));
	if (!f || !fmt)
		return -1;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || (uint64_t)n >= f->size)
		return -1;
	len = (sizeof(*rec) + (uint64_t)n + 1 + 7) & ~(uint64_t)7;
	off = __atomic_fetch_add(&f->head, len, __ATOMIC_RELAXED);
	rec = (struct musa_printf_rec *)((char *)(f + 1) + off);
	if (off >= f->size || len > f->size - off) {
		/* Only the record that straddles the end can mark it: every later
		 * one starts past it. */
		if (off < f->size && f->size - off >= sizeof(*rec))
			__atomic_store_n(&rec->state, MUSA_PRINTF_END, __ATOMIC_RELEASE);
		return -1;
	}
	vsnprintf((char *)(rec + 1), (size_t)n + 1, fmt, ap);
	rec->len = (uint32_t)len;
	__atomic_store_n(&rec->state, MUSA_PRINTF_READY, __ATOMIC_RELEASE);
	return n;
}

DEVRT_HIDDEN int __musa_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = __musa_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

DEVRT_HIDDEN int __musa_puts(const char *s)
{
	return __musa_printf("%s\n", s) < 0 ? EOF : 1;
}

DEVRT_HIDDEN int __musa_putchar(int c)
{
	return __musa_printf("%c", c) < 0 ? EOF : (unsigned char)c;
}

/*
 * C compilers turn printf("text\n") into puts("text") under the libc name
 * even when printf itself was renamed, glibc inlines putchar as putc on
 * stdout, and _FORTIFY_SOURCE turns printf into __printf_chk: hidden
 * definitions of those names catch them inside the code object (only
 * device code survives its --gc-sections link; other streams still work).
 */
DEVRT_HIDDEN int puts(const char *s)
{
	return __musa_puts(s);
}

/* Under the symbol name only: glibc may already define putchar inline. */
DEVRT_HIDDEN int devrt_putchar(int c) __asm__("putchar");
DEVRT_HIDDEN int devrt_putchar(int c)
{
	return __musa_putchar(c);
}

/* glibc's optimizing headers inline putchar(c) as putc(c, stdout). Not
 * fputc: compiler-rt's own messages use it, and must not pull this file in. */
static int devrt_putc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	if (f == stdout)
		return __musa_putchar(c);
	return fwrite(&ch, 1, 1, f) == 1 ? ch : EOF;
}

DEVRT_HIDDEN int putc(int c, FILE *f)
{
	return devrt_putc(c, f);
}

DEVRT_HIDDEN int __printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)flag;
	va_start(ap, fmt);
	n = __musa_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
