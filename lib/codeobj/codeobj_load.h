/* SPDX-License-Identifier: MIT */
/*
 * codeobj_load.h - the loader-side checks of a code object (loadcheck.c),
 * private to libmusa_codeobj.a.
 */
#ifndef CODEOBJ_LOAD_H
#define CODEOBJ_LOAD_H

#include <stddef.h>

/*
 * Checks every structure the dynamic loader follows when it maps and
 * relocates `img` (size bytes, 8-byte aligned, ELF header already checked
 * by the caller): program headers, the dynamic section and every table it
 * names, relocations, symbol versions and dependencies; refuses what would
 * run code of the image at load (initializers, finalizers, IFUNCs) or load
 * anything but the allowed system libraries. 0 or -ENOEXEC.
 */
int co_check_load(const unsigned char *img, size_t size);

#endif /* CODEOBJ_LOAD_H */
