#include <cublas_v2.h>
#include <cuda_runtime.h>

#define CUDA_CHECK(call) do { if ((call) != cudaSuccess) return 1; } while (0)

static int cudaCheck(cudaError_t e) { return e != cudaSuccess; }

int main()
{
	cublasHandle_t handle;
	CUDA_CHECK(cudaSetDevice(0));
	cublasCreate(&handle);
	cublasCreate(&handle);
	thrust::device_vector<int> v;
	int cudaLocal = 0, cudaOther = cudaCheck(cudaSuccess);
	return cudaLocal + cudaOther + cudaMallocWrapper(0);
}
