/* What mcc edits, in headers: a nested quoted include, device variables,
 * a barrier function, a launch in a header's macro, a header included
 * twice behind its guard. */
#include "check.h"
#include "inc/sub/hdr_sum.cuh"
#include <hdr_launch.h>
#include "inc/sub/hdr_sum.cuh"

int main(void)
{
	int h[64], *d, *out, bias = HDR_STEP, r = 0, total = 0, sum = 0;

	for (int i = 0; i < 64; i++) {
		h[i] = i * 3 - 7;
		sum += h[i] + bias;
	}
	CHECK(musaMalloc(&d, sizeof(h)));
	CHECK(musaMalloc(&out, sizeof(int)));
	CHECK(musaMemcpy(d, h, sizeof(h), musaMemcpyHostToDevice));
	CHECK(musaMemcpyToSymbol(hdr_bias, &bias, sizeof(bias)));
	CHECK(musaMemcpyToSymbol(hdr_total, &total, sizeof(total)));
	HDR_RUN(hdr_sum, 64, d, out);
	HDR_RUN(hdr_sum, 64, d, out);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(&r, out, sizeof(r), musaMemcpyDeviceToHost));
	CHECK(musaMemcpyFromSymbol(&total, hdr_total, sizeof(total)));
	EXPECT(r == sum);
	EXPECT(total == 2 * sum);
	CHECK(musaFree(d));
	CHECK(musaFree(out));
	return 0;
}
