# SPDX-License-Identifier: GPL-2.0
#
# Description: IOPS and p99 completion latency over runs of one target's
# engine, rw and queue depth, one line per write size: IOPS above, p99
# below, on one run axis. Changes of kernel, firmware or fio between runs
# are vertical lines with a label. No gnuplot warning on any data of this
# layout: a single run or a single value draws points.
#
# Usage: gnuplot -e "data='trend.tsv'; out='trend.png'" plots/trend.gp
#        optional: marks='marks.tsv'; title='...'; out ending in .svg
#        gives SVG, else PNG
#
# Data: tab-separated, '#' lines ignored. One block per write size, blocks
# apart by two blank lines; a block opens with a header line of four
# fields, the second naming the size ("run<TAB>16k<TAB>iops<TAB>p99_us"),
# then one line per run, oldest first:
#   1 run index (1, 2, ...: the x position; the same run, the same index
#     in every block)
#   2 run name (x tick label)
#   3 IOPS (median of the run's samples), 1/s
#   4 p99 completion latency (median), microseconds; NaN when unknown
# A block without a finite IOPS (or p99) is left out of that panel.
#
# Marks: tab-separated, one line per change, '#' lines ignored:
#   1 index of the first run with the change (the line is drawn just
#     before it)
#   2 label ("kernel 6.18"); successive labels step down, so that
#     changes one run apart stay legible
if (!exists("data") || !exists("out")) {
	print "usage: gnuplot -e \"data='trend.tsv'; out='trend.png'\" trend.gp"
	exit status 2
}
set encoding utf8
if (strlen(out) > 4 && out[strlen(out)-3:] eq ".svg") {
	set terminal svg size 800,560 dynamic background rgb "white" font "sans,11"
} else {
	set terminal pngcairo size 800,560 noenhanced font "sans,10"
}
set output out
set datafile separator "\t"

stats data using 1 nooutput
runs = int(STATS_max)
series = STATS_blocks
# Which blocks have finite IOPS, which finite p99: a plot element with no
# valid point would make gnuplot warn, so only those are drawn.
iops_max = 0
p99_max = 0
iops_blocks = ""
p99_blocks = ""
fin(c) = strcol(c) eq "NaN" ? 0 : column(c)
do for [i=0:series-1] {
	stats data index i using (fin(3)) nooutput
	if (STATS_max > 0) { iops_blocks = iops_blocks . " " . i }
	if (STATS_max > iops_max) { iops_max = STATS_max }
	stats data index i using (fin(4)) nooutput
	if (STATS_max > 0) { p99_blocks = p99_blocks . " " . i }
	if (STATS_max > p99_max) { p99_max = STATS_max }
}
has_p99 = words(p99_blocks) > 0
# from here on NaN is a gap in a line
set datafile missing "NaN"
style = runs < 2 ? "points pt 7 ps 1.2" : "linespoints lw 2 pt 7 ps 0.8"

set key outside right top vertical noenhanced title "write size"
set grid ytics
set xrange [0.5:runs + 0.5]
set lmargin 11
set rmargin 16
set xtics 1 nomirror
set ytics nomirror
set y2range [0:1]
unset y2tics
set style arrow 1 nohead dt 2 lw 1.5 lc rgb "#b00020"

set multiplot layout (has_p99 ? 2 : 1), 1
if (exists("title")) set title title noenhanced
set ylabel "IOPS (1/s)"
set yrange [0:(iops_max > 0 ? iops_max * 1.15 : 1)]
# the run names under the lowest panel only
if (has_p99) {
	set format x ""
	set xlabel ""
	top_x = "1:3"
} else {
	set xlabel "run (oldest first)"
	set xtics rotate by -25 noenhanced
	top_x = "1:3:xtic(2)"
}
top = "plot for [b in iops_blocks] data index int(b) using " . top_x . " with " . style . " lc int(b)+1 title columnheader(2)"
if (exists("marks")) {
	top = top . ", marks using ($1-0.5):(0):(0):(1) axes x1y2 with vectors arrowstyle 1 notitle, " . \
	      "marks using ($1-0.5):(0.95 - 0.09 * (int(column(0)) % 3)):2 axes x1y2 with labels left offset 0.4,0 tc rgb \"#b00020\" notitle"
}
eval top
unset title
unset key
if (has_p99) {
	set ylabel "p99 completion latency (µs)"
	set yrange [0:(p99_max > 0 ? p99_max * 1.15 : 1)]
	set format x "%g"
	set xlabel "run (oldest first)"
	set xtics rotate by -25 noenhanced
	bottom = "plot for [b in p99_blocks] data index int(b) using 1:4:xtic(2) with " . style . " lc int(b)+1 notitle"
	if (exists("marks")) {
		bottom = bottom . ", marks using ($1-0.5):(0):(0):(1) axes x1y2 with vectors arrowstyle 1 notitle"
	}
	eval bottom
}
unset multiplot
