/* Compiled with -c; its kernel is launched from sep_main.mu. */
__global__ void fill_value(int *p, int v)
{
	p[blockIdx.x * blockDim.x + threadIdx.x] = v;
}
