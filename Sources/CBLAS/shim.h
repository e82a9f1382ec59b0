// OpenBLAS's C interface: cblas_sgemm and openblas_set_num_threads.
// The include folder comes from pkg-config (openblas, Debian package libopenblas-dev).
#include <cblas.h>
