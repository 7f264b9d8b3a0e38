# SPDX-License-Identifier: GPL-2.0
#
# Description: completion latency against block size for one engine (one
# run): p50, p99 and p99.9 on a log-2 size axis.
#
# Usage: gnuplot -e "data='lat.tsv'; out='lat.png'" plots/latency-size.gp
#        (out ending in .svg gives SVG, else PNG; title='...' optional)
#
# Data: tab-separated, '#' lines ignored, one line per block size, smallest
# first:
#   1 block size in bytes
#   2 block size label ("4k", x tick label)
#   3 p50 completion latency in microseconds
#   4 p99 in microseconds
#   5 p99.9 in microseconds (NaN when unknown)
if (!exists("data") || !exists("out")) {
	print "usage: gnuplot -e \"data='lat.tsv'; out='lat.png'\" latency-size.gp"
	exit status 2
}
if (!exists("title")) title = data

if (strlen(out) > 4 && out[strlen(out)-3:] eq ".svg") {
	set terminal svg size 900,420 dynamic background rgb "white"
} else {
	set terminal pngcairo size 900,420 noenhanced
}
set output out
set datafile separator "\t"
set datafile missing "NaN"
set title title noenhanced
set key below
set grid
set logscale x 2
set logscale y 10
set offsets graph 0.05, graph 0.05, 0, 0
set xlabel "block size"
set ylabel "completion latency (us)"
plot data using 1:3:xtic(2) with linespoints lw 2 pt 7 title "p50", \
     data using 1:4 with linespoints lw 2 pt 5 title "p99", \
     data using 1:5 with linespoints lw 2 pt 9 title "p99.9"
