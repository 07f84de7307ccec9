#ifndef ATRIUM_CHIREDIS_SHIM_H
#define ATRIUM_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
#endif
