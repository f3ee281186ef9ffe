/* SPDX-License-Identifier: MIT */
/*
 * gen_device.c - the device pass source: the user's file with launches
 * turned into ((void)0) and extern __shared__ arrays bound to the group's
 * dynamic shared memory, then per kernel an argument struct, a thread
 * function, an exported entry (struct musa_wg ABI of musa_codeobj.h) and a
 * .musa_meta record describing it. Kernels in loop mode get their
 * work-group loop from gen_loop.c instead of a thread function.
 * May call libc, buf.c, edit.c, gen_loop.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"
#include "musa_codeobj.h"

static size_t tok_end(const struct mcc_unit *u, size_t t)
{
	return u->toks[t].off + u->toks[t].len;
}

static void device_edits(const struct mcc_unit *u, struct mcc_edits *ed)
{
	int i;

	for (i = 0; i < u->nlaunches; i++) {
		const struct mcc_launch *l = &u->launches[i];
		size_t a = u->toks[l->callee].off;

		mcc_edit_add(ed, a, tok_end(u, l->args_close) - a, "((void)0)");
	}
	for (i = 0; i < u->nmacros; i++) {
		const struct mcc_unit *w = u->macros[i].body;

		for (int j = 0; j < w->nlaunches; j++) {
			const struct mcc_launch *l = &w->launches[j];
			size_t a = w->toks[l->callee].off, n = tok_end(w, l->args_close) - a;
			struct mcc_buf b = {0};

			mcc_buf_puts(&b, "((void)0)");
			mcc_macro_newlines(u->src + u->macros[i].base + a, n, &b);
			mcc_edit_add(ed, u->macros[i].base + a, n, b.s);
			mcc_buf_free(&b);
		}
	}
	for (i = 0; i < u->nstatic_shared; i++) {
		size_t t = u->static_shared[i];

		/* __shared__ already means static __thread here */
		mcc_edit_add(ed, u->toks[t].off, u->toks[t].len, "");
	}
	/* C++: a function's __shared__ variable is renamed and bound to its
	 * old name by a reference made once per call (__musa_shared_bind) */
	for (i = 0; !u->is_c && i < u->nshlocal; i++) {
		const struct mcc_shlocal *v = &u->shlocal[i];
		char *name = mcc_strndup(u->src + u->toks[v->name].off, u->toks[v->name].len);
		struct mcc_buf b = {0};

		mcc_buf_printf(&b, "__musa_sh_%s", name);
		mcc_edit_add(ed, u->toks[v->name].off, u->toks[v->name].len, b.s);
		mcc_buf_free(&b);
		mcc_buf_printf(&b, " auto &%s = __musa_shared_bind(__musa_sh_%s);", name, name);
		mcc_edit_add(ed, tok_end(u, v->semi), 0, b.s);
		mcc_buf_free(&b);
		free(name);
	}
	for (i = 0; i < u->ndyn; i++) {
		const struct mcc_dynshared *d = &u->dyn[i];
		char *name = mcc_strndup(u->src + u->toks[d->name].off, u->toks[d->name].len);
		struct mcc_buf b = {0};

		/* `static __thread` together: the keywords may be apart, in
		 * either order (`extern float __shared__ x[]`) */
		mcc_edit_add(ed, u->toks[d->kw_extern].off, u->toks[d->kw_extern].len,
			     d->file_scope ? "static __thread" : "");
		mcc_edit_add(ed, u->toks[d->kw_shared].off, u->toks[d->kw_shared].len, "");
		if (d->file_scope)
			mcc_buf_printf(&b, "*%s", name);
		else
			mcc_buf_printf(&b, "*const %s = (__typeof__(&%s[0]))__musa_dyn_shared", name, name);
		mcc_edit_add(ed, u->toks[d->name].off, tok_end(u, d->rbrack) - u->toks[d->name].off, b.s);
		mcc_buf_free(&b);
		free(name);
	}
}

static void open_ns(const struct mcc_kernel *k, struct mcc_buf *o, int cxx)
{
	int i;

	if (!cxx)
		return;
	for (i = 0; i < k->nns; i++)
		mcc_buf_printf(o, "namespace %s { ", k->ns[i]);
	mcc_buf_puts(o, "\n");
}

static void close_ns(const struct mcc_kernel *k, struct mcc_buf *o, int cxx)
{
	int i;

	if (!cxx)
		return;
	for (i = 0; i < k->nns; i++)
		mcc_buf_puts(o, "} ");
	mcc_buf_puts(o, "\n");
}

/* The qualifier under which the generated helpers of k are reachable. */
static void ns_prefix(const struct mcc_kernel *k, struct mcc_buf *o, int cxx)
{
	int i;

	if (!cxx)
		return;
	for (i = 0; i < k->nns; i++)
		if (k->ns[i][0])
			mcc_buf_printf(o, "%s::", k->ns[i]);
}

/* The argument struct of instance `id` of kernel k: member types from the
 * declared parameter types, or for a template instance from the instance's
 * own function type (the parameters may name template parameters). */
static void gen_args(const struct mcc_unit *u, int n, int id, const char *targs, struct mcc_buf *o)
{
	const struct mcc_kernel *k = &u->kernels[n];
	int i;

	if (!k->nparams)
		return;
	mcc_buf_printf(o, "struct __musa_args_%d {", id);
	for (i = 0; i < k->nparams; i++) {
		if (!targs)
			mcc_buf_printf(o, " __typeof__(%s) p%d;", k->params[i].type, i);
		else if (k->inlined) {
			mcc_buf_printf(o, " typename __musa_param<%d, decltype(&", i + 4);
			mcc_loop_body_name(u, n, o);
			mcc_buf_printf(o, "%s)>::type p%d;", targs, i);
		}
		else
			mcc_buf_printf(o, " typename __musa_param<%d, decltype(&%s%s)>::type p%d;",
				       i, k->name, targs, i);
	}
	mcc_buf_puts(o, " };\n");
}

/* Everything of one kernel instance: id numbers the generated symbols,
 * targs is "<...>" for a template instance, NULL otherwise. */
static void gen_instance(const struct mcc_unit *u, int n, int id, const char *targs, unsigned shared,
			 unsigned arch, const char *etag, struct mcc_buf *o)
{
	const struct mcc_kernel *k = &u->kernels[n];
	int cxx = !u->is_c, i;
	unsigned int meta_flags;
	struct mcc_buf q = {0}, name = {0}, ent = {0};

	ns_prefix(k, &q, cxx);
	if (!q.s)
		mcc_buf_puts(&q, "");
	mcc_buf_printf(&name, "%s%s", k->qname, targs ? targs : "");
	if (etag)
		mcc_buf_printf(&ent, "__musa_entry_%s_%d", etag, id);
	else
		mcc_buf_printf(&ent, "__musa_entry_%d", id);

	open_ns(k, o, cxx);
	gen_args(u, n, id, targs, o);
	if (k->inlined) {
		mcc_loop_glue(u, n, id, targs, o);
	} else {
		mcc_buf_printf(o, "static void __musa_thread_%d(const void *__musa_ka)\n{\n", id);
		if (k->nparams)
			mcc_buf_printf(o, "\tconst struct __musa_args_%d *__musa_a = "
				       "(const struct __musa_args_%d *)__musa_ka;\n", id, id);
		else
			mcc_buf_puts(o, "\t(void)__musa_ka;\n");
		mcc_buf_printf(o, "\t%s%s(", cxx && strchr(k->qname, ':') && !k->nns ? k->qname : k->name,
			       targs ? targs : "");
		for (i = 0; i < k->nparams; i++)
			mcc_buf_printf(o, "%s__musa_a->p%d", i ? ", " : "", i);
		mcc_buf_puts(o, ");\n}\n");
	}
	close_ns(k, o, cxx);

	mcc_buf_printf(o, "__MUSA_ENTRY int %s(const struct musa_wg *__musa_wg)\n{\n", ent.s);
	/* file-scope extern __shared__ arrays: thread-local pointers */
	for (i = 0; i < u->ndyn; i++)
		if (u->dyn[i].file_scope)
			mcc_buf_printf(o, "\tif (__musa_wg)\n\t\t%s%s = (__typeof__(&%s%s[0]))__musa_wg->dyn_shared;\n",
				       cxx ? "::" : "", u->dyn[i].qname, cxx ? "::" : "", u->dyn[i].qname);
	if (k->inlined)
		mcc_buf_printf(o, "\treturn __musa_run_wg_loop(__musa_wg, %s__musa_loop_%d);\n}\n",
			       q.s, id);
	else
		mcc_buf_printf(o, "\treturn __musa_run_wg(__musa_wg, %s__musa_thread_%d, %uu);\n}\n",
			       q.s, id, k->flags);

	/* the metadata record; a loop-mode entry runs runs of groups */
	meta_flags = k->flags | (k->inlined ? MUSA_META_F_RANGE : 0u);
	if (k->fission)   /* barriers, compiled as loops between them */
		meta_flags = MUSA_META_F_BARRIER | MUSA_META_F_RANGE;
	mcc_buf_printf(o, "struct __attribute__((aligned(8))) __musa_meta_rec_%d {\n"
		       "\tstruct musa_meta_kernel hdr;\n", id);
	if (k->nparams)
		mcc_buf_printf(o, "\tstruct musa_meta_param params[%d];\n", k->nparams);
	mcc_buf_puts(o, "\tchar name[sizeof(\"");
	mcc_buf_put_cstr(o, name.s);
	mcc_buf_printf(o, "\")];\n\tchar entry[sizeof(\"%s\")];\n};\n", ent.s);
	mcc_buf_printf(o, "static const struct __musa_meta_rec_%d __musa_meta_%d\n"
		       "\t__attribute__((section(\".musa_meta\"), used, retain, aligned(8))) = {\n", id, id);
	if (k->nparams)
		mcc_buf_printf(o, "\t{ MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(struct __musa_meta_rec_%d), "
			       "%uu, %uu, %du, sizeof(struct %s__musa_args_%d), "
			       "__alignof__(struct %s__musa_args_%d), %uu, %uu, %zuu, %zuu, "
			       "0u, MUSA_META_SCRATCH_DEFAULT },\n",
			       id, arch, meta_flags, k->nparams, q.s, id, q.s, id, shared, k->max_threads,
			       name.len, ent.len);
	else
		mcc_buf_printf(o, "\t{ MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(struct __musa_meta_rec_%d), "
			       "%uu, %uu, 0u, 0u, 1u, %uu, %uu, %zuu, %zuu, 0u, MUSA_META_SCRATCH_DEFAULT },\n",
			       id, arch, meta_flags, shared, k->max_threads, name.len, ent.len);
	if (k->nparams) {
		mcc_buf_puts(o, "\t{");
		for (i = 0; i < k->nparams; i++)
			mcc_buf_printf(o, "%s\n\t\t{ (unsigned)offsetof(struct %s__musa_args_%d, p%d), "
				       "(unsigned)sizeof(((struct %s__musa_args_%d *)0)->p%d), "
				       "(unsigned)__alignof__(((struct %s__musa_args_%d *)0)->p%d), "
				       "MUSA_PARAM_BYTES }", i ? "," : "", q.s, id, i, q.s, id, i, q.s, id, i);
		mcc_buf_puts(o, "\n\t},\n");
	}
	mcc_buf_puts(o, "\t\"");
	mcc_buf_put_cstr(o, name.s);
	mcc_buf_printf(o, "\", \"%s\"\n};\n\n", ent.s);
	mcc_buf_free(&q);
	mcc_buf_free(&name);
	mcc_buf_free(&ent);
}

/* The type of parameter I of a function pointer type, for the argument
 * structs of template instances. */
static const char param_trait[] =
	"template <unsigned __musa_I, class __musa_F> struct __musa_param;\n"
	"template <class __musa_R, class __musa_A0, class... __musa_A>\n"
	"struct __musa_param<0, __musa_R (*)(__musa_A0, __musa_A...)> { typedef __musa_A0 type; };\n"
	"template <unsigned __musa_I, class __musa_R, class __musa_A0, class... __musa_A>\n"
	"struct __musa_param<__musa_I, __musa_R (*)(__musa_A0, __musa_A...)>\n"
	"{ typedef typename __musa_param<__musa_I - 1, __musa_R (*)(__musa_A...)>::type type; };\n";

int mcc_gen_device(const struct mcc_unit *u, unsigned arch, const char *entry_tag,
		   struct mcc_buf *out)
{
	struct mcc_edits ed = {0};
	int i, id = 0;

	mcc_buf_puts(out, "#line 1 \"");
	mcc_buf_put_cstr(out, u->path);
	mcc_buf_puts(out, "\"\n");
	device_edits(u, &ed);
	mcc_loop_device_edits(u, &ed);
	mcc_fission_device_edits(u, &ed);
	mcc_vars_device_edits(u, &ed);
	mcc_edits_apply(u, &ed, out);
	mcc_edits_free(&ed);

	mcc_buf_puts(out, "\n#line 1 \"<mcc device glue>\"\n"
		     "#if defined(__cplusplus)\n"
		     "#define __MUSA_ENTRY extern \"C\" __attribute__((visibility(\"default\")))\n"
		     "#else\n"
		     "#define __MUSA_ENTRY __attribute__((visibility(\"default\")))\n"
		     "#endif\n");
	if (!u->is_c)
		mcc_buf_puts(out, param_trait);
	for (i = 0; i < u->nkernels; i++) {
		const struct mcc_kernel *k = &u->kernels[i];
		int j;

		if (!k->tmpl_params)
			gen_instance(u, i, id++, NULL, k->static_shared_bytes, arch, entry_tag, out);
		for (j = 0; k->tmpl_params && j < k->ninsts; j++)
			gen_instance(u, i, id++, k->insts[j], k->inst_shared ? k->inst_shared[j] : 0u,
				     arch, entry_tag, out);
	}
	mcc_vars_device_glue(u, out);
	return 0;
}
