/* Loop mode's x loops: the thread whose global x index is 0 runs before its
 * row's loop, and kernels that read threadIdx.x and blockIdx.x only as
 * blockIdx.x * blockDim.x + threadIdx.x run a row of groups as one loop.
 * Every result against a host reference, for block shapes that are and are
 * not multiples of a vector, grids whose runs of groups span several rows
 * of groups, and pointers that alias. */
#include "check.h"
#include <string.h>

/* Rodinia gaussian's update (unsigned: exact): an early return, and one
 * thread per row (global x index 0) that also updates b */
__global__ void fan2(unsigned *a, unsigned *b, const unsigned *m, int n, int t)
{
	int x = blockIdx.x * blockDim.x + threadIdx.x;
	int y = blockIdx.y * blockDim.y + threadIdx.y;
	if (y >= n - 1 - t || x >= n - t)
		return;
	int r = y + t + 1, c = x + t;
	a[r * n + c] -= m[r * n + t] * a[t * n + c];
	if (x == 0)
		b[r] -= m[r * n + t] * b[t];
}

/* the first thread of each group (threadIdx.x alone: groups stay apart) */
__global__ void first_of_group(unsigned *out, const unsigned *in, int w)
{
	int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y;
	if (x >= w)
		return;
	out[y * w + x] = in[y * w + x] + 1;
	if (threadIdx.x == 0)
		out[y * w + x] += 1000;
}

/* each thread swaps its pair through two pointers that may be one array:
 * with p == q, thread i reads back its own first store */
__global__ void swap_pairs(const float *p, float *q, int n)
{
	int i = threadIdx.x + blockDim.x * blockIdx.x;
	if (i < n) {
		q[2 * i] = p[2 * i + 1];
		q[2 * i + 1] = p[2 * i];
	}
}

__device__ unsigned mix(unsigned v) { return v * 2654435761u + 7u; }

/* 64-bit index and a grid-stride loop */
__global__ void stride(unsigned *y, const unsigned *x, long n)
{
	for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < (size_t)n;
	     i += (size_t)blockDim.x * gridDim.x)
		y[i] += mix(x[i]);
}

/* every thread of a 3D grid adds its own index once */
__global__ void idx3(unsigned *out, int w, int h, int d)
{
	int x = blockDim.x * blockIdx.x + threadIdx.x;
	int y = blockIdx.y * blockDim.y + threadIdx.y;
	int z = blockIdx.z * blockDim.z + threadIdx.z;
	if (x < w && y < h && z < d)
		out[(z * h + y) * w + x] += (unsigned)((z * h + y) * w + x) + 7u;
}

static unsigned seed(int i) { return (unsigned)i * 2246822519u ^ 0x5bd1e995u; }

static int check_fan2(int n, dim3 blk)
{
	size_t na = (size_t)n * n;
	unsigned *ha = (unsigned *)malloc(na * 4), *hb = (unsigned *)malloc((size_t)n * 4);
	unsigned *ra = (unsigned *)malloc(na * 4), *rb = (unsigned *)malloc((size_t)n * 4);
	unsigned *hm = (unsigned *)malloc(na * 4);
	unsigned *a, *b, *m;

	for (size_t i = 0; i < na; i++) {
		ha[i] = ra[i] = seed((int)i);
		hm[i] = seed((int)i + 12345) & 0xff;
	}
	for (int i = 0; i < n; i++)
		hb[i] = rb[i] = seed(i + 777);
	CHECK(musaMalloc(&a, na * 4));
	CHECK(musaMalloc(&b, (size_t)n * 4));
	CHECK(musaMalloc(&m, na * 4));
	CHECK(musaMemcpy(a, ha, na * 4, musaMemcpyHostToDevice));
	CHECK(musaMemcpy(b, hb, (size_t)n * 4, musaMemcpyHostToDevice));
	CHECK(musaMemcpy(m, hm, na * 4, musaMemcpyHostToDevice));
	for (int t = 0; t < n - 1; t++) {
		dim3 grid((n - t + blk.x - 1) / blk.x, (n - 1 - t + blk.y - 1) / blk.y);
		fan2<<<grid, blk>>>(a, b, m, n, t);
		for (int y = 0; y < n - 1 - t; y++) {
			int r = y + t + 1;
			for (int c = t; c < n; c++)
				ra[r * n + c] -= hm[r * n + t] * ra[t * n + c];
			rb[r] -= hm[r * n + t] * rb[t];
		}
	}
	CHECK(musaMemcpy(ha, a, na * 4, musaMemcpyDeviceToHost));
	CHECK(musaMemcpy(hb, b, (size_t)n * 4, musaMemcpyDeviceToHost));
	EXPECT(memcmp(ha, ra, na * 4) == 0);
	EXPECT(memcmp(hb, rb, (size_t)n * 4) == 0);
	CHECK(musaFree(a));
	CHECK(musaFree(b));
	CHECK(musaFree(m));
	free(ha); free(hb); free(ra); free(rb); free(hm);
	return 0;
}

int main(void)
{
	static const dim3 shapes[] = { dim3(32, 8), dim3(16, 16), dim3(7, 3), dim3(256, 1), dim3(1, 4) };

	for (unsigned s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
		for (int n = 40; n <= 41; n++)
			if (check_fan2(n, shapes[s]))
				return 1;

	{
		/* 3 groups per row, 200 rows: runs of groups span rows */
		enum { W = 90, H = 200 };
		static unsigned hin[W * H], hout[W * H];
		unsigned *in, *out;

		for (int i = 0; i < W * H; i++)
			hin[i] = seed(i);
		CHECK(musaMalloc(&in, sizeof(hin)));
		CHECK(musaMalloc(&out, sizeof(hout)));
		CHECK(musaMemcpy(in, hin, sizeof(hin), musaMemcpyHostToDevice));
		first_of_group<<<dim3(3, H), 32>>>(out, in, W);
		CHECK(musaMemcpy(hout, out, sizeof(hout), musaMemcpyDeviceToHost));
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W; x++)
				EXPECT(hout[y * W + x] == hin[y * W + x] + 1 + (x % 32 == 0 ? 1000 : 0));
		CHECK(musaFree(in));
		CHECK(musaFree(out));
	}

	{
		enum { N = 1000 };
		static float h[2 * N], r[2 * N];
		float *p, *q;

		for (int i = 0; i < 2 * N; i++)
			h[i] = (float)i;
		CHECK(musaMalloc(&p, sizeof(h)));
		CHECK(musaMalloc(&q, sizeof(h)));
		/* in place: (x, y) -> (y, y) */
		CHECK(musaMemcpy(p, h, sizeof(h), musaMemcpyHostToDevice));
		swap_pairs<<<(N + 63) / 64, 64>>>(p, p, N);
		CHECK(musaMemcpy(r, p, sizeof(r), musaMemcpyDeviceToHost));
		for (int i = 0; i < N; i++)
			EXPECT(r[2 * i] == h[2 * i + 1] && r[2 * i + 1] == h[2 * i + 1]);
		/* apart: (x, y) -> (y, x) */
		CHECK(musaMemcpy(p, h, sizeof(h), musaMemcpyHostToDevice));
		swap_pairs<<<(N + 63) / 64, 64>>>(p, q, N);
		CHECK(musaMemcpy(r, q, sizeof(r), musaMemcpyDeviceToHost));
		for (int i = 0; i < N; i++)
			EXPECT(r[2 * i] == h[2 * i + 1] && r[2 * i + 1] == h[2 * i]);
		CHECK(musaFree(p));
		CHECK(musaFree(q));
	}

	{
		enum { N = 100003 };
		static unsigned hx[N], hy[N];
		unsigned *x, *y;

		for (int i = 0; i < N; i++)
			hx[i] = seed(i);
		CHECK(musaMalloc(&x, sizeof(hx)));
		CHECK(musaMalloc(&y, sizeof(hy)));
		CHECK(musaMemcpy(x, hx, sizeof(hx), musaMemcpyHostToDevice));
		CHECK(musaMemset(y, 0, sizeof(hy)));
		stride<<<37, 96>>>(y, x, N);
		stride<<<(N + 127) / 128, 128>>>(y, x, N);
		CHECK(musaMemcpy(hy, y, sizeof(hy), musaMemcpyDeviceToHost));
		for (int i = 0; i < N; i++)
			EXPECT(hy[i] == 2 * (hx[i] * 2654435761u + 7u));
		CHECK(musaFree(x));
		CHECK(musaFree(y));
	}

	{
		enum { W = 45, H = 13, D = 6 };
		static unsigned h[W * H * D];
		unsigned *o;

		CHECK(musaMalloc(&o, sizeof(h)));
		CHECK(musaMemset(o, 0, sizeof(h)));
		idx3<<<dim3((W + 7) / 8, (H + 3) / 4, (D + 1) / 2), dim3(8, 4, 2)>>>(o, W, H, D);
		idx3<<<dim3(1, H, D), dim3(64, 1, 1)>>>(o, W, H, D);
		CHECK(musaMemcpy(h, o, sizeof(h), musaMemcpyDeviceToHost));
		for (int i = 0; i < W * H * D; i++)
			EXPECT(h[i] == 2 * ((unsigned)i + 7u));
		CHECK(musaFree(o));
	}
	puts("loop rows: ok");
	return 0;
}
