# SPDX-License-Identifier: GPL-2.0
#
# Description: IOPS and p99 completion latency of one group (engine, rw,
# bs, iodepth) over runs, IOPS on the left axis, p99 on the right.
#
# Usage: gnuplot -e "data='trend.tsv'; out='trend.png'" plots/trend.gp
#        (out ending in .svg gives SVG, else PNG; title='...' optional)
#
# Data: tab-separated, '#' lines ignored, one line per run, oldest first:
#   1 run index (1, 2, ...; the x position)
#   2 run name (x tick label)
#   3 IOPS (median of the run's samples)
#   4 p99 completion latency in microseconds (median); NaN when unknown
if (!exists("data") || !exists("out")) {
	print "usage: gnuplot -e \"data='trend.tsv'; out='trend.png'\" trend.gp"
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
set key below noenhanced
set grid ytics
set xlabel "run"
set ylabel "IOPS"
set y2label "p99 completion latency (us)"
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
set offsets 0.3, 0.3, 0, 0
set xtics rotate by -25 noenhanced
plot data using 1:3:xtic(2) with linespoints lw 2 pt 7 title "IOPS" axes x1y1, \
     data using 1:4 with linespoints lw 2 pt 5 dt 2 title "p99 (us)" axes x1y2
