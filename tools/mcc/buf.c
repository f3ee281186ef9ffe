/* SPDX-License-Identifier: MIT */
/*
 * buf.c - growable strings for mcc. Running out of memory in a compiler
 * driver leaves nothing sensible to do but stop, so allocation failures
 * end the process with a message. May call libc only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"

void *mcc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("mcc: error: out of memory\n", stderr);
		exit(1);
	}
	return q;
}

char *mcc_strndup(const char *s, size_t n)
{
	char *d = mcc_xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

void mcc_buf_put(struct mcc_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = mcc_xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void mcc_buf_puts(struct mcc_buf *b, const char *s)
{
	mcc_buf_put(b, s, strlen(s));
}

void mcc_buf_printf(struct mcc_buf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		mcc_buf_put(b, tmp, (size_t)n);
		return;
	}
	{
		char *big = mcc_xrealloc(NULL, (size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		mcc_buf_put(b, big, (size_t)n);
		free(big);
	}
}

void mcc_buf_put_cstr(struct mcc_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			mcc_buf_put(b, "\\", 1);
		if (*s == '\n')
			mcc_buf_puts(b, "\\n");
		else
			mcc_buf_put(b, s, 1);
	}
}

void mcc_buf_free(struct mcc_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *mcc_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct mcc_buf b = {0};
	char chunk[65536];
	size_t k;

	if (!f)
		return NULL;
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		mcc_buf_put(&b, chunk, k);
	fclose(f);
	if (!b.s)
		mcc_buf_put(&b, "", 0);
	*len = b.len;
	return b.s;
}
