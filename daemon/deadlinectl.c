/* deadlinectl — the admin's tool. This file only hands over to cli.c. */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
