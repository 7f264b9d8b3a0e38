# SPDX-License-Identifier: GPL-2.0
#
# Description: completion latency against write size for one target in
# one run, the engines overlaid: p99 a solid line, p50 a dashed one of the
# same colour, sizes on a log-2 axis. No gnuplot warning on any data of
# this layout: a single size (or a single value) draws points on an axis
# widened around it.
#
# Usage: gnuplot -e "data='lat.tsv'; out='lat.png'" plots/latency-size.gp
#        optional: title='...'; out ending in .svg gives SVG, else PNG
#
# Data: tab-separated, '#' lines ignored. One block per engine (with its
# rw and queue depth), blocks apart by two blank lines; a block opens with
# a header line of five fields, the second naming it ("bs<TAB>atomic-uring
# randwrite qd32<TAB>p50_us<TAB>p99_us<TAB>p999_us"), then one line per
# write size, smallest first:
#   1 write size in bytes
#   2 write size label ("4k", x tick label)
#   3 p50 completion latency, microseconds
#   4 p99 completion latency, microseconds
#   5 p99.9 completion latency, microseconds (not drawn)
# NaN where unknown; a block without a finite p99 (p50) is not drawn.
if (!exists("data") || !exists("out")) {
	print "usage: gnuplot -e \"data='lat.tsv'; out='lat.png'\" latency-size.gp"
	exit status 2
}
set encoding utf8
if (strlen(out) > 4 && out[strlen(out)-3:] eq ".svg") {
	set terminal svg size 800,520 dynamic background rgb "white" font "sans,11"
} else {
	set terminal pngcairo size 800,520 noenhanced font "sans,10"
}
set output out
set datafile separator "\t"

stats data using 1 nooutput
series = STATS_blocks
size_min = STATS_min
size_max = STATS_max
# The blocks with a finite p99 (p50): a plot element without a valid point
# would make gnuplot warn, so only those are drawn.
fin(c) = strcol(c) eq "NaN" ? 0 : column(c)
lat_min = 1e300
lat_max = 0
p99_blocks = ""
p50_blocks = ""
do for [i=0:series-1] {
	stats data index i using (fin(4)) nooutput
	if (STATS_max > 0) { p99_blocks = p99_blocks . " " . i }
	if (STATS_max > lat_max) { lat_max = STATS_max }
	stats data index i using (fin(3) > 0 ? fin(3) : 1e300) nooutput
	if (STATS_min < 1e300) { p50_blocks = p50_blocks . " " . i }
	if (STATS_min < lat_min) { lat_min = STATS_min }
}
if (lat_min > lat_max) { lat_min = lat_max }
# from here on NaN is a gap in a line
set datafile missing "NaN"
# Log axes widened around the data: a single size or value has room too.
set xrange [size_min / 1.6:size_max * 1.6]
# the y axis from decade to decade, so that it always has labelled tics
if (lat_min <= 0) lat_min = 0.1
if (lat_max <= 0) lat_max = 1
y_lo = 10 ** floor(log10(lat_min) - 1e-9)
y_hi = 10 ** ceil(log10(lat_max) + 1e-9)
set yrange [y_lo:y_hi]
style = size_min == size_max ? "points pt 7 ps 1.2" : "linespoints lw 2 pt 7 ps 0.8"
dashed = size_min == size_max ? "points pt 6 ps 1.2" : "linespoints lw 1.5 dt 2 pt 6 ps 0.8"

if (exists("title")) set title title noenhanced
set key below left vertical noenhanced
set grid
set logscale x 2
set logscale y 10
set lmargin 11
set rmargin 4
set xlabel "write size (bytes)"
set ylabel "completion latency (µs): p99 solid, p50 dashed"
eval "plot for [b in p99_blocks] data index int(b) using 1:4:xtic(2) with " . style . " lc int(b)+1 title columnheader(2), " . \
     "for [b in p50_blocks] data index int(b) using 1:3 with " . dashed . " lc int(b)+1 notitle"
