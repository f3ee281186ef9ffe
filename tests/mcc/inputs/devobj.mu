/* Loaded directly by test_mcc (dlopen) to run entries without a driver. */
struct Pair { char c; double d; };

__global__ void lin(int *out)
{
	unsigned bx = blockDim.x, by = blockDim.y;
	unsigned t = (threadIdx.z * by + threadIdx.y) * bx + threadIdx.x;
	unsigned b = (blockIdx.z * gridDim.y + blockIdx.y) * gridDim.x + blockIdx.x;
	out[b * bx * by * blockDim.z + t] = (int)(b * 1000 + t);
}

__global__ void rotate(int *out)
{
	__shared__ int s[1024];
	unsigned n = blockDim.x, t = threadIdx.x;
	s[t] = (int)t;
	__syncthreads();
	out[t] = s[(t + 1) % n];
}

__global__ void warp(int *out)
{
	int t = threadIdx.x;
	int v = __shfl_down_sync(0xffffffffu, t * 10, 1);
	unsigned b = __ballot_sync(0xffffffffu, t & 1);
	out[t] = v + (b == 0xaaaaaaaau ? 0 : 100000) + __shfl_sync(0xffffffffu, t, 0) * 7;
}

__global__ void mixed(Pair p, int *out, double d)
{
	out[threadIdx.x] = (int)(p.d * 2 + d) + p.c;
}
