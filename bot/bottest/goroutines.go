package bottest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"runtime/pprof"
	"slices"
	"sync"

	"google.golang.org/protobuf/encoding/protowire"
)

// goroutineDump is one goroutine profile, read only as far as the leak check
// needs: which harnesses still have goroutines running.
//
// Every harness's cleanup looks at the goroutines once its bots stopped, and
// the package's tests run in parallel, so a dump holds the goroutines of every
// running test (hundreds). The check reads the profile's compact form (debug=0)
// rather than the text one, which symbolizes and prints every stack of every
// test to keep a few lines of one, and cleanups that ask at the same moment
// share one dump.
type goroutineDump struct {
	// running counts, by harness number, the goroutines labelled with it,
	// less notLeaks.
	running map[string]int
	err     error
}

// left reports whether the harness numbered id has goroutines running; a dump
// that could not be read says yes, so the check retries, then fails.
func (d *goroutineDump) left(id string) bool { return d.err != nil || d.running[id] > 0 }

// dumps shares goroutine dumps among the cleanups that ask at the same moment.
var dumps struct {
	mu sync.Mutex
	// next is the dump the cleanups asking now will share; it has not begun.
	next *sharedDump
	// taking is held while a dump is taken, so the next one waits for it and
	// gathers every cleanup asking meanwhile.
	taking sync.Mutex
}

type sharedDump struct {
	done chan struct{}
	dump *goroutineDump
}

// currentGoroutines returns a goroutine dump begun after the call: one taken
// for this caller or shared with others who asked before it began.
func currentGoroutines() *goroutineDump {
	dumps.mu.Lock()
	d, first := dumps.next, dumps.next == nil
	if first {
		d = &sharedDump{done: make(chan struct{})}
		dumps.next = d
	}
	dumps.mu.Unlock()
	if first {
		dumps.taking.Lock()
		dumps.mu.Lock()
		dumps.next = nil // whoever asks from now on needs a later dump
		dumps.mu.Unlock()
		d.dump = takeGoroutineDump()
		dumps.taking.Unlock()
		close(d.done)
	}
	<-d.done
	return d.dump
}

func takeGoroutineDump() *goroutineDump {
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 0); err != nil {
		return &goroutineDump{err: err}
	}
	running, err := harnessGoroutines(&buf)
	return &goroutineDump{running: running, err: err}
}

// Field numbers of the profile.proto messages the check reads.
const (
	profileSample, profileLocation, profileFunction, profileStrings = 2, 4, 5, 6
	sampleLocations, sampleLabels                                   = 1, 3
	labelKey, labelValue                                            = 1, 2
	locationID, locationLines                                       = 1, 4
	lineFunction                                                    = 1
	functionID, functionName                                        = 1, 2
)

// harnessGoroutines reads a gzipped goroutine profile (debug=0) and counts,
// by the value of their leakLabel, the labelled goroutines none of whose
// frames runs one of notLeaks.
func harnessGoroutines(gz io.Reader) (map[string]int, error) {
	r, err := gzip.NewReader(gz)
	if err != nil {
		return nil, fmt.Errorf("reading the goroutine profile: %w", err)
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading the goroutine profile: %w", err)
	}
	var p rawProfile
	if err := p.read(raw); err != nil {
		return nil, fmt.Errorf("reading the goroutine profile: %w", err)
	}
	return p.harnesses(), nil
}

// rawProfile is a profile's messages as indices, resolved once all are read
// (the string table comes last).
type rawProfile struct {
	samples   []rawSample
	locations map[uint64][]uint64 // location id → function ids of its lines
	functions map[uint64]uint64   // function id → name's string index
	strings   []string
}

type rawSample struct {
	locations []uint64
	labels    [][2]uint64 // key and value string indices
}

func (p *rawProfile) read(b []byte) error {
	p.locations, p.functions = map[uint64][]uint64{}, map[uint64]uint64{}
	return fields(b, func(num protowire.Number, v []byte) error {
		switch num {
		case profileSample:
			s, err := readSample(v)
			p.samples = append(p.samples, s)
			return err
		case profileLocation:
			var id uint64
			var fns []uint64
			err := fields(v, func(num protowire.Number, v []byte) error {
				switch num {
				case locationID:
					id = varint(v)
				case locationLines:
					return fields(v, func(num protowire.Number, v []byte) error {
						if num == lineFunction {
							fns = append(fns, varint(v))
						}
						return nil
					})
				}
				return nil
			})
			p.locations[id] = fns
			return err
		case profileFunction:
			var id, name uint64
			err := fields(v, func(num protowire.Number, v []byte) error {
				switch num {
				case functionID:
					id = varint(v)
				case functionName:
					name = varint(v)
				}
				return nil
			})
			p.functions[id] = name
			return err
		case profileStrings:
			p.strings = append(p.strings, string(v))
		}
		return nil
	})
}

func readSample(b []byte) (rawSample, error) {
	var s rawSample
	err := fields(b, func(num protowire.Number, v []byte) error {
		switch num {
		case sampleLocations:
			ids, err := varints(v)
			s.locations = append(s.locations, ids...)
			return err
		case sampleLabels:
			var kv [2]uint64
			err := fields(v, func(num protowire.Number, v []byte) error {
				switch num {
				case labelKey:
					kv[0] = varint(v)
				case labelValue:
					kv[1] = varint(v)
				}
				return nil
			})
			s.labels = append(s.labels, kv)
			return err
		}
		return nil
	})
	return s, err
}

// harnesses counts the running goroutines of each harness, less notLeaks.
func (p *rawProfile) harnesses() map[string]int {
	str := func(i uint64) string {
		if i < uint64(len(p.strings)) {
			return p.strings[i]
		}
		return ""
	}
	running := map[string]int{}
	for _, s := range p.samples {
		harness := ""
		for _, kv := range s.labels {
			if str(kv[0]) == leakLabel {
				harness = str(kv[1])
			}
		}
		if harness == "" || p.runsAny(s, str, notLeaks) {
			continue
		}
		running[harness]++
	}
	return running
}

// runsAny reports whether one of the sample's frames runs one of fns.
func (p *rawProfile) runsAny(s rawSample, str func(uint64) string, fns []string) bool {
	for _, loc := range s.locations {
		for _, fn := range p.locations[loc] {
			if slices.Contains(fns, str(p.functions[fn])) {
				return true
			}
		}
	}
	return false
}

var errBadProfile = errors.New("malformed protobuf")

// fields calls f with each field of the message b: a varint's encoding, or a
// length-delimited field's bytes.
func fields(b []byte, f func(protowire.Number, []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errBadProfile
		}
		b = b[n:]
		var v []byte
		read := true
		switch typ {
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			_, n = protowire.ConsumeVarint(b)
			if n >= 0 {
				v = b[:n]
			}
		default:
			n, read = protowire.ConsumeFieldValue(num, typ, b), false
		}
		if n < 0 {
			return errBadProfile
		}
		b = b[n:]
		if !read {
			continue
		}
		if err := f(num, v); err != nil {
			return err
		}
	}
	return nil
}

// varint decodes a varint field's encoding as fields passes it.
func varint(b []byte) uint64 {
	v, _ := protowire.ConsumeVarint(b)
	return v
}

// varints decodes a repeated varint field, packed or not (one value).
func varints(b []byte) ([]uint64, error) {
	var out []uint64
	for len(b) > 0 {
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return nil, errBadProfile
		}
		out = append(out, v)
		b = b[n:]
	}
	return out, nil
}
