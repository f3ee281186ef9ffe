/* SPDX-License-Identifier: MIT */
/*
 * test_launch.c - kernel execution through the runtime: configuration
 * checks of musaLaunchKernel against the device's limits, the <<<>>> call
 * configuration stack, fat binary and function registration (lazy module
 * load, arch selection, bad images, unregistering), and sticky errors after
 * a device fault until musaDeviceReset.
 */
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_test.h"

static struct rt_kernels_fatbin kernels;

static void setup_kernels(void)
{
	rt_register_test_kernels(&kernels);
}

static int *dev_ints(unsigned int n, int v)
{
	int *h = malloc(n * sizeof(int)), *d = NULL;

	ck_assert_ptr_nonnull(h);
	for (unsigned int i = 0; i < n; i++)
		h[i] = v;
	ck_assert_int_eq(musaMalloc((void **)&d, n * sizeof(int)), musaSuccess);
	ck_assert_int_eq(musaMemcpy(d, h, n * sizeof(int), musaMemcpyHostToDevice), musaSuccess);
	free(h);
	return d;
}

static void expect_ints(const int *d, unsigned int n, int v)
{
	int *h = malloc(n * sizeof(int));

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(musaMemcpy(h, d, n * sizeof(int), musaMemcpyDeviceToHost), musaSuccess);
	for (unsigned int i = 0; i < n; i++)
		ck_assert_msg(h[i] == v, "element %u is %d, expected %d", i, h[i], v);
	free(h);
}

static musaError_t launch_add_one_cfg(int *d, unsigned int n, dim3 grid, dim3 block, size_t shm)
{
	void *args[] = { &d, &n };

	return musaLaunchKernel(&rt_stub_add_one, grid, block, args, shm, NULL);
}

/* launch configuration */

START_TEST(test_musaLaunchKernel_runs_every_thread)
{
	enum { N = 100000 };
	int *d = dev_ints(N, 41);

	ck_assert_int_eq(rt_launch_add_one(d, N, 256, NULL), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, N, 42);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaLaunchKernel_multidimensional_grid)
{
	/* 4x3x2 blocks of 8x4x2 threads = 1536 threads in all. */
	enum { N = 4 * 3 * 2 * 8 * 4 * 2 };
	int *d = dev_ints(N, 0);

	ck_assert_int_eq(launch_add_one_cfg(d, N, rt_dim3(4, 3, 2), rt_dim3(8, 4, 2), 0), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, N, 1);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaLaunchKernel_2048_threads_invalid_configuration)
{
	int *d = dev_ints(4096, 0);

	ck_assert_int_eq(launch_add_one_cfg(d, 4096, rt_dim3(1, 1, 1), rt_dim3(2048, 1, 1), 0),
	                 musaErrorInvalidConfiguration);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidConfiguration);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 4096, 0);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaLaunchKernel_threads_product_over_limit)
{
	struct musaDeviceProp p;
	int *d = dev_ints(16, 0);
	unsigned int x;

	ck_assert_int_eq(musaGetDeviceProperties(&p, 0), musaSuccess);
	/* Each dimension within its own limit, the product one too many. */
	x = (unsigned int)p.maxThreadsPerBlock / 2;
	ck_assert_uint_le(x, (unsigned int)p.maxThreadsDim[0]);
	ck_assert_int_ge(p.maxThreadsDim[1], 2);
	ck_assert_int_eq(launch_add_one_cfg(d, 16, rt_dim3(1, 1, 1), rt_dim3(x + 1, 2, 1), 0),
	                 musaErrorInvalidConfiguration);
	ck_assert_int_eq(launch_add_one_cfg(d, 16, rt_dim3(1, 1, 1), rt_dim3(x, 2, 1), 0),
	                 musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 16, 1);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaLaunchKernel_zero_dimension)
{
	int *d = dev_ints(16, 0);

	ck_assert_int_eq(launch_add_one_cfg(d, 16, rt_dim3(0, 1, 1), rt_dim3(16, 1, 1), 0),
	                 musaErrorInvalidConfiguration);
	ck_assert_int_eq(launch_add_one_cfg(d, 16, rt_dim3(1, 1, 0), rt_dim3(16, 1, 1), 0),
	                 musaErrorInvalidConfiguration);
	ck_assert_int_eq(launch_add_one_cfg(d, 16, rt_dim3(1, 1, 1), rt_dim3(16, 0, 1), 0),
	                 musaErrorInvalidConfiguration);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 16, 0);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaLaunchKernel_block_dim_over_max)
{
	struct musaDeviceProp p;
	int *d = dev_ints(16, 0);

	ck_assert_int_eq(musaGetDeviceProperties(&p, 0), musaSuccess);
	ck_assert_int_eq(launch_add_one_cfg(d, 16, rt_dim3(1, 1, 1),
	                                    rt_dim3(1, 1, (unsigned int)p.maxThreadsDim[2] + 1), 0),
	                 musaErrorInvalidConfiguration);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaLaunchKernel_grid_too_large)
{
	struct musaDeviceProp p;
	int *d = dev_ints(16, 0);

	ck_assert_int_eq(musaGetDeviceProperties(&p, 0), musaSuccess);
	ck_assert_int_eq(launch_add_one_cfg(d, 16, rt_dim3(1, (unsigned int)p.maxGridSize[1] + 1, 1),
	                                    rt_dim3(1, 1, 1), 0),
	                 musaErrorInvalidConfiguration);
	if ((unsigned int)p.maxGridSize[0] < 0xffffffffu)
		ck_assert_int_eq(launch_add_one_cfg(d, 16,
		                                    rt_dim3((unsigned int)p.maxGridSize[0] + 1, 1, 1),
		                                    rt_dim3(1, 1, 1), 0),
		                 musaErrorInvalidConfiguration);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaLaunchKernel_too_much_shared_memory)
{
	struct musaDeviceProp p;
	int *d = dev_ints(16, 0);

	ck_assert_int_eq(musaGetDeviceProperties(&p, 0), musaSuccess);
	ck_assert_int_eq(launch_add_one_cfg(d, 16, rt_dim3(1, 1, 1), rt_dim3(16, 1, 1),
	                                    p.sharedMemPerBlock + 1),
	                 musaErrorInvalidConfiguration);
	ck_assert_int_eq(launch_add_one_cfg(d, 16, rt_dim3(1, 1, 1), rt_dim3(16, 1, 1), 1024),
	                 musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 16, 1);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaLaunchKernel_unregistered_function)
{
	int x = 0;
	void *args[] = { &x };

	ck_assert_int_eq(musaLaunchKernel(&x, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0, NULL),
	                 musaErrorInvalidDeviceFunction);
	ck_assert_int_eq(musaLaunchKernel(NULL, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0, NULL),
	                 musaErrorInvalidDeviceFunction);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidDeviceFunction);
}
END_TEST

START_TEST(test_musaLaunchKernel_bad_stream)
{
	int *d = dev_ints(16, 0);
	unsigned int n = 16;
	void *args[] = { &d, &n };
	musaStream_t s;

	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	ck_assert_int_eq(musaLaunchKernel(&rt_stub_add_one, rt_dim3(1, 1, 1), rt_dim3(16, 1, 1),
	                                  args, 0, s),
	                 musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaLaunchKernel(&rt_stub_add_one, rt_dim3(1, 1, 1), rt_dim3(16, 1, 1),
	                                  args, 0, musaStreamLegacy),
	                 musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(musaStreamLegacy), musaSuccess);
	expect_ints(d, 16, 1);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

enum { THREAD_N = 4096, THREAD_LAUNCHES = 10 };

/* Each thread: own buffer, own stream, THREAD_LAUNCHES launches; returns
 * the first failure, or a value mismatch as musaErrorUnknown. */
static void *launch_thread(void *arg)
{
	musaError_t *result = arg;
	int *h = calloc(THREAD_N, sizeof(int)), *d = NULL;
	musaStream_t s = NULL;
	musaError_t e;

	e = h ? musaMalloc((void **)&d, THREAD_N * sizeof(int)) : musaErrorMemoryAllocation;
	if (e == musaSuccess)
		e = musaStreamCreateWithFlags(&s, musaStreamNonBlocking);
	if (e == musaSuccess)
		e = musaMemsetAsync(d, 0, THREAD_N * sizeof(int), s);
	for (int i = 0; i < THREAD_LAUNCHES && e == musaSuccess; i++)
		e = rt_launch_add_one(d, THREAD_N, 64, s);
	if (e == musaSuccess)
		e = musaMemcpyAsync(h, d, THREAD_N * sizeof(int), musaMemcpyDeviceToHost, s);
	if (e == musaSuccess)
		e = musaStreamSynchronize(s);
	for (int i = 0; i < THREAD_N && e == musaSuccess; i++)
		if (h[i] != THREAD_LAUNCHES)
			e = musaErrorUnknown;
	if (s)
		musaStreamDestroy(s);
	musaFree(d);
	free(h);
	*result = e;
	return NULL;
}

START_TEST(test_musaLaunchKernel_from_many_threads)
{
	pthread_t t[4];
	musaError_t r[4];

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, launch_thread, &r[i]), 0);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(r[i], musaSuccess);
	}
}
END_TEST

/*
 * Threads that use only their own streams: each round creates a stream,
 * launches on it, destroys it, then syncs the device and frees its buffer.
 * A device sync in one thread lists every stream and waits on them; a
 * stream destroyed by another thread meanwhile must keep its timeline
 * until that wait is done. Before it did, about 4 rounds in 1000 failed:
 * musaDeviceSynchronize with InvalidResourceHandle and musaFree with
 * InvalidValue (freeing nothing).
 */
enum { CHURN_THREADS = 8, CHURN_ROUNDS = 1500 };

static void *churn_thread(void *arg)
{
	int *failures = arg;

	for (int i = 0; i < CHURN_ROUNDS; i++) {
		musaStream_t s;
		int *d = NULL;

		if (musaStreamCreate(&s) != musaSuccess) {
			(*failures)++;
			continue;
		}
		if (musaMalloc((void **)&d, 64 * sizeof(int)) != musaSuccess ||
		    rt_launch_add_one(d, 64, 64, s) != musaSuccess)
			(*failures)++;
		if (musaStreamDestroy(s) != musaSuccess)
			(*failures)++;
		if (musaDeviceSynchronize() != musaSuccess)
			(*failures)++;
		if (d && musaFree(d) != musaSuccess)
			(*failures)++;
	}
	return NULL;
}

START_TEST(test_stream_churn_beside_device_syncs_in_many_threads)
{
	pthread_t t[CHURN_THREADS];
	int failures[CHURN_THREADS] = { 0 };

	for (int i = 0; i < CHURN_THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, churn_thread, &failures[i]), 0);
	for (int i = 0; i < CHURN_THREADS; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(failures[i], 0);
	}
}
END_TEST

/* call configuration */

START_TEST(test_musaPopCallConfiguration_without_push)
{
	dim3 g, b;
	size_t shm;
	musaStream_t s;

	ck_assert_int_eq(__musaPopCallConfiguration(&g, &b, &shm, &s), musaErrorMissingConfiguration);
	ck_assert_int_eq(musaGetLastError(), musaErrorMissingConfiguration);
}
END_TEST

START_TEST(test_musaPushCallConfiguration_is_lifo)
{
	dim3 g, b;
	size_t shm;
	musaStream_t s;

	ck_assert_uint_eq(__musaPushCallConfiguration(rt_dim3(1, 2, 3), rt_dim3(4, 5, 6), 7,
	                                              (void *)0x10), 0);
	ck_assert_uint_eq(__musaPushCallConfiguration(rt_dim3(8, 9, 10), rt_dim3(11, 12, 13), 14,
	                                              NULL), 0);
	ck_assert_int_eq(__musaPopCallConfiguration(&g, &b, &shm, &s), musaSuccess);
	ck_assert_uint_eq(g.x, 8);
	ck_assert_uint_eq(b.z, 13);
	ck_assert_uint_eq(shm, 14);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(__musaPopCallConfiguration(&g, &b, &shm, &s), musaSuccess);
	ck_assert_uint_eq(g.x, 1);
	ck_assert_uint_eq(g.y, 2);
	ck_assert_uint_eq(g.z, 3);
	ck_assert_uint_eq(b.x, 4);
	ck_assert_uint_eq(b.y, 5);
	ck_assert_uint_eq(b.z, 6);
	ck_assert_uint_eq(shm, 7);
	ck_assert_ptr_eq(s, (musaStream_t)0x10);
	ck_assert_int_eq(__musaPopCallConfiguration(&g, &b, &shm, &s), musaErrorMissingConfiguration);
}
END_TEST

/* What an mcc stub for add_one does: pop the configuration, then launch. */
static musaError_t stub_add_one(int *p, unsigned int n)
{
	dim3 g, b;
	size_t shm;
	musaStream_t s;
	void *args[] = { &p, &n };

	if (__musaPopCallConfiguration(&g, &b, &shm, &s) != musaSuccess)
		return musaErrorMissingConfiguration;
	return musaLaunchKernel(&rt_stub_add_one, g, b, args, shm, s);
}

START_TEST(test_musaPushCallConfiguration_drives_a_launch)
{
	int *d = dev_ints(1000, 5);

	ck_assert_uint_eq(__musaPushCallConfiguration(rt_dim3(8, 1, 1), rt_dim3(128, 1, 1), 0, NULL), 0);
	ck_assert_int_eq(stub_add_one(d, 1000), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 1000, 6);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

/* registration */

START_TEST(test_register_bad_magic_is_invalid_kernel_image)
{
	static const char stub;
	struct __musaFatImage img = { RT_TEST_ARCH, 0, kernels.data, kernels.image.size };
	struct __musaFatBinaryWrapper w = { 0xdeadbeefu, MUSA_FATBIN_VERSION, &img, 1 };
	void **h = __musaRegisterFatBinary(&w);
	int *d = dev_ints(1, 0);
	unsigned int n = 1;
	void *args[] = { &d, &n };

	ck_assert_ptr_nonnull(h);
	rt_register_kernel(h, &stub, "add_one");
	ck_assert_int_eq(musaLaunchKernel(&stub, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0, NULL),
	                 musaErrorInvalidKernelImage);
	__musaUnregisterFatBinary(h);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_register_bad_version_is_invalid_kernel_image)
{
	static const char stub;
	struct __musaFatImage img = { RT_TEST_ARCH, 0, kernels.data, kernels.image.size };
	struct __musaFatBinaryWrapper w = { MUSA_FATBIN_MAGIC, MUSA_FATBIN_VERSION + 1, &img, 1 };
	void **h = __musaRegisterFatBinary(&w);
	void *args[] = { NULL };

	rt_register_kernel(h, &stub, "add_one");
	ck_assert_int_eq(musaLaunchKernel(&stub, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0, NULL),
	                 musaErrorInvalidKernelImage);
	__musaUnregisterFatBinary(h);
}
END_TEST

/* An image of a 128-lane-warp arch (mp_21) does not run on the default
 * device (sm_80, 32 lanes). */
START_TEST(test_register_other_arch_is_no_kernel_image)
{
	static const char stub;
	struct rt_kernels_fatbin fb;
	size_t size;
	void *data = rt_read_file(RT_ARCH21_PATH, &size);
	void **h = rt_register_image(&fb, 21, data, size);
	void *args[] = { NULL };

	rt_register_kernel(h, &stub, "nop");
	ck_assert_int_eq(musaLaunchKernel(&stub, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0, NULL),
	                 musaErrorNoKernelImageForDevice);
	ck_assert_int_eq(musaGetLastError(), musaErrorNoKernelImageForDevice);
	__musaUnregisterFatBinary(h);
	free(data);
}
END_TEST

/* Without an image of the device's arch, the highest older arch of the
 * same warp size runs: mp_31's here (sm_50 .. sm_75 likewise); the mp_21
 * image is never picked and a newer one (sm_90) is not tried. */
START_TEST(test_register_picks_highest_compatible_older_image)
{
	static const char stub;
	static char garbage[256];
	size_t size;
	void *arch21 = rt_read_file(RT_ARCH21_PATH, &size);
	struct __musaFatImage imgs[3] = {
		{ 21, 0, arch21, size },
		{ 90, 0, garbage, sizeof(garbage) },
		{ RT_TEST_ARCH, 0, kernels.data, kernels.image.size },
	};
	struct __musaFatBinaryWrapper w = { MUSA_FATBIN_MAGIC, MUSA_FATBIN_VERSION, imgs, 3 };
	void **h = __musaRegisterFatBinary(&w);
	int *d = dev_ints(8, 1);
	unsigned int n = 8;
	void *args[] = { &d, &n };

	rt_register_kernel(h, &stub, "add_one");
	ck_assert_int_eq(musaLaunchKernel(&stub, rt_dim3(1, 1, 1), rt_dim3(8, 1, 1), args, 0, NULL),
	                 musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 8, 2);
	__musaUnregisterFatBinary(h);
	ck_assert_int_eq(musaFree(d), musaSuccess);
	free(arch21);
}
END_TEST

START_TEST(test_register_garbage_image_is_invalid_kernel_image)
{
	static const char stub;
	static char garbage[4096];
	struct rt_kernels_fatbin fb;
	void **h;
	void *args[] = { NULL };

	memset(garbage, 0xa5, sizeof(garbage));
	memcpy(garbage, "\177ELF", 4);
	h = rt_register_image(&fb, RT_TEST_ARCH, garbage, sizeof(garbage));
	rt_register_kernel(h, &stub, "add_one");
	ck_assert_int_eq(musaLaunchKernel(&stub, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0, NULL),
	                 musaErrorInvalidKernelImage);
	__musaUnregisterFatBinary(h);
	/* The device is not harmed by a rejected image. */
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
}
END_TEST

START_TEST(test_register_unknown_kernel_name_is_invalid_device_function)
{
	void *args[] = { NULL };

	rt_register_kernel(kernels.handle, &rt_stub_missing, "no_such_kernel");
	ck_assert_int_eq(musaLaunchKernel(&rt_stub_missing, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args,
	                                  0, NULL),
	                 musaErrorInvalidDeviceFunction);
}
END_TEST

START_TEST(test_register_unknown_handle_is_ignored)
{
	static const char stub;
	void *args[] = { NULL };
	int bogus = 0;

	rt_register_kernel((void **)&bogus, &stub, "add_one");
	ck_assert_int_eq(musaLaunchKernel(&stub, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0, NULL),
	                 musaErrorInvalidDeviceFunction);
	__musaUnregisterFatBinary((void **)&bogus);
	__musaUnregisterFatBinary(NULL);
}
END_TEST

START_TEST(test_unregister_removes_functions)
{
	int *d = dev_ints(4, 0);

	ck_assert_int_eq(rt_launch_add_one(d, 4, 4, NULL), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	__musaUnregisterFatBinary(kernels.handle);
	ck_assert_int_eq(rt_launch_add_one(d, 4, 4, NULL), musaErrorInvalidDeviceFunction);
	expect_ints(d, 4, 1);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_register_two_images_picks_device_arch)
{
	static const char stub;
	static char garbage[256];
	struct __musaFatImage imgs[2] = {
		{ 21, 0, garbage, sizeof(garbage) },
		{ RT_TEST_ARCH, 0, kernels.data, kernels.image.size },
	};
	struct __musaFatBinaryWrapper w = { MUSA_FATBIN_MAGIC, MUSA_FATBIN_VERSION, imgs, 2 };
	void **h = __musaRegisterFatBinary(&w);
	int *d = dev_ints(8, 1);

	rt_register_kernel(h, &stub, "add_one");
	{
		unsigned int n = 8;
		void *args[] = { &d, &n };
		ck_assert_int_eq(musaLaunchKernel(&stub, rt_dim3(1, 1, 1), rt_dim3(8, 1, 1), args, 0,
		                                  NULL),
		                 musaSuccess);
	}
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 8, 2);
	__musaUnregisterFatBinary(h);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

static struct rt_kernels_fatbin exit_kernels;

static void unregister_at_exit(void)
{
	__musaUnregisterFatBinary(exit_kernels.handle);
}

/* Runs `used` or not, then exits with the unregister hook as a destructor. */
static int exit_child(int used)
{
	pid_t pid = fork();
	int status = -1;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		rt_register_test_kernels(&exit_kernels);
		atexit(unregister_at_exit);
		if (used) {
			int *d = NULL;
			unsigned int n = 1;
			void *args[] = { &d, &n };
			if (musaMalloc((void **)&d, sizeof(int)) != musaSuccess ||
			    musaLaunchKernel(&rt_stub_add_one, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0,
			                     NULL) != musaSuccess ||
			    musaDeviceSynchronize() != musaSuccess)
				_exit(3);
		}
		exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

START_TEST(test_unregister_at_exit_after_use)
{
	int status = exit_child(1);

	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(test_unregister_at_exit_never_used)
{
	int status = exit_child(0);

	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* sticky errors */

START_TEST(test_fault_is_sticky_until_reset)
{
	int *bad = (int *)8;
	void *args[] = { &bad };
	void *d = NULL;
	musaError_t e;

	e = musaLaunchKernel(&rt_stub_poke, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0, NULL);
	ck_assert_msg(e == musaSuccess || e == musaErrorIllegalAddress, "launch: %d", (int)e);
	ck_assert_int_eq(musaDeviceSynchronize(), musaErrorIllegalAddress);
	/* Every later call on the device reports it ... */
	ck_assert_int_eq(musaMalloc(&d, 64), musaErrorIllegalAddress);
	ck_assert_int_eq(musaDeviceSynchronize(), musaErrorIllegalAddress);
	ck_assert_int_eq(rt_launch_add_one(NULL, 1, 1, NULL), musaErrorIllegalAddress);
	/* ... and reading the last error does not clear it. */
	ck_assert_int_eq(musaGetLastError(), musaErrorIllegalAddress);
	ck_assert_int_eq(musaGetLastError(), musaErrorIllegalAddress);
	ck_assert_int_eq(musaPeekAtLastError(), musaErrorIllegalAddress);

	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	ck_assert_int_eq(musaMalloc(&d, 4 * sizeof(int)), musaSuccess);
	ck_assert_int_eq(musaMemset(d, 0, 4 * sizeof(int)), musaSuccess);
	/* Modules load again into the fresh context. */
	ck_assert_int_eq(rt_launch_add_one(d, 4, 4, NULL), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 4, 1);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_device_assert_is_sticky_until_reset)
{
	void *d = NULL;
	musaStream_t s;
	musaError_t e;

	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	e = musaLaunchKernel(&rt_stub_assert_fail, rt_dim3(2, 1, 1), rt_dim3(1, 1, 1), NULL, 0, s);
	ck_assert_msg(e == musaSuccess || e == musaErrorAssert, "launch: %d", (int)e);
	ck_assert_int_eq(musaStreamSynchronize(s), musaErrorAssert);
	ck_assert_int_eq(musaMalloc(&d, 64), musaErrorAssert);
	ck_assert_int_eq(musaStreamQuery(s), musaErrorAssert);
	ck_assert_int_eq(musaDeviceSynchronize(), musaErrorAssert);
	ck_assert_int_eq(musaGetLastError(), musaErrorAssert);
	ck_assert_int_eq(musaGetLastError(), musaErrorAssert);
	/* Device queries do not need the context and still answer. */
	{
		int n = 0;
		ck_assert_int_eq(musaGetDeviceCount(&n), musaSuccess);
	}
	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaErrorInvalidResourceHandle);
	d = dev_ints(4, 1);
	ck_assert_int_eq(rt_launch_add_one(d, 4, 4, NULL), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 4, 2);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_reset_reloads_modules)
{
	int *d = dev_ints(4, 0);

	ck_assert_int_eq(rt_launch_add_one(d, 4, 4, NULL), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	d = dev_ints(4, 10);
	ck_assert_int_eq(rt_launch_add_one(d, 4, 4, NULL), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	expect_ints(d, 4, 11);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

static Suite *launch_suite(void)
{
	Suite *s = suite_create("runtime_launch");
	TCase *tc = tcase_create("configuration");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup_kernels, NULL);
	tcase_add_test(tc, test_musaLaunchKernel_runs_every_thread);
	tcase_add_test(tc, test_musaLaunchKernel_multidimensional_grid);
	tcase_add_test(tc, test_musaLaunchKernel_2048_threads_invalid_configuration);
	tcase_add_test(tc, test_musaLaunchKernel_threads_product_over_limit);
	tcase_add_test(tc, test_musaLaunchKernel_zero_dimension);
	tcase_add_test(tc, test_musaLaunchKernel_block_dim_over_max);
	tcase_add_test(tc, test_musaLaunchKernel_grid_too_large);
	tcase_add_test(tc, test_musaLaunchKernel_too_much_shared_memory);
	tcase_add_test(tc, test_musaLaunchKernel_unregistered_function);
	tcase_add_test(tc, test_musaLaunchKernel_bad_stream);
	tcase_add_test(tc, test_musaLaunchKernel_from_many_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("threads");
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup_kernels, NULL);
	tcase_add_test(tc, test_stream_churn_beside_device_syncs_in_many_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("call_configuration");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup_kernels, NULL);
	tcase_add_test(tc, test_musaPopCallConfiguration_without_push);
	tcase_add_test(tc, test_musaPushCallConfiguration_is_lifo);
	tcase_add_test(tc, test_musaPushCallConfiguration_drives_a_launch);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *registration_suite(void)
{
	Suite *s = suite_create("runtime_registration");
	TCase *tc = tcase_create("registration");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup_kernels, NULL);
	tcase_add_test(tc, test_register_bad_magic_is_invalid_kernel_image);
	tcase_add_test(tc, test_register_bad_version_is_invalid_kernel_image);
	tcase_add_test(tc, test_register_other_arch_is_no_kernel_image);
	tcase_add_test(tc, test_register_picks_highest_compatible_older_image);
	tcase_add_test(tc, test_register_garbage_image_is_invalid_kernel_image);
	tcase_add_test(tc, test_register_unknown_kernel_name_is_invalid_device_function);
	tcase_add_test(tc, test_register_unknown_handle_is_ignored);
	tcase_add_test(tc, test_unregister_removes_functions);
	tcase_add_test(tc, test_register_two_images_picks_device_arch);
	tcase_add_test(tc, test_unregister_at_exit_after_use);
	tcase_add_test(tc, test_unregister_at_exit_never_used);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *sticky_suite(void)
{
	Suite *s = suite_create("runtime_sticky");
	TCase *tc = tcase_create("sticky");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup_kernels, NULL);
	tcase_add_test(tc, test_device_assert_is_sticky_until_reset);
	tcase_add_test(tc, test_fault_is_sticky_until_reset);
	tcase_add_test(tc, test_reset_reloads_modules);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *suites[] = { launch_suite(), registration_suite(), sticky_suite() };

	return rt_run_suites(suites, 3);
}
