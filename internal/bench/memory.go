package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"
)

// goTotalMetric is all memory the Go runtime has mapped: heap, stacks,
// runtime structures and what it has not yet returned to the system.
const goTotalMetric = "/memory/classes/total:bytes"

// memorySampler records the peak of goTotalMetric, sampled every interval
// until Stop. It measures this whole process: in-process, the server and
// the load generator together.
type memorySampler struct {
	stop chan struct{}
	done sync.WaitGroup
	mu   sync.Mutex
	peak uint64
}

func startMemorySampler(interval time.Duration) *memorySampler {
	m := &memorySampler{stop: make(chan struct{})}
	m.sample()
	m.done.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				m.sample()
			}
		}
	})
	return m
}

func (m *memorySampler) sample() {
	s := []metrics.Sample{{Name: goTotalMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	m.mu.Lock()
	m.peak = max(m.peak, s[0].Value.Uint64())
	m.mu.Unlock()
}

// Stop ends the sampling and returns the peak in bytes.
func (m *memorySampler) Stop() uint64 {
	close(m.stop)
	m.done.Wait()
	m.sample()
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peak
}

// peakRSS returns this process's peak resident set size (VmHWM) in bytes,
// read from /proc/self/status; it fails where there is no /proc.
func peakRSS() (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return parseVmHWM(f)
}

// parseVmHWM reads the VmHWM line of a /proc/<pid>/status file — "VmHWM:
// 12345 kB" — and returns it in bytes.
func parseVmHWM(r io.Reader) (uint64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("VmHWM: unexpected %q", rest)
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("VmHWM: %w", err)
		}
		return kb * 1024, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no VmHWM line")
}
