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

// For the stall watch: a channel of its own, arrival notices from any rank.
static inline int gumbelgan_any_source(void) { return MPI_ANY_SOURCE; }
static inline MPI_Datatype gumbelgan_int64(void) { return MPI_INT64_T; }
static inline MPI_Request gumbelgan_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *gumbelgan_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline int gumbelgan_status_source(const MPI_Status *status) { return status->MPI_SOURCE; }
