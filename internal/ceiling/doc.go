// Package ceiling measures the ceiling the gateway benchmarks report
// their throughput against: batch verification of the same signed
// readings on all cores, nothing else (reading.VerifyBatch in calls of a
// given size, on 2 × GOMAXPROCS goroutines). The root package's
// BenchmarkGatewayIngest and mqttgw's BenchmarkMQTT both use it, so their
// ratios share one denominator.
//
// Each measurement collects garbage first, so that the work before it
// does not leave its collection to the ceiling, and marks its goroutines
// with the profiler label phase=ceiling, so that one CPU profile splits a
// benchmark's ceiling from its gateway run (go tool pprof -tagfocus).
package ceiling
