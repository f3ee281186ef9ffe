/* SPDX-License-Identifier: MIT */
/*
 * gen_host.c - the host pass source: kernel bodies become launch stubs that
 * pop the call configuration and call musaLaunchKernel, __device__-only
 * bodies become declarations, k<<<g, b, s, st>>>(args) becomes a push of
 * the configuration followed by a call of the stub (in the file's text and
 * inside the #define bodies that launch); then the device code
 * objects are embedded (.incbin) and registered with the runtime by a
 * constructor. With -rdc the device objects are relocatable and go into
 * .musa_rdc for the device link (dlink.c), and the constructor registers
 * with the program's one handle, __musa_rdc_handle().
 * May call libc, buf.c, edit.c.
 */
#include <stdio.h>
#include <string.h>

#include "mcc.h"

static size_t tok_end(const struct mcc_unit *u, size_t t)
{
	return u->toks[t].off + u->toks[t].len;
}

/* Tokens [first, last) as written; in a macro body (tokwise) one token
 * after the other, so no comment or line break of the body comes along. */
static void put_range(const struct mcc_unit *u, struct mcc_buf *b, size_t first, size_t last,
		      int tokwise)
{
	size_t a = u->toks[first].off;

	if (!tokwise) {
		mcc_buf_put(b, u->src + a, tok_end(u, last - 1) - a);
		return;
	}
	for (size_t i = first; i < last; i++) {
		if (i > first && tok_end(u, i - 1) != u->toks[i].off)
			mcc_buf_puts(b, " ");
		mcc_buf_put(b, u->src + u->toks[i].off, u->toks[i].len);
	}
}

/*
 * Launch l of unit w (the file, or a macro body whose text starts at
 * offset base of u's source) becomes a push of its configuration and a
 * call of the kernel's stub. The text names the kernel as written, so it
 * works for any __global__ function with a stub, also when the kernel is
 * a macro parameter or a macro. In a macro body it stays one logical
 * line: the line continuations it replaces end it again.
 */
static void launch_edit(const struct mcc_unit *w, const struct mcc_launch *l,
			const struct mcc_unit *u, size_t base, struct mcc_edits *ed)
{
	const char *d3 = w->is_c ? "__musa_dim3" : "dim3";
	struct mcc_buf b = {0};
	size_t a = w->toks[l->callee].off, n = tok_end(w, l->args_close) - a;

	mcc_buf_printf(&b, "(__musaPushCallConfiguration(%s(", d3);
	put_range(w, &b, l->cfg[0][0], l->cfg[0][1], u != w);
	mcc_buf_printf(&b, "), %s(", d3);
	put_range(w, &b, l->cfg[1][0], l->cfg[1][1], u != w);
	mcc_buf_puts(&b, "), ");
	if (l->ncfg > 2)
		put_range(w, &b, l->cfg[2][0], l->cfg[2][1], u != w);
	else
		mcc_buf_puts(&b, "0");
	mcc_buf_puts(&b, ", (void *)(");
	if (l->ncfg > 3)
		put_range(w, &b, l->cfg[3][0], l->cfg[3][1], u != w);
	else
		mcc_buf_puts(&b, "0");
	mcc_buf_puts(&b, ")) ? (void)0 : (void)");
	put_range(w, &b, l->callee, l->cfg_open, u != w);
	put_range(w, &b, l->args_open, l->args_close + 1, u != w);
	mcc_buf_puts(&b, ")");
	if (u != w)
		mcc_macro_newlines(u->src + base + a, n, &b);
	mcc_edit_add(ed, base + a, n, b.s);
	mcc_buf_free(&b);
}

static void host_edits(const struct mcc_unit *u, struct mcc_edits *ed)
{
	int i, j;

	for (i = 0; i < u->nkernels; i++) {
		const struct mcc_kernel *k = &u->kernels[i];
		struct mcc_buf b = {0};

		mcc_buf_puts(&b, "{ void *__musa_a[");
		if (k->nparams) {
			mcc_buf_puts(&b, "] = {");
			for (j = 0; j < k->nparams; j++)
				mcc_buf_printf(&b, "%s(void *)&%s", j ? ", " : "", k->params[j].name);
			mcc_buf_puts(&b, "};");
		} else {
			mcc_buf_puts(&b, "1] = {0};");
		}
		mcc_buf_printf(&b, " dim3 __musa_g, __musa_b; size_t __musa_s; void *__musa_st;"
			       " if (__musaPopCallConfiguration(&__musa_g, &__musa_b, &__musa_s,"
			       " &__musa_st) != 0) return;"
			       " musaLaunchKernel((const void *)&%s%s, __musa_g, __musa_b, __musa_a,"
			       " __musa_s, (musaStream_t)__musa_st); }", k->name,
			       k->tmpl_params ? k->tmpl_params : "");
		mcc_edit_add(ed, u->toks[k->body_open].off,
			     tok_end(u, k->body_close) - u->toks[k->body_open].off, b.s);
		mcc_buf_free(&b);
		/* the stub passes every parameter: unnamed ones get a name */
		for (j = 0; j < k->nparams; j++)
			if (k->params[j].unnamed_at) {
				mcc_buf_printf(&b, " %s ", k->params[j].name);
				mcc_edit_add(ed, k->params[j].unnamed_at - 1, 0, b.s);
				mcc_buf_free(&b);
			}
	}
	for (i = 0; i < u->nfuncs; i++) {
		const struct mcc_func *f = &u->funcs[i];

		if (f->host_too || !f->has_body)
			continue;
		mcc_edit_add(ed, u->toks[f->body_open].off,
			     tok_end(u, f->body_close) - u->toks[f->body_open].off, ";");
	}
	for (i = 0; i < u->nlaunches; i++)
		launch_edit(u, &u->launches[i], u, 0, ed);
	for (i = 0; i < u->nmacros; i++)
		for (j = 0; j < u->macros[i].body->nlaunches; j++)
			launch_edit(u->macros[i].body, &u->macros[i].body->launches[j], u,
				    u->macros[i].base, ed);
}

/* .incbin of a file into a section, as an assembler string inside a C string. */
static void put_incbin(struct mcc_buf *out, const char *path)
{
	const char *p;

	mcc_buf_puts(out, "\t\".incbin \\\"");
	for (p = path; *p; p++) {
		if (*p == '"' || *p == '\\')
			mcc_buf_puts(out, "\\\\\\");
		mcc_buf_put(out, p, 1);
	}
	mcc_buf_puts(out, "\\\"\\n\"\n");
}

void mcc_gen_fatbin(const struct mcc_image *images, int nimages, const char *tag, struct mcc_buf *out)
{
	int i;

	for (i = 0; i < nimages; i++) {
		mcc_buf_printf(out, "__asm__(\".pushsection .rodata.__musa_fatbin,\\\"a\\\"\\n\"\n"
			       "\t\".balign 64\\n\"\n"
			       "\t\".globl __musa_fatbin_%s_%d\\n\"\n"
			       "\t\".hidden __musa_fatbin_%s_%d\\n\"\n"
			       "\t\"__musa_fatbin_%s_%d:\\n\"\n", tag, i, tag, i, tag, i);
		put_incbin(out, images[i].path);
		mcc_buf_puts(out, "\t\".popsection\\n\");\n");
	}
	mcc_buf_puts(out, "#if defined(__cplusplus)\nextern \"C\" {\n#endif\n");
	for (i = 0; i < nimages; i++)
		mcc_buf_printf(out, "extern const unsigned char __musa_fatbin_%s_%d[] "
			       "__attribute__((visibility(\"hidden\")));\n", tag, i);
	mcc_buf_puts(out, "#if defined(__cplusplus)\n}\n#endif\n");
	mcc_buf_puts(out, "static const struct __musaFatImage __musa_fat_images[] = {\n");
	for (i = 0; i < nimages; i++)
		mcc_buf_printf(out, "\t{ %uu, 0u, __musa_fatbin_%s_%d, %lluull },\n",
			       images[i].arch, tag, i, images[i].size);
	mcc_buf_printf(out, "};\n"
		       "static const struct __musaFatBinaryWrapper __musa_fat_wrapper = {\n"
		       "\tMUSA_FATBIN_MAGIC, MUSA_FATBIN_VERSION, __musa_fat_images, %du\n};\n", nimages);
}

/* -rdc: each relocatable device object goes into the non-allocated
 * .musa_rdc section as a record (MCC_RDC_MAGIC, arch, size, bytes); the
 * linker concatenates the sections of all objects, the device link step
 * of mcc reads them back. */
static void gen_rdc_records(const struct mcc_image *images, int nimages, struct mcc_buf *out)
{
	int i;

	for (i = 0; i < nimages; i++) {
		mcc_buf_printf(out, "__asm__(\".pushsection .musa_rdc,\\\"\\\",@progbits\\n\"\n"
			       "\t\".balign 8\\n\"\n"
			       "\t\".long %uu, %uu\\n\"\n"
			       "\t\".quad %llu\\n\"\n", MCC_RDC_MAGIC, images[i].arch, images[i].size);
		put_incbin(out, images[i].path);
		mcc_buf_puts(out, "\t\".balign 8\\n\"\n\t\".popsection\\n\");\n");
	}
}

int mcc_gen_host(const struct mcc_unit *u, const struct mcc_image *images, int nimages,
		 const char *tag, int rdc, struct mcc_buf *out)
{
	struct mcc_edits ed = {0};
	int i;

	mcc_buf_puts(out, "#line 1 \"");
	mcc_buf_put_cstr(out, u->path);
	mcc_buf_puts(out, "\"\n");
	host_edits(u, &ed);
	mcc_vars_host_edits(u, &ed);
	mcc_edits_apply(u, &ed, out);
	mcc_edits_free(&ed);
	if (!nimages)
		return 0;

	mcc_buf_puts(out, "\n#line 1 \"<mcc host glue>\"\n");
	if (rdc) {
		/* the one fat binary of the program comes from the device link */
		gen_rdc_records(images, nimages, out);
		mcc_buf_printf(out, "#if defined(__cplusplus)\nextern \"C\"\n#endif\n"
			       "void **__musa_rdc_handle(void) __attribute__((visibility(\"hidden\")));\n"
			       "static void **__musa_fat_handle;\n"
			       "static void __attribute__((constructor)) __musa_register_%s(void)\n{\n"
			       "\t__musa_fat_handle = __musa_rdc_handle();\n"
			       "\tif (!__musa_fat_handle)\n\t\treturn;\n", tag);
	} else {
		mcc_gen_fatbin(images, nimages, tag, out);
		mcc_buf_printf(out, "static void **__musa_fat_handle;\n"
			       "static void __attribute__((constructor)) __musa_register_%s(void)\n{\n"
			       "\t__musa_fat_handle = __musaRegisterFatBinary((void *)&__musa_fat_wrapper);\n"
			       "\tif (!__musa_fat_handle)\n\t\treturn;\n", tag);
	}
	for (i = 0; i < u->nkernels; i++) {
		const struct mcc_kernel *k = &u->kernels[i];
		int j, n = k->tmpl_params ? k->ninsts : 1;

		/* a template kernel: each instance the device pass built */
		for (j = 0; j < n; j++) {
			struct mcc_buf name = {0};

			mcc_buf_printf(&name, "%s%s", k->qname, k->tmpl_params ? k->insts[j] : "");
			mcc_buf_printf(out, "\t__musaRegisterFunction(__musa_fat_handle, (const char *)&%s%s, "
				       "(char *)\"", !u->is_c && strchr(k->qname, ':') ? "::" : "", name.s);
			mcc_buf_put_cstr(out, name.s);
			mcc_buf_puts(out, "\", \"");
			mcc_buf_put_cstr(out, name.s);
			mcc_buf_puts(out, "\", -1, 0, 0, 0, 0, 0);\n");
			mcc_buf_free(&name);
		}
	}
	mcc_vars_host_register(u, out);
	if (rdc) {
		mcc_buf_puts(out, "}\n");
		return 0;
	}
	mcc_buf_printf(out, "\t__musaRegisterFatBinaryEnd(__musa_fat_handle);\n}\n"
		       "static void __attribute__((destructor)) __musa_unregister_%s(void)\n{\n"
		       "\tif (__musa_fat_handle)\n\t\t__musaUnregisterFatBinary(__musa_fat_handle);\n"
		       "\t__musa_fat_handle = 0;\n}\n", tag);
	return 0;
}
