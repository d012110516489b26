/* localprog.h: a "|command" delivery, as qmail-command(8): sh -c command
 * in the current directory (the home), the message on its standard input
 * exactly as queued (no Return-Path or Delivered-To: those are in $RPLINE
 * and $DTLINE), the environment local has set. Its standard output and
 * error are collected; the first line, cut at LOCALPROG_OUT_MAX bytes, is
 * kept for the report, the rest is read and dropped. */
#ifndef CAIRN_LOCALPROG_H
#define CAIRN_LOCALPROG_H

#include <skalibs/stralloc.h>

#define LOCALPROG_OUT_MAX 400

/* What the command's exit code means, as qmail-local reads it: 0 delivered;
 * 99 delivered, ignore the next lines; 100 and the sendmail codes 64, 65,
 * 70, 76, 77, 78 and 112 permanent failure (100); anything else temporary
 * (111). Returns 0, 99, 100 or 111. */
int localprog_exitmeaning(int code) ;

/* Runs command with msgfd (rewound) as its fd 0. Returns 0, 99, 100 or 111;
 * out gets the first line of the command's output (not NUL-terminated,
 * possibly empty). On 100 and 111, why gets the explanation: that line if
 * there is one, else a description of the exit code or signal or of why
 * the command could not be run. */
int localprog_run(char const *command, int msgfd, stralloc *out, stralloc *why) ;

#endif
