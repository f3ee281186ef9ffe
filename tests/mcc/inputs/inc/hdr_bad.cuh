/* An error mcc reports itself: it must name this file and line. */

__global__ void hdr_unnamed(int *)
{
}
