/* The generated header compiles on its own, included twice, in C and C++. */
#include "herald.h"
#include "herald.h"

int main(void) {
    herald_str text = {"x", 1};
    return (int)(text.len - 1) + (herald_abi_version() == HERALD_ABI_VERSION ? 0 : 1);
}
