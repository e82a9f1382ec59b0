// OpenBLAS's C interface: cblas_sgemm, cblas_somatcopy and openblas_set_num_threads.
// The include folder comes from pkg-config (openblas, Debian package libopenblas-dev).
#include <cblas.h>
