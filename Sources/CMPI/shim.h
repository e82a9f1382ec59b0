// Open MPI's C interface. MPI_COMM_WORLD, MPI_FLOAT, MPI_DOUBLE, MPI_SUM and MPI_IN_PLACE
// are macros over addresses of globals, which Swift cannot import: these functions return
// them. The include and library folders come from pkg-config (ompi-c, Debian package
// libopenmpi-dev).
#include <mpi.h>

static inline MPI_Comm gumbelgan_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype gumbelgan_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype gumbelgan_double(void) { return MPI_DOUBLE; }
static inline MPI_Op gumbelgan_sum(void) { return MPI_SUM; }
static inline void *gumbelgan_in_place(void) { return MPI_IN_PLACE; }
