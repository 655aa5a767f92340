// SPDX-License-Identifier: GPL-2.0
/*
 * The DittoFS KUnit module: every *_kunit.c suite in this directory is
 * linked into dittofs_kunit.ko and runs when it is loaded after dittofs.ko.
 */
#include <linux/module.h>
#include <kunit/test.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for DittoFS");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
