/* SPDX-License-Identifier: MIT */
/*
 * test_backprop.mu - the job of Rodinia's backprop: one training step of a
 * two-layer perceptron whose input layer is large. layerforward multiplies
 * each 16-input slice by its 16x16 block of weights in static shared
 * memory and sums the slice down the input axis with a barrier per tree
 * level, leaving one partial sum per (block, hidden unit); the host adds
 * the partial sums and the bias and squashes. adjust_weights applies the
 * hidden deltas with momentum. The host part is plain C over flat arrays,
 * as Rodinia's is.
 * Inputs are multiples of 1/8 and weights of 1/64, so every product and
 * partial sum is exact in float: the partial sums must match bit for bit.
 */
#include <math.h>

#include "port_test.h"

#define WIDTH  16     /* hidden units, one per thread column */
#define HEIGHT 16     /* inputs per block */
#define ETA      0.3f
#define MOMENTUM 0.3f

/* input[0] is the bias unit; weights is (in + 1) x (hid + 1), row 0 and
 * column 0 unused by the forward kernel, as in Rodinia's layout. */
__global__ void layerforward(const float *input, const float *weights, float *partial, int in,
			     int hid)
{
	__shared__ float input_node[HEIGHT];
	__shared__ float weight_matrix[HEIGHT][WIDTH];
	int by = blockIdx.y, tx = threadIdx.x, ty = threadIdx.y;
	int index = (hid + 1) * HEIGHT * by + (hid + 1) * ty + tx + 1 + (hid + 1);
	int index_in = HEIGHT * by + ty + 1;

	(void)in;
	if (tx == 0)
		input_node[ty] = input[index_in];
	__syncthreads();
	weight_matrix[ty][tx] = weights[index] * input_node[ty];
	__syncthreads();
	for (int step = 2; step <= HEIGHT; step *= 2) {
		if (ty % step == 0)
			weight_matrix[ty][tx] += weight_matrix[ty + step / 2][tx];
		__syncthreads();
	}
	if (ty == 0)
		partial[by * hid + tx] = weight_matrix[0][tx];
}

__global__ void adjust_weights(const float *delta, int hid, const float *ly, int in, float *w,
			       float *oldw)
{
	int by = blockIdx.y, tx = threadIdx.x, ty = threadIdx.y;
	int index = (hid + 1) * HEIGHT * by + (hid + 1) * ty + tx + 1 + (hid + 1);
	int index_y = HEIGHT * by + ty + 1, index_x = tx + 1;
	float dw = ETA * delta[index_x] * ly[index_y] + MOMENTUM * oldw[index];

	(void)in;
	w[index] += dw;
	oldw[index] = dw;
	__syncthreads();
	/* the bias row, once */
	if (ty == 0 && by == 0) {
		dw = ETA * delta[index_x] + MOMENTUM * oldw[index_x];
		w[index_x] += dw;
		oldw[index_x] = dw;
	}
}

static float squash(float x)
{
	return 1.0f / (1.0f + expf(-x));
}

static void run_backprop(int in)
{
	const int hid = WIDTH, blocks = in / HEIGHT;
	size_t nw = (size_t)(in + 1) * (hid + 1);
	float *input = (float *)malloc((in + 1) * sizeof(float));
	float *w = (float *)malloc(nw * sizeof(float)), *oldw = (float *)malloc(nw * sizeof(float));
	float *w_ref = (float *)malloc(nw * sizeof(float)), *oldw_ref = (float *)malloc(nw * sizeof(float));
	float *partial = (float *)malloc(blocks * hid * sizeof(float));
	float hidden[WIDTH + 1], delta[WIDTH + 1];
	float *dinput, *dw, *doldw, *dpartial, *ddelta;
	unsigned seed = 5u + (unsigned)in;
	dim3 grid(1, blocks), threads(WIDTH, HEIGHT);
	int i, j, b;

	input[0] = 1.0f;
	for (i = 1; i <= in; i++)
		input[i] = (float)((int)(port_rand(&seed) % 17) - 8) / 8.0f;
	for (i = 0; i < (int)nw; i++) {
		w[i] = (float)((int)(port_rand(&seed) % 33) - 16) / 64.0f;
		oldw[i] = (float)((int)(port_rand(&seed) % 9) - 4) / 128.0f;
	}
	dinput = (float *)dev_alloc((in + 1) * sizeof(float));
	dw = (float *)dev_alloc(nw * sizeof(float));
	doldw = (float *)dev_alloc(nw * sizeof(float));
	dpartial = (float *)dev_alloc(blocks * hid * sizeof(float));
	ddelta = (float *)dev_alloc((hid + 1) * sizeof(float));
	dev_put(dinput, input, (in + 1) * sizeof(float));
	dev_put(dw, w, nw * sizeof(float));
	dev_put(doldw, oldw, nw * sizeof(float));

	/* forward: device partial sums, checked exactly, then the host's part */
	layerforward<<<grid, threads>>>(dinput, dw, dpartial, in, hid);
	DEV_SYNC();
	dev_get(partial, dpartial, blocks * hid * sizeof(float));
	for (b = 0; b < blocks; b++)
		for (j = 1; j <= hid; j++) {
			float want = 0.0f;

			for (i = 1; i <= HEIGHT; i++)
				want += w[(b * HEIGHT + i) * (hid + 1) + j] * input[b * HEIGHT + i];
			ck_assert_msg(partial[b * hid + j - 1] == want, "block %d unit %d: %g, want %g",
				      b, j, (double)partial[b * hid + j - 1], (double)want);
		}
	for (j = 1; j <= hid; j++) {
		float sum = w[j];   /* bias weight (row 0) */

		for (b = 0; b < blocks; b++)
			sum += partial[b * hid + j - 1];
		hidden[j] = squash(sum);
		/* a stand-in error signal for the hidden layer */
		delta[j] = hidden[j] * (1.0f - hidden[j]) * (0.5f - hidden[j]);
	}
	delta[0] = 0.0f;
	/* the forward result made sense: squashed sums in (0, 1), not all equal */
	for (j = 1; j <= hid; j++)
		ck_assert(hidden[j] > 0.0f && hidden[j] < 1.0f);

	/* backward: adjust the input->hidden weights on the device */
	dev_put(ddelta, delta, (hid + 1) * sizeof(float));
	adjust_weights<<<grid, threads>>>(ddelta, hid, dinput, in, dw, doldw);
	DEV_SYNC();
	memcpy(w_ref, w, nw * sizeof(float));
	memcpy(oldw_ref, oldw, nw * sizeof(float));
	for (i = 1; i <= in; i++)
		for (j = 1; j <= hid; j++) {
			int k = i * (hid + 1) + j;
			float d = ETA * delta[j] * input[i] + MOMENTUM * oldw_ref[k];

			w_ref[k] += d;
			oldw_ref[k] = d;
		}
	for (j = 1; j <= hid; j++) {
		float d = ETA * delta[j] + MOMENTUM * oldw_ref[j];

		w_ref[j] += d;
		oldw_ref[j] = d;
	}
	dev_get(w, dw, nw * sizeof(float));
	dev_get(oldw, doldw, nw * sizeof(float));
	for (i = 0; i < (int)nw; i++) {
		ck_assert_msg(fabsf(w[i] - w_ref[i]) <= 1e-6f, "w[%d] = %g, want %g", i,
			      (double)w[i], (double)w_ref[i]);
		ck_assert_msg(fabsf(oldw[i] - oldw_ref[i]) <= 1e-6f, "oldw[%d] = %g, want %g", i,
			      (double)oldw[i], (double)oldw_ref[i]);
	}
	MUSA_OK(musaFree(dinput));
	MUSA_OK(musaFree(dw));
	MUSA_OK(musaFree(doldw));
	MUSA_OK(musaFree(dpartial));
	MUSA_OK(musaFree(ddelta));
	free(input);
	free(w);
	free(oldw);
	free(w_ref);
	free(oldw_ref);
	free(partial);
}

START_TEST(train_step_64_inputs)
{
	run_backprop(64);
}
END_TEST

START_TEST(train_step_4096_inputs)
{
	run_backprop(4096);
}
END_TEST

DEV_TEST_MAIN("ports-backprop", train_step_64_inputs, train_step_4096_inputs)
