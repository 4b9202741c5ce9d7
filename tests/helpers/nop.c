// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The smallest useful exec target: a static binary that exits 0 at once. */
int main(void)
{
	return 0;
}
