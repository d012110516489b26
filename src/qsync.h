/* qsync.h: making a group of new queue files durable (send's
 * preprocessing, queued's group commit). */
#ifndef CAIRN_QSYNC_H
#define CAIRN_QSYNC_H

/* 1 on Linux 5.8 or later, where syncfs reports write-back errors (of any
 * file of the file system since the descriptor it is given was opened or
 * last synced); before that a failed write would pass unseen. */
int qsync_fs_reports_errors(void) ;

/* fsyncs the n descriptors fd[0..n-1] at the same time: the caller's
 * thread and up to 15 helper threads, started on first need and kept for
 * the life of the process, each take the next file not yet taken. Each
 * file's writes and cache flush overlap the others', so a group costs
 * about one fsync's wait instead of n in a row, and unlike a syncfs it
 * writes back nothing but these files and tells which one failed. If no
 * helper can be started the caller does them all. The helpers take no
 * signal; a forked child starts its own. err[i] is 0 or the errno of
 * fd[i]'s fsync; returns how many failed. */
unsigned int qsync_all(int const *fd, int *err, unsigned int n) ;

/* qsync_all of the n files fd[0..n-1] together with the directories
 * dir[0..ndirs-1], opened read-only into fd[n..n+ndirs-1] (fd and err
 * must have room for n + ndirs) and closed again. err[i] is 0 or the
 * errno of fd[i]'s fsync, err[n + k] that of dir[k]'s open or fsync.
 * Returns how many of the n + ndirs failed. Callers on several threads
 * (queued's committers) take turns, one group at a time. */
unsigned int qsync_with_dirs(int *fd, int *err, unsigned int n, char const *const *dir, unsigned int ndirs) ;

#endif
