/* qsync.h: whether syncfs(2) may stand for the fsyncs of a group of new
 * queue files (send's preprocessing, queued's group commit). */
#ifndef CAIRN_QSYNC_H
#define CAIRN_QSYNC_H

/* 1 on Linux 5.8 or later, where syncfs reports write-back errors (of any
 * file of the file system since the descriptor it is given was opened or
 * last synced); before that a failed write would pass unseen. */
int qsync_fs_reports_errors(void) ;

#endif
