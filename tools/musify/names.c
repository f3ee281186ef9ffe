/* SPDX-License-Identifier: MIT */
/*
 * names.c - the renaming rule between MUSA and CUDA names, and the shapes
 * that tell an API name from a user's.
 *
 * The rule (the inverse of MUSA's own naming): a leading `mu` before a
 * capital becomes `cu` (muInit), a leading `MU` before a lower-case letter
 * or `_` becomes `CU` (MUresult, MU_LAUNCH_PARAM_END), `mccl`/`MCCL`
 * become `nccl`/`NCCL`, a leading `mt_` becomes `nv_` (__mt_bfloat16), and
 * `musa`, `Musa`, `MUSA` become `cuda`, `Cuda`, `CUDA` wherever they
 * stand (musaMalloc, MUSART_VERSION, __musa_musa_h__,
 * sparseMusaArraySupported). Leading underscores are kept. Names the rule
 * cannot reach are in exceptions.c.
 * May call: buf.c, libc.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "musify.h"

static int starts(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s, p, n);
}

static int ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* Replaces every `from` by `to` (same length) in s. */
static int replace_all(char *s, const char *from, const char *to)
{
	size_t n = strlen(from);
	int hits = 0;

	for (char *p = strstr(s, from); p; p = strstr(p + n, from)) {
		memcpy(p, to, n);
		hits++;
	}
	return hits;
}

char *names_musa_to_cuda(const char *musa)
{
	static const struct { const char *musa, *cuda; } prefixes[] = {
		{ "mccl", "nccl" }, { "MCCL", "NCCL" }, { "mt_", "nv_" },
	};
	char *c = xstrdup(musa), *body = c;
	int changed = 0;

	while (*body == '_')
		body++;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (starts(body, strlen(body), prefixes[i].musa)) {
			memcpy(body, prefixes[i].cuda, strlen(prefixes[i].cuda));
			changed = 1;
			break;
		}
	}
	if (!changed && body[0] == 'm' && body[1] == 'u' && isupper((unsigned char)body[2])) {
		body[0] = 'c';
		changed = 1;
	} else if (!changed && body[0] == 'M' && body[1] == 'U' &&
		   (islower((unsigned char)body[2]) || body[2] == '_')) {
		body[0] = 'C';
		changed = 1;
	}
	changed |= replace_all(body, "musa", "cuda");
	changed |= replace_all(body, "Musa", "Cuda");
	changed |= replace_all(body, "MUSA", "CUDA");
	if (!changed) {
		free(c);
		return NULL;
	}
	return c;
}

/* File names: the extension first, then the words of the stem. */
char *names_rename_file(const char *base, int reverse)
{
	static const char *const ext[][2] = {
		{ ".cu", ".mu" }, { ".cuh", ".muh" },
	};
	static const char *const words[][2] = {
		{ "cuda", "musa" }, { "Cuda", "Musa" }, { "CUDA", "MUSA" },
	};
	const char *dot = strrchr(base, '.');
	size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	char *n = xstrdup(base);
	struct buf b = {0};
	int changed = 0;

	n[stem] = 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		changed |= replace_all(n, words[i][reverse], words[i][!reverse]);
	buf_puts(&b, n);
	free(n);
	if (stem < strlen(base)) {
		const char *e = base + stem;

		for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
			if (!strcmp(e, ext[i][reverse])) {
				e = ext[i][!reverse];
				changed = 1;
				break;
			}
		}
		buf_puts(&b, e);
	}
	if (!changed) {
		buf_free(&b);
		return NULL;
	}
	return b.s;
}

/* Prefixes of API names, each followed by a capital, a digit, `_` or the
 * end of the name (so `cudaMalloc` and `curand_init`, not `cubic`). */
static const char *const cuda_lower[] = {
	"cuda", "cublas", "cublasLt", "cufft", "curand", "cusparse", "cusolver", "cudnn",
	"cutensor", "cupti", "cufile", "nvrtc", "nvtx", "nvjpeg", "nvml", "nvJitLink", "nccl",
	"nvgraph", "__cuda", "__nv", "nv_bfloat", "nv_half",
};
static const char *const cuda_upper[] = {
	"CU_", "CUDA_", "CUDART_", "CUBLAS_", "CUFFT_", "CURAND_", "CUSPARSE_", "CUSOLVER_",
	"CUDNN_", "CUTENSOR_", "CUPTI_", "NVRTC_", "NVTX_", "NCCL_", "NVJPEG_", "NVML_", "__CUDA",
	"__NV",
};
static const char *const musa_lower[] = {
	"musa", "mublas", "mufft", "murand", "musparse", "musolver", "mudnn", "mccl", "__musa",
	"__mt", "mt_bfloat", "mt_half",
};
static const char *const musa_upper[] = {
	"MU_", "MUSA_", "MUSART_", "MUBLAS_", "MUFFT_", "MURAND_", "MCCL_", "__MUSA",
};

static int shape(const char *id, size_t len, const char *const *pre, size_t npre, int need_break)
{
	for (size_t i = 0; i < npre; i++) {
		size_t n = strlen(pre[i]);

		if (!starts(id, len, pre[i]))
			continue;
		if (!need_break || len == n)
			return 1;
		int c = (unsigned char)id[n];

		if (isupper(c) || isdigit(c) || c == '_')
			return 1;
	}
	return 0;
}

int names_looks_foreign(const char *id, size_t len, int reverse)
{
	const char *lo = reverse ? "mu" : "cu", *up = reverse ? "MU" : "CU";

	/* driver API: cuInit / muInit, CUresult / MUresult */
	if (len > 2 && starts(id, len, lo) && isupper((unsigned char)id[2]))
		return 1;
	if (len > 2 && starts(id, len, up) && islower((unsigned char)id[2]))
		return 1;
	if (reverse)
		return shape(id, len, musa_lower, sizeof(musa_lower) / sizeof(musa_lower[0]), 1) ||
		       shape(id, len, musa_upper, sizeof(musa_upper) / sizeof(musa_upper[0]), 0);
	return shape(id, len, cuda_lower, sizeof(cuda_lower) / sizeof(cuda_lower[0]), 1) ||
	       shape(id, len, cuda_upper, sizeof(cuda_upper) / sizeof(cuda_upper[0]), 0);
}

/* CUDA toolkit headers whose names carry no `cuda`. */
static const char *const cuda_plain_headers[] = {
	"vector_types.h", "vector_functions.h", "builtin_types.h", "driver_types.h",
	"driver_functions.h", "device_types.h", "device_functions.h", "device_launch_parameters.h",
	"host_defines.h", "host_config.h", "math_constants.h", "math_functions.h",
	"texture_types.h", "surface_types.h", "texture_fetch_functions.h", "surface_functions.h",
	"texture_indirect_functions.h", "surface_indirect_functions.h", "channel_descriptor.h",
	"library_types.h", "mma.h", "common_functions.h", "cooperative_groups.h",
	"device_atomic_functions.h", "sm_20_atomic_functions.h", "sm_32_intrinsics.h",
	"sm_60_atomic_functions.h", "curand_kernel.h",
};

int names_header_foreign(const char *hdr, int reverse)
{
	static const char *const cuda_dirs[] = { "thrust/", "cub/", "cuda/", "nvtx3/",
						 "cooperative_groups/", "crt/" };
	static const char *const cuda_base[] = { "cuda", "cublas", "cufft", "curand", "cusparse",
						 "cusolver", "cudnn", "cutensor", "cupti", "cufile",
						 "nvrtc", "nvToolsExt", "nvtx", "nvml", "nvjpeg",
						 "nvJitLink", "nccl", "npp", "sm_" };
	static const char *const musa_base[] = { "musa", "mublas", "mufft", "murand",
						 "musparse", "musolver", "mccl" };
	const char *base = strrchr(hdr, '/') ? strrchr(hdr, '/') + 1 : hdr;
	size_t len = strlen(base);

	if (reverse) {
		for (size_t i = 0; i < sizeof(musa_base) / sizeof(musa_base[0]); i++)
			if (starts(base, len, musa_base[i]))
				return 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(cuda_dirs) / sizeof(cuda_dirs[0]); i++)
		if (starts(hdr, strlen(hdr), cuda_dirs[i]))
			return 1;
	for (size_t i = 0; i < sizeof(cuda_base) / sizeof(cuda_base[0]); i++)
		if (starts(base, len, cuda_base[i]))
			return 1;
	for (size_t i = 0; i < sizeof(cuda_plain_headers) / sizeof(cuda_plain_headers[0]); i++)
		if (!strcmp(hdr, cuda_plain_headers[i]))
			return 1;
	return 0;
}

int names_is_source(const char *base)
{
	static const char *const ext[] = {
		".cu", ".cuh", ".mu", ".muh", ".c", ".cc", ".cp", ".cpp", ".cxx", ".c++", ".C",
		".h", ".hh", ".hpp", ".hxx", ".h++", ".H", ".inl", ".inc", ".ipp", ".tpp", ".tcc",
	};
	const char *dot = strrchr(base, '.');

	if (!dot || dot == base)
		return 0;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcmp(dot, ext[i]))
			return 1;
	return 0;
}

int names_is_cmake(const char *base)
{
	return !strcmp(base, "CMakeLists.txt") || ends(base, ".cmake");
}

int names_is_build_file(const char *base)
{
	size_t n = strlen(base);

	return starts(base, n, "Makefile") || starts(base, n, "makefile") ||
	       !strcmp(base, "GNUmakefile") || ends(base, ".mk") || ends(base, ".mak") ||
	       !strcmp(base, "make.config") || names_is_cmake(base);
}

int names_is_keyword(const char *id, size_t len)
{
	static const char *const kw[] = {
		"alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch",
		"char", "class", "const", "constexpr", "const_cast", "continue", "decltype",
		"default", "delete", "do", "double", "dynamic_cast", "else", "enum", "explicit",
		"export", "extern", "false", "float", "for", "friend", "goto", "if", "inline",
		"int", "long", "mutable", "namespace", "new", "noexcept", "not", "nullptr",
		"operator", "or", "private", "protected", "public", "register",
		"reinterpret_cast", "restrict", "return", "short", "signed", "sizeof", "static",
		"static_assert", "static_cast", "struct", "switch", "template", "this", "throw",
		"true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
		"virtual", "void", "volatile", "while", "co_return", "co_await", "co_yield",
	};

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strlen(kw[i]) == len && !memcmp(id, kw[i], len))
			return 1;
	return 0;
}
