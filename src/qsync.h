/* qsync.h: making a group of new queue files durable (send's
 * preprocessing, queued's group commit). */
#ifndef CAIRN_QSYNC_H
#define CAIRN_QSYNC_H

/* 1 on Linux 5.8 or later, where syncfs reports write-back errors (of any
 * file of the file system since the descriptor it is given was opened or
 * last synced); before that a failed write would pass unseen. */
int qsync_fs_reports_errors(void) ;

/* fsyncs the n descriptors fd[0..n-1] at the same time: all but the last
 * go to glibc's POSIX AIO threads (aio_fsync), the caller's thread does
 * the last, then waits for the others. Each file's writes and cache flush
 * overlap the others', so a group costs about one fsync's wait instead of
 * n in a row, and unlike a syncfs it writes back nothing but these files
 * and tells which one failed. A request the AIO threads refuse is done in
 * the caller's thread. err[i] is 0 or the errno of fd[i]'s fsync; returns
 * how many failed. */
unsigned int qsync_all(int const *fd, int *err, unsigned int n) ;

#endif
