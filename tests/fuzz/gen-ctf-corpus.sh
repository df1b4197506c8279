#!/bin/sh
# tests/fuzz/gen-ctf-corpus.sh - regenerate tests/fuzz/corpus/ctf/ (committed).
# Each file is one CTF 1.8 trace folder in the blob fuzz-ctf.c reads: two
# little-endian bytes of metadata length, the TSDL metadata, one data stream.
# The traces are written here: LTTng-style sched_switch / sched_wakeup events
# (little- and big-endian), a packet cut short, and a stream of garbage.
set -e
cd "$(dirname "$0")/../.."
D=tests/fuzz/corpus/ctf
mkdir -p "$D"
perl - "$D" <<'PERL'
use strict;
my $dir = shift;
sub meta {
	my ($bo) = @_;
	return <<"TSDL";
/* CTF 1.8 */
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
typealias integer { size = 32; align = 8; signed = true; } := int32_t;
typealias integer { size = 64; align = 8; signed = true; } := int64_t;
trace {
	major = 1; minor = 8; byte_order = $bo;
	packet.header := struct { uint32_t magic; uint32_t stream_id; };
};
env { tracer_name = "lttng-modules"; hostname = "fuzz"; };
clock { name = monotonic; freq = 1000000000; offset = 0; };
typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } := uint64_clock_t;
stream {
	id = 0;
	packet.context := struct { uint64_t content_size; uint64_t packet_size; uint32_t cpu_id; };
	event.header := struct { uint32_t id; uint64_clock_t timestamp; };
};
event {
	name = "sched_switch"; id = 0; stream_id = 0;
	fields := struct {
		string prev_comm; int32_t prev_tid; int32_t prev_prio; int64_t prev_state;
		string next_comm; int32_t next_tid; int32_t next_prio;
	};
};
event {
	name = "sched_wakeup"; id = 1; stream_id = 0;
	fields := struct { string comm; int32_t tid; int32_t prio; int32_t target_cpu; };
};
TSDL
}
sub trace {
	my ($bo, $nev, $cut) = @_;
	my ($L, $Q) = $bo eq "le" ? ("V", "Q<") : ("N", "Q>");
	my $l32 = sub { pack($L, $_[0] & 0xffffffff) };
	my $ev = "";
	my $ts = 1000000;
	for my $i (0 .. $nev - 1) {
		$ts += 50000 + 1000 * ($i % 7);
		if ($i % 3 == 0) {
			$ev .= $l32->(1) . pack($Q, $ts) . "rt\0" . $l32->(42) . $l32->(-2) . $l32->(0);
		} elsif ($i % 3 == 1) {
			$ev .= $l32->(0) . pack($Q, $ts) . "swapper/0\0" . $l32->(0) . $l32->(20) .
			    pack($Q, 0) . "rt\0" . $l32->(42) . $l32->(-2);
		} else {
			$ev .= $l32->(0) . pack($Q, $ts) . "rt\0" . $l32->(42) . $l32->(-2) .
			    pack($Q, 1) . "swapper/0\0" . $l32->(0) . $l32->(20);
		}
	}
	my $hdr = 8 + 20;
	my $content = ($hdr + length $ev) * 8;
	my $pkt = $l32->(0xc1fc1fc1) . $l32->(0) . pack($Q, $content) . pack($Q, $content) .
	    $l32->(0) . $ev;
	$pkt = substr($pkt, 0, length($pkt) - $cut) if $cut;
	my $m = meta($bo);
	return pack("v", length $m) . $m . $pkt;
}
sub put { my ($name, $b) = @_; open(my $f, ">", "$dir/$name") or die; binmode $f; print $f $b; close $f }
put("sched-le.ctf", trace("le", 30, 0));
put("sched-be.ctf", trace("be", 30, 0));
put("cut-packet.ctf", trace("le", 30, 17));
my $g = trace("le", 6, 0);
my $m = meta("le");
put("garbage-stream.ctf", pack("v", length $m) . $m . join("", map { chr(($_ * 37 + 11) % 256) } 0 .. 300));
PERL
ls -la "$D"
