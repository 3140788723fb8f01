package aggregate

// InMemory returns how many commitments a holds in memory.
func InMemory(a *Aggregator) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.members)
}
