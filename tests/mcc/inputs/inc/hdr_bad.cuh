/* An error in a header's kernel: it must name this file, line and column. */
int hdr_host_only(int x) { return x; }
__global__ void hdr_calls_host(int *p) { *p = hdr_host_only(1); }
