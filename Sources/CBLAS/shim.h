// OpenBLAS's C interface: cblas_sgemm, cblas_somatcopy, openblas_set_num_threads and
// openblas_get_corename.
// The include folder comes from pkg-config (openblas, Debian package libopenblas-dev).
#include <cblas.h>
