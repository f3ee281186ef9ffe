/* A launch written in a header's macro and expanded in the .mu. */
#ifndef HDR_LAUNCH_H
#define HDR_LAUNCH_H
#define HDR_RUN(k, n, ...) k<<<1, (n)>>>(__VA_ARGS__)
#endif
