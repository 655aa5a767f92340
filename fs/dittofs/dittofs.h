/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DittoFS: an NFSv4.1 server with a first-class session layer.
 *
 * Module-wide definitions shared by every subsystem.
 */
#ifndef _FS_DITTOFS_DITTOFS_H
#define _FS_DITTOFS_DITTOFS_H

#define DFS_VERSION	"0.1.0"

#endif /* _FS_DITTOFS_DITTOFS_H */
