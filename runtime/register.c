/* SPDX-License-Identifier: MIT */
/*
 * register.c - what mcc-generated constructors register: fat binaries (one
 * device code object per arch), the kernels' host stubs and device
 * variables. A fat binary's module is loaded lazily, per device, on the
 * first launch of one of its kernels, from the image whose arch is the
 * device's, else the highest older one the driver accepts; functions are
 * looked up once per device and cached until the device is reset. A
 * symbol is a registered variable's host shadow or, as CUDA before 5.0
 * accepted and older programs still pass, its name as a string. Calls the
 * driver's module functions and device.c.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rt.h"

/* More images than any offload-arch list: a larger count is a corrupt wrapper. */
#define RT_FATBIN_MAX_IMAGES 64u
#define RT_FUNC_BUCKETS      256u

struct rt_module {
	MUmodule mod;
	unsigned int gen;
	int loaded;
};

struct rt_fatbin {
	int valid;                      /* the wrapper passed its checks */
	struct __musaFatImage *images;  /* copies of the descriptors */
	size_t nimages;
	struct rt_module *mods;         /* per device, allocated on first load */
	struct rt_fatbin *next;
};

struct rt_func_dev {
	MUfunction f;
	unsigned int gen;
	int valid;
};

struct rt_function {
	const void *host_fun;
	struct rt_fatbin *fb;
	char *name;
	struct rt_func_dev *per_dev;    /* per device, allocated on first launch */
	struct rt_function *next;
};

struct rt_var {
	struct rt_fatbin *fb;
	void *host_var;
	char *name;
	size_t size;
	int ext, constant, global, managed;
	struct rt_var *next;
};

static pthread_mutex_t rt_reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rt_fatbin *rt_fatbins;
static struct rt_function *rt_funcs[RT_FUNC_BUCKETS];
static struct rt_var *rt_vars;

static unsigned int rt_func_hash(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	v ^= v >> 15;
	v *= 0x9e3779b97f4a7c15ull;
	return (unsigned int)(v >> 40) % RT_FUNC_BUCKETS;
}

static struct rt_fatbin *rt_fatbin_find(void **handle)
{
	for (struct rt_fatbin *fb = rt_fatbins; fb; fb = fb->next)
		if ((void **)fb == handle)
			return fb;
	return NULL;
}

static int rt_fatbin_check(const struct __musaFatBinaryWrapper *w)
{
	if (!w || w->magic != MUSA_FATBIN_MAGIC || w->version != MUSA_FATBIN_VERSION)
		return 0;
	if (w->count > RT_FATBIN_MAX_IMAGES || (w->count && !w->images))
		return 0;
	return 1;
}

MUSART_API void **__musaRegisterFatBinary(void *fatCubin)
{
	const struct __musaFatBinaryWrapper *w = fatCubin;
	struct rt_fatbin *fb = calloc(1, sizeof(*fb));

	if (!fb)
		return NULL;
	/* A bad wrapper still gets a handle, so the program's constructor runs
	 * on; its kernels then fail to launch with musaErrorInvalidKernelImage. */
	if (rt_fatbin_check(w)) {
		fb->nimages = (size_t)w->count;
		fb->images = calloc(fb->nimages ? fb->nimages : 1, sizeof(*fb->images));
		if (!fb->images) {
			free(fb);
			return NULL;
		}
		memcpy(fb->images, w->images, fb->nimages * sizeof(*fb->images));
		fb->valid = 1;
	} else {
		rt_log("fat binary %p: bad magic, version or image count", fatCubin);
	}
	pthread_mutex_lock(&rt_reg_lock);
	fb->next = rt_fatbins;
	rt_fatbins = fb;
	pthread_mutex_unlock(&rt_reg_lock);
	return (void **)fb;
}

MUSART_API void __musaRegisterFatBinaryEnd(void **fatCubinHandle)
{
	/* Registration needs no completion step: modules load on first launch. */
	(void)fatCubinHandle;
}

MUSART_API void __musaRegisterFunction(void **fatCubinHandle, const char *hostFun,
                                       char *deviceFun, const char *deviceName,
                                       int thread_limit, uint3 *tid, uint3 *bid,
                                       dim3 *bDim, dim3 *gDim, int *wSize)
{
	const char *name = deviceName ? deviceName : deviceFun;
	struct rt_function *fn, **pp;
	struct rt_fatbin *fb;
	unsigned int b = rt_func_hash(hostFun);

	/* The launch-time geometry hints of CUDA's signature are not used. */
	(void)thread_limit, (void)tid, (void)bid, (void)bDim, (void)gDim, (void)wSize;
	if (!hostFun || !name)
		return;
	fn = calloc(1, sizeof(*fn));
	if (!fn)
		return;
	fn->name = strdup(name);
	if (!fn->name)
		goto err_fn;
	fn->host_fun = hostFun;

	pthread_mutex_lock(&rt_reg_lock);
	fb = rt_fatbin_find(fatCubinHandle);
	if (!fb) {
		pthread_mutex_unlock(&rt_reg_lock);
		rt_log("register function %s: unknown fat binary handle", name);
		goto err_name;
	}
	fn->fb = fb;
	/* A re-registered stub takes the new binding. */
	for (pp = &rt_funcs[b]; *pp; pp = &(*pp)->next) {
		if ((*pp)->host_fun == hostFun) {
			struct rt_function *old = *pp;
			*pp = old->next;
			free(old->per_dev);
			free(old->name);
			free(old);
			break;
		}
	}
	fn->next = rt_funcs[b];
	rt_funcs[b] = fn;
	pthread_mutex_unlock(&rt_reg_lock);
	return;

err_name:
	free(fn->name);
err_fn:
	free(fn);
}

static void rt_register_var(void **fatCubinHandle, char *hostVar, char *deviceAddress,
                            const char *deviceName, int ext, size_t size,
                            int constant, int global, int managed)
{
	const char *name = deviceName ? deviceName : deviceAddress;
	struct rt_var *v;
	struct rt_fatbin *fb;

	if (!hostVar || !name)
		return;
	v = calloc(1, sizeof(*v));
	if (!v)
		return;
	v->name = strdup(name);
	if (!v->name)
		goto err_var;
	v->host_var = hostVar;
	v->size = size;
	v->ext = ext;
	v->constant = constant;
	v->global = global;
	v->managed = managed;

	pthread_mutex_lock(&rt_reg_lock);
	fb = rt_fatbin_find(fatCubinHandle);
	if (!fb) {
		pthread_mutex_unlock(&rt_reg_lock);
		goto err_name;
	}
	v->fb = fb;
	v->next = rt_vars;
	rt_vars = v;
	pthread_mutex_unlock(&rt_reg_lock);
	return;

err_name:
	free(v->name);
err_var:
	free(v);
}

MUSART_API void __musaRegisterVar(void **fatCubinHandle, char *hostVar, char *deviceAddress,
                                  const char *deviceName, int ext, size_t size,
                                  int constant, int global)
{
	rt_register_var(fatCubinHandle, hostVar, deviceAddress, deviceName, ext, size,
	                constant, global, 0);
}

MUSART_API void __musaRegisterManagedVar(void **fatCubinHandle, void **hostVarPtrAddress,
                                         char *deviceAddress, const char *deviceName,
                                         int ext, size_t size, int constant, int global)
{
	rt_register_var(fatCubinHandle, (char *)hostVarPtrAddress, deviceAddress, deviceName,
	                ext, size, constant, global, 1);
}

/* Removes and returns the fat binary; frees its functions and variables. */
static struct rt_fatbin *rt_fatbin_unlink(void **handle)
{
	struct rt_fatbin *fb = NULL;

	for (struct rt_fatbin **pp = &rt_fatbins; *pp; pp = &(*pp)->next) {
		if ((void **)*pp == handle) {
			fb = *pp;
			*pp = fb->next;
			break;
		}
	}
	if (!fb)
		return NULL;
	for (unsigned int b = 0; b < RT_FUNC_BUCKETS; b++) {
		struct rt_function **pp = &rt_funcs[b];
		while (*pp) {
			struct rt_function *fn = *pp;
			if (fn->fb == fb) {
				*pp = fn->next;
				free(fn->per_dev);
				free(fn->name);
				free(fn);
			} else {
				pp = &fn->next;
			}
		}
	}
	for (struct rt_var **pp = &rt_vars; *pp;) {
		struct rt_var *v = *pp;
		if (v->fb == fb) {
			*pp = v->next;
			free(v->name);
			free(v);
		} else {
			pp = &v->next;
		}
	}
	return fb;
}

MUSART_API void __musaUnregisterFatBinary(void **fatCubinHandle)
{
	struct rt_fatbin *fb;

	pthread_mutex_lock(&rt_reg_lock);
	fb = rt_fatbin_unlink(fatCubinHandle);
	pthread_mutex_unlock(&rt_reg_lock);
	if (!fb)
		return;
	/* Modules exist only where the runtime was used; a module of an older
	 * context generation died with its context at musaDeviceReset. At
	 * process exit the modules are left to die with the process: unloading
	 * would wait for kernels that may never end. */
	if (fb->mods && rt_initialized() && !rt_process_exiting()) {
		for (int dev = 0; dev < rt_device_count(); dev++) {
			struct rt_module *m = &fb->mods[dev];
			if (!m->loaded || m->gen != rt_dev_generation(dev))
				continue;
			if (rt_dev_enter(dev) == musaSuccess)
				muModuleUnload(m->mod);
		}
	}
	free(fb->mods);
	free(fb->images);
	free(fb);
}

/* Points the module's cells of the fat binary's __managed__ variables at
 * their host shadows. rt_reg_lock held, the module's context current. */
static MUresult rt_bind_managed(struct rt_fatbin *fb, MUmodule mod)
{
	for (struct rt_var *v = rt_vars; v; v = v->next) {
		MUdeviceptr cell;
		size_t bytes;
		MUresult r;

		if (v->fb != fb || !v->managed)
			continue;
		r = muModuleGetGlobal(&cell, &bytes, mod, v->name);
		if (r == MUSA_SUCCESS && bytes != sizeof(void *))
			r = MUSA_ERROR_INVALID_IMAGE;
		if (r == MUSA_SUCCESS)
			r = muMemcpyHtoD(cell, &v->host_var, sizeof(void *));
		if (r != MUSA_SUCCESS)
			return r;
	}
	return MUSA_SUCCESS;
}

/* Called with rt_reg_lock held and the device's context current. */
static musaError_t rt_fatbin_module(struct rt_fatbin *fb, int dev, unsigned int gen,
                                    MUmodule *out)
{
	const struct __musaFatImage *img = NULL;
	struct rt_limits lim;
	MUmodule mod = NULL;
	MUresult r;
	musaError_t e;

	if (!fb->valid)
		return musaErrorInvalidKernelImage;
	if (!fb->mods) {
		fb->mods = calloc((size_t)rt_device_count(), sizeof(*fb->mods));
		if (!fb->mods)
			return musaErrorMemoryAllocation;
	}
	if (fb->mods[dev].loaded && fb->mods[dev].gen == gen) {
		*out = fb->mods[dev].mod;
		return musaSuccess;
	}
	e = rt_dev_limits(dev, &lim);
	if (e != musaSuccess)
		return e;
	/*
	 * The image of the device's arch, else the one of the highest arch
	 * below it that the driver accepts (same warp size: the driver knows,
	 * and answers MUSA_ERROR_NO_BINARY_FOR_GPU for the others).
	 */
	for (unsigned int tried = 0;;) {
		img = NULL;
		for (size_t i = 0; i < fb->nimages; i++) {
			unsigned int a = fb->images[i].arch;

			if (a > (unsigned int)lim.arch || (tried && a >= tried))
				continue;
			if (!img || a > img->arch)
				img = &fb->images[i];
		}
		if (!img) {
			rt_log("device %d: no image for arch %d", dev, lim.arch);
			return musaErrorNoKernelImageForDevice;
		}
		tried = img->arch ? img->arch : 1;
		if (!img->data || img->size == 0)
			return musaErrorInvalidKernelImage;
		r = muModuleLoadDataSize(&mod, img->data, (size_t)img->size);
		if (r == MUSA_SUCCESS)
			break;
		if (r != MUSA_ERROR_NO_BINARY_FOR_GPU || !img->arch)
			return rt_dev_result(dev, r);
	}
	r = rt_bind_managed(fb, mod);
	if (r != MUSA_SUCCESS) {
		muModuleUnload(mod);
		return rt_dev_result(dev, r);
	}
	fb->mods[dev].mod = mod;
	fb->mods[dev].gen = gen;
	fb->mods[dev].loaded = 1;
	*out = mod;
	return musaSuccess;
}

musaError_t rt_function_get(const void *host_fun, int dev, MUfunction *out)
{
	struct rt_function *fn;
	unsigned int gen = rt_dev_generation(dev);
	MUmodule mod = NULL;
	MUfunction f;
	MUresult r;
	musaError_t e = musaSuccess;

	pthread_mutex_lock(&rt_reg_lock);
	for (fn = rt_funcs[rt_func_hash(host_fun)]; fn; fn = fn->next)
		if (fn->host_fun == host_fun)
			break;
	if (!fn) {
		e = musaErrorInvalidDeviceFunction;
		goto out;
	}
	if (!fn->per_dev) {
		fn->per_dev = calloc((size_t)rt_device_count(), sizeof(*fn->per_dev));
		if (!fn->per_dev) {
			e = musaErrorMemoryAllocation;
			goto out;
		}
	}
	if (fn->per_dev[dev].valid && fn->per_dev[dev].gen == gen) {
		*out = fn->per_dev[dev].f;
		goto out;
	}
	e = rt_fatbin_module(fn->fb, dev, gen, &mod);
	if (e != musaSuccess)
		goto out;
	r = muModuleGetFunction(&f, mod, fn->name);
	if (r != MUSA_SUCCESS) {
		/* A registered stub whose kernel the image lacks. */
		e = r == MUSA_ERROR_NOT_FOUND ? musaErrorInvalidDeviceFunction
		                              : rt_dev_result(dev, r);
		goto out;
	}
	fn->per_dev[dev].f = f;
	fn->per_dev[dev].gen = gen;
	fn->per_dev[dev].valid = 1;
	*out = f;
out:
	pthread_mutex_unlock(&rt_reg_lock);
	return e;
}

void rt_register_forget_device(int dev)
{
	pthread_mutex_lock(&rt_reg_lock);
	for (struct rt_fatbin *fb = rt_fatbins; fb; fb = fb->next)
		if (fb->mods)
			fb->mods[dev].loaded = 0;
	for (unsigned int b = 0; b < RT_FUNC_BUCKETS; b++)
		for (struct rt_function *fn = rt_funcs[b]; fn; fn = fn->next)
			if (fn->per_dev)
				fn->per_dev[dev].valid = 0;
	pthread_mutex_unlock(&rt_reg_lock);
}

/* Reads a NUL-terminated string of at most n - 1 bytes at p into buf
 * without trusting p: process_vm_readv on this process reports a bad
 * address as an error instead of faulting. Returns 0 when a whole string
 * was read. */
static int rt_read_name(const void *p, char *buf, size_t n)
{
	size_t got = 0;

	while (got + 1 < n) {
		/* Never cross a page in one read, so a string that ends before
		 * an unmapped page is read in full. */
		uintptr_t a = (uintptr_t)p + got;
		size_t page = 4096 - (a & 4095), len = n - 1 - got < page ? n - 1 - got : page;
		struct iovec local = { buf + got, len }, remote = { (void *)a, len };
		ssize_t r = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);

		if (r <= 0)
			return -1;
		if (memchr(buf + got, 0, (size_t)r))
			return 0;
		got += (size_t)r;
	}
	return -1;
}

/* The registered variable whose shadow is symbol or, failing that, whose
 * name symbol spells. Called with rt_reg_lock held. */
static struct rt_var *rt_var_find(const void *symbol)
{
	struct rt_var *v;
	char name[256];

	for (v = rt_vars; v; v = v->next)
		if (v->host_var == symbol)
			return v;
	if (!symbol || rt_read_name(symbol, name, sizeof(name)) != 0)
		return NULL;
	for (v = rt_vars; v; v = v->next)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

musaError_t rt_symbol_get(const void *symbol, int dev, struct rt_symbol *out)
{
	unsigned int gen = rt_dev_generation(dev);
	struct rt_var *v;
	MUmodule mod = NULL;
	MUresult r;
	musaError_t e;

	pthread_mutex_lock(&rt_reg_lock);
	v = rt_var_find(symbol);
	if (!v) {
		e = musaErrorInvalidSymbol;
		goto out;
	}
	/* The module is loaded (and managed cells bound) even for a managed
	 * variable, so kernels launched later see the shadow. */
	e = rt_fatbin_module(v->fb, dev, gen, &mod);
	if (e != musaSuccess)
		goto out;
	if (v->managed) {
		out->addr = (MUdeviceptr)(uintptr_t)v->host_var;
		out->size = v->size;
		out->managed = 1;
		goto out;
	}
	r = muModuleGetGlobal(&out->addr, &out->size, mod, v->name);
	if (r != MUSA_SUCCESS)
		e = r == MUSA_ERROR_NOT_FOUND ? musaErrorInvalidSymbol : rt_dev_result(dev, r);
	out->managed = 0;
out:
	pthread_mutex_unlock(&rt_reg_lock);
	return e;
}
