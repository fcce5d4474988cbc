package bench

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestParseVmHWM(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    uint64
		wantErr bool
	}{
		{"linux status", "Name:\toms\nVmPeak:\t  900000 kB\nVmHWM:\t   51200 kB\nVmRSS:\t   40000 kB\n", 51200 * 1024, false},
		{"no spaces", "VmHWM:\t1 kB\n", 1024, false},
		{"missing", "Name:\toms\nVmRSS:\t 1 kB\n", 0, true},
		{"other unit", "VmHWM:\t1 MB\n", 0, true},
		{"not a number", "VmHWM:\tlots kB\n", 0, true},
		{"empty", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseVmHWM(strings.NewReader(tt.in))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseVmHWM = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestPeakRSS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux only")
	}
	n, err := peakRSS()
	if err != nil || n < 1<<20 {
		t.Errorf("peakRSS = %d, %v; want at least 1 MiB", n, err)
	}
}

func TestMemorySamplerSeesAnAllocation(t *testing.T) {
	m := startMemorySampler(time.Millisecond)
	before := m.Stop()
	m = startMemorySampler(time.Millisecond)
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = 1
	}
	time.Sleep(20 * time.Millisecond)
	peak := m.Stop()
	runtime.KeepAlive(buf)
	if peak < before+32<<20 {
		t.Errorf("peak %d after a 64 MiB allocation, %d before", peak, before)
	}
}
