/* SPDX-License-Identifier: MIT */
/*
 * test_hotspot.mu - the job of Rodinia's hotspot: the transient thermal
 * simulation of a chip, a 5-point stencil over a temperature grid driven by
 * a power map. Each block stages a 16x16 tile in static shared memory and
 * advances it several time steps per launch (the "pyramid": each step the
 * valid region shrinks by one cell per side, so neighbouring blocks overlap
 * by 2 * pyramid_height cells), with barriers between steps. The temperature
 * and power inputs are generated here; the host reference runs the plain
 * stencil one step at a time over the whole grid.
 */
#include <math.h>

#include "port_test.h"

#define BLOCK 16

/* Physical constants of the model, as Rodinia's hotspot uses them. */
#define MAX_PD        3.0e6f   /* maximum power density (W/m^3) */
#define PRECISION     0.001f
#define SPEC_HEAT_SI  1.75e6f
#define K_SI          100.0f
#define FACTOR_CHIP   0.5f
#define T_CHIP        0.0005f
#define CHIP_HEIGHT   0.016f
#define CHIP_WIDTH    0.016f
#define AMB_TEMP      80.0f

struct coeffs {
	float step_div_cap, rx_1, ry_1, rz_1;
};

/* One explicit step at one cell: n, s, e, w are the neighbour temperatures
 * (the cell itself at the chip's edge). Shared by the kernel and the host. */
__host__ __device__ static inline float cell_step(float t, float p, float n, float s, float e,
						  float w, struct coeffs c)
{
	return t + c.step_div_cap * (p + (s + n - 2.0f * t) * c.ry_1 +
				     (e + w - 2.0f * t) * c.rx_1 + (AMB_TEMP - t) * c.rz_1);
}

__global__ void calculate_temp(int iteration, const float *power, const float *temp_src,
			       float *temp_dst, int cols, int rows, int border_cols,
			       int border_rows, struct coeffs c)
{
	__shared__ float temp_on[BLOCK][BLOCK];
	__shared__ float power_on[BLOCK][BLOCK];
	__shared__ float temp_next[BLOCK][BLOCK];
	int tx = threadIdx.x, ty = threadIdx.y;
	/* Each block computes (BLOCK - 2 * iteration)^2 cells but loads a full
	 * tile around them. */
	int small_x = BLOCK - iteration * 2, small_y = BLOCK - iteration * 2;
	int blk_y = small_y * blockIdx.y - border_rows, blk_x = small_x * blockIdx.x - border_cols;
	int blk_ymax = blk_y + BLOCK - 1, blk_xmax = blk_x + BLOCK - 1;
	int yidx = blk_y + ty, xidx = blk_x + tx;
	int index = cols * yidx + xidx;
	/* The part of the tile that lies on the chip. */
	int valid_ymin = blk_y < 0 ? -blk_y : 0;
	int valid_ymax = blk_ymax > rows - 1 ? BLOCK - 1 - (blk_ymax - rows + 1) : BLOCK - 1;
	int valid_xmin = blk_x < 0 ? -blk_x : 0;
	int valid_xmax = blk_xmax > cols - 1 ? BLOCK - 1 - (blk_xmax - cols + 1) : BLOCK - 1;
	int n = ty - 1 < valid_ymin ? valid_ymin : ty - 1;
	int s = ty + 1 > valid_ymax ? valid_ymax : ty + 1;
	int w = tx - 1 < valid_xmin ? valid_xmin : tx - 1;
	int e = tx + 1 > valid_xmax ? valid_xmax : tx + 1;
	bool on_chip = yidx >= 0 && yidx < rows && xidx >= 0 && xidx < cols;
	bool computed = false;

	if (on_chip) {
		temp_on[ty][tx] = temp_src[index];
		power_on[ty][tx] = power[index];
	}
	__syncthreads();
	for (int i = 0; i < iteration; i++) {
		computed = false;
		if (tx >= i + 1 && tx <= BLOCK - i - 2 && ty >= i + 1 && ty <= BLOCK - i - 2 &&
		    tx >= valid_xmin && tx <= valid_xmax && ty >= valid_ymin && ty <= valid_ymax) {
			computed = true;
			temp_next[ty][tx] = cell_step(temp_on[ty][tx], power_on[ty][tx], temp_on[n][tx],
						      temp_on[s][tx], temp_on[ty][e], temp_on[ty][w], c);
		}
		__syncthreads();
		if (i == iteration - 1)
			break;
		if (computed)
			temp_on[ty][tx] = temp_next[ty][tx];
		__syncthreads();
	}
	/* Only the cells that survived all steps of this launch are exact. */
	if (computed)
		temp_dst[index] = temp_next[ty][tx];
}

static void host_step(const float *t, const float *p, float *out, int rows, int cols, struct coeffs c)
{
	for (int r = 0; r < rows; r++)
		for (int x = 0; x < cols; x++) {
			int i = r * cols + x;
			float n = t[(r > 0 ? r - 1 : r) * cols + x], s = t[(r < rows - 1 ? r + 1 : r) * cols + x];
			float w = t[r * cols + (x > 0 ? x - 1 : x)], e = t[r * cols + (x < cols - 1 ? x + 1 : x)];

			out[i] = cell_step(t[i], p[i], n, s, e, w, c);
		}
}

static void run_hotspot(int rows, int cols, int pyramid, int total)
{
	size_t n = (size_t)rows * cols, bytes = n * sizeof(float);
	float *temp = (float *)malloc(bytes), *power = (float *)malloc(bytes);
	float *ref = (float *)malloc(bytes), *ref2 = (float *)malloc(bytes), *got = (float *)malloc(bytes);
	float *dpower = (float *)dev_alloc(bytes), *dtemp[2];
	float grid_h = CHIP_HEIGHT / rows, grid_w = CHIP_WIDTH / cols;
	float cap = FACTOR_CHIP * SPEC_HEAT_SI * T_CHIP * grid_w * grid_h;
	float rx = grid_w / (2.0f * K_SI * T_CHIP * grid_h), ry = grid_h / (2.0f * K_SI * T_CHIP * grid_w);
	float rz = T_CHIP / (K_SI * grid_h * grid_w);
	float max_slope = MAX_PD / (FACTOR_CHIP * T_CHIP * SPEC_HEAT_SI);
	struct coeffs c = {PRECISION / max_slope / cap, 1.0f / rx, 1.0f / ry, 1.0f / rz};
	int border = pyramid, small = BLOCK - 2 * pyramid, src = 0, t;
	dim3 block(BLOCK, BLOCK), grid((cols + small - 1) / small, (rows + small - 1) / small);
	unsigned seed = 77u;

	/* A warm chip with a few hot spots of power. */
	for (size_t i = 0; i < n; i++) {
		temp[i] = 323.0f + (float)(port_rand(&seed) % 1000) / 100.0f;
		power[i] = (port_rand(&seed) % 13 == 0) ? 0.5f + (float)(port_rand(&seed) % 100) / 200.0f
						       : 0.001f * (float)(port_rand(&seed) % 10);
	}
	dtemp[0] = (float *)dev_alloc(bytes);
	dtemp[1] = (float *)dev_alloc(bytes);
	dev_put(dtemp[0], temp, bytes);
	dev_put(dpower, power, bytes);
	for (t = 0; t < total; t += pyramid) {
		int iters = total - t < pyramid ? total - t : pyramid;

		calculate_temp<<<grid, block>>>(iters, dpower, dtemp[src], dtemp[1 - src], cols, rows,
						border, border, c);
		MUSA_OK(musaGetLastError());
		src = 1 - src;
	}
	DEV_SYNC();
	dev_get(got, dtemp[src], bytes);

	memcpy(ref, temp, bytes);
	for (t = 0; t < total; t++) {
		host_step(ref, power, ref2, rows, cols, c);
		memcpy(ref, ref2, bytes);
	}
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(fabsf(got[i] - ref[i]) <= 1e-4f * fabsf(ref[i]),
			      "%dx%d: cell %zu: %.6f, want %.6f", rows, cols, i, (double)got[i],
			      (double)ref[i]);
	/* and the simulation did move the temperatures */
	ck_assert(fabsf(ref[0] - temp[0]) > 1e-3f || fabsf(ref[n / 2] - temp[n / 2]) > 1e-3f);
	MUSA_OK(musaFree(dpower));
	MUSA_OK(musaFree(dtemp[0]));
	MUSA_OK(musaFree(dtemp[1]));
	free(temp);
	free(power);
	free(ref);
	free(ref2);
	free(got);
}

START_TEST(pyramid_2)
{
	run_hotspot(64, 80, 2, 10);
}
END_TEST

START_TEST(pyramid_1_odd_shape)
{
	run_hotspot(37, 53, 1, 5);
}
END_TEST

START_TEST(pyramid_5_partial_last_launch)
{
	run_hotspot(96, 64, 5, 12);
}
END_TEST

DEV_TEST_MAIN("ports-hotspot", pyramid_2, pyramid_1_odd_shape, pyramid_5_partial_last_launch)
