# SPDX-License-Identifier: GPL-2.0
#
# Description: completion latency against write size for one engine of a
# `fio-atomic qualify` run: p50, p99 and p99.9 on a log scale, sizes on a
# log2 axis. fio-atomic qualify --html calls it once per engine; it also
# runs alone on any TSV of that layout:
#
#   gnuplot -e "tsv='latency-0.tsv'; out='uring.png'; series='atomic-uring/io_uring'" \
#           plots/qualify-latency.gp
#
# TSV (tab separated, '#' comments), one row per measured point:
#   engine  mode  bs  iodepth  iops  bw_bytes  clat_p50_ns  clat_p99_ns  clat_p999_ns
# series is "engine/mode"; rows of other series are ignored.

if (!exists("tsv")) tsv = 'latency.tsv'
if (!exists("out")) out = 'latency.png'
if (!exists("series")) series = ''

set terminal pngcairo size 800,480 noenhanced
set output out
set datafile separator "\t"
set title sprintf("%s: completion latency by atomic write size", series)
set xlabel "write size (bytes)"
set ylabel "completion latency (us)"
set logscale x 2
set logscale y 10
set format x "%.0b %BB"
set grid
set key top left
set style data linespoints

# A row belongs to the series when "engine/mode" matches (all rows if empty).
mine(col) = (series eq '' || strcol(1).'/'.strcol(2) eq series) ? column(col) / 1000.0 : NaN

plot tsv using 3:(mine(7)) title "p50" pt 7, \
     ''  using 3:(mine(8)) title "p99" pt 5, \
     ''  using 3:(mine(9)) title "p99.9" pt 9
