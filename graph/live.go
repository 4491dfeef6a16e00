package graph

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/lifeboat-itscm/lifeboat"
)

// ModelSource is where a live index reads the model: a database whose model
// version moves with every change, whoever makes it.
type ModelSource interface {
	FindGraphModel(ctx context.Context) (*lifeboat.Model, error)
	ModelVersion(ctx context.Context) (int64, error)
}

// Live keeps an index as current as the database it is built from. Every
// question first compares the index's version with the database's, one
// cheap query, and builds the index again when another writer, on this
// instance or another one, has changed the model since. Several instances
// on one PostgreSQL database thus each answer from the model as it is.
type Live struct {
	src     ModelSource
	current atomic.Pointer[snapshot]
	build   sync.Mutex // one build at a time; the others wait for it
}

type snapshot struct {
	x       *Index
	sim     *Simulator
	version int64
}

// NewLive returns a live index over src; the first question builds it.
func NewLive(src ModelSource) *Live { return &Live{src: src} }

// Index returns an index of the model at least as new as the database's
// version when it was called.
func (l *Live) Index(ctx context.Context) (*Index, error) {
	s, err := l.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return s.x, nil
}

// Built returns the latest index built, without asking the database
// whether it is current; nil before the first build.
func (l *Live) Built() *Index {
	if s := l.current.Load(); s != nil {
		return s.x
	}
	return nil
}

// Simulator returns the simulator of an index at least as new as the
// database's version when it was called; its Index is that index.
func (l *Live) Simulator(ctx context.Context) (*Simulator, error) {
	s, err := l.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return s.sim, nil
}

func (l *Live) snapshot(ctx context.Context) (*snapshot, error) {
	v, err := l.src.ModelVersion(ctx)
	if err != nil {
		return nil, err
	}
	if s := l.current.Load(); s != nil && s.version >= v {
		return s, nil
	}
	l.build.Lock()
	defer l.build.Unlock()
	if s := l.current.Load(); s != nil && s.version >= v {
		return s, nil // built by whoever held the lock
	}
	// The model is read after the version: it is at least that new, and a
	// change in between only makes the next question build again.
	m, err := l.src.FindGraphModel(ctx)
	if err != nil {
		return nil, err
	}
	x, err := Build(m)
	if err != nil {
		return nil, err
	}
	x.Prepare()
	// The simulator reads the BIAs the index leaves out, and the effective
	// objectives, once for every scenario asked of this index.
	s := &snapshot{x: x, sim: NewSimulator(x, m), version: v}
	l.current.Store(s)
	return s, nil
}
