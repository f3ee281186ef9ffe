/* Under MUSA_DEBUG_SERIAL=1 (tests/debug/test_gdb.c) work-groups and their
 * threads run one at a time in grid order, on one thread at a time: each
 * thread takes the next ticket, and the tickets come out in order of the
 * global index, for a barrier-free kernel and a kernel with a barrier
 * (in each region the threads take turns in order). Exit 0 when so. */
#include <stdio.h>
#include <musa_runtime.h>

#define BLOCKS 6
#define THREADS 32

__global__ void plain(unsigned *order, unsigned *ticket)
{
	unsigned t = atomicAdd(ticket, 1u);

	order[t] = blockIdx.x * blockDim.x + threadIdx.x;
}

__global__ void barrier(unsigned *order, unsigned *ticket)
{
	__shared__ unsigned first[THREADS];
	unsigned t = atomicAdd(ticket, 1u);

	first[threadIdx.x] = t;
	__syncthreads();
	order[first[threadIdx.x]] = blockIdx.x * blockDim.x + threadIdx.x;
}

static int check(const char *name, unsigned *d_order, unsigned *d_ticket, int which)
{
	unsigned h[BLOCKS * THREADS];

	if (musaMemset(d_ticket, 0, sizeof(unsigned)) != musaSuccess)
		return 1;
	if (which == 0)
		plain<<<BLOCKS, THREADS>>>(d_order, d_ticket);
	else
		barrier<<<BLOCKS, THREADS>>>(d_order, d_ticket);
	if (musaMemcpy(h, d_order, sizeof(h), musaMemcpyDeviceToHost) != musaSuccess)
		return 1;
	for (unsigned i = 0; i < BLOCKS * THREADS; i++)
		if (h[i] != i) {
			fprintf(stderr, "%s: ticket %u went to thread %u\n", name, i, h[i]);
			return 1;
		}
	return 0;
}

int main(void)
{
	unsigned *order, *ticket;

	if (musaMalloc(&order, BLOCKS * THREADS * sizeof(unsigned)) != musaSuccess ||
	    musaMalloc(&ticket, sizeof(unsigned)) != musaSuccess)
		return 1;
	if (check("plain", order, ticket, 0) || check("barrier", order, ticket, 1))
		return 1;
	printf("serial_order: in order\n");
	return 0;
}
