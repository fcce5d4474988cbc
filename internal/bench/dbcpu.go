package bench

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// clockTick is the unit of the CPU times in /proc/PID/stat (USER_HZ),
// 1/100 s on Linux.
const clockTick = 10 * time.Millisecond

// dbCPU adds up the CPU time the database server's processes spent over a
// run, read from /proc when the server runs on this machine. Each sample
// records every process's CPU so far, so a process that ends keeps its
// last reading; a process first seen after the first sample (a session
// opened during the run) counts from nothing.
type dbCPU struct {
	samples     int
	first, last map[int64]time.Duration
}

func newDBCPU() *dbCPU {
	return &dbCPU{first: make(map[int64]time.Duration), last: make(map[int64]time.Duration)}
}

// sample reads the CPU time of each of the processes.
func (c *dbCPU) sample(pids []int64) {
	for _, pid := range pids {
		cpu, ok := procCPU(pid)
		if !ok {
			continue
		}
		if _, seen := c.first[pid]; !seen {
			c.first[pid] = 0
			if c.samples == 0 {
				c.first[pid] = cpu
			}
		}
		c.last[pid] = cpu
	}
	c.samples++
}

// total is the CPU time spent between the first sample and the last, and
// false when no process could be read (the server is on another machine,
// or its processes are not PostgreSQL's to this one).
func (c *dbCPU) total() (time.Duration, bool) {
	var sum time.Duration
	for pid, cpu := range c.last {
		sum += cpu - c.first[pid]
	}
	return sum, len(c.last) > 0
}

// procCPU returns the user and system CPU time of a PostgreSQL process of
// this machine, from /proc/PID/stat; false when there is no such process
// or it is not PostgreSQL's (its command name is "postgres" whatever title
// it shows), as when the server runs elsewhere.
func procCPU(pid int64) (time.Duration, bool) {
	b, err := os.ReadFile("/proc/" + strconv.FormatInt(pid, 10) + "/stat")
	if err != nil {
		return 0, false
	}
	return parseProcStat(b)
}

// parseProcStat reads a PostgreSQL process's CPU time from the text of its
// /proc/PID/stat; false when the text is not a PostgreSQL process's.
func parseProcStat(b []byte) (time.Duration, bool) {
	// "pid (comm) state ppid …": comm may hold spaces and parentheses,
	// so the fields after it start at the last ')'.
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open || string(b[open+1:end]) != "postgres" {
		return 0, false
	}
	fields := bytes.Fields(b[end+1:])
	// After comm: state is the 1st, utime the 12th and stime the 13th.
	if len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(string(fields[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(fields[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * clockTick, true
}
