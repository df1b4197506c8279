#!/bin/sh
# scripts/demo-draw.sh [BUILD] - pictures: a schedule (task and CPU views, PNG
# and SVG) and a response-time CDF of the bundled demo trace (testdata/demo,
# made by our simulator), and of the real qemu GSN-EDF recording when
# ../shared/testdata is present.
set -e
B=${1:-build}
R=$B/rtlens
D=$B/demo
mkdir -p "$D"
F="testdata/demo/st-0.bin testdata/demo/st-1.bin testdata/demo/st-2.bin testdata/demo/st-3.bin"
"$R" draw -j -l 200 -x 8 $F -o "$D/schedule.png"
"$R" draw -l 200 $F -o "$D/schedule.svg"
"$R" draw --by-cpu -l 200 -x 8 $F -o "$D/schedule-cpu.png"
"$R" jobs $F -o "$D/jobs.csv"
"$R" plot --response-times "$D/jobs.csv" -o "$D/response-cdf.png"
Q=../shared/testdata/litmus/recorded-qemu
if [ -d "$Q" ]; then
	G="$Q/schedule_host=qemu_scheduler=GSN-EDF_trace=demo_cpu="
	"$R" draw -l 300 -x 5 "${G}0.bin" "${G}1.bin" "${G}2.bin" "${G}3.bin" -o "$D/gsn-edf.png"
	# paper figures: one column wide, in colour and for print
	"$R" draw --size column -l 60 "${G}0.bin" "${G}1.bin" "${G}2.bin" "${G}3.bin" -o "$D/gsn-edf-column.pdf"
	"$R" draw --size column --grayscale -l 60 "${G}0.bin" "${G}1.bin" "${G}2.bin" "${G}3.bin" \
		-o "$D/gsn-edf-column-gray.png"
	"$R" jobs "${G}0.bin" "${G}1.bin" "${G}2.bin" "${G}3.bin" -o "$D/gsn-edf-jobs.csv"
	"$R" plot --response-times "$D/gsn-edf-jobs.csv" -o "$D/gsn-edf-response-cdf.png"
fi
echo "demo pictures:"
ls -l "$D"/*.png "$D"/*.svg "$D"/*.pdf 2>/dev/null || true
