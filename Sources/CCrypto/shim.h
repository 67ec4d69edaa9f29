#ifndef VANTAGE_CCRYPTO_SHIM_H
#define VANTAGE_CCRYPTO_SHIM_H
#include <sodium.h>
#endif
