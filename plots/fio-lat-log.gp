# SPDX-License-Identifier: GPL-2.0
#
# Description: a latency log written by fio itself (--write_lat_log=NAME
# gives NAME_clat.1.log, NAME_lat.1.log, NAME_slat.1.log): latency of
# every I/O (or of every log_avg_msec window) over time, reads and writes
# apart. Needs nothing of fio-atomic.
#
# Usage: gnuplot -e "data='job_clat.1.log'; out='clat.png'" plots/fio-lat-log.gp
#        (out ending in .svg gives SVG, else PNG; title='...' optional)
#
# Data: fio's log format, comma-separated, one line per entry:
#   1 time since the job started, milliseconds
#   2 latency, nanoseconds
#   3 data direction: 0 read, 1 write, 2 trim
#   4 block size in bytes
#   5 offset in bytes (fio >= 3.x; a sixth column, the priority, may follow)
if (!exists("data") || !exists("out")) {
	print "usage: gnuplot -e \"data='job_clat.1.log'; out='clat.png'\" fio-lat-log.gp"
	exit status 2
}

set encoding utf8
if (strlen(out) > 4 && out[strlen(out)-3:] eq ".svg") {
	set terminal svg size 900,420 dynamic background rgb "white"
} else {
	set terminal pngcairo size 900,420 noenhanced
}
set output out
set datafile separator ","
if (exists("title")) set title title noenhanced
set key top right
set grid
set logscale y 10
set xlabel "time (s)"
set ylabel "latency (µs)"
# Only the directions the log has: a direction without points would make
# gnuplot warn.
stats data using ($3 == 0) nooutput
n_read = STATS_sum
stats data using ($3 == 1) nooutput
n_write = STATS_sum
stats data using ($3 == 2) nooutput
n_trim = STATS_sum
cmd = ""
if (n_read > 0) cmd = cmd . ", data using ($1/1000):($3 == 0 ? $2/1000 : 1/0) with points pt 7 ps 0.4 title \"read\""
if (n_write > 0) cmd = cmd . ", data using ($1/1000):($3 == 1 ? $2/1000 : 1/0) with points pt 7 ps 0.4 title \"write\""
if (n_trim > 0) cmd = cmd . ", data using ($1/1000):($3 == 2 ? $2/1000 : 1/0) with points pt 7 ps 0.4 title \"trim\""
eval "plot " . cmd[3:]
