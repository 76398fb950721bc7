#include "config.h"
#include "burrow-test-env.h"
int main (int argc, char **argv) { burrow_test_init (&argc, &argv); return g_test_run (); }
