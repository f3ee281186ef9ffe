#include <cublas_v2.h>
#include <musa_runtime.h>

#define CUDA_CHECK(call) do { if ((call) != musaSuccess) return 1; } while (0)

static int cudaCheck(musaError_t e) { return e != musaSuccess; }

int main()
{
	cublasHandle_t handle;
	CUDA_CHECK(musaSetDevice(0));
	cublasCreate(&handle);
	cublasCreate(&handle);
	thrust::device_vector<int> v;
	int cudaLocal = 0, cudaOther = cudaCheck(musaSuccess);
	return cudaLocal + cudaOther + cudaMallocWrapper(0);
}
